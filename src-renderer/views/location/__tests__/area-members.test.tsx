import { describe, expect, it } from 'vitest';
import type { PlanEntity } from '../../../store/home-slice';
import { areaMembers, insidePolygon } from '../area-members';

const icon = (id: number, x: number, y: number): PlanEntity => ({ id, name: `Icon ${id}`, type: 'motion_sensor', placement: { kind: 'icon', x, y, scale: 1, rotate: 0 } });
const area = (id: number, svgPath: string, style: 'area' | 'line' = 'area'): PlanEntity => ({ id, name: `Area ${id}`, type: 'area', placement: { kind: 'path', style, svgPath } });

describe('areas and the sensors in them', () => {
  it('tells inside from outside, also for a concave outline', () => {
    const ell = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 4 },
      { x: 4, y: 4 },
      { x: 4, y: 10 },
      { x: 0, y: 10 },
    ];
    expect(insidePolygon({ x: 2, y: 8 }, ell)).toBe(true);
    expect(insidePolygon({ x: 8, y: 2 }, ell)).toBe(true);
    expect(insidePolygon({ x: 8, y: 8 }, ell)).toBe(false);
    expect(insidePolygon({ x: -1, y: 5 }, ell)).toBe(false);
  });

  it('lists the icons standing inside each area, and none for lines or curved outlines', () => {
    const entities = [
      area(1, 'M 0 0 L 100 0 L 100 100 L 0 100 Z'),
      area(2, 'M 100 0 L 200 0 L 200 100 L 100 100 Z'),
      area(3, 'M 0 0 L 200 0', 'line'),
      area(4, 'M 0 0 C 50 50 100 0 200 0 Z'),
      icon(10, 50, 50),
      icon(11, 150, 20),
      icon(12, 150, 80),
      icon(13, 500, 500),
    ];
    const members = areaMembers(entities);
    expect(Object.fromEntries(members)).toEqual({ 1: [10], 2: [11, 12] });
  });
});
