import type BetterSqlite3 from 'better-sqlite3';
import type { StorageFailure, StorageHealth } from '../../store/storage-errors';
import { createLogger } from '../../util/log';

const log = createLogger('history');

export interface HistoryRow {
  sensorId: number;
  value: string | null;
  ts: number;
  /** Always set (null when none), so every row has one shape. */
  correlation: string | null;
}

export interface HistoryBatcherOptions {
  flushIntervalMs: number;
  /** Rows written per transaction at most; a larger backlog takes several. */
  maxBatch: number;
  /** Rows held at most while they cannot be written (storage full, or the database cannot keep up); the oldest are dropped past it, and counted. */
  maxBuffered: number;
  /** The first wait before writing again after storage refused a batch; each refusal doubles it, up to retryMaxMs. */
  retryInitialMs: number;
  retryMaxMs: number;
}

export const DEFAULT_HISTORY_BATCHER: HistoryBatcherOptions = {
  flushIntervalMs: 250,
  maxBatch: 5_000,
  maxBuffered: 100_000,
  retryInitialMs: 1_000,
  retryMaxMs: 60_000,
};

const FOREIGN_KEY_FAILED = 'SQLITE_CONSTRAINT_FOREIGNKEY';

const INSERT_ROW = 'insert into sensor_history (sensor_id, value, ts, correlation) values (?, ?, ?, ?)';

interface BatchOutcome {
  /** Rows taken off the buffer: written, or skipped for good. */
  consumed: number;
  /** Set when storage refused the write; the rest of the batch stays buffered. */
  refused: StorageFailure | null;
}

/**
 * Sensor history writes, batched: one transaction per batch with one prepared statement, flushed on shutdown. A timer
 * runs only while rows wait. While storage is full the rows wait in the (bounded) buffer and are written, with backoff,
 * once it has room again.
 */
export class HistoryBatcher {
  private buffer: HistoryRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Set while storage refuses writes: how long the pending retry waits. */
  private retryDelayMs: number | null = null;
  private droppedWhileFull = 0;
  private droppedBacklog = 0;
  private readonly insertRange: (rows: readonly HistoryRow[], start: number, end: number) => void;
  private readonly insertRow: BetterSqlite3.Statement<[number, string | null, number, string | null]>;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly storage: StorageHealth,
    private readonly options: HistoryBatcherOptions = DEFAULT_HISTORY_BATCHER,
  ) {
    const insertRow = sqlite.prepare<[number, string | null, number, string | null]>(INSERT_ROW);
    this.insertRow = insertRow;
    // One row per statement: statements of many rows (100) measured slower here, with this table's indexes and key.
    this.insertRange = sqlite.transaction((rows: readonly HistoryRow[], start: number, end: number) => {
      for (let i = start; i < end; i++) {
        const row = rows[i]!;
        insertRow.run(row.sensorId, row.value, row.ts, row.correlation);
      }
    });
  }

  add(row: HistoryRow): void {
    this.buffer.push(row);
    if (this.buffer.length > this.options.maxBuffered) {
      const excess = this.buffer.length - this.options.maxBuffered;
      this.buffer.splice(0, excess);
      if (this.retryDelayMs === null) this.droppedBacklog += excess;
      else this.droppedWhileFull += excess;
    }
    // While storage is full the retry timer decides when to write; a full batch must not hammer the disk.
    if (this.retryDelayMs !== null) return;
    if (this.buffer.length >= this.options.maxBatch) this.flush();
    else if (!this.timer) this.schedule(this.options.flushIntervalMs);
  }

  /** Writes everything buffered now; what storage refuses stays buffered and is tried again later. Never throws. */
  flush(): void {
    this.cancelTimer();
    let refused: StorageFailure | null = null;
    let written = 0;
    // Each pass takes at least one row off, or stops on a refusal: at most one pass per row.
    while (written < this.buffer.length && !refused) {
      const outcome = this.writeBatch(written, Math.min(written + this.options.maxBatch, this.buffer.length));
      written += outcome.consumed;
      refused = outcome.refused;
    }
    if (written === this.buffer.length) this.buffer = [];
    else this.buffer.splice(0, written);
    if (refused) this.retryLater(refused);
    else if (this.retryDelayMs !== null) {
      this.retryDelayMs = null;
      log.info(`Storage has room again: wrote ${written} history rows held while it was full`);
    }
    this.reportDropped();
  }

  /** The last flush, at shutdown: says how many rows are lost if storage is still full. */
  close(): void {
    this.flush();
    this.cancelTimer();
    if (this.buffer.length > 0) {
      log.error(`Lost ${this.buffer.length} history rows at shutdown: storage is still full`);
      this.buffer = [];
    }
    this.retryDelayMs = null;
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Whether writes wait for storage to have room. */
  get waitingForStorage(): boolean {
    return this.retryDelayMs !== null;
  }

  /** Writes buffer[start, end) in one transaction. */
  private writeBatch(start: number, end: number): BatchOutcome {
    try {
      this.insertRange(this.buffer, start, end);
      this.storage.recordWrite();
      return { consumed: end - start, refused: null };
    } catch (error) {
      const refused = this.storage.recordFailure(error);
      return refused ? { consumed: 0, refused } : this.writeOneByOne(this.buffer.slice(start, end));
    }
  }

  /** A batch that failed otherwise (a sensor deleted meanwhile) is written row by row, so only the bad rows are lost. */
  private writeOneByOne(batch: readonly HistoryRow[]): BatchOutcome {
    let sensorGone = 0;
    let otherFailures = 0;
    let lastOtherFailure: unknown = null;
    let refused: StorageFailure | null = null;
    let consumed = 0;
    for (const row of batch) {
      try {
        this.insertRow.run(row.sensorId, row.value, row.ts, row.correlation);
        this.storage.recordWrite();
      } catch (error) {
        refused = this.storage.recordFailure(error);
        if (refused) break;
        if ((error as { code?: unknown }).code === FOREIGN_KEY_FAILED) sensorGone += 1;
        else {
          otherFailures += 1;
          lastOtherFailure = error;
        }
      }
      consumed += 1;
    }
    if (sensorGone > 0) log.warn(`Skipped ${sensorGone} of ${batch.length} history rows (their sensors are gone)`);
    if (otherFailures > 0) log.error(`Skipped ${otherFailures} of ${batch.length} history rows that could not be written`, lastOtherFailure);
    return { consumed, refused };
  }

  private retryLater(failure: StorageFailure): void {
    const first = this.retryDelayMs === null;
    const delayMs = this.retryDelayMs === null ? this.options.retryInitialMs : Math.min(this.retryDelayMs * 2, this.options.retryMaxMs);
    this.retryDelayMs = delayMs;
    if (first) {
      log.warn(`Holding ${this.buffer.length} history rows in memory until storage has room (${failure.detail}); at most ${this.options.maxBuffered} are kept`);
    }
    this.schedule(delayMs);
  }

  private reportDropped(): void {
    if (this.droppedWhileFull > 0) {
      log.warn(`Dropped the ${this.droppedWhileFull} oldest unwritten history rows: storage is full and at most ${this.options.maxBuffered} are held`);
      this.droppedWhileFull = 0;
    }
    if (this.droppedBacklog > 0) {
      log.warn(`Dropped the ${this.droppedBacklog} oldest history rows: the database could not keep up and at most ${this.options.maxBuffered} are held`);
      this.droppedBacklog = 0;
    }
  }

  private schedule(delayMs: number): void {
    this.cancelTimer();
    this.timer = setTimeout(() => this.flush(), delayMs);
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
