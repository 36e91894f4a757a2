import { sql, type Kysely } from 'kysely';

/** Alerts: open ones come back after a restart or a crash; closed ones are kept for the record. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alert')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('alarm_source_str', 'text', (c) => c.notNull())
    .addColumn('alarm_type', 'text', (c) => c.notNull())
    .addColumn('alarm_level_str', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('alarm_count', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'integer', (c) => c.notNull())
    .addColumn('ends_at', 'integer')
    .addColumn('alarms_json', 'text', (c) => c.notNull())
    .addColumn('entity_ids_json', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'integer')
    .addColumn('closed_by', 'text')
    .modifyEnd(sql`strict`)
    .execute();
  // Start-up reads only the open alerts.
  await sql`create index alert_open on alert (id) where closed_at is null`.execute(db);
  await db.schema.createIndex('alert_closed_at').on('alert').column('closed_at').execute();
}
