import { sql, type Kysely } from 'kysely';

/** Integrations (Home Assistant, ...): whether each is on, and its configuration, secrets encrypted. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('integration')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('integration_key', 'text', (c) => c.notNull().unique())
    .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_sync_at', 'integer')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable('integration_attribute')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('integration_id', 'integer', (c) => c.notNull().references('integration.id').onDelete('cascade'))
    .addColumn('attribute_key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('is_secret', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('integration_attribute_unique', ['integration_id', 'attribute_key'])
    .modifyEnd(sql`strict`)
    .execute();
}
