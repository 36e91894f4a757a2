import type { Kysely } from 'kysely';
import {
  CONTROLLABLE_STATE_TYPES,
  DEFAULT_STATE_TYPES,
  ENTITY_TYPE_SHAPE,
  EntityStateType,
  EntityType,
} from '../../../src-shared/enums/entity';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { EntityStateView, Placement, ViewBox } from '../../../src-shared/model/location';
import { parseChoices } from '../../store/choices-column';
import type { Database } from '../../store/schema';
import type { Clock } from '../../util/clock';
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

/** Icons placed without a position go on a grid of this many cells across the view, nearest the middle first. */
const FREE_GRID_CELLS = 16;
const MAX_FREE_CELLS_SEARCHED = FREE_GRID_CELLS * FREE_GRID_CELLS;

/**
 * Where a new item goes when the user has not said: icons in the free grid cell nearest the middle of the view (so a
 * batch of imported devices does not land in one heap), areas and lines as a shape in the middle, sized to the view.
 */
export function defaultPlacement(type: EntityType, viewBox: ViewBox, occupied: ReadonlyArray<{ x: number; y: number }> = []): Placement {
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
    default: {
      const { x, y } = freeCell(viewBox, occupied);
      return { kind: 'icon', x: r(x), y: r(y), scale: 1, rotate: 0 };
    }
  }
}

function freeCell(viewBox: ViewBox, occupied: ReadonlyArray<{ x: number; y: number }>): { x: number; y: number } {
  const cell = Math.min(viewBox.width, viewBox.height) / FREE_GRID_CELLS;
  const centre = { x: viewBox.x + viewBox.width / 2, y: viewBox.y + viewBox.height / 2 };
  const taken = (p: { x: number; y: number }) => occupied.some((o) => Math.abs(o.x - p.x) < cell / 2 && Math.abs(o.y - p.y) < cell / 2);
  // Rings of cells around the middle, innermost first.
  for (let ring = 0, searched = 0; searched < MAX_FREE_CELLS_SEARCHED; ring++) {
    for (let dy = -ring; dy <= ring; dy++) {
      for (let dx = -ring; dx <= ring; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        searched += 1;
        const point = { x: centre.x + dx * cell, y: centre.y + dy * cell };
        const inside = point.x >= viewBox.x && point.x <= viewBox.x + viewBox.width && point.y >= viewBox.y && point.y <= viewBox.y + viewBox.height;
        if (inside && !taken(point)) return point;
      }
    }
  }
  return centre;
}

const CONTROLLABLE = new Set<string>(CONTROLLABLE_STATE_TYPES);

/** Entities (devices, appliances, areas, lines) with their states, where they are placed, and their archive. */
export class EntityManager {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly values: LatestValueSource,
    private readonly displays: StatusDisplayManager,
    private readonly clock: Clock,
  ) {}

  async require(id: number, options: { archived?: boolean } = {}): Promise<Entity> {
    const entity = await this.db.selectFrom('entity').selectAll().where('id', '=', id).executeTakeFirst();
    if (!entity || (entity.archived_at !== null) !== (options.archived ?? false)) {
      throw IpcError.notFound(options.archived ? `No archived entity ${id}` : `No entity ${id}`);
    }
    return entity;
  }

  /** Creates an entity with its type's default states, adds it to the view and places it on the view's location. */
  async create(input: { name: string; type: EntityType; locationViewId: number; placement?: Placement }, db: Kysely<Database> = this.db): Promise<Entity> {
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
        defaultPlacement(input.type, parseViewBox(view.svg_view_box_str), await trx.selectFrom('entity_position').select(['svg_x as x', 'svg_y as y']).where('location_id', '=', view.location_id).execute());
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
        const occupied = await this.db.selectFrom('entity_position').select(['svg_x as x', 'svg_y as y']).where('location_id', '=', view.location_id).execute();
        await this.place(entityId, view.location_id, defaultPlacement(EntityType.fromNameSafe(entity.entity_type_str), parseViewBox(view.svg_view_box_str), occupied));
      }
    } else {
      await this.db.deleteFrom('entity_view').where('entity_id', '=', entityId).where('location_view_id', '=', locationViewId).execute();
    }
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
    const result = new Map<number, EntityStateView[]>();
    if (entityIds.length === 0) return result;
    const states = await this.db
      .selectFrom('entity_state')
      .leftJoin('sensor', 'sensor.entity_state_id', 'entity_state.id')
      .leftJoin('controller', 'controller.entity_state_id', 'entity_state.id')
      .select(['entity_state.id', 'entity_state.entity_id', 'entity_state.entity_state_type_str', 'entity_state.name', 'entity_state.units', 'entity_state.value_range_str', 'sensor.id as sensor_id', 'controller.id as controller_id'])
      .where('entity_state.entity_id', 'in', [...entityIds])
      .orderBy('entity_state.id')
      .execute();
    for (const state of states) {
      const type = EntityStateType.fromNameSafe(state.entity_state_type_str);
      const latest = state.sensor_id === null ? undefined : this.values.latest(state.id);
      const views = result.get(state.entity_id) ?? [];
      views.push({
        id: state.id,
        type: type.value,
        name: state.name,
        value: latest?.value ?? null,
        units: state.units,
        controllable: state.controller_id !== null && CONTROLLABLE.has(type.value),
        choices: parseChoices(state.value_range_str),
        ts: latest?.ts ?? null,
        stale: latest?.stale ?? false,
        display: this.displays.display(type.value, latest?.value ?? null, state.units),
      });
      result.set(state.entity_id, views);
    }
    return result;
  }

  private async isPlacedOn(entityId: number, locationId: number): Promise<boolean> {
    const [position, drawn] = await Promise.all([
      this.db.selectFrom('entity_position').select('id').where('entity_id', '=', entityId).where('location_id', '=', locationId).executeTakeFirst(),
      this.db.selectFrom('entity_path').select('id').where('entity_id', '=', entityId).where('location_id', '=', locationId).executeTakeFirst(),
    ]);
    return position !== undefined || drawn !== undefined;
  }
}
