import { describe, expect, it } from 'vitest';
import { ICON_DISC_RADIUS } from '../plan-items';
import { labelBox, layoutLabels, overlaps, type IconPlacement, type LabelledItem } from '../label-layout';

const UNIT = 36;
const icon = (key: string, x: number, y: number, name = 'Ceiling light', scale = 1): LabelledItem & { placement: IconPlacement } => ({
  key,
  name,
  placement: { kind: 'icon', x, y, scale, rotate: 0 },
});

describe('layoutLabels', () => {
  it('puts every name under its icon when nothing is in the way', () => {
    expect([...layoutLabels([icon('a', 100, 100), icon('b', 400, 100), icon('c', 100, 300)], UNIT)]).toEqual([
      ['a', 'below'],
      ['b', 'below'],
      ['c', 'below'],
    ]);
  });

  it('moves a name above its icon when the room below is taken, and leaves it out when both are', () => {
    // 60 units apart: the discs are clear of each other, names about 135 units wide are not.
    const row = [icon('a', 100, 100), icon('b', 160, 100), icon('c', 220, 100)];
    expect([...layoutLabels(row, UNIT)]).toEqual([
      ['a', 'below'],
      ['b', 'above'],
    ]);
    // A larger icon goes first.
    expect(layoutLabels([icon('a', 100, 100), icon('b', 160, 100, 'Ceiling light', 1.5)], UNIT).get('b')).toBe('below');
  });

  it('keeps names off other icons', () => {
    // b sits just below a, where a's name would go.
    expect([...layoutLabels([icon('a', 100, 100, 'Lamp'), icon('b', 100, 165, 'Lamp')], UNIT)]).toEqual([
      ['a', 'above'],
      ['b', 'below'],
    ]);
  });

  it('never lets two placed names, or a name and another icon, overlap on a crowded plan', () => {
    const grid = Array.from({ length: 1000 }, (_, i) => icon(`e${i}`, (i % 40) * 50, Math.floor(i / 40) * 50, `Light ${i}`, 0.5));
    const sides = layoutLabels(grid, UNIT);
    expect(sides.get('e0')).toBe('below');
    expect(sides.size).toBeGreaterThan(500);
    const boxes = grid.flatMap((item) => {
      const side = sides.get(item.key);
      return side ? [{ key: item.key, box: labelBox(item.placement, item.name, UNIT, side) }] : [];
    });
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) expect(overlaps(a.box, b.box), `${a.key} / ${b.key}`).toBe(false);
      for (const other of grid) {
        if (other.key === a.key) continue;
        const r = UNIT * ICON_DISC_RADIUS * other.placement.scale;
        const disc = { left: other.placement.x - r, top: other.placement.y - r, right: other.placement.x + r, bottom: other.placement.y + r };
        if (overlaps(a.box, disc)) throw new Error(`${a.key}'s name covers ${other.key}`);
      }
    }
  });

  it('leaves areas and lines alone', () => {
    const path: LabelledItem = { key: 'area', name: 'Kitchen', placement: { kind: 'path', style: 'area', svgPath: 'M0 0 L10 0 L10 10 Z' } };
    expect(layoutLabels([path, icon('a', 5, 5)], UNIT).has('area')).toBe(false);
  });
});
