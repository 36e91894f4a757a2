/** A toolbar control as measured at its natural width. */
export interface MeasuredControl {
  key: string;
  width: number;
}

export interface ToolbarRoom {
  /** The width the toolbar's controls can use. */
  available: number;
  /** The space between two controls. */
  gap: number;
  /** Controls that always stay in the bar (a label at its smallest), by width. */
  fixed: readonly number[];
  /** The width of the More button. */
  more: number;
}

/**
 * Which controls go into the More menu so that the rest fit in the bar: none when all fit, else the fewest, taken in
 * `collapseOrder` (first the least used). Keys missing from `collapseOrder` never move.
 */
export function overflowingControls(controls: readonly MeasuredControl[], collapseOrder: readonly string[], room: ToolbarRoom): Set<string> {
  const widths = new Map(controls.map((c) => [c.key, c.width]));
  const moved = new Set<string>();
  const needed = () => {
    const inBar = [...room.fixed, ...controls.filter((c) => !moved.has(c.key)).map((c) => c.width), ...(moved.size > 0 ? [room.more] : [])];
    return inBar.reduce((sum, width) => sum + width, 0) + room.gap * Math.max(0, inBar.length - 1);
  };
  for (const key of collapseOrder) {
    if (needed() <= room.available) break;
    if (widths.has(key)) moved.add(key);
  }
  return moved;
}
