import type BetterSqlite3 from 'better-sqlite3';
import { createLogger } from '../../util/log';

const log = createLogger('history');

export interface HistoryRow {
  sensorId: number;
  value: string | null;
  ts: number;
}

export interface HistoryBatcherOptions {
  flushIntervalMs: number;
  /** Rows written per transaction at most; a larger backlog takes several. */
  maxBatch: number;
  /** Rows held at most while the database cannot keep up; the oldest are dropped past it, and counted. */
  maxBuffered: number;
}

export const DEFAULT_HISTORY_BATCHER: HistoryBatcherOptions = { flushIntervalMs: 250, maxBatch: 5_000, maxBuffered: 200_000 };

/** Sensor history writes, batched: one transaction per batch with one prepared statement, flushed on shutdown. */
export class HistoryBatcher {
  private buffer: HistoryRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private dropped = 0;
  private readonly insertMany: (rows: readonly HistoryRow[]) => void;
  private readonly insertOne: (row: HistoryRow) => void;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly options: HistoryBatcherOptions = DEFAULT_HISTORY_BATCHER,
  ) {
    const insert = sqlite.prepare('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)');
    this.insertOne = (row) => insert.run(row.sensorId, row.value, row.ts);
    this.insertMany = sqlite.transaction((rows: readonly HistoryRow[]) => rows.forEach(this.insertOne));
  }

  add(row: HistoryRow): void {
    this.buffer.push(row);
    if (this.buffer.length > this.options.maxBuffered) {
      const excess = this.buffer.length - this.options.maxBuffered;
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
    if (this.buffer.length >= this.options.maxBatch) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes everything buffered now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.options.maxBatch);
      try {
        this.insertMany(batch);
      } catch (error) {
        this.writeOneByOne(batch, error);
      }
    }
    if (this.dropped > 0) {
      log.warn(`Dropped ${this.dropped} history rows the database could not keep up with`);
      this.dropped = 0;
    }
  }

  /** A batch that failed (a sensor deleted meanwhile) is written row by row, so only the bad rows are lost. */
  private writeOneByOne(batch: readonly HistoryRow[], cause: unknown): void {
    let failed = 0;
    for (const row of batch) {
      try {
        this.insertOne(row);
      } catch {
        failed += 1;
      }
    }
    if (failed > 0) log.warn(`Skipped ${failed} of ${batch.length} history rows (their sensors are gone)`, cause);
  }

  get pending(): number {
    return this.buffer.length;
  }
}
