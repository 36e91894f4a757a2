import { sql, type Kysely } from 'kysely';

/**
 * Trigger rules: an event definition fires when all its clauses hold within its window; its alarm actions raise
 * alerts at the security levels they name, its control actions set a controller. Default rules made for a sensor
 * keep their `default_key`, so a re-sync never makes them twice nor brings back one the user deleted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('event_definition')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('event_type_str', 'text', (c) => c.notNull())
    .addColumn('event_window_secs', 'integer', (c) => c.notNull())
    .addColumn('dedupe_window_secs', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('default_key', 'text', (c) => c.unique())
    .addColumn('deleted_at', 'integer')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable('event_clause')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('event_definition_id', 'integer', (c) => c.notNull().references('event_definition.id').onDelete('cascade'))
    .addColumn('entity_state_id', 'integer', (c) => c.notNull().references('entity_state.id').onDelete('cascade'))
    .addColumn('operator_str', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex('event_clause_definition').on('event_clause').column('event_definition_id').execute();
  await db.schema.createIndex('event_clause_state').on('event_clause').column('entity_state_id').execute();

  await db.schema
    .createTable('alarm_action')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('event_definition_id', 'integer', (c) => c.notNull().references('event_definition.id').onDelete('cascade'))
    .addColumn('security_level_str', 'text', (c) => c.notNull())
    .addColumn('alarm_level_str', 'text', (c) => c.notNull())
    .addColumn('alarm_lifetime_secs', 'integer')
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex('alarm_action_definition').on('alarm_action').column('event_definition_id').execute();

  await db.schema
    .createTable('control_action')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('event_definition_id', 'integer', (c) => c.notNull().references('event_definition.id').onDelete('cascade'))
    .addColumn('controller_id', 'integer', (c) => c.notNull().references('controller.id').onDelete('cascade'))
    .addColumn('value', 'text', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex('control_action_definition').on('control_action').column('event_definition_id').execute();

  await db.schema
    .createTable('event_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('event_definition_id', 'integer', (c) => c.notNull().references('event_definition.id').onDelete('cascade'))
    .addColumn('fired_at', 'integer', (c) => c.notNull())
    .addColumn('security_level_str', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex('event_history_definition_time').on('event_history').columns(['event_definition_id', 'fired_at desc']).execute();
  await db.schema.createIndex('event_history_time').on('event_history').column('fired_at').execute();
}
