import { sql, type Kysely } from 'kysely';

/** Browser panels on the LAN that entered the pairing code; only a hash of their token is kept. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('paired_client')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('remote_address', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('last_seen_at', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
}
