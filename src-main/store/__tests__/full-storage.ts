import type BetterSqlite3 from 'better-sqlite3';
import { storageFailureOf } from '../storage-errors';

/**
 * A full disk without root: `max_page_count` caps the database at the pages it holds now, so the next write that needs
 * a new page fails with SQLITE_FULL exactly as on a full disk; lifting the cap is space coming back.
 */
export class PageCap {
  private readonly unlimited: number;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    this.unlimited = Number(sqlite.pragma('max_page_count', { simple: true }));
  }

  /** No new page from now on. */
  fill(): void {
    this.sqlite.pragma(`max_page_count = ${Number(this.sqlite.pragma('page_count', { simple: true }))}`);
  }

  /** Room again. */
  free(): void {
    this.sqlite.pragma(`max_page_count = ${this.unlimited}`);
  }
}

/**
 * Repeats a write shaped like the one under test until storage refuses it (the pages it lands on are then full, and
 * a like write, no smaller, is refused too); answers how many went through. Throws if storage never fills.
 */
export async function writeUntilRefused(write: (attempt: number) => Promise<boolean>, maxAttempts = 50_000): Promise<number> {
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    if (!(await write(attempt))) return attempt;
  }
  throw new Error(`storage still took writes after ${maxAttempts} attempts`);
}

/** For writeUntilRefused: runs a synchronous write and answers whether storage took it. */
export function tookWrite(write: () => void): boolean {
  try {
    write();
    return true;
  } catch (error) {
    if (storageFailureOf(error)) return false;
    throw error;
  }
}
