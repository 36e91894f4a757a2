import type { Placement } from '../../../src-shared/model/location';
import { ICON_DISC_RADIUS } from './plan-items';

/** Label text size, relative to the view's icon unit. */
export const LABEL_FONT_SIZE = 0.42;
/** An average character's width in the (semi-bold) label font, in font sizes: labels are laid out before the browser measures them. */
const CHAR_WIDTH = 0.65;
/** Room kept clear on each side of a name, in font sizes, so that two names never touch. */
const LABEL_GAP = 0.25;

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
}

export type IconPlacement = Extract<Placement, { kind: 'icon' }>;

function discBox(p: IconPlacement, unit: number): Box {
  const r = unit * ICON_DISC_RADIUS * p.scale;
  return { left: p.x - r, top: p.y - r, right: p.x + r, bottom: p.y + r };
}

/** The room a name takes on the plan, as laid out (exported for tests). */
export function labelBox(p: IconPlacement, name: string, unit: number, side: LabelSide): Box {
  const size = unit * LABEL_FONT_SIZE;
  const baseline = p.y + labelBaseline(side, unit * ICON_DISC_RADIUS * p.scale, size);
  const half = size * ((name.length * CHAR_WIDTH) / 2 + LABEL_GAP);
  return { left: p.x - half, top: baseline - size * 0.8, right: p.x + half, bottom: baseline + size * 0.25 };
}

export const overlaps = (a: Box, b: Box): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Boxes bucketed by grid cell, so that a check looks only at its neighbours. */
class BoxGrid {
  private readonly cells = new Map<string, { box: Box; owner: string }[]>();

  constructor(private readonly cell: number) {}

  private *keys(box: Box): Generator<string> {
    for (let x = Math.floor(box.left / this.cell); x <= Math.floor(box.right / this.cell); x++) {
      for (let y = Math.floor(box.top / this.cell); y <= Math.floor(box.bottom / this.cell); y++) yield `${x},${y}`;
    }
  }

  add(box: Box, owner: string): void {
    for (const key of this.keys(box)) {
      const entries = this.cells.get(key);
      if (entries) entries.push({ box, owner });
      else this.cells.set(key, [{ box, owner }]);
    }
  }

  /** True when `box` overlaps a box of another owner. */
  hits(box: Box, owner: string): boolean {
    for (const key of this.keys(box)) {
      if (this.cells.get(key)?.some((entry) => entry.owner !== owner && overlaps(entry.box, box))) return true;
    }
    return false;
  }
}

const SIDES: readonly LabelSide[] = ['below', 'above'];

/**
 * Where each icon's name goes so that no name covers another name or another icon: below it, else above it, else
 * nowhere (left out of the map; it shows when its item is selected, and as a tooltip). Larger icons are placed
 * first, then the order given.
 */
export function layoutLabels(items: readonly LabelledItem[], unit: number): Map<string, LabelSide> {
  const icons = items
    .filter((item): item is LabelledItem & { placement: IconPlacement } => item.placement.kind === 'icon' && item.name !== '')
    .map((item, order) => ({ ...item, order }))
    .sort((a, b) => b.placement.scale - a.placement.scale || a.order - b.order);
  const discs = new BoxGrid(unit * 2);
  for (const icon of icons) discs.add(discBox(icon.placement, unit), icon.key);
  const labels = new BoxGrid(unit * 4);
  const placed = new Map<string, LabelSide>();
  for (const icon of icons) {
    for (const side of SIDES) {
      const box = labelBox(icon.placement, icon.name, unit, side);
      if (discs.hits(box, icon.key) || labels.hits(box, icon.key)) continue;
      labels.add(box, icon.key);
      placed.set(icon.key, side);
      break;
    }
  }
  return placed;
}
