import { describe, expect, it } from 'vitest';
import { overflowingControls } from '../toolbar-overflow';

const controls = [
  { key: 'undo', width: 80 },
  { key: 'add', width: 110 },
  { key: 'archive', width: 90 },
  { key: 'locations', width: 100 },
];
const order = ['locations', 'archive', 'add'];

describe('overflowingControls', () => {
  it('keeps every control in the bar while they fit, gaps and fixed label included', () => {
    // 80 + 110 + 90 + 100 + label 120 = 500, and 4 gaps of 10.
    expect(overflowingControls(controls, order, { available: 540, gap: 10, fixed: [120], more: 70 })).toEqual(new Set());
  });

  it('moves the least used first, and counts the More button it then needs', () => {
    // One px short: "locations" goes, and More (70) takes part of its room: 80 + 110 + 90 + 120 + 70 + 4 gaps = 510.
    expect(overflowingControls(controls, order, { available: 539, gap: 10, fixed: [120], more: 70 })).toEqual(new Set(['locations']));
    // Just under that, "archive" goes too.
    expect(overflowingControls(controls, order, { available: 509, gap: 10, fixed: [120], more: 70 })).toEqual(new Set(['locations', 'archive']));
  });

  it('never moves a control that is not in the collapse order, however narrow', () => {
    expect(overflowingControls(controls, order, { available: 10, gap: 10, fixed: [], more: 70 })).toEqual(new Set(['locations', 'archive', 'add']));
  });

  it('ignores keys of the order that are not shown', () => {
    expect(overflowingControls(controls.slice(0, 2), order, { available: 100, gap: 0, fixed: [], more: 50 })).toEqual(new Set(['add']));
  });
});
