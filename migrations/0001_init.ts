import { sql, type Kysely } from 'kysely';

/** Settings: one subsystem per module, its attributes (the settings' values) and their history. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subsystem')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('subsystem_key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable('subsystem_attribute')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('subsystem_id', 'integer', (c) => c.notNull().references('subsystem.id').onDelete('cascade'))
    .addColumn('setting_key', 'text', (c) => c.notNull())
    .addColumn('value_type_str', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('subsystem_attribute_key_unique', ['subsystem_id', 'setting_key'])
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable('subsystem_attribute_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('attribute_id', 'integer', (c) => c.notNull().references('subsystem_attribute.id').onDelete('cascade'))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createIndex('subsystem_attribute_history_attribute_changed')
    .on('subsystem_attribute_history')
    .columns(['attribute_id', 'changed_at desc', 'id desc'])
    .execute();
}
