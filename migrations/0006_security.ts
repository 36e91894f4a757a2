import { sql, type Kysely } from 'kysely';

/** The home's security mode: one row, so a restart comes back in the mode it left, with any alarm hold. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('security_status')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('security_state_str', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'integer', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('hold_until', 'integer')
    .addColumn('hold_reason', 'text')
    .modifyEnd(sql`strict`)
    .execute();
}
