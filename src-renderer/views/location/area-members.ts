import type { PlanEntity } from '../../store/home-slice';
import type { Point } from './pan-zoom';
import { parsePolyline } from './plan-path';

/** Even-odd ray casting: whether `point` lies inside the closed polygon `points`. */
export function insidePolygon(point: Point, points: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i, i += 1) {
    const a = points[i]!;
    const b = points[j]!;
    if (a.y > point.y !== b.y > point.y && point.x < ((b.x - a.x) * (point.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * The icons standing inside each area of a view, by area: a security view colours an area (a room, a zone) by the
 * most pressing state of the sensors in it. Areas drawn with curves or several outlines contain nothing here.
 */
export function areaMembers(entities: readonly PlanEntity[]): Map<number, number[]> {
  const icons = entities.flatMap((e) => (e.placement.kind === 'icon' ? [{ id: e.id, at: { x: e.placement.x, y: e.placement.y } }] : []));
  const members = new Map<number, number[]>();
  for (const area of entities) {
    if (area.placement.kind !== 'path' || area.placement.style !== 'area') continue;
    const outline = parsePolyline(area.placement.svgPath);
    if (!outline || outline.points.length < 3) continue;
    const inside = icons.filter((icon) => insidePolygon(icon.at, outline.points)).map((icon) => icon.id);
    if (inside.length > 0) members.set(area.id, inside);
  }
  return members;
}
