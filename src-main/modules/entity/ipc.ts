import { EntityType } from '../../../src-shared/enums/entity';
import type { EventBus } from '../../ipc/event-bus';
import type { HandlerMap } from '../../ipc/router';
import type { EditManager } from '../edit/edit-manager';
import type { RowScope } from '../edit/row-snapshot';
import type { LocationViewBuilder } from '../location/location-view-builder';
import type { EntityDetailHelper } from './entity-detail-helper';
import type { EntityManager } from './entity-manager';

export interface EntityHandlerDeps {
  entities: EntityManager;
  detail: EntityDetailHelper;
  views: LocationViewBuilder;
  edits: EditManager;
  events: EventBus;
}

const done = { ok: true } as const;
const entityRow = (entityId: number): RowScope => ({ table: 'entity', column: 'id', values: [entityId] });

export function entityHandlers(
  deps: EntityHandlerDeps,
): HandlerMap<
  | 'entity.create'
  | 'entity.update'
  | 'entity.place'
  | 'entity.view.set'
  | 'entity.placeMany'
  | 'entity.archive'
  | 'entity.restore'
  | 'entity.archived.list'
  | 'entity.detail.get'
> {
  const { entities, edits, events } = deps;
  const changed = (reason: string) => events.emit('home.changed', { reason });
  return {
    'entity.create': async ({ name, type, locationViewId, placement, near }, { panel }) => {
      const entity = await edits.record(
        panel,
        `add ${name}`,
        [],
        () => entities.create({ name, type: EntityType.fromName(type), locationViewId, placement, near }),
        (created) => [entityRow(created.id)],
      );
      changed('entity created');
      const view = await deps.views.build(locationViewId);
      const placed = view.entities.find((e) => e.id === entity.id);
      if (!placed) throw new Error(`Entity ${entity.id} was created but is not on view ${locationViewId}`);
      return placed;
    },
    'entity.update': async ({ entityId, name, type }, { panel }) => {
      await edits.record(panel, `change ${name ?? 'item'}`, [entityRow(entityId)], () =>
        entities.update(entityId, { name, type: type ? EntityType.fromName(type) : undefined }),
      );
      changed('entity changed');
      return done;
    },
    'entity.place': async ({ entityId, locationId, placement }, { panel }) => {
      await entities.require(entityId);
      const scopes: RowScope[] = [
        { table: 'entity_position', column: 'entity_id', values: [entityId] },
        { table: 'entity_path', column: 'entity_id', values: [entityId] },
      ];
      await edits.record(panel, placement.kind === 'icon' ? 'move item' : 'reshape item', scopes, () => entities.place(entityId, locationId, placement));
      changed('entity placed');
      return done;
    },
    'entity.view.set': async ({ entityId, locationViewId, inView }, { panel }) => {
      const scopes: RowScope[] = [
        { table: 'entity_view', column: 'entity_id', values: [entityId] },
        { table: 'entity_position', column: 'entity_id', values: [entityId] },
        { table: 'entity_path', column: 'entity_id', values: [entityId] },
      ];
      await edits.record(panel, inView ? 'add item to view' : 'remove item from view', scopes, () => entities.setInView(entityId, locationViewId, inView));
      changed('view membership changed');
      return done;
    },
    'entity.placeMany': async ({ locationViewId, entityIds }, { panel }) => {
      const scopes: RowScope[] = (['entity_view', 'entity_position', 'entity_path'] as const).map((table) => ({ table, column: 'entity_id', values: entityIds }));
      // One step: a single undo takes the whole batch off the plan again.
      const result = await edits.record(panel, `place ${entityIds.length} items`, scopes, () => entities.placeMany(locationViewId, entityIds));
      changed('entities placed');
      return result;
    },
    'entity.archive': async ({ entityId }, { panel }) => {
      const entity = await entities.require(entityId);
      await edits.record(panel, `delete ${entity.name}`, [entityRow(entityId)], () => entities.archive(entityId));
      changed('entity archived');
      return done;
    },
    'entity.restore': async ({ entityId }, { panel }) => {
      const entity = await entities.require(entityId, { archived: true });
      await edits.record(panel, `restore ${entity.name}`, [entityRow(entityId)], () => entities.restore(entityId));
      changed('entity restored');
      return done;
    },
    'entity.archived.list': () => entities.listArchived(),
    'entity.detail.get': ({ entityId }) => deps.detail.detail(entityId),
  };
}
