import type { Kysely } from 'kysely';

/**
 * The upstream's id of the recorded event a value belongs to (ZoneMinder's event id on a camera's motion), so that
 * the history of a motion state, and an alert raised by it, can name the recording. Null for every other value.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sensor_history').addColumn('correlation', 'text').execute();
}
