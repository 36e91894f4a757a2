import type { Placement } from '../../../src-shared/model/location';
import { ICON_DISC_RADIUS, iconSize, type PlanSizing } from './plan-items';
import type { Point } from './pan-zoom';
import { parsePolyline } from './plan-path';

/** An average character's width in the (semi-bold) label font, in font sizes: labels are laid out before the browser measures them. */
export const CHAR_WIDTH = 0.65;
/** Room kept clear on each side of a name, in font sizes, so that two names never touch. */
const LABEL_GAP = 0.25;
/** Room kept clear around the plan's own room names, in font sizes: the text boxes are estimates, and a name that
 *  touches a room name reads as one with it. */
const ROOM_NAME_CLEARANCE = 0.25;

/** Where a name goes: under its icon, or over it when something is in the way below. */
export type LabelSide = 'below' | 'above';

/** The name's baseline relative to the icon's centre, for a disc of radius `disc` and text of `size`. */
export function labelBaseline(side: LabelSide, disc: number, size: number): number {
  return side === 'below' ? disc + size * 1.1 : -disc - size * 0.35;
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LabelledItem {
  key: string;
  name: string;
  placement: Placement;
  /** Characters of the value badge drawn beside the icon (see badgeBox), 0 for none. */
  badgeChars?: number;
}

export type IconPlacement = Extract<Placement, { kind: 'icon' }>;

/** The disc's radius of an icon as drawn. */
export const discRadius = (p: IconPlacement, sizing: PlanSizing): number => iconSize(sizing, p.scale) * ICON_DISC_RADIUS;

function discBox(p: IconPlacement, sizing: PlanSizing): Box {
  const r = discRadius(p, sizing);
  return { left: p.x - r, top: p.y - r, right: p.x + r, bottom: p.y + r };
}

/** A value badge's geometry relative to the icon's centre: right of the disc, overlapping its rim, centred on it. */
export function badgeGeometry(disc: number, font: number, chars: number, battery: boolean): { x: number; y: number; width: number; height: number; textX: number } {
  const padding = font * 0.35;
  const icon = battery ? font * 1.1 : 0;
  const width = chars * CHAR_WIDTH * font + 2 * padding + icon;
  const height = font * 1.35;
  const x = disc * 0.7;
  return { x, y: -height / 2, width, height, textX: x + padding + icon };
}

/** The room a badge takes on the plan (exported for tests). */
export function badgeBox(p: IconPlacement, sizing: PlanSizing, chars: number): Box {
  // A battery's icon is about as wide as two characters: reserve it for every badge, so that no box depends on the state.
  const g = badgeGeometry(discRadius(p, sizing), sizing.font, chars + 2, false);
  return { left: p.x + g.x, top: p.y + g.y, right: p.x + g.x + g.width, bottom: p.y + g.y + g.height };
}

/** The room a name takes on the plan, as laid out (exported for tests). */
export function labelBox(p: IconPlacement, name: string, sizing: PlanSizing, side: LabelSide): Box {
  const size = sizing.font;
  const baseline = p.y + labelBaseline(side, discRadius(p, sizing), size);
  const half = size * ((name.length * CHAR_WIDTH) / 2 + LABEL_GAP);
  return { left: p.x - half, top: baseline - size * 0.8, right: p.x + half, bottom: baseline + size * 0.25 };
}

export const overlaps = (a: Box, b: Box): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Boxes bucketed by grid cell, so that a check looks only at its neighbours. */
class BoxGrid {
  private readonly cells = new Map<number, { box: Box; owner: string }[]>();

  constructor(private readonly cell: number) {}

  /** Calls `visit` with each cell `box` touches until it answers true; numeric keys, as this runs for every name on every zoom. */
  private some(box: Box, visit: (key: number) => boolean): boolean {
    const [x0, x1] = [Math.floor(box.left / this.cell), Math.floor(box.right / this.cell)];
    const [y0, y1] = [Math.floor(box.top / this.cell), Math.floor(box.bottom / this.cell)];
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) if (visit(x * 1_048_576 + y)) return true;
    }
    return false;
  }

  add(box: Box, owner: string): void {
    this.some(box, (key) => {
      const entries = this.cells.get(key);
      if (entries) entries.push({ box, owner });
      else this.cells.set(key, [{ box, owner }]);
      return false;
    });
  }

  /** True when `box` overlaps a box of another owner. */
  hits(box: Box, owner: string): boolean {
    return this.some(box, (key) => this.cells.get(key)?.some((entry) => entry.owner !== owner && overlaps(entry.box, box)) ?? false);
  }
}

const SIDES: readonly LabelSide[] = ['below', 'above'];
/** The owner of the plan's own drawing (its room names): no item's key looks like it. */
const BACKGROUND = '';
/** A room name far larger than the icons (a title across the plan) is bucketed in this many cells at most. */
const MAX_OBSTACLE_CELLS = 400;

/**
 * Where each icon's name goes so that no name covers another name, another icon or its value, or one of the
 * `obstacles` (the plan's own room names): below it, else above it, else nowhere (left out of the map; it shows
 * when its item is selected, and as a tooltip). Larger icons are placed first, then the order given.
 */
export function layoutLabels(items: readonly LabelledItem[], sizing: PlanSizing, obstacles: readonly Box[] = []): Map<string, LabelSide> {
  const icons = items
    .filter((item): item is LabelledItem & { placement: IconPlacement } => item.placement.kind === 'icon' && item.name !== '')
    .map((item, order) => ({ ...item, order }))
    .sort((a, b) => b.placement.scale - a.placement.scale || a.order - b.order);
  const cell = Math.max(sizing.unit, sizing.minIcon) * 2;
  const taken = new BoxGrid(cell);
  for (const item of items) {
    if (item.placement.kind !== 'icon') continue;
    taken.add(discBox(item.placement, sizing), item.key);
    if (item.badgeChars) taken.add(badgeBox(item.placement, sizing, item.badgeChars), item.key);
  }
  const roomNames = new BoxGrid(cell);
  const clearance = sizing.font * ROOM_NAME_CLEARANCE;
  const hugeRoomNames: Box[] = [];
  for (const obstacle of obstacles) {
    const box = { left: obstacle.left - clearance, top: obstacle.top - clearance, right: obstacle.right + clearance, bottom: obstacle.bottom + clearance };
    const cells = ((box.right - box.left) / cell + 1) * ((box.bottom - box.top) / cell + 1);
    if (cells <= MAX_OBSTACLE_CELLS) roomNames.add(box, BACKGROUND);
    else hugeRoomNames.push(box);
  }
  const labels = new BoxGrid(cell * 2);
  const placed = new Map<string, LabelSide>();
  for (const icon of icons) {
    for (const side of SIDES) {
      const box = labelBox(icon.placement, icon.name, sizing, side);
      if (taken.hits(box, icon.key) || labels.hits(box, icon.key) || roomNames.hits(box, icon.key)) continue;
      if (hugeRoomNames.some((room) => overlaps(room, box))) continue;
      labels.add(box, icon.key);
      placed.set(icon.key, side);
      break;
    }
  }
  return placed;
}

/**
 * Everything drawn for `items` (discs, names on their side, value badges, and the outlines of areas and lines), as one
 * box in the same plan units: what a view is fitted to. Computed from the layout's own geometry, never measured in
 * the page, so that a thousand items cost no forced layout.
 */
export function drawnItemsBox(
  items: readonly LabelledItem[],
  sides: ReadonlyMap<string, LabelSide>,
  sizing: PlanSizing,
  outlinePoint: (point: Point) => Point = (point) => point,
): Box | null {
  let union: Box | null = null;
  const add = (box: Box) => {
    union = union
      ? { left: Math.min(union.left, box.left), top: Math.min(union.top, box.top), right: Math.max(union.right, box.right), bottom: Math.max(union.bottom, box.bottom) }
      : box;
  };
  for (const item of items) {
    const p = item.placement;
    if (p.kind !== 'icon') {
      const outline = parsePolyline(p.svgPath);
      if (!outline || outline.points.length === 0) continue;
      const points = outline.points.map(outlinePoint);
      const xs = points.map((point) => point.x);
      const ys = points.map((point) => point.y);
      add({ left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) });
      continue;
    }
    add(discBox(p, sizing));
    const side = sides.get(item.key);
    if (side) add(labelBox(p, item.name, sizing, side));
    if (item.badgeChars) add(badgeBox(p, sizing, item.badgeChars));
  }
  return union;
}
