import type { Placement } from '../../../../src-shared/model/location';
import { round1, rotatePoint, type Point } from '../pan-zoom';
import { ICON_DISC_RADIUS } from '../plan-items';
import { polylinePath, type Polyline } from '../plan-path';

/** What the edit tools do on the plan. Drawing collects the tapped points (at most MAX_DRAFT_POINTS). */
export type Tool = { name: 'select' } | { name: 'shape' } | { name: 'draw'; style: 'area' | 'line'; points: Point[] };
export const SELECT_TOOL: Tool = { name: 'select' };
export const MAX_DRAFT_POINTS = 200;
export const minDraftPoints = (style: 'area' | 'line'): number => (style === 'area' ? 3 : 2);

/** The part of an item a drag takes hold of. */
export type Grip = { kind: 'move' } | { kind: 'scale' } | { kind: 'rotate' } | { kind: 'vertex'; index: number };

export interface PlacementDrag {
  grip: Grip;
  origin: Placement;
  /** Where the drag started, in plan coordinates. */
  start: Point;
  /** The vertices of a path placement being reshaped. */
  polyline: Polyline | null;
}

const MIN_SCALE = 0.25;
const MAX_SCALE = 10;

const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
const degreesFrom = (p: Point, c: Point): number => (Math.atan2(p.y - c.y, p.x - c.x) * 180) / Math.PI;
/** Into [-180, 180). */
const normaliseDegrees = (d: number): number => ((((d + 180) % 360) + 360) % 360) - 180;

/** The placement once the grip has been dragged to `at` (plan coordinates). */
export function draggedPlacement(drag: PlacementDrag, at: Point): Placement {
  const { origin, start, grip } = drag;
  const dx = at.x - start.x;
  const dy = at.y - start.y;
  if (origin.kind === 'icon') {
    const centre = { x: origin.x, y: origin.y };
    switch (grip.kind) {
      case 'move':
        return { ...origin, x: round1(origin.x + dx), y: round1(origin.y + dy) };
      case 'scale': {
        const from = distance(start, centre);
        if (from === 0) return origin;
        const scale = Math.round(((origin.scale * distance(at, centre)) / from) * 100) / 100;
        return { ...origin, scale: Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale)) };
      }
      case 'rotate':
        return { ...origin, rotate: normaliseDegrees(Math.round(origin.rotate + degreesFrom(at, centre) - degreesFrom(start, centre))) };
      default:
        return origin;
    }
  }
  if (grip.kind !== 'vertex' || !drag.polyline) return origin;
  const points = drag.polyline.points.map((p, i) => (i === grip.index ? { x: p.x + dx, y: p.y + dy } : p));
  return { ...origin, svgPath: polylinePath(points, drag.polyline.closed) };
}

/** Where the rotate and scale handles of a placed icon sit, in plan coordinates, clear of its disc. */
export function iconHandlePositions(placement: Extract<Placement, { kind: 'icon' }>, unit: number, handleRadius: number): { rotate: Point; scale: Point } {
  const centre = { x: placement.x, y: placement.y };
  const reach = unit * ICON_DISC_RADIUS * placement.scale + handleRadius * 1.3;
  const diagonal = reach / Math.SQRT2;
  return {
    rotate: rotatePoint({ x: centre.x, y: centre.y - reach }, placement.rotate, centre),
    scale: rotatePoint({ x: centre.x + diagonal, y: centre.y + diagonal }, placement.rotate, centre),
  };
}
