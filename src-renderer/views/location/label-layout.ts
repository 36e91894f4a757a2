import type { Placement } from '../../../src-shared/model/location';
import { ICON_DISC_RADIUS } from './plan-items';

/** Label text size, relative to the view's icon unit. */
export const LABEL_FONT_SIZE = 0.42;
/** The label's baseline below the icon's disc, in font sizes. */
export const LABEL_BASELINE = 1.1;
/** An average character's width in the (semi-bold) label font, in font sizes: labels are laid out before the browser measures them. */
const CHAR_WIDTH = 0.65;
/** Room kept clear on each side of a name, in font sizes, so that two names never touch. */
const LABEL_GAP = 0.25;

interface Box {
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

type IconPlacement = Extract<Placement, { kind: 'icon' }>;

function discBox(p: IconPlacement, unit: number): Box {
  const r = unit * ICON_DISC_RADIUS * p.scale;
  return { left: p.x - r, top: p.y - r, right: p.x + r, bottom: p.y + r };
}

function labelBox(p: IconPlacement, name: string, unit: number): Box {
  const size = unit * LABEL_FONT_SIZE;
  const baseline = p.y + unit * ICON_DISC_RADIUS * p.scale + size * LABEL_BASELINE;
  const half = size * ((name.length * CHAR_WIDTH) / 2 + LABEL_GAP);
  return { left: p.x - half, top: baseline - size * 0.8, right: p.x + half, bottom: baseline + size * 0.25 };
}

const overlaps = (a: Box, b: Box): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

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

/**
 * The icons whose names would cover another name or another icon. Larger icons keep their names first, then the
 * order given; a name left out shows when its item is selected, and as its tooltip.
 */
export function hiddenLabels(items: readonly LabelledItem[], unit: number): Set<string> {
  const icons = items
    .filter((item): item is LabelledItem & { placement: IconPlacement } => item.placement.kind === 'icon' && item.name !== '')
    .map((item, order) => ({ ...item, order }))
    .sort((a, b) => b.placement.scale - a.placement.scale || a.order - b.order);
  const discs = new BoxGrid(unit * 2);
  for (const icon of icons) discs.add(discBox(icon.placement, unit), icon.key);
  const labels = new BoxGrid(unit * 4);
  const hidden = new Set<string>();
  for (const icon of icons) {
    const box = labelBox(icon.placement, icon.name, unit);
    if (discs.hits(box, icon.key) || labels.hits(box, icon.key)) hidden.add(icon.key);
    else labels.add(box, icon.key);
  }
  return hidden;
}
