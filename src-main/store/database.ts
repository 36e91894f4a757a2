import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, SqliteDriver, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type SqliteDatabase } from 'kysely';
import { createLogger } from '../util/log';
import type { Database } from './schema';
import { StorageHealth } from './storage-errors';

const log = createLogger('store');

export interface Store {
  readonly db: Kysely<Database>;
  readonly sqlite: BetterSqlite3.Database;
  /** Whether writes reach the disk; every writer reports here. */
  readonly health: StorageHealth;
  /**
   * Counts the statements through Kysely that may have changed what Kysely reads (anything but a SELECT): unchanged
   * since a read, so is what it read. History, written with better-sqlite3 directly, is not counted.
   */
  writeCount(): number;
  /** Never throws before the database is closed; resolves once it is. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** The Electron-ABI build of better-sqlite3, kept apart from the Node build that tests use. */
  nativeBinding?: string;
}

/** Reports to storage health what each statement found: a refused write, or a change that reached the disk. */
class HealthReportingConnection implements DatabaseConnection {
  constructor(
    private readonly inner: DatabaseConnection,
    private readonly sqlite: BetterSqlite3.Database,
    private readonly health: StorageHealth,
    private readonly countWrite: () => void,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (query.query.kind !== 'SelectQueryNode') this.countWrite();
    try {
      const result = await this.inner.executeQuery<R>(query);
      // Inside a transaction nothing is on disk until COMMIT, which the driver reports.
      if ((result.numAffectedRows ?? 0n) > 0n && !this.sqlite.inTransaction) this.health.recordWrite();
      return result;
    } catch (error) {
      this.health.recordFailure(error);
      throw error;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/** How many prepared statements are kept: the hub's distinct queries, with room for IN lists of varying length. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 as kysely sees it, keeping prepared statements by their SQL (least recently used dropped first).
 * Kysely prepares every query afresh; for the queries the hub repeats (a view's states for a snapshot, a sensor's
 * history) preparing cost as much as running them. A statement still being iterated is never handed out twice.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, capacity = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = statements.get(sql);
      if (cached && !cached.busy) {
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      if (cached) return statement;
      if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
      return statement;
    },
  };
}

/**
 * Kysely's SQLite driver, told what it cannot know. On SQLITE_FULL (and I/O errors) SQLite rolls the whole
 * transaction back by itself, so kysely's ROLLBACK would fail with "cannot rollback - no transaction is active" and
 * hide the real error from every caller; here it is skipped when SQLite has already rolled back.
 */
class StoreDriver extends SqliteDriver {
  private connection: HealthReportingConnection | null = null;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly health: StorageHealth,
    private readonly countWrite: () => void,
  ) {
    super({ database: withStatementCache(sqlite) });
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    this.connection ??= new HealthReportingConnection(inner, this.sqlite, this.health, this.countWrite);
    return this.connection;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    this.health.recordWrite();
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.sqlite.inTransaction) await super.rollbackTransaction(connection);
  }

  override async rollbackToSavepoint(...args: Parameters<SqliteDriver['rollbackToSavepoint']>): Promise<void> {
    if (this.sqlite.inTransaction) await super.rollbackToSavepoint(...args);
  }
}

class StoreDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly health: StorageHealth,
    private readonly countWrite: () => void,
  ) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    return new StoreDriver(this.sqlite, this.health, this.countWrite);
  }
}

export function openStore(file: string, options: OpenStoreOptions = {}): Store {
  const sqlite = new BetterSqlite3(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } catch (error) {
    // WAL needs a shared-memory file next to the database: on a full disk this is where opening fails.
    sqlite.close();
    throw error;
  }
  const health = new StorageHealth(path.dirname(file));
  let writes = 0;
  const db = new Kysely<Database>({ dialect: new StoreDialect(sqlite, health, () => void (writes += 1)) });
  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    try {
      // Refreshing the planner's statistics writes, so it fails on a full disk; it is worth nothing then.
      sqlite.pragma('optimize');
    } catch (error) {
      log.warn(`Skipped optimising the database before closing: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      await db.destroy();
    } finally {
      // db.destroy() closes the connection; this covers it failing before it got there.
      if (sqlite.open) sqlite.close();
    }
  };
  return {
    db,
    sqlite,
    health,
    writeCount: () => writes,
    close() {
      closing ??= close();
      return closing;
    },
  };
}
