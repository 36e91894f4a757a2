import type { Kysely } from 'kysely';
import { CollectionType, CollectionViewType } from '../../../src-shared/enums/entity';
import { IpcError } from '../../../src-shared/ipc/errors';
import { MAX_COLLECTION_CANDIDATES } from '../../../src-shared/ipc/contract';
import type { CollectionSummary, Placement, PlacedCollection } from '../../../src-shared/model/location';
import type { PlanPoint } from '../../../src-shared/model/placement';
import type { Database } from '../../store/schema';
import type { Clock } from '../../util/clock';
import { writePlacement } from '../entity/placement-writer';
import { FreeSpotFinder } from '../location/free-spot-finder';
import { toPlacement } from '../location/location-view-builder';
import { parseViewBox } from '../location/models';
import type { Collection } from './models';

/** Named groups of entities (the appliances, the cameras) shown as a grid or list, and optionally on the plan. */
export class CollectionManager {
  private readonly freeSpots: FreeSpotFinder;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {
    this.freeSpots = new FreeSpotFinder(db);
  }

  async require(id: number, db: Kysely<Database> = this.db): Promise<Collection> {
    const collection = await db.selectFrom('collection').selectAll().where('id', '=', id).executeTakeFirst();
    if (!collection) throw IpcError.notFound(`No collection ${id}`);
    return collection;
  }

  async list(): Promise<CollectionSummary[]> {
    const [collections, members] = await Promise.all([
      this.db.selectFrom('collection').selectAll().orderBy('order_id').orderBy('id').execute(),
      this.members(),
    ]);
    return collections.map((c) => this.summary(c, members.get(c.id) ?? []));
  }

  async get(id: number): Promise<CollectionSummary> {
    const collection = await this.require(id);
    return this.summary(collection, (await this.members(id)).get(id) ?? []);
  }

  async create(input: { name: string; type: CollectionType; viewType: CollectionViewType }, db: Kysely<Database> = this.db): Promise<Collection> {
    const now = this.clock.now();
    const last = await db.selectFrom('collection').select((eb) => eb.fn.max('order_id').as('max')).executeTakeFirst();
    return db
      .insertInto('collection')
      .values({ name: input.name, collection_type_str: input.type.value, collection_view_type_str: input.viewType.value, order_id: Number(last?.max ?? -1) + 1, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async update(id: number, changes: { name?: string; type?: CollectionType; viewType?: CollectionViewType }): Promise<void> {
    await this.require(id);
    await this.db
      .updateTable('collection')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.type ? { collection_type_str: changes.type.value } : {}),
        ...(changes.viewType ? { collection_view_type_str: changes.viewType.value } : {}),
        updated_at: this.clock.now(),
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: number): Promise<void> {
    await this.require(id);
    await this.db.deleteFrom('collection').where('id', '=', id).execute();
  }

  /** Replaces the members with `entityIds`, in that order. */
  async setMembers(id: number, entityIds: readonly number[], db: Kysely<Database> = this.db): Promise<void> {
    await this.require(id, db);
    if (new Set(entityIds).size !== entityIds.length) throw IpcError.invalidArgument('An entity can be in a collection only once.');
    const known = entityIds.length === 0 ? [] : await db.selectFrom('entity').select('id').where('id', 'in', [...entityIds]).execute();
    if (known.length !== entityIds.length) throw IpcError.notFound('Some of those entities do not exist.');
    const run = async (trx: Kysely<Database>) => {
      await trx.deleteFrom('collection_entity').where('collection_id', '=', id).execute();
      for (const [index, entityId] of entityIds.entries()) {
        await trx.insertInto('collection_entity').values({ collection_id: id, entity_id: entityId, order_id: index }).execute();
      }
    };
    await (db.isTransaction ? run(db) : db.transaction().execute(run));
  }

  async place(id: number, locationId: number, placement: Placement): Promise<void> {
    await this.require(id);
    await writePlacement(this.db, 'collection', id, locationId, placement);
  }

  async setInView(id: number, locationViewId: number, inView: boolean, db: Kysely<Database> = this.db): Promise<void> {
    await this.require(id, db);
    if (inView) {
      const view = await db.selectFrom('location_view').select('id').where('id', '=', locationViewId).executeTakeFirst();
      if (!view) throw IpcError.notFound(`No location view ${locationViewId}`);
      await db.insertInto('collection_view').values({ collection_id: id, location_view_id: locationViewId }).onConflict((oc) => oc.doNothing()).execute();
    } else {
      await db.deleteFrom('collection_view').where('collection_id', '=', id).where('location_view_id', '=', locationViewId).execute();
    }
  }

  /** The items a collection can hold: every entity not archived, by name. */
  async candidates(): Promise<{ id: number; name: string; type: string }[]> {
    const rows = await this.db
      .selectFrom('entity')
      .select(['id', 'name', 'entity_type_str'])
      .where('archived_at', 'is', null)
      .orderBy('name')
      .orderBy('id')
      .limit(MAX_COLLECTION_CANDIDATES)
      .execute();
    return rows.map((row) => ({ id: row.id, name: row.name, type: row.entity_type_str }));
  }

  /**
   * Shows the collection on a view, in one transaction. One already placed on the view's location keeps its place;
   * otherwise its icon goes to the free spot nearest `near` (the view's middle when not given), or to that point itself
   * when the view is full even for the smallest icons.
   */
  async placeInView(id: number, locationViewId: number, near?: PlanPoint): Promise<{ locationId: number }> {
    return this.db.transaction().execute(async (trx) => {
      const collection = await this.require(id, trx);
      const view = await trx.selectFrom('location_view').select(['location_id', 'svg_view_box_str']).where('id', '=', locationViewId).executeTakeFirst();
      if (!view) throw IpcError.notFound(`No location view ${locationViewId}`);
      await this.setInView(id, locationViewId, true, trx);
      if (await this.isPlacedOn(id, view.location_id, trx)) return { locationId: view.location_id };
      const found = await this.freeSpots.find(locationViewId, [{ id, name: collection.name, type: collection.collection_type_str }], { db: trx, ...(near ? { near } : {}) });
      const box = parseViewBox(view.svg_view_box_str);
      const fallback = near ?? { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      const placement: Placement = found.spots.get(id) ?? { kind: 'icon', x: fallback.x, y: fallback.y, scale: 1, rotate: 0 };
      await writePlacement(trx, 'collection', id, view.location_id, placement);
      return { locationId: view.location_id };
    });
  }

  private async isPlacedOn(id: number, locationId: number, db: Kysely<Database>): Promise<boolean> {
    const position = await db.selectFrom('collection_position').select('id').where('collection_id', '=', id).where('location_id', '=', locationId).executeTakeFirst();
    if (position) return true;
    const drawn = await db.selectFrom('collection_path').select('id').where('collection_id', '=', id).where('location_id', '=', locationId).executeTakeFirst();
    return drawn !== undefined;
  }

  /** The collections of a view that are placed on its location. */
  async placedInView(locationViewId: number, locationId: number): Promise<PlacedCollection[]> {
    const rows = await this.db
      .selectFrom('collection_view')
      .innerJoin('collection', 'collection.id', 'collection_view.collection_id')
      .leftJoin('collection_position', (join) => join.onRef('collection_position.collection_id', '=', 'collection.id').on('collection_position.location_id', '=', locationId))
      .leftJoin('collection_path', (join) => join.onRef('collection_path.collection_id', '=', 'collection.id').on('collection_path.location_id', '=', locationId))
      .selectAll('collection')
      .select(['collection_position.svg_x', 'collection_position.svg_y', 'collection_position.svg_scale', 'collection_position.svg_rotate', 'collection_path.svg_path', 'collection_path.path_style_str'])
      .where('collection_view.location_view_id', '=', locationViewId)
      .orderBy('collection.order_id')
      .execute();
    const members = await this.members();
    const placed: PlacedCollection[] = [];
    for (const row of rows) {
      const position = row.svg_x !== null && row.svg_y !== null ? { svg_x: row.svg_x, svg_y: row.svg_y, svg_scale: row.svg_scale ?? 1, svg_rotate: row.svg_rotate ?? 0 } : undefined;
      const drawn = row.svg_path !== null && row.path_style_str !== null ? { svg_path: row.svg_path, path_style_str: row.path_style_str } : undefined;
      const placement = toPlacement(position, drawn);
      if (placement) placed.push({ ...this.summary(row, members.get(row.id) ?? []), placement });
    }
    return placed;
  }

  private async members(collectionId?: number): Promise<Map<number, number[]>> {
    let query = this.db
      .selectFrom('collection_entity')
      .innerJoin('entity', 'entity.id', 'collection_entity.entity_id')
      .select(['collection_entity.collection_id', 'collection_entity.entity_id'])
      .where('entity.archived_at', 'is', null)
      .orderBy('collection_entity.order_id');
    if (collectionId !== undefined) query = query.where('collection_entity.collection_id', '=', collectionId);
    const byCollection = new Map<number, number[]>();
    for (const row of await query.execute()) {
      const list = byCollection.get(row.collection_id) ?? [];
      list.push(row.entity_id);
      byCollection.set(row.collection_id, list);
    }
    return byCollection;
  }

  private summary(collection: Collection, entityIds: number[]): CollectionSummary {
    return {
      id: collection.id,
      name: collection.name,
      type: CollectionType.fromNameSafe(collection.collection_type_str).value,
      viewType: CollectionViewType.fromNameSafe(collection.collection_view_type_str).value,
      order: collection.order_id,
      entityIds,
    };
  }
}
