import { describe, expect, it } from 'vitest';
import { ICON_DISC_RADIUS, LABEL_FONT_SIZE, type PlanSizing } from '../plan-items';
import { badgeBox, drawnItemsBox, labelBox, layoutLabels, overlaps, type Box, type IconPlacement, type LabelledItem } from '../label-layout';

const UNIT = 36;
/** Zoomed in far enough that the view's own share decides the sizes, as these tests were written for. */
const SIZING: PlanSizing = { unit: UNIT, minIcon: 0, font: UNIT * LABEL_FONT_SIZE };
const icon = (key: string, x: number, y: number, name = 'Ceiling light', scale = 1): LabelledItem & { placement: IconPlacement } => ({
  key,
  name,
  placement: { kind: 'icon', x, y, scale, rotate: 0 },
});

describe('layoutLabels', () => {
  it('puts every name under its icon when nothing is in the way', () => {
    expect([...layoutLabels([icon('a', 100, 100), icon('b', 400, 100), icon('c', 100, 300)], SIZING)]).toEqual([
      ['a', 'below'],
      ['b', 'below'],
      ['c', 'below'],
    ]);
  });

  it('moves a name above its icon when the room below is taken, and leaves it out when both are', () => {
    // 60 units apart: the discs are clear of each other, names about 135 units wide are not.
    const row = [icon('a', 100, 100), icon('b', 160, 100), icon('c', 220, 100)];
    expect([...layoutLabels(row, SIZING)]).toEqual([
      ['a', 'below'],
      ['b', 'above'],
    ]);
    // A larger icon goes first.
    expect(layoutLabels([icon('a', 100, 100), icon('b', 160, 100, 'Ceiling light', 1.5)], SIZING).get('b')).toBe('below');
  });

  it('keeps names off other icons', () => {
    // b sits just below a, where a's name would go.
    expect([...layoutLabels([icon('a', 100, 100, 'Lamp'), icon('b', 100, 165, 'Lamp')], SIZING)]).toEqual([
      ['a', 'above'],
      ['b', 'below'],
    ]);
  });

  it('never lets two placed names, or a name and another icon, overlap on a crowded plan', () => {
    const grid = Array.from({ length: 1000 }, (_, i) => icon(`e${i}`, (i % 40) * 50, Math.floor(i / 40) * 50, `Light ${i}`, 0.5));
    const sides = layoutLabels(grid, SIZING);
    expect(sides.get('e0')).toBe('below');
    expect(sides.size).toBeGreaterThan(500);
    const boxes = grid.flatMap((item) => {
      const side = sides.get(item.key);
      return side ? [{ key: item.key, box: labelBox(item.placement, item.name, SIZING, side) }] : [];
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

  it('keeps names off the room names of the plan drawing, hiding a name that fits nowhere', () => {
    const below = labelBox(icon('a', 100, 100).placement, 'Ceiling light', SIZING, 'below');
    const kitchen: Box = { left: below.left + 10, top: below.top, right: below.left + 60, bottom: below.bottom };
    expect([...layoutLabels([icon('a', 100, 100)], SIZING, [kitchen])]).toEqual([['a', 'above']]);
    const above = labelBox(icon('a', 100, 100).placement, 'Ceiling light', SIZING, 'above');
    expect(layoutLabels([icon('a', 100, 100)], SIZING, [kitchen, above]).has('a')).toBe(false);
    // A room name just above where the name goes, not overlapping its box: kept clear by a quarter of the font size,
    // since both boxes are estimates of the text, and a name touching a room name reads as one with it.
    const justAbove: Box = { left: below.left + 10, top: below.top - 30, right: below.left + 60, bottom: below.top - SIZING.font * 0.2 };
    expect(overlaps(justAbove, below)).toBe(false);
    expect(layoutLabels([icon('a', 100, 100)], SIZING, [justAbove]).get('a')).toBe('above');
    const clearAbove: Box = { ...justAbove, bottom: below.top - SIZING.font * 0.3 };
    expect(layoutLabels([icon('a', 100, 100)], SIZING, [clearAbove]).get('a')).toBe('below');
    // A title across the whole plan is an obstacle too, however many grid cells it spans.
    expect(layoutLabels([icon('a', 100, 100)], SIZING, [{ left: -1e5, top: 0, right: 1e5, bottom: 1e5 }]).has('a')).toBe(false);
  });

  it("keeps names off another icon's value, but not off its own", () => {
    // b's value badge stands right of b, where a's name (below a) would reach.
    const a = icon('a', 100, 100);
    const b = { ...icon('b', -10, 139, 'Hall'), badgeChars: 6 };
    expect(overlaps(labelBox(a.placement, a.name, SIZING, 'below'), badgeBox(b.placement, SIZING, 6))).toBe(true);
    expect(layoutLabels([a, b], SIZING).get('a')).toBe('above');
    expect(layoutLabels([a, { ...b, badgeChars: 0 }], SIZING).get('a')).toBe('below');
    expect(layoutLabels([{ ...a, badgeChars: 6 }], SIZING).get('a')).toBe('below');
  });

  it('lays names out around icons held at their minimum size when the plan is zoomed out', () => {
    // Tiny nominal icons, but drawn at least 60 units across: b's name below it would cover a's larger disc.
    const zoomedOut: PlanSizing = { unit: 4, minIcon: 80, font: 14 };
    const sides = layoutLabels([icon('a', 100, 200, 'Lamp'), icon('b', 100, 100, 'Lamp')], zoomedOut);
    expect(sides.get('b')).toBe('above');
  });

  it('leaves areas and lines alone', () => {
    const path: LabelledItem = { key: 'area', name: 'Kitchen', placement: { kind: 'path', style: 'area', svgPath: 'M0 0 L10 0 L10 10 Z' } };
    expect(layoutLabels([path, icon('a', 5, 5)], SIZING).has('area')).toBe(false);
  });
});

describe('drawnItemsBox', () => {
  it('spans the discs, the names where they were laid out, the value badges and the outlines of areas', () => {
    const lamp = icon('lamp', 100, 100, 'Reading lamp');
    const sensor = { ...icon('sensor', 300, 200, 'T'), badgeChars: 5 };
    const area: LabelledItem = { key: 'area', name: 'Porch', placement: { kind: 'path', svgPath: 'M 50 400 L 150 400 L 150 500 Z', style: 'area' } };
    const sides = new Map([['lamp', 'above' as const]]);
    const box = drawnItemsBox([lamp, sensor, area], sides, SIZING)!;
    const r = UNIT * ICON_DISC_RADIUS;
    expect(box.left).toBe(Math.min(100 - r, labelBox(lamp.placement, lamp.name, SIZING, 'above').left, 50));
    expect(box.top).toBe(labelBox(lamp.placement, lamp.name, SIZING, 'above').top);
    expect(box.right).toBe(badgeBox(sensor.placement, SIZING, 5).right);
    expect(box.bottom).toBe(500);
    // A name left off takes no room.
    expect(drawnItemsBox([lamp], new Map(), SIZING)).toEqual({ left: 100 - r, top: 100 - r, right: 100 + r, bottom: 100 + r });
    expect(drawnItemsBox([], sides, SIZING)).toBeNull();
  });
});
