import type { Kysely } from 'kysely';
import { PathStyle } from '../../../src-shared/enums/entity';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { Placement } from '../../../src-shared/model/location';
import type { Database } from '../../store/schema';

export type PlacedOwner = 'entity' | 'collection';

interface PlacementTables {
  position: 'entity_position';
  path: 'entity_path';
  owner: 'entity_id';
}

// Entities and collections are placed alike; only the tables and the owner column differ.
function tablesOf(owner: PlacedOwner): PlacementTables {
  return (owner === 'entity'
    ? { position: 'entity_position', path: 'entity_path', owner: 'entity_id' }
    : { position: 'collection_position', path: 'collection_path', owner: 'collection_id' }) as PlacementTables;
}

/** Puts an item on a location as an icon or as a drawn path, never both, inside the caller's transaction or a new one. */
export async function writePlacement(db: Kysely<Database>, owner: PlacedOwner, ownerId: number, locationId: number, placement: Placement): Promise<void> {
  const t = tablesOf(owner);
  const run = async (trx: Kysely<Database>) => {
    const location = await trx.selectFrom('location').select('id').where('id', '=', locationId).executeTakeFirst();
    if (!location) throw IpcError.notFound(`No location ${locationId}`);
    if (placement.kind === 'icon') {
      const values = { svg_x: placement.x, svg_y: placement.y, svg_scale: placement.scale, svg_rotate: placement.rotate };
      await trx.deleteFrom(t.path).where(t.owner, '=', ownerId).where('location_id', '=', locationId).execute();
      await trx
        .insertInto(t.position)
        .values({ [t.owner]: ownerId, location_id: locationId, ...values } as never)
        .onConflict((oc) => oc.columns(['location_id', t.owner]).doUpdateSet(values))
        .execute();
    } else {
      const values = { svg_path: placement.svgPath, path_style_str: PathStyle.fromName(placement.style).value };
      await trx.deleteFrom(t.position).where(t.owner, '=', ownerId).where('location_id', '=', locationId).execute();
      await trx
        .insertInto(t.path)
        .values({ [t.owner]: ownerId, location_id: locationId, ...values } as never)
        .onConflict((oc) => oc.columns(['location_id', t.owner]).doUpdateSet(values))
        .execute();
    }
  };
  await (db.isTransaction ? run(db) : db.transaction().execute(run));
}
