import { sql, type Kysely } from 'kysely';

/**
 * E-mail for alerts. Each mail waits in the outbox from the moment its batch opens until the server accepts it, so a
 * restart loses none; a mail the server keeps refusing is marked failed and kept (bounded) for the record.
 * `notify_state` holds what the notifier remembers between runs (the server the password was saved for, the last
 * delivery).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('status_str', 'text', (c) => c.notNull())
    .addColumn('content_json', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer', (c) => c.notNull())
    .addColumn('last_attempt_at', 'integer')
    .addColumn('last_error', 'text')
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status_str', 'next_attempt_at']).execute();

  await db.schema
    .createTable('notify_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
}
