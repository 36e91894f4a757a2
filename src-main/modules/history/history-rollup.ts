import type BetterSqlite3 from 'better-sqlite3';
import { createLogger } from '../../util/log';
import { ROLLUP_LEVELS } from './models';
import { readNumeric } from './reading';

const log = createLogger('history');

export interface HistoryRollupOptions {
  /** History rows read per transaction. */
  chunkRows: number;
  /** Chunks per run at most; the event loop is given back between chunks. */
  maxChunksPerRun: number;
}

export const DEFAULT_HISTORY_ROLLUP: HistoryRollupOptions = { chunkRows: 10_000, maxChunksPerRun: 100 };

interface BucketAggregate {
  sensorId: number;
  bucketTs: number;
  numericCount: number;
  min: number | null;
  max: number | null;
  sum: number | null;
  lastTs: number;
  lastValue: string | null;
}

interface HistoryRow {
  id: number;
  sensor_id: number;
  value: string | null;
  ts: number;
}

// Merging is associative (counts add, min/max fold, the later reading wins), so a late row for a minute already
// rolled up just folds in.
const upsertSql = (table: string) => `
  insert into ${table} (sensor_id, bucket_ts, numeric_count, min_value, max_value, sum_value, last_ts, last_value)
  values (?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (sensor_id, bucket_ts) do update set
    numeric_count = numeric_count + excluded.numeric_count,
    min_value = coalesce(min(min_value, excluded.min_value), min_value, excluded.min_value),
    max_value = coalesce(max(max_value, excluded.max_value), max_value, excluded.max_value),
    sum_value = case when sum_value is null then excluded.sum_value when excluded.sum_value is null then sum_value else sum_value + excluded.sum_value end,
    last_value = case when excluded.last_ts >= last_ts then excluded.last_value else last_value end,
    last_ts = max(last_ts, excluded.last_ts)`;

/**
 * Keeps the minute and hour rollups up to date with sensor_history, after the fact and in bounded chunks: the ingest path
 * writes only raw rows. Rows are taken in id order past a mark, so each is counted once; text that is neither a
 * number nor a no-value mark (e.g. 'on') is left out, so enumerated states cost no rollup rows.
 */
export class HistoryRollup {
  private readonly readChunk: BetterSqlite3.Statement<[number, number], HistoryRow>;
  private readonly readMark: BetterSqlite3.Statement<[], { last_history_id: number }>;
  private readonly writeMark: BetterSqlite3.Statement<[number]>;
  private readonly rollChunk: (rows: readonly HistoryRow[]) => void;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly options: HistoryRollupOptions = DEFAULT_HISTORY_ROLLUP,
  ) {
    this.readChunk = sqlite.prepare('select id, sensor_id, value, ts from sensor_history where id > ? order by id limit ?');
    this.readMark = sqlite.prepare('select last_history_id from sensor_history_rollup_mark where id = 1');
    this.writeMark = sqlite.prepare('update sensor_history_rollup_mark set last_history_id = ? where id = 1');
    const levels = ROLLUP_LEVELS.map((level) => ({ stepMs: level.stepMs, upsert: sqlite.prepare(upsertSql(level.table)) }));
    this.rollChunk = sqlite.transaction((rows: readonly HistoryRow[]) => {
      for (const { stepMs, upsert } of levels) {
        for (const b of aggregateByBucket(rows, stepMs)) upsert.run(b.sensorId, b.bucketTs, b.numericCount, b.min, b.max, b.sum, b.lastTs, b.lastValue);
      }
      this.writeMark.run(rows.at(-1)!.id);
    });
  }

  /** The id of the last history row rolled up. */
  get mark(): number {
    return this.readMark.get()?.last_history_id ?? 0;
  }

  /** Rolls up to `maxChunks` chunks now; answers how many rows it took in. */
  catchUp(maxChunks = this.options.maxChunksPerRun): number {
    let taken = 0;
    for (let chunk = 0; chunk < maxChunks; chunk++) {
      const rows = this.nextChunk();
      if (rows.length === 0) break;
      this.rollChunk(rows);
      taken += rows.length;
      if (rows.length < this.options.chunkRows) break;
    }
    return taken;
  }

  /** One monitor run: chunks until caught up or the run's chunk budget is spent, yielding to panels between them. */
  async run(signal: AbortSignal): Promise<void> {
    let taken = 0;
    for (let chunk = 0; chunk < this.options.maxChunksPerRun && !signal.aborted; chunk++) {
      const rows = this.catchUp(1);
      taken += rows;
      if (rows < this.options.chunkRows) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (taken >= this.options.chunkRows) log.debug(`Rolled up ${taken} history rows`);
  }

  private nextChunk(): HistoryRow[] {
    return this.readChunk.all(this.mark, this.options.chunkRows);
  }
}

/** One aggregate per sensor and bucket of the rows given, in key order (the upserts then walk the table's pages in order). */
export function aggregateByBucket(rows: readonly HistoryRow[], stepMs: number): BucketAggregate[] {
  const byKey = new Map<string, BucketAggregate>();
  for (const row of rows) {
    const reading = readNumeric(row.value);
    if (reading === undefined) continue;
    const bucketTs = Math.floor(row.ts / stepMs) * stepMs;
    const key = `${row.sensor_id}:${bucketTs}`;
    let m = byKey.get(key);
    if (!m) {
      m = { sensorId: row.sensor_id, bucketTs, numericCount: 0, min: null, max: null, sum: null, lastTs: row.ts, lastValue: row.value };
      byKey.set(key, m);
    }
    if (reading !== null) {
      m.numericCount += 1;
      m.min = m.min === null ? reading : Math.min(m.min, reading);
      m.max = m.max === null ? reading : Math.max(m.max, reading);
      m.sum = (m.sum ?? 0) + reading;
    }
    // Rows come in id order: at equal times the later write wins.
    if (row.ts >= m.lastTs) {
      m.lastTs = row.ts;
      m.lastValue = row.value;
    }
  }
  return [...byKey.values()].sort((a, b) => a.sensorId - b.sensorId || a.bucketTs - b.bucketTs);
}
