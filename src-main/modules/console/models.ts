import type { Kysely, Selectable } from 'kysely';
import type { EntityViewRef } from '../../../src-shared/model/console';
import type { EntityTables } from '../entity/models';
import type { LocationTables } from '../location/models';

export interface ConsolePinTable {
  /** Always 1: the home has one PIN. */
  id: number;
  /** Base64 of the scrypt key derived from the PIN. */
  pin_hash: string;
  /** Base64 of the random salt. */
  salt: string;
  /** scrypt's N, r and p when the hash was made, so a later change of cost still verifies old hashes. */
  cost: number;
  block_size: number;
  parallelization: number;
  changed_at: number;
}

export interface ConsoleTables {
  console_pin: ConsolePinTable;
}

export type ConsolePinRow = Selectable<ConsolePinTable>;

export function readPin(db: Kysely<ConsoleTables>): Promise<ConsolePinRow | undefined> {
  return db.selectFrom('console_pin').selectAll().where('id', '=', 1).executeTakeFirst();
}

export async function writePin(db: Kysely<ConsoleTables>, row: Omit<ConsolePinRow, 'id'>): Promise<void> {
  await db
    .insertInto('console_pin')
    .values({ id: 1, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

export async function deletePin(db: Kysely<ConsoleTables>): Promise<void> {
  await db.deleteFrom('console_pin').where('id', '=', 1).execute();
}

/**
 * The views whose plans show any of `entityIds`: the entity is in the view and placed (as an icon or a path) on the
 * view's location. Archived entities are left out. In the order the panel lists locations and views.
 */
export function viewsShowing(db: Kysely<EntityTables & LocationTables>, entityIds: readonly number[]): Promise<EntityViewRef[]> {
  return db
    .selectFrom('entity_view')
    .innerJoin('entity', 'entity.id', 'entity_view.entity_id')
    .innerJoin('location_view', 'location_view.id', 'entity_view.location_view_id')
    .innerJoin('location', 'location.id', 'location_view.location_id')
    .select(['entity_view.entity_id as entityId', 'location.id as locationId', 'location_view.id as locationViewId'])
    .where('entity_view.entity_id', 'in', [...entityIds])
    .where('entity.archived_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('entity_position')
            .select('entity_position.id')
            .whereRef('entity_position.entity_id', '=', 'entity_view.entity_id')
            .whereRef('entity_position.location_id', '=', 'location_view.location_id'),
        ),
        eb.exists(
          eb
            .selectFrom('entity_path')
            .select('entity_path.id')
            .whereRef('entity_path.entity_id', '=', 'entity_view.entity_id')
            .whereRef('entity_path.location_id', '=', 'location_view.location_id'),
        ),
      ]),
    )
    .orderBy('location.order_id')
    .orderBy('location.id')
    .orderBy('location_view.order_id')
    .orderBy('location_view.id')
    .orderBy('entity_view.entity_id')
    .execute();
}
