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

/**
 * Makes each scope hold exactly the captured rows again, in one transaction: rows the edit added are deleted, and
 * captured rows are written back in place (an upsert on id, never a delete and re-insert, which would cascade to
 * children the edit did not touch).
 */
export async function restoreRows(db: Kysely<Database>, snapshot: RowSnapshot): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const { scope, rows } of [...snapshot.scopes].reverse()) {
      if (scope.values.length === 0) continue;
      let added = untyped(trx).deleteFrom(scope.table).where(scope.column, 'in', [...scope.values]);
      const keptIds = rows.map((row) => row.id as number);
      if (keptIds.length > 0) added = added.where('id', 'not in', keptIds);
      await added.execute();
    }
    for (const { scope, rows } of snapshot.scopes) {
      for (const row of rows) {
        const { id: _id, ...columns } = row;
        await untyped(trx)
          .insertInto(scope.table)
          .values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet(columns))
          .execute();
      }
    }
  });
}
