import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/schema';

/** Rows of one table selected by one column, e.g. every entity_position of location 3. */
export interface RowScope {
  table: keyof Database;
  column: string;
  values: readonly number[];
}

interface CapturedScope {
  scope: RowScope;
  rows: Record<string, unknown>[];
}

export interface RowSnapshot {
  readonly scopes: readonly CapturedScope[];
}

type AnyDb = Kysely<Database> | Transaction<Database>;

// Table and column names come from code, never from a request; the casts let one routine serve every table.
function untyped(db: AnyDb): Kysely<Record<string, Record<string, unknown>>> {
  return db as unknown as Kysely<Record<string, Record<string, unknown>>>;
}

/**
 * Captures the rows an edit is about to touch, so that the edit can be undone by putting exactly those rows back.
 * List scopes parent-first (a location before its views): restore deletes child-first and inserts parent-first.
 */
export async function captureRows(db: AnyDb, scopes: readonly RowScope[]): Promise<RowSnapshot> {
  const captured: CapturedScope[] = [];
  for (const scope of scopes) {
    const rows =
      scope.values.length === 0
        ? []
        : await untyped(db).selectFrom(scope.table).selectAll().where(scope.column, 'in', [...scope.values]).execute();
    captured.push({ scope, rows });
  }
  return { scopes: captured };
}

/** Replaces whatever is now in each scope by the captured rows, in one transaction. */
export async function restoreRows(db: Kysely<Database>, snapshot: RowSnapshot): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const { scope } of [...snapshot.scopes].reverse()) {
      if (scope.values.length > 0) await untyped(trx).deleteFrom(scope.table).where(scope.column, 'in', [...scope.values]).execute();
    }
    for (const { scope, rows } of snapshot.scopes) {
      for (const row of rows) await untyped(trx).insertInto(scope.table).values(row).execute();
    }
  });
}
