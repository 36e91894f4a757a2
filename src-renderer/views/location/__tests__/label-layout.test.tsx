import { describe, expect, it } from 'vitest';
import { hiddenLabels, type LabelledItem } from '../label-layout';

const UNIT = 36;
const icon = (key: string, x: number, y: number, name = 'Ceiling light', scale = 1): LabelledItem => ({
  key,
  name,
  placement: { kind: 'icon', x, y, scale, rotate: 0 },
});

describe('hiddenLabels', () => {
  it('keeps every name when none covers another', () => {
    expect(hiddenLabels([icon('a', 100, 100), icon('b', 400, 100), icon('c', 100, 300)], UNIT).size).toBe(0);
  });

  it('hides the later of two names that would overlap, or the smaller icon’s', () => {
    // 60 units apart: the discs are clear of each other, the two names (about 180 units wide each) are not.
    expect([...hiddenLabels([icon('a', 100, 100), icon('b', 160, 100)], UNIT)]).toEqual(['b']);
    expect([...hiddenLabels([icon('a', 100, 100), icon('b', 160, 100, 'Ceiling light', 1.5)], UNIT)]).toEqual(['a']);
  });

  it('hides a name that would cover another icon', () => {
    // b sits just below a, where a's name would go; b's own name is clear.
    expect([...hiddenLabels([icon('a', 100, 100, 'Lamp'), icon('b', 100, 165, 'Lamp')], UNIT)]).toEqual(['a']);
  });

  it('leaves areas and lines alone, and scales to a thousand icons', () => {
    const path: LabelledItem = { key: 'area', name: 'Kitchen', placement: { kind: 'path', style: 'area', svgPath: 'M0 0 L10 0 L10 10 Z' } };
    expect(hiddenLabels([path, icon('a', 5, 5)], UNIT).has('area')).toBe(false);
    const grid = Array.from({ length: 1000 }, (_, i) => icon(`e${i}`, (i % 40) * 50, Math.floor(i / 40) * 50, `Light ${i}`, 0.5));
    const hidden = hiddenLabels(grid, UNIT);
    // Names about 80 units wide on icons 50 apart: every other icon in a row keeps its name.
    expect([hidden.has('e0'), hidden.has('e1'), hidden.has('e2'), hidden.has('e3')]).toEqual([false, true, false, true]);
    expect(hidden.size).toBe(500);
  });
});
