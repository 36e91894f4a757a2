import type { Kysely } from 'kysely';
import { IpcError } from '../../src-shared/ipc/errors';
import type { Database } from './schema';

type OrderedTable = 'location' | 'location_view' | 'entity_attribute' | 'location_attribute';

/**
 * Writes a new order (`order_id` 0, 1, …) for rows of one table. `ids` must name each of `existing` exactly once, so a
 * panel with a stale list cannot silently drop or duplicate an item.
 */
export async function writeOrder(db: Kysely<Database>, table: OrderedTable, existing: readonly number[], ids: readonly number[], what: string): Promise<void> {
  const key = (list: readonly number[]) => [...list].sort((a, b) => a - b).join(',');
  if (new Set(ids).size !== ids.length || key(existing) !== key(ids)) {
    throw IpcError.invalidArgument(`The new order must list each of the ${what} exactly once.`);
  }
  const rows = db as unknown as Kysely<Record<OrderedTable, { id: number; order_id: number }>>;
  await rows.transaction().execute(async (trx) => {
    for (const [index, id] of ids.entries()) await trx.updateTable(table).set({ order_id: index }).where('id', '=', id).execute();
  });
}
