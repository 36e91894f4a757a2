import { CollectionType, CollectionViewType, EntityType } from '../../../src-shared/enums/entity';
import type { Kysely } from 'kysely';
import type { EventBus } from '../../ipc/event-bus';
import type { Database } from '../../store/schema';
import type { HandlerMap } from '../../ipc/router';
import type { EditManager } from '../edit/edit-manager';
import type { RowScope } from '../edit/row-snapshot';
import type { EntityManager } from '../entity/entity-manager';
import type { CollectionManager } from './collection-manager';

export interface CollectionHandlerDeps {
  db: Kysely<Database>;
  collections: CollectionManager;
  entities: EntityManager;
  edits: EditManager;
  events: EventBus;
}

const done = { ok: true } as const;

function collectionScopes(collectionId: number): RowScope[] {
  const owned = (table: RowScope['table']): RowScope => ({ table, column: 'collection_id', values: [collectionId] });
  return [{ table: 'collection', column: 'id', values: [collectionId] }, owned('collection_entity'), owned('collection_position'), owned('collection_path'), owned('collection_view')];
}

/** The rows that say where a collection is shown: its views, its icons and its drawn paths. */
function placementScopes(collectionId: number): RowScope[] {
  return [
    { table: 'collection_view', column: 'collection_id', values: [collectionId] },
    { table: 'collection_position', column: 'collection_id', values: [collectionId] },
    { table: 'collection_path', column: 'collection_id', values: [collectionId] },
  ];
}

export function collectionHandlers(
  deps: CollectionHandlerDeps,
): HandlerMap<
  | 'collection.list'
  | 'collection.get'
  | 'collection.create'
  | 'collection.update'
  | 'collection.delete'
  | 'collection.members.set'
  | 'collection.place'
  | 'collection.view.set'
  | 'collection.candidates.list'
  | 'collection.placeInView'
> {
  const { collections, edits, events } = deps;
  const changed = (reason: string) => events.emit('home.changed', { reason });
  return {
    'collection.list': () => collections.list(),
    'collection.get': async ({ collectionId }) => {
      const collection = await collections.get(collectionId);
      const states = await deps.entities.statesOf(collection.entityIds);
      const entities = await Promise.all(collection.entityIds.map((id) => deps.entities.require(id)));
      return {
        collection,
        entities: entities.map((e) => ({ id: e.id, name: e.name, type: EntityType.fromNameSafe(e.entity_type_str).value, states: states.get(e.id) ?? [] })),
      };
    },
    'collection.create': async ({ name, type, viewType, locationViewId }, { panel }) => {
      const created = await edits.record(
        panel,
        `add collection ${name}`,
        [],
        () =>
          deps.db.transaction().execute(async (trx) => {
            const collection = await collections.create({ name, type: CollectionType.fromName(type), viewType: CollectionViewType.fromName(viewType) }, trx);
            if (locationViewId !== undefined) await collections.setInView(collection.id, locationViewId, true, trx);
            return collection;
          }),
        (collection) => [{ table: 'collection', column: 'id', values: [collection.id] }],
      );
      changed('collection created');
      return collections.get(created.id);
    },
    // Switching grid/list is a viewing preference, allowed outside edit mode.
    'collection.update': async ({ collectionId, name, type, viewType }, { panel }) => {
      const changes = { name, type: type ? CollectionType.fromName(type) : undefined, viewType: viewType ? CollectionViewType.fromName(viewType) : undefined };
      if (name === undefined && type === undefined) await collections.update(collectionId, changes);
      else await edits.record(panel, 'change collection', [{ table: 'collection', column: 'id', values: [collectionId] }], () => collections.update(collectionId, changes));
      changed('collection changed');
      return done;
    },
    'collection.delete': async ({ collectionId }, { panel }) => {
      await collections.require(collectionId);
      await edits.record(panel, 'delete collection', collectionScopes(collectionId), () => collections.delete(collectionId));
      changed('collection deleted');
      return done;
    },
    'collection.members.set': async ({ collectionId, entityIds }, { panel }) => {
      await edits.record(panel, 'change collection members', [{ table: 'collection_entity', column: 'collection_id', values: [collectionId] }], () =>
        collections.setMembers(collectionId, entityIds),
      );
      changed('collection members changed');
      return done;
    },
    'collection.place': async ({ collectionId, locationId, placement }, { panel }) => {
      const scopes: RowScope[] = [
        { table: 'collection_position', column: 'collection_id', values: [collectionId] },
        { table: 'collection_path', column: 'collection_id', values: [collectionId] },
      ];
      await edits.record(panel, 'move collection', scopes, () => collections.place(collectionId, locationId, placement));
      changed('collection placed');
      return done;
    },
    'collection.view.set': async ({ collectionId, locationViewId, inView }, { panel }) => {
      await edits.record(panel, 'change collection view', [{ table: 'collection_view', column: 'collection_id', values: [collectionId] }], () =>
        collections.setInView(collectionId, locationViewId, inView),
      );
      changed('collection view changed');
      return done;
    },
    'collection.candidates.list': () => collections.candidates(),
    'collection.placeInView': async ({ collectionId, locationViewId, near }, { panel }) => {
      const { locationId } = await edits.record(panel, 'place collection', placementScopes(collectionId), () => collections.placeInView(collectionId, locationViewId, near));
      changed('collection placed');
      const placed = (await collections.placedInView(locationViewId, locationId)).find((c) => c.id === collectionId);
      if (!placed) throw new Error(`Collection ${collectionId} was placed but is not on view ${locationViewId}`);
      return placed;
    },
  };
}
