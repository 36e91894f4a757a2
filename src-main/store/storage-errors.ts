import { statfsSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../util/log';

const log = createLogger('storage');

/**
 * `full`: the disk (or the database's page limit) has no room. `unwritable`: the disk refused the write for another
 * reason (a quota, a file-size limit, an I/O error while growing a file), which on a panel is almost always space too.
 */
export type StorageFailureKind = 'full' | 'unwritable';

export interface StorageFailure {
  readonly kind: StorageFailureKind;
  /** The SQLite result code or Node error code, e.g. SQLITE_FULL or ENOSPC. */
  readonly code: string;
  /** What SQLite or the OS said, for the log and the health line. */
  readonly detail: string;
}

// SQLite reports ENOSPC as SQLITE_FULL, but a quota or file-size limit as SQLITE_IOERR_WRITE, and a shared-memory
// file it cannot grow (opening a WAL database on a full disk) as SQLITE_IOERR_SHMSIZE.
const FAILURE_KINDS: ReadonlyMap<string, StorageFailureKind> = new Map([
  ['SQLITE_FULL', 'full'],
  ['ENOSPC', 'full'],
  ['EDQUOT', 'full'],
  ['SQLITE_IOERR_WRITE', 'unwritable'],
  ['SQLITE_IOERR_SHMSIZE', 'unwritable'],
  ['EFBIG', 'unwritable'],
]);

/** Wrapped errors (`cause`) are followed this deep at most. */
const MAX_CAUSE_DEPTH = 5;

/** The one place that decides whether an error means "storage full"; null for every other error. */
export function storageFailureOf(error: unknown): StorageFailure | null {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    const kind = typeof code === 'string' ? FAILURE_KINDS.get(code) : undefined;
    if (kind) return { kind, code: code as string, detail: current.message };
    current = current.cause;
  }
  return null;
}

/** With less free space than this, a refused write is put down to a full disk whatever SQLite called it. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/** Free space for this process on the disk holding `dir` (or its parent, if `dir` is not there); null if unknown. */
export function freeBytesOn(dir: string): number | null {
  for (const candidate of [dir, path.dirname(dir)]) {
    try {
      const stats = statfsSync(candidate);
      return stats.bavail * stats.bsize;
    } catch {
      // Not there (yet): try the parent.
    }
  }
  return null;
}

/**
 * storageFailureOf, told about the disk holding `dataDir`: SQLite reports a full disk as an I/O error when it cannot
 * grow its shared-memory file (the usual failure when a WAL database opens on a full disk), so a refused write on a
 * disk with next to no free space is "full" whatever SQLite called it.
 */
export function storageFailureOn(error: unknown, dataDir: string, freeBytes: (dir: string) => number | null = freeBytesOn): StorageFailure | null {
  const failure = storageFailureOf(error);
  if (failure?.kind !== 'unwritable') return failure;
  const free = freeBytes(dataDir);
  return free !== null && free < NEARLY_FULL_BYTES ? { ...failure, kind: 'full' } : failure;
}

/** The health line: "Storage is full: …", as the System tab and the header show it. */
export function describeStorageFailure(failure: StorageFailure, dataDir: string): string {
  const headline = failure.kind === 'full' ? 'Storage is full' : 'Storage cannot be written';
  return `${headline}: changes are not being saved (${failure.detail}, ${failure.code}). Free some space on the disk holding ${dataDir}.`;
}

/** What a panel shows when its change was refused; plain words, no codes. */
export function storageFailureForPanel(failure: StorageFailure): string {
  return failure.kind === 'full'
    ? "The hub's disk is full, so this was not saved. Free some space on the hub and try again."
    : "The hub could not write to its disk, so this was not saved. Check the hub's storage and try again.";
}

/** Thrown by the hub at start when the disk holding its data dir has no room, with a message that says so. */
export class StorageStartError extends Error {
  constructor(
    readonly dataDir: string,
    readonly failure: StorageFailure,
    options?: ErrorOptions,
  ) {
    super(
      failure.kind === 'full'
        ? `The disk holding ${dataDir} is full (${failure.detail}). Free some space on it and start Home Information again.`
        : `The disk holding ${dataDir} cannot be written (${failure.detail}, ${failure.code}). Free some space on it, or check the disk, and start Home Information again.`,
      options,
    );
    this.name = 'StorageStartError';
  }

  /** The same error, reworded, when it means the disk is full; otherwise the error itself. */
  static explain(error: unknown, dataDir: string): unknown {
    if (error instanceof StorageStartError) return error;
    const failure = storageFailureOn(error, dataDir);
    return failure ? new StorageStartError(dataDir, failure, { cause: error }) : error;
  }
}

/**
 * Whether the hub's storage takes writes, as the last write found it: every writer reports here (the store's
 * driver, the history batcher, the router), and whoever shows health listens. Logs each change once.
 */
export class StorageHealth {
  private current: { failure: StorageFailure; message: string } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(readonly dataDir: string) {}

  /** The health line while writes fail, null while they succeed. */
  get problem(): string | null {
    return this.current?.message ?? null;
  }

  /** Records `error` if it means storage is full and answers it; answers null, recording nothing, for other errors. */
  recordFailure(error: unknown): StorageFailure | null {
    const failure = storageFailureOn(error, this.dataDir);
    if (!failure) return null;
    if (this.current?.failure.kind === failure.kind) return failure;
    const message = describeStorageFailure(failure, this.dataDir);
    this.current = { failure, message };
    log.error(message);
    this.notify();
    return failure;
  }

  /** A write reached the disk: storage has room again, if it had none. */
  recordWrite(): void {
    if (!this.current) return;
    this.current = null;
    log.info('Storage takes writes again');
    this.notify();
  }

  /** Calls `listener` after each change between failing and ok; answers the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        log.error('A storage health listener failed', error);
      }
    }
  }
}
