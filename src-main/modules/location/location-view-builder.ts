import type { Kysely } from 'kysely';
import { EntityType, type EntityTypeValue } from '../../../src-shared/enums/entity';
import type { LocationSummary, LocationViewData, LocationViewSummary, Placement, PlacedCollection } from '../../../src-shared/model/location';
import { pickShownView } from '../../../src-shared/model/shown-view';
import type { Database } from '../../store/schema';
import type { CollectionManager } from '../collection/collection-manager';
import type { EntityManager, StateShape } from '../entity/entity-manager';
import type { LocationManager } from './location-manager';
import { toViewSummary } from './location-manager';

type PositionRow = { svg_x: number; svg_y: number; svg_scale: number; svg_rotate: number };
type PathRow = { svg_path: string; path_style_str: string };

export function toPlacement(position: PositionRow | undefined, drawn: PathRow | undefined): Placement | null {
  if (drawn) return { kind: 'path', svgPath: drawn.svg_path, style: drawn.path_style_str === 'line' ? 'line' : 'area' };
  if (position) return { kind: 'icon', x: position.svg_x, y: position.svg_y, scale: position.svg_scale, rotate: position.svg_rotate };
  return null;
}

/** A view as the database holds it, values apart, and the store's write count when it was read. */
interface ViewShape {
  writeCount: number;
  location: LocationSummary;
  view: LocationViewSummary;
  entities: { id: number; name: string; type: EntityTypeValue; placement: Placement; states: StateShape[] }[];
  collections: PlacedCollection[];
}

/** Views whose shape is kept: a panel shows one, a home has a few. */
const KEPT_VIEW_SHAPES = 8;

/**
 * Everything one location view shows, in one answer: the plan, each placed entity with its states, the collections.
 * A view's shape is read from the database again only after a write through Kysely (Store.writeCount); the values
 * come from the status pipeline at each build. A snapshot of 1,000 entities then costs no queries.
 */
export class LocationViewBuilder {
  private readonly shapes = new Map<number, ViewShape>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly writeCount: () => number,
    private readonly locations: LocationManager,
    private readonly entities: EntityManager,
    private readonly collections: CollectionManager,
  ) {}

  /** The view a panel shows for `wanted` (see pickShownView), built; null when the home has no view. */
  async buildShown(locations: readonly LocationSummary[], wanted: number | 'default'): Promise<LocationViewData | null> {
    const shown = pickShownView(locations, wanted === 'default' ? null : wanted);
    return shown ? this.build(shown.view.id) : null;
  }

  async build(locationViewId: number): Promise<LocationViewData> {
    const { location, view, entities, collections } = await this.shapeOf(locationViewId);
    return {
      location,
      view,
      entities: entities.map(({ states, ...entity }) => ({ ...entity, states: states.map((state) => this.entities.liveState(state)) })),
      collections,
    };
  }

  private async shapeOf(locationViewId: number): Promise<ViewShape> {
    // Counted before reading: a write during the reads leaves this shape out of date, and the next build reads again.
    const writeCount = this.writeCount();
    const kept = this.shapes.get(locationViewId);
    if (kept?.writeCount === writeCount) return kept;
    const shape = { writeCount, ...(await this.readShape(locationViewId)) };
    this.shapes.delete(locationViewId);
    if (this.shapes.size >= KEPT_VIEW_SHAPES) this.shapes.delete(this.shapes.keys().next().value!);
    this.shapes.set(locationViewId, shape);
    return shape;
  }

  private async readShape(locationViewId: number): Promise<Omit<ViewShape, 'writeCount'>> {
    const view = await this.locations.requireView(locationViewId);
    const location = await this.locations.summaryOf(view.location_id);
    const [entityRows, positions, paths] = await Promise.all([
      this.db
        .selectFrom('entity_view')
        .innerJoin('entity', 'entity.id', 'entity_view.entity_id')
        .select(['entity.id', 'entity.name', 'entity.entity_type_str'])
        .where('entity_view.location_view_id', '=', view.id)
        .where('entity.archived_at', 'is', null)
        .orderBy('entity.id')
        .execute(),
      this.db.selectFrom('entity_position').selectAll().where('location_id', '=', view.location_id).execute(),
      this.db.selectFrom('entity_path').selectAll().where('location_id', '=', view.location_id).execute(),
    ]);
    const positionOf = new Map(positions.map((p) => [p.entity_id, p]));
    const pathOf = new Map(paths.map((p) => [p.entity_id, p]));
    const states = await this.entities.stateShapesOfView(view.id);
    const entities: ViewShape['entities'] = [];
    for (const row of entityRows) {
      const placement = toPlacement(positionOf.get(row.id), pathOf.get(row.id));
      if (!placement) continue;
      entities.push({ id: row.id, name: row.name, type: EntityType.fromNameSafe(row.entity_type_str).value, placement, states: states.get(row.id) ?? [] });
    }
    const collections = await this.collections.placedInView(view.id, view.location_id);
    return { location, view: toViewSummary(view), entities, collections };
  }
}
