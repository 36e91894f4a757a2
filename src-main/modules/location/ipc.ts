import { LocationViewType, ViewStyle } from '../../../src-shared/enums/entity';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { HandlerMap } from '../../ipc/router';
import type { EventBus } from '../../ipc/event-bus';
import type { FileStore } from '../attribute/file-store';
import type { EditManager } from '../edit/edit-manager';
import type { RowScope } from '../edit/row-snapshot';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema';
import type { LocationManager } from './location-manager';
import { toViewSummary } from './location-manager';
import type { LocationViewBuilder } from './location-view-builder';
import { SvgRejectedError } from './svg-sanitizer';

export interface LocationHandlerDeps {
  db: Kysely<Database>;
  locations: LocationManager;
  views: LocationViewBuilder;
  edits: EditManager;
  files: FileStore;
  events: EventBus;
}

const done = { ok: true } as const;

/** Every row a location owns, parent first, so that deleting it can be undone exactly. */
async function locationScopes(db: Kysely<Database>, locationId: number): Promise<RowScope[]> {
  const viewIds = (await db.selectFrom('location_view').select('id').where('location_id', '=', locationId).execute()).map((v) => v.id);
  const attributeIds = (await db.selectFrom('location_attribute').select('id').where('location_id', '=', locationId).execute()).map((a) => a.id);
  const byLocation = (table: RowScope['table']): RowScope => ({ table, column: 'location_id', values: [locationId] });
  return [
    { table: 'location', column: 'id', values: [locationId] },
    byLocation('location_view'),
    byLocation('entity_position'),
    byLocation('entity_path'),
    byLocation('collection_position'),
    byLocation('collection_path'),
    { table: 'entity_view', column: 'location_view_id', values: viewIds },
    { table: 'collection_view', column: 'location_view_id', values: viewIds },
    byLocation('location_attribute'),
    { table: 'location_attribute_history', column: 'attribute_id', values: attributeIds },
  ];
}

async function viewScopes(db: Kysely<Database>, locationViewId: number): Promise<RowScope[]> {
  return [
    { table: 'location_view', column: 'id', values: [locationViewId] },
    { table: 'entity_view', column: 'location_view_id', values: [locationViewId] },
    { table: 'collection_view', column: 'location_view_id', values: [locationViewId] },
  ];
}

export function locationHandlers(
  deps: LocationHandlerDeps,
): HandlerMap<
  | 'location.list'
  | 'location.view.get'
  | 'location.create'
  | 'location.rename'
  | 'location.reorder'
  | 'location.delete'
  | 'location.background.set'
  | 'location.view.create'
  | 'location.view.update'
  | 'location.view.reorder'
  | 'location.view.delete'
> {
  const { db, locations, edits, events } = deps;
  const changed = (reason: string) => events.emit('home.changed', { reason });
  const allLocations = async (): Promise<RowScope> => ({
    table: 'location',
    column: 'id',
    values: (await db.selectFrom('location').select('id').execute()).map((l) => l.id),
  });
  return {
    'location.list': () => locations.list(),
    'location.view.get': ({ locationViewId }) => deps.views.build(locationViewId),
    'location.create': async ({ name }, { panel }) => {
      const created = await edits.record(panel, `add location ${name}`, [], () => locations.create(name), (result) => [
        { table: 'location', column: 'id', values: [result.location.id] },
      ]);
      changed('location created');
      return locations.summaryOf(created.location.id);
    },
    'location.rename': async ({ locationId, name }, { panel }) => {
      await edits.record(panel, `rename location to ${name}`, [{ table: 'location', column: 'id', values: [locationId] }], () => locations.rename(locationId, name));
      changed('location renamed');
      return done;
    },
    'location.reorder': async ({ locationIds }, { panel }) => {
      await edits.record(panel, 'reorder locations', [await allLocations()], () => locations.reorder(locationIds));
      changed('locations reordered');
      return done;
    },
    'location.delete': async ({ locationId }, { panel }) => {
      const location = await locations.requireLocation(locationId);
      await edits.record(panel, `delete location ${location.name}`, await locationScopes(db, locationId), () => locations.delete(locationId));
      changed('location deleted');
      return done;
    },
    'location.background.set': async ({ locationId, uploadId }, { panel }) => {
      edits.requireEditing(panel);
      const { originalName, text } = deps.files.takeText(uploadId);
      try {
        const result = await edits.record(
          panel,
          `new floor plan ${originalName}`,
          [
            { table: 'location', column: 'id', values: [locationId] },
            { table: 'location_view', column: 'location_id', values: [locationId] },
          ],
          () => locations.setBackground(locationId, text),
        );
        changed('background replaced');
        return { location: await locations.summaryOf(locationId), removed: result.removed };
      } catch (error) {
        if (error instanceof SvgRejectedError) throw IpcError.invalidArgument(`${originalName} was refused: ${error.message}`);
        throw error;
      }
    },
    'location.view.create': async ({ locationId, name, type }, { panel }) => {
      const view = await edits.record(panel, `add view ${name}`, [], () => locations.createView(locationId, name, LocationViewType.fromName(type)), (created) => [
        { table: 'location_view', column: 'id', values: [created.id] },
      ]);
      changed('view created');
      return toViewSummary(view);
    },
    'location.view.update': async ({ locationViewId, name, type, style, viewBox, rotate }, { panel }) => {
      const summary = await edits.record(panel, 'change view', [{ table: 'location_view', column: 'id', values: [locationViewId] }], () =>
        locations.updateView(locationViewId, {
          name,
          type: type ? LocationViewType.fromName(type) : undefined,
          style: style ? ViewStyle.fromName(style) : undefined,
          viewBox,
          rotate,
        }),
      );
      changed('view changed');
      return summary;
    },
    'location.view.reorder': async ({ locationId, locationViewIds }, { panel }) => {
      await edits.record(panel, 'reorder views', [{ table: 'location_view', column: 'location_id', values: [locationId] }], () =>
        locations.reorderViews(locationId, locationViewIds),
      );
      changed('views reordered');
      return done;
    },
    'location.view.delete': async ({ locationViewId }, { panel }) => {
      await locations.requireView(locationViewId);
      await edits.record(panel, 'delete view', await viewScopes(db, locationViewId), () => locations.deleteView(locationViewId));
      changed('view deleted');
      return done;
    },
  };
}
