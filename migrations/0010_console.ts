import { sql, type Kysely } from 'kysely';

/** The console's lock PIN: one row holding only an scrypt hash, its salt and the cost it was made with. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('console_pin')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('pin_hash', 'text', (c) => c.notNull())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('cost', 'integer', (c) => c.notNull())
    .addColumn('block_size', 'integer', (c) => c.notNull())
    .addColumn('parallelization', 'integer', (c) => c.notNull())
    .addColumn('changed_at', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
}
