import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import {
  CONTROLLABLE_STATE_TYPES,
  DEFAULT_STATE_TYPES,
  ENTITY_TYPE_SHAPE,
  EntityStateType,
  EntityType,
} from '../../../src-shared/enums/entity';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { EntityStateView, Placement, ViewBox } from '../../../src-shared/model/location';
import type { PlaceManyResult, PlanPoint } from '../../../src-shared/model/placement';
import { readValueRange } from '../../store/choices-column';
import type { Database } from '../../store/schema';
import type { Clock } from '../../util/clock';
import { FreeSpotFinder } from '../location/free-spot-finder';
import { parseViewBox } from '../location/models';
import type { Entity } from './models';
import { writePlacement } from './placement-writer';
import type { LatestValueSource } from '../status/sensor-response-manager';
import type { StatusDisplayManager } from '../status/status-display-manager';

export interface ArchivedEntity {
  id: number;
  name: string;
  type: string;
  archivedAt: number;
}

/**
 * Where a new area or line goes when the user has not drawn it: a shape in the middle, sized to the view. Null for
 * icon types, which go to a free spot (FreeSpotFinder).
 */
export function defaultShape(type: EntityType, viewBox: ViewBox): Placement | null {
  const cx = viewBox.x + viewBox.width / 2;
  const cy = viewBox.y + viewBox.height / 2;
  const w = viewBox.width / 8;
  const h = viewBox.height / 8;
  const r = (n: number) => Number(n.toFixed(1));
  switch (ENTITY_TYPE_SHAPE[type.value]) {
    case 'area':
      return { kind: 'path', style: 'area', svgPath: `M ${r(cx - w)} ${r(cy - h)} L ${r(cx + w)} ${r(cy - h)} L ${r(cx + w)} ${r(cy + h)} L ${r(cx - w)} ${r(cy + h)} Z` };
    case 'line':
      return { kind: 'path', style: 'line', svgPath: `M ${r(cx - w)} ${r(cy)} L ${r(cx + w)} ${r(cy)}` };
    default:
      return null;
  }
}

/** Rows per multi-row insert: well inside SQLite's limit on bound values. */
const INSERT_CHUNK_ROWS = 400;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** "a, b and 3 more": names in a message, without listing hundreds. */
function someNames(names: readonly string[], listed = 5): string {
  return names.length <= listed ? names.join(', ') : `${names.slice(0, listed).join(', ')} and ${names.length - listed} more`;
}

const CONTROLLABLE = new Set<string>(CONTROLLABLE_STATE_TYPES);

/** What a state is, its value apart: see EntityManager.liveState. */
export type StateShape = Pick<EntityStateView, 'id' | 'type' | 'name' | 'units' | 'controllable' | 'choices' | 'range'> & { hasSensor: boolean };

/** Entities (devices, appliances, areas, lines) with their states, where they are placed, and their archive. */
export class EntityManager {
  private readonly freeSpots: FreeSpotFinder;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly values: LatestValueSource,
    private readonly displays: StatusDisplayManager,
    private readonly clock: Clock,
  ) {
    this.freeSpots = new FreeSpotFinder(db);
  }

  async require(id: number, options: { archived?: boolean } = {}): Promise<Entity> {
    const entity = await this.db.selectFrom('entity').selectAll().where('id', '=', id).executeTakeFirst();
    if (!entity || (entity.archived_at !== null) !== (options.archived ?? false)) {
      throw IpcError.notFound(options.archived ? `No archived entity ${id}` : `No entity ${id}`);
    }
    return entity;
  }

  /**
   * Creates an entity with its type's default states, adds it to the view and places it on the view's location:
   * where `placement` says, else (an icon) at the free spot nearest `near` or the view's middle.
   */
  async create(input: { name: string; type: EntityType; locationViewId: number; placement?: Placement; near?: PlanPoint }, db: Kysely<Database> = this.db): Promise<Entity> {
    const view = await db.selectFrom('location_view').selectAll().where('id', '=', input.locationViewId).executeTakeFirst();
    if (!view) throw IpcError.notFound(`No location view ${input.locationViewId}`);
    const now = this.clock.now();
    const run = async (trx: Kysely<Database>) => {
      const entity = await trx
        .insertInto('entity')
        .values({ name: input.name, entity_type_str: input.type.value, integration_name: null, integration_id: null, integration_payload: null, previous_integration_name: null, previous_integration_id: null, archived_at: null, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      for (const stateType of DEFAULT_STATE_TYPES[input.type.value]) {
        await trx
          .insertInto('entity_state')
          .values({ entity_id: entity.id, entity_state_type_str: stateType, name: EntityStateType.fromName(stateType).label, value_range_str: null, units: null, created_at: now })
          .execute();
      }
      await trx.insertInto('entity_view').values({ entity_id: entity.id, location_view_id: view.id }).execute();
      const placement =
        input.placement ??
        defaultShape(input.type, parseViewBox(view.svg_view_box_str)) ??
        (await this.freeIconSpot(view.id, entity, input.near, trx));
      await this.place(entity.id, view.location_id, placement, trx);
      return entity;
    };
    return db.isTransaction ? run(db) : db.transaction().execute(run);
  }

  async update(id: number, changes: { name?: string; type?: EntityType }): Promise<void> {
    await this.require(id);
    await this.db
      .updateTable('entity')
      .set({ ...(changes.name !== undefined ? { name: changes.name } : {}), ...(changes.type ? { entity_type_str: changes.type.value } : {}), updated_at: this.clock.now() })
      .where('id', '=', id)
      .execute();
  }

  /** An entity is on a location either as an icon or as a drawn path, never both. */
  place(entityId: number, locationId: number, placement: Placement, db: Kysely<Database> = this.db): Promise<void> {
    return writePlacement(db, 'entity', entityId, locationId, placement);
  }

  async setInView(entityId: number, locationViewId: number, inView: boolean): Promise<void> {
    await this.require(entityId);
    if (inView) {
      const view = await this.db.selectFrom('location_view').select(['id', 'location_id', 'svg_view_box_str']).where('id', '=', locationViewId).executeTakeFirst();
      if (!view) throw IpcError.notFound(`No location view ${locationViewId}`);
      await this.db.insertInto('entity_view').values({ entity_id: entityId, location_view_id: locationViewId }).onConflict((oc) => oc.doNothing()).execute();
      const placed = await this.isPlacedOn(entityId, view.location_id);
      if (!placed) {
        const entity = await this.require(entityId);
        const shape = defaultShape(EntityType.fromNameSafe(entity.entity_type_str), parseViewBox(view.svg_view_box_str));
        await this.place(entityId, view.location_id, shape ?? (await this.freeIconSpot(view.id, entity)));
      }
    } else {
      await this.db.deleteFrom('entity_view').where('entity_id', '=', entityId).where('location_view_id', '=', locationViewId).execute();
    }
  }

  /**
   * Puts many entities into a view in one transaction: those already placed on its location keep their place, the
   * others go to free spots (grouped by area or type, see FreeSpotFinder). Refuses the whole batch, placing nothing,
   * when an id is unknown or archived; entities the view has no room for are answered by name and left out of it.
   */
  placeMany(locationViewId: number, entityIds: readonly number[]): Promise<PlaceManyResult> {
    const ids = [...new Set(entityIds)];
    return this.db.transaction().execute(async (trx) => {
      const view = await trx.selectFrom('location_view').select(['id', 'location_id', 'svg_view_box_str']).where('id', '=', locationViewId).executeTakeFirst();
      if (!view) throw IpcError.notFound(`No location view ${locationViewId}`);
      const rows = await trx.selectFrom('entity').select(['id', 'name', 'entity_type_str', 'archived_at']).where('id', 'in', ids).orderBy('id').execute();
      const known = new Set(rows.map((row) => row.id));
      const missing = ids.filter((id) => !known.has(id));
      const archived = rows.filter((row) => row.archived_at !== null).map((row) => row.name);
      if (missing.length > 0 || archived.length > 0) {
        const reasons = [
          ...(missing.length > 0 ? [`no item ${someNames(missing.map(String))}`] : []),
          ...(archived.length > 0 ? [`${someNames(archived)} ${archived.length === 1 ? 'is' : 'are'} in the Archive`] : []),
        ];
        throw IpcError.notFound(`Nothing was placed: ${reasons.join('; ')}.`);
      }
      const onLocation = new Set([
        ...(await trx.selectFrom('entity_position').select('entity_id').where('location_id', '=', view.location_id).where('entity_id', 'in', ids).execute()),
        ...(await trx.selectFrom('entity_path').select('entity_id').where('location_id', '=', view.location_id).where('entity_id', 'in', ids).execute()),
      ].map((row) => row.entity_id));
      const viewBox = parseViewBox(view.svg_view_box_str);
      const toPlace = rows.filter((row) => !onLocation.has(row.id));
      const shapes = toPlace.flatMap((row) => {
        const shape = defaultShape(EntityType.fromNameSafe(row.entity_type_str), viewBox);
        return shape ? [{ id: row.id, shape }] : [];
      });
      const drawn = new Set(shapes.map((s) => s.id));
      const icons = toPlace.filter((row) => !drawn.has(row.id)).map((row) => ({ id: row.id, name: row.name, type: row.entity_type_str }));
      const found = await this.freeSpots.find(view.id, icons, { db: trx });

      const unplaced = new Set(found.unplaced);
      const inView = rows.filter((row) => !unplaced.has(row.id)).map((row) => row.id);
      for (const chunk of chunks(inView, INSERT_CHUNK_ROWS)) {
        await trx.insertInto('entity_view').values(chunk.map((entityId) => ({ entity_id: entityId, location_view_id: view.id }))).onConflict((oc) => oc.doNothing()).execute();
      }
      const positions = [...found.spots].map(([entityId, spot]) => ({ entity_id: entityId, location_id: view.location_id, svg_x: spot.x, svg_y: spot.y, svg_scale: spot.scale, svg_rotate: spot.rotate }));
      for (const chunk of chunks(positions, INSERT_CHUNK_ROWS)) await trx.insertInto('entity_position').values(chunk).execute();
      for (const { id, shape } of shapes) await this.place(id, view.location_id, shape, trx);
      return { placed: inView.length, notPlaced: rows.filter((row) => unplaced.has(row.id)).map((row) => ({ entityId: row.id, name: row.name })), scale: found.scale };
    });
  }

  async archive(id: number): Promise<void> {
    await this.require(id);
    await this.db.updateTable('entity').set({ archived_at: this.clock.now(), updated_at: this.clock.now() }).where('id', '=', id).execute();
  }

  async restore(id: number): Promise<void> {
    await this.require(id, { archived: true });
    await this.db.updateTable('entity').set({ archived_at: null, updated_at: this.clock.now() }).where('id', '=', id).execute();
  }

  async listArchived(): Promise<ArchivedEntity[]> {
    const rows = await this.db.selectFrom('entity').select(['id', 'name', 'entity_type_str', 'archived_at']).where('archived_at', 'is not', null).orderBy('archived_at', 'desc').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, type: EntityType.fromNameSafe(r.entity_type_str).value, archivedAt: r.archived_at ?? 0 }));
  }

  /** States of the given entities with their latest known value (from the status pipeline), keyed by entity id. */
  async statesOf(entityIds: readonly number[]): Promise<Map<number, EntityStateView[]>> {
    if (entityIds.length === 0) return new Map();
    return this.readStates((eb) => eb('entity_state.entity_id', 'in', [...entityIds]));
  }

  /**
   * The states of every entity in a view, in one query however many it holds, without their values: what a view
   * keeps between snapshots (see liveState), keyed by entity id.
   */
  stateShapesOfView(locationViewId: number): Promise<Map<number, StateShape[]>> {
    return this.readStateShapes((eb) =>
      eb('entity_state.entity_id', 'in', eb.selectFrom('entity_view').select('entity_view.entity_id').where('entity_view.location_view_id', '=', locationViewId)),
    );
  }

  /** A state as panels see it: its shape with its sensor's latest value (from the status pipeline) and that value's display. */
  liveState(shape: StateShape): EntityStateView {
    const latest = shape.hasSensor ? this.values.latest(shape.id) : undefined;
    const value = latest?.value ?? null;
    return {
      id: shape.id,
      type: shape.type,
      name: shape.name,
      value,
      units: shape.units,
      controllable: shape.controllable,
      choices: shape.choices,
      range: shape.range,
      ts: latest?.ts ?? null,
      stale: latest?.stale ?? false,
      display: this.displays.display(shape.type, value, shape.units),
    };
  }

  private async readStates(which: (eb: ExpressionBuilder<Database, 'entity_state'>) => Expression<SqlBool>): Promise<Map<number, EntityStateView[]>> {
    const shapes = await this.readStateShapes(which);
    return new Map([...shapes].map(([entityId, states]) => [entityId, states.map((shape) => this.liveState(shape))]));
  }

  private async readStateShapes(which: (eb: ExpressionBuilder<Database, 'entity_state'>) => Expression<SqlBool>): Promise<Map<number, StateShape[]>> {
    const result = new Map<number, StateShape[]>();
    const states = await this.db
      .selectFrom('entity_state')
      .where(which)
      .leftJoin('sensor', 'sensor.entity_state_id', 'entity_state.id')
      .leftJoin('controller', 'controller.entity_state_id', 'entity_state.id')
      .select(['entity_state.id', 'entity_state.entity_id', 'entity_state.entity_state_type_str', 'entity_state.name', 'entity_state.units', 'entity_state.value_range_str', 'sensor.id as sensor_id', 'controller.id as controller_id'])
      .orderBy('entity_state.id')
      .execute();
    for (const state of states) {
      const type = EntityStateType.fromNameSafe(state.entity_state_type_str).value;
      const shapes = result.get(state.entity_id) ?? [];
      shapes.push({
        id: state.id,
        type,
        name: state.name,
        units: state.units,
        controllable: state.controller_id !== null && CONTROLLABLE.has(type),
        ...readValueRange(state.value_range_str),
        hasSensor: state.sensor_id !== null,
      });
      result.set(state.entity_id, shapes);
    }
    return result;
  }

  /** A free spot for one new icon; when the view is full even for the smallest icons, `near` or its middle as before. */
  private async freeIconSpot(locationViewId: number, entity: Entity, near?: PlanPoint, db: Kysely<Database> = this.db): Promise<Placement> {
    const found = await this.freeSpots.find(locationViewId, [{ id: entity.id, name: entity.name, type: entity.entity_type_str }], { db, ...(near ? { near } : {}) });
    const spot = found.spots.get(entity.id);
    if (spot) return spot;
    const view = await db.selectFrom('location_view').select('svg_view_box_str').where('id', '=', locationViewId).executeTakeFirstOrThrow();
    const box = parseViewBox(view.svg_view_box_str);
    const at = near ?? { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    return { kind: 'icon', x: at.x, y: at.y, scale: 1, rotate: 0 };
  }

  private async isPlacedOn(entityId: number, locationId: number): Promise<boolean> {
    const [position, drawn] = await Promise.all([
      this.db.selectFrom('entity_position').select('id').where('entity_id', '=', entityId).where('location_id', '=', locationId).executeTakeFirst(),
      this.db.selectFrom('entity_path').select('id').where('entity_id', '=', entityId).where('location_id', '=', locationId).executeTakeFirst(),
    ]);
    return position !== undefined || drawn !== undefined;
  }
}
