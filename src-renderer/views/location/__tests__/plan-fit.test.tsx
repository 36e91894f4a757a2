import { describe, expect, it } from 'vitest';
import { fitViewBox, nearlySameViewBox, transformBox, unionOf } from '../pan-zoom';

const frame = { x: 0, y: 0, width: 1200, height: 800 };

describe('fitting a view', () => {
  it('opens on the framing with a small margin when everything lies inside it', () => {
    const inside = { x: 100, y: 100, width: 200, height: 200 };
    expect(fitViewBox(frame, inside, 0.05)).toEqual({ x: -60, y: -60, width: 1320, height: 920 });
    expect(fitViewBox(frame, null, 0.05)).toEqual({ x: -60, y: -60, width: 1320, height: 920 });
  });

  it('takes in items (and their names) that lie beyond the framing, below it as on the first view that lost them', () => {
    const items = { x: 40, y: 300, width: 1150, height: 640 };
    const fitted = fitViewBox(frame, items, 0);
    expect(fitted).toEqual({ x: 0, y: 0, width: 1200, height: 940 });
    // Every item's box lies inside.
    expect(fitted.y + fitted.height).toBeGreaterThanOrEqual(items.y + items.height);
  });

  it('takes in items left of and above the framing', () => {
    expect(fitViewBox(frame, { x: -50, y: -20, width: 100, height: 100 }, 0)).toEqual({ x: -50, y: -20, width: 1250, height: 820 });
  });

  it('unites boxes, and has no box for none', () => {
    expect(unionOf([])).toBeNull();
    expect(unionOf([{ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: -5, width: 5, height: 5 }])).toEqual({ x: 0, y: -5, width: 25, height: 15 });
  });

  it('turns a box with a matrix into the upright box around it', () => {
    // A quarter turn about the origin: (x, y) -> (-y, x).
    const quarter = { a: 0, b: 1, c: -1, d: 0, e: 0, f: 0 } as DOMMatrixReadOnly;
    const turned = transformBox({ x: 10, y: 20, width: 30, height: 40 }, quarter);
    expect(turned.x).toBeCloseTo(-60);
    expect(turned.y).toBeCloseTo(10);
    expect(turned.width).toBeCloseTo(40);
    expect(turned.height).toBeCloseTo(30);
    const moved = transformBox({ x: 10, y: 20, width: 30, height: 40 }, { a: 1, b: 0, c: 0, d: 1, e: 5, f: -5 } as DOMMatrixReadOnly);
    expect(moved).toEqual({ x: 15, y: 15, width: 30, height: 40 });
    expect(transformBox(frame, null)).toBe(frame);
  });

  it('calls two viewBoxes the same only within the tolerance', () => {
    expect(nearlySameViewBox(frame, { ...frame, x: 5 }, 0.005)).toBe(true);
    expect(nearlySameViewBox(frame, { ...frame, x: 7 }, 0.005)).toBe(false);
    expect(nearlySameViewBox(frame, { ...frame, height: 810 }, 0.005)).toBe(false);
  });
});
