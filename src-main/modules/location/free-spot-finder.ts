import type { Kysely } from 'kysely';
import { IpcError } from '../../../src-shared/ipc/errors';
import { PLAN_ICON_UNIT_FRACTION, PLAN_MIN_DISC_FRACTION, type PlanPoint } from '../../../src-shared/model/placement';
import type { ViewBox } from '../../../src-shared/model/location';
import type { Database } from '../../store/schema';
import { areaNamed, iconObstacle, planFreeSpots, type PlanArea, type Point, type Rect } from './free-spot-planner';
import { parseViewBox } from './models';

export interface SpotWanted {
  id: number;
  name: string;
  type: string;
}

export interface FoundSpots {
  locationId: number;
  /** Icon placements by entity id, in the location's plan coordinates. */
  spots: Map<number, { kind: 'icon'; x: number; y: number; scale: number; rotate: number }>;
  unplaced: number[];
  scale: number;
}

const TOKEN = /[a-zA-Z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;
/** Tokens read from one outline: a drawn room has a few dozen. */
const MAX_PATH_TOKENS = 4_000;

/**
 * The outline of an area drawn with straight segments (M L H V Z, absolute or relative), as the plan editor draws
 * them; null for curves or several outlines, which are left out of the grouping rather than guessed at.
 */
export function outlineOf(d: string): Point[] | null {
  const tokens = (d.match(TOKEN) ?? []).slice(0, MAX_PATH_TOKENS);
  const points: Point[] = [];
  let at: Point = { x: 0, y: 0 };
  let command = '';
  for (let i = 0; i < tokens.length; ) {
    if (/[a-zA-Z]/.test(tokens[i]!)) command = tokens[i++]!;
    if (command === 'Z' || command === 'z') return i === tokens.length && points.length >= 3 ? points : null;
    if ((command === 'M' || command === 'm') && points.length > 0) return null;
    const relative = command === command.toLowerCase();
    const read = (): number | null => (tokens[i] === undefined || /[a-zA-Z]/.test(tokens[i]!) ? null : Number(tokens[i++]));
    const upper = command.toUpperCase();
    if (upper === 'M' || upper === 'L') {
      const [x, y] = [read(), read()];
      if (x === null || y === null) return null;
      at = relative ? { x: at.x + x, y: at.y + y } : { x, y };
      if (upper === 'M') command = relative ? 'l' : 'L';
    } else if (upper === 'H' || upper === 'V') {
      const n = read();
      if (n === null) return null;
      at = upper === 'H' ? { x: relative ? at.x + n : n, y: at.y } : { x: at.x, y: relative ? at.y + n : n };
    } else {
      return null;
    }
    points.push(at);
  }
  return points.length >= 3 ? points : null;
}

function rotate(p: Point, degrees: number, about: Point): Point {
  if (degrees % 360 === 0) return p;
  const rad = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(rad), Math.sin(rad)];
  const [dx, dy] = [p.x - about.x, p.y - about.y];
  return { x: about.x + dx * cos - dy * sin, y: about.y + dx * sin + dy * cos };
}

function intersect(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

function boundingBox(points: readonly Point[]): Rect {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x, y] = [Math.min(...xs), Math.min(...ys)];
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

const corners = (box: ViewBox): Point[] => [
  { x: box.x, y: box.y },
  { x: box.x + box.width, y: box.y },
  { x: box.x + box.width, y: box.y + box.height },
  { x: box.x, y: box.y + box.height },
];

/**
 * Reads what a location view already shows (icons of entities and collections on its location, and the areas drawn
 * there) and plans free spots for new icons with `planFreeSpots`. Planning happens in the view's own frame (what
 * the panel shows, rotation included), so rows run across the screen; the answer is in plan coordinates.
 */
export class FreeSpotFinder {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Spots for `items` in the view, inside both the view and the location's plan; `near` (plan coordinates) is where
   * items without an area gather, the view's middle when not given.
   */
  async find(locationViewId: number, items: readonly SpotWanted[], options: { near?: PlanPoint; db?: Kysely<Database> } = {}): Promise<FoundSpots> {
    const db = options.db ?? this.db;
    const view = await db.selectFrom('location_view').select(['location_id', 'svg_view_box_str', 'svg_rotate']).where('id', '=', locationViewId).executeTakeFirst();
    if (!view) throw IpcError.notFound(`No location view ${locationViewId}`);
    // One after another: inside a caller's transaction the queries share its connection.
    const location = await db.selectFrom('location').select('svg_view_box_str').where('id', '=', view.location_id).executeTakeFirstOrThrow();
    const entityIcons = await db
      .selectFrom('entity_position')
      .innerJoin('entity', 'entity.id', 'entity_position.entity_id')
      .select(['svg_x', 'svg_y', 'svg_scale'])
      .where('entity_position.location_id', '=', view.location_id)
      .where('entity.archived_at', 'is', null)
      .execute();
    const collectionIcons = await db.selectFrom('collection_position').select(['svg_x', 'svg_y', 'svg_scale']).where('location_id', '=', view.location_id).execute();
    const drawnAreas = await db
      .selectFrom('entity_path')
      .innerJoin('entity', 'entity.id', 'entity_path.entity_id')
      .select(['entity.name', 'entity_path.svg_path'])
      .where('entity_path.location_id', '=', view.location_id)
      .where('entity_path.path_style_str', '=', 'area')
      .where('entity.archived_at', 'is', null)
      .orderBy('entity.id')
      .execute();

    const viewBox = parseViewBox(view.svg_view_box_str);
    const pivot = { x: viewBox.x + viewBox.width / 2, y: viewBox.y + viewBox.height / 2 };
    const angle = view.svg_rotate;
    const toView = (p: Point) => rotate(p, angle, pivot);
    const toPlan = (p: Point) => rotate(p, -angle, pivot);
    // The plan turned into the view's frame: exact for quarter turns, its bounding box otherwise.
    const planBox = boundingBox(corners(parseViewBox(location.svg_view_box_str)).map(toView));
    const bounds = intersect(viewBox, planBox) ?? viewBox;
    const iconUnit = viewBox.width * PLAN_ICON_UNIT_FRACTION;
    const minDisc = viewBox.width * PLAN_MIN_DISC_FRACTION;

    const areas: PlanArea[] = [];
    for (const row of drawnAreas) {
      const outline = outlineOf(row.svg_path);
      if (outline) areas.push({ name: row.name, polygon: outline.map(toView) });
    }
    const areaNames = areas.map((a) => a.name);
    const planned = planFreeSpots({
      bounds,
      iconUnit,
      minDisc,
      obstacles: [...entityIcons, ...collectionIcons].map((icon) => {
        const at = toView({ x: icon.svg_x, y: icon.svg_y });
        return iconObstacle(at.x, at.y, icon.svg_scale, iconUnit, minDisc);
      }),
      areas,
      items: items.map((item) => ({ id: item.id, name: item.name, group: item.type, area: areaNamed(item.name, areaNames) })),
      ...(options.near ? { centre: toView(options.near) } : {}),
    });
    const spots = new Map(
      planned.spots.map((spot) => {
        const at = toPlan(spot);
        return [spot.id, { kind: 'icon' as const, x: Math.round(at.x * 10) / 10, y: Math.round(at.y * 10) / 10, scale: planned.scale, rotate: 0 }];
      }),
    );
    return { locationId: view.location_id, spots, unplaced: planned.unplaced, scale: planned.scale };
  }
}
