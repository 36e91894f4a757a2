import { describe, expect, it } from 'vitest';
import { draggedPlacement, iconHandlePositions } from '../edit/placement-edit';
import { isTap, MAX_ZOOM, MIN_ZOOM, previewTransform, viewBoxPointAt, zoomPan, type Point, type Size } from '../pan-zoom';
import { worstToken } from '../plan-items';
import { parsePolyline, polylinePath } from '../plan-path';
import { shareEqual } from '../../../store/structural-share';

const base = { x: 0, y: 0, width: 1200, height: 800 };

describe('zoomPan', () => {
  it('keeps the anchor under the pointer when zooming around it', () => {
    const at = { x: 300, y: 200 };
    const vb = zoomPan(base, base, at, at, 2);
    expect(vb.width).toBe(600);
    expect(vb.height).toBe(400);
    // The anchor sits at the same fraction of the viewBox as before.
    expect((at.x - vb.x) / vb.width).toBeCloseTo(at.x / base.width);
    expect((at.y - vb.y) / vb.height).toBeCloseTo(at.y / base.height);
  });

  it('pans by the distance between anchor and target', () => {
    expect(zoomPan(base, base, { x: 100, y: 100 }, { x: 130, y: 90 }, 1)).toEqual({ x: -30, y: 10, width: 1200, height: 800 });
  });

  it('clamps the zoom and keeps the plan within reach', () => {
    const centre = { x: 600, y: 400 };
    expect(base.width / zoomPan(base, base, centre, centre, 100).width).toBeCloseTo(MAX_ZOOM);
    expect(base.width / zoomPan(base, base, centre, centre, 0.01).width).toBeCloseTo(MIN_ZOOM);
    const far = zoomPan(base, base, { x: 0, y: 0 }, { x: 100_000, y: 0 }, 1);
    // The centre stops half the plan's larger side away from the plan's centre.
    expect(far.x + far.width / 2).toBe(0);
  });

  it('previews a viewBox with a transform that puts every plan point where that viewBox would show it', () => {
    // Wider than the plan's aspect, so the view is letterboxed left and right.
    const size: Size = { width: 1000, height: 500 };
    const drawn = base;
    const wanted = zoomPan(base, base, { x: 300, y: 200 }, { x: 260, y: 230 }, 2.5);
    const match = /^translate\((.+)px, (.+)px\) scale\((.+)\)$/.exec(previewTransform(drawn, wanted, size))!;
    const [tx, ty, scale] = match.slice(1).map(Number) as [number, number, number];
    const screenOf = (vb: typeof base, p: Point): Point => {
      const k = Math.min(size.width / vb.width, size.height / vb.height);
      return { x: (size.width - vb.width * k) / 2 + (p.x - vb.x) * k, y: (size.height - vb.height * k) / 2 + (p.y - vb.y) * k };
    };
    for (const p of [{ x: 0, y: 0 }, { x: 300, y: 200 }, { x: 1200, y: 800 }, { x: 777, y: 55 }]) {
      const drawnAt = screenOf(drawn, p);
      const wantedAt = screenOf(wanted, p);
      expect(tx + scale * drawnAt.x).toBeCloseTo(wantedAt.x, 6);
      expect(ty + scale * drawnAt.y).toBeCloseTo(wantedAt.y, 6);
      expect(viewBoxPointAt(wanted, size, wantedAt).x).toBeCloseTo(p.x, 6);
      expect(viewBoxPointAt(wanted, size, wantedAt).y).toBeCloseTo(p.y, 6);
    }
    expect(previewTransform(base, base, size)).toBe('translate(0px, 0px) scale(1)');
  });

  it('tells a tap from a drag', () => {
    expect(isTap({ x: 0, y: 0 }, { x: 5, y: 5 }, 200)).toBe(true);
    expect(isTap({ x: 0, y: 0 }, { x: 9, y: 0 }, 200)).toBe(false);
    expect(isTap({ x: 0, y: 0 }, { x: 0, y: 0 }, 600)).toBe(false);
  });
});

describe('polylines', () => {
  it('reads straight paths, absolute and relative, and writes them back', () => {
    expect(parsePolyline('M 10 10 L 20 10 L 20 20 Z')).toEqual({ points: [{ x: 10, y: 10 }, { x: 20, y: 10 }, { x: 20, y: 20 }], closed: true });
    expect(parsePolyline('m10,10 10,0 v10 H5')).toEqual({ points: [{ x: 10, y: 10 }, { x: 20, y: 10 }, { x: 20, y: 20 }, { x: 5, y: 20 }], closed: false });
    expect(polylinePath([{ x: 1.04, y: 2 }, { x: 3, y: 4.46 }], true)).toBe('M 1 2 L 3 4.5 Z');
  });

  it('refuses curves, arcs and several sub-paths', () => {
    expect(parsePolyline('M 0 0 C 1 1 2 2 3 3')).toBeNull();
    expect(parsePolyline('M 0 0 L 1 1 Z M 5 5 L 6 6')).toBeNull();
    expect(parsePolyline('M 0 0')).toBeNull();
  });
});

describe('placement edits', () => {
  const icon = { kind: 'icon' as const, x: 100, y: 100, scale: 1, rotate: 0 };

  it('moves, scales and rotates an icon', () => {
    const start = { x: 110, y: 100 };
    expect(draggedPlacement({ grip: { kind: 'move' }, origin: icon, start, polyline: null }, { x: 130, y: 90 })).toMatchObject({ x: 120, y: 90 });
    expect(draggedPlacement({ grip: { kind: 'scale' }, origin: icon, start, polyline: null }, { x: 120, y: 100 })).toMatchObject({ scale: 2 });
    expect(draggedPlacement({ grip: { kind: 'rotate' }, origin: icon, start, polyline: null }, { x: 100, y: 110 })).toMatchObject({ rotate: 90 });
    expect(draggedPlacement({ grip: { kind: 'rotate' }, origin: { ...icon, rotate: 170 }, start, polyline: null }, { x: 100, y: 110 })).toMatchObject({ rotate: -100 });
  });

  it('moves one vertex of a path', () => {
    const origin = { kind: 'path' as const, style: 'line' as const, svgPath: 'M 0 0 L 10 0' };
    const drag = { grip: { kind: 'vertex' as const, index: 1 }, origin, start: { x: 10, y: 0 }, polyline: parsePolyline(origin.svgPath) };
    expect(draggedPlacement(drag, { x: 15, y: 5 })).toEqual({ ...origin, svgPath: 'M 0 0 L 15 5' });
  });

  it('puts the handles clear of the icon, turning with it', () => {
    const { rotate, scale } = iconHandlePositions({ ...icon, rotate: 90 }, 40, 10);
    expect(rotate.x).toBeGreaterThan(100 + 30);
    expect(rotate.y).toBeCloseTo(100);
    expect(Math.hypot(scale.x - 100, scale.y - 100)).toBeCloseTo(43);
  });
});

describe('shareEqual', () => {
  it('keeps unchanged parts, matching array items by id', () => {
    const prev = { items: [{ id: 1, v: 'a' }, { id: 2, v: 'b' }], n: 1 };
    const next = { items: [{ id: 2, v: 'b' }, { id: 1, v: 'changed' }, { id: 3, v: 'c' }], n: 1 };
    const shared = shareEqual(prev, next);
    expect(shared).toEqual(next);
    expect(shared.items[0]).toBe(prev.items[1]);
    expect(shared.items[1]).not.toBe(prev.items[0]);
    expect(shareEqual(prev, structuredClone(prev))).toBe(prev);
  });
});

describe('worstToken', () => {
  it('answers the most pressing state, neutral for none', () => {
    expect(worstToken(['ok', 'alarm', 'active'])).toBe('alarm');
    expect(worstToken([])).toBe('neutral');
  });
});
