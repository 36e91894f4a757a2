import { sql, type Kysely } from 'kysely';

/**
 * Per-minute and per-hour aggregates of numeric sensor history, so that a chart of a busy sensor reads at most a few
 * thousand rows instead of millions. Filled after the fact from sensor_history by id (the mark), never on the ingest path.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const level of ['minute', 'hour'] as const) {
    await db.schema
      .createTable(`sensor_history_${level}`)
      .addColumn('sensor_id', 'integer', (c) => c.notNull().references('sensor.id').onDelete('cascade'))
      .addColumn('bucket_ts', 'integer', (c) => c.notNull())
      .addColumn('numeric_count', 'integer', (c) => c.notNull())
      .addColumn('min_value', 'real')
      .addColumn('max_value', 'real')
      .addColumn('sum_value', 'real')
      // The bucket's last reading that a chart heeds (a number, or a mark of no value such as 'unavailable').
      .addColumn('last_ts', 'integer', (c) => c.notNull())
      .addColumn('last_value', 'text')
      .addPrimaryKeyConstraint(`sensor_history_${level}_pk`, ['sensor_id', 'bucket_ts'])
      .modifyEnd(sql`strict, without rowid`)
      .execute();
  }
  await db.schema
    .createTable('sensor_history_rollup_mark')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('last_history_id', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  await sql`insert into sensor_history_rollup_mark (id, last_history_id) values (1, 0)`.execute(db);
  // Ids are reused once the newest rows go (their sensor deleted): the mark steps back with them, or rows written
  // after would sit below it unread. Deletes only: the ingest path's inserts fire nothing.
  await sql`
    create trigger sensor_history_rollup_mark_back after delete on sensor_history
    when old.id <= (select last_history_id from sensor_history_rollup_mark where id = 1)
    begin
      update sensor_history_rollup_mark set last_history_id = (select coalesce(max(id), 0) from sensor_history)
      where id = 1 and last_history_id > (select coalesce(max(id), 0) from sensor_history);
    end`.execute(db);
}
