import { describe, expect, it } from 'vitest';
import { PLAN_ICON_DISC_RADIUS, PLAN_MIN_DISC_FRACTION } from '../../../../src-shared/model/placement';
import { outlineOf } from '../free-spot-finder';
import { areaNamed, iconObstacle, insidePolygon, planFreeSpots, SCALE_STEPS, type FreeSpotInput, type FreeSpotPlan, type Obstacle, type Point, type SpotRequest } from '../free-spot-planner';

const BOUNDS = { x: 0, y: 0, width: 1200, height: 800 };
const UNIT = BOUNDS.width * 0.03;
const TYPES = ['light', 'switch', 'sensor', 'door'];

function items(count: number, options: { area?: (i: number) => string | null; idFrom?: number } = {}): SpotRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    id: (options.idFrom ?? 1) + i,
    name: `Item ${String(i).padStart(4, '0')}`,
    group: TYPES[i % TYPES.length]!,
    area: options.area?.(i) ?? null,
  }));
}

function input(overrides: Partial<FreeSpotInput>): FreeSpotInput {
  return { bounds: BOUNDS, iconUnit: UNIT, obstacles: [], areas: [], items: [], ...overrides };
}

const square = (x: number, y: number, size: number): Point[] => [
  { x, y },
  { x: x + size, y },
  { x: x + size, y: y + size },
  { x, y: y + size },
];

/** Every planned disc against every other and every obstacle, and against the bounds. */
function expectClear(plan: FreeSpotPlan, obstacles: readonly Obstacle[] = [], bounds = BOUNDS): void {
  const radius = UNIT * PLAN_ICON_DISC_RADIUS * plan.scale;
  for (const [i, a] of plan.spots.entries()) {
    expect(a.x - radius, `spot ${a.id} left`).toBeGreaterThanOrEqual(bounds.x);
    expect(a.y - radius, `spot ${a.id} top`).toBeGreaterThanOrEqual(bounds.y);
    expect(a.x + radius, `spot ${a.id} right`).toBeLessThanOrEqual(bounds.x + bounds.width);
    expect(a.y + radius, `spot ${a.id} bottom`).toBeLessThanOrEqual(bounds.y + bounds.height);
    for (const b of plan.spots.slice(i + 1)) {
      if (Math.hypot(a.x - b.x, a.y - b.y) < 2 * radius) throw new Error(`spots ${a.id} and ${b.id} overlap`);
    }
    for (const o of obstacles) {
      if (Math.hypot(a.x - o.x, a.y - o.y) < radius + o.radius) throw new Error(`spot ${a.id} covers the obstacle at ${o.x},${o.y}`);
    }
  }
}

describe('planFreeSpots', () => {
  it('places a lone item exactly at the gathering point, and the next ones beside it', () => {
    expect(planFreeSpots(input({ items: items(1) })).spots).toEqual([{ id: 1, x: 600, y: 400 }]);
    expect(planFreeSpots(input({ items: items(1), centre: { x: 300, y: 250 } })).spots).toEqual([{ id: 1, x: 300, y: 250 }]);
    const taken = [iconObstacle(300, 250, 1, UNIT)];
    const [next] = planFreeSpots(input({ items: items(1), centre: { x: 300, y: 250 }, obstacles: taken })).spots;
    expect(Math.hypot(next!.x - 300, next!.y - 250)).toBeLessThanOrEqual(Math.hypot(3 * UNIT, 2.5 * UNIT) + 0.1);
    expectClear({ scale: 1, spots: [next!], unplaced: [] }, taken);
  });

  it('keeps 40 items clear of each other, of what is already there, and inside the bounds, at full size', () => {
    const obstacles = Array.from({ length: 15 }, (_, i) => iconObstacle(100 + ((i * 97) % 1000), 80 + ((i * 53) % 640), 1 + (i % 3) * 0.5, UNIT));
    const plan = planFreeSpots(input({ items: items(40), obstacles }));
    expect(plan.scale).toBe(1);
    expect(plan.unplaced).toEqual([]);
    expect(plan.spots).toHaveLength(40);
    expectClear(plan, obstacles);
  });

  it('shrinks the icons until 1,000 items fit, all clear and inside', () => {
    const obstacles = [iconObstacle(600, 400, 1, UNIT), iconObstacle(100, 100, 2, UNIT)];
    const plan = planFreeSpots(input({ items: items(1000), obstacles }));
    expect(plan.scale).toBeLessThan(1);
    expect(plan.unplaced).toEqual([]);
    expect(new Set(plan.spots.map((s) => s.id)).size).toBe(1000);
    expectClear(plan, obstacles);
  });

  it('keeps spots as far apart as the smallest disc a panel draws, until the view is too crowded even for that', () => {
    const minDisc = BOUNDS.width * PLAN_MIN_DISC_FRACTION;
    const nearest = (plan: FreeSpotPlan) =>
      Math.min(...plan.spots.flatMap((a, i) => plan.spots.slice(i + 1).map((b) => Math.hypot(a.x - b.x, a.y - b.y))));
    // Enough items that the icons shrink below the drawn floor: the spacing stays at the floor.
    const crowded = planFreeSpots(input({ items: items(250), minDisc }));
    expect(crowded.scale).toBeLessThan(1);
    expect(crowded.unplaced).toEqual([]);
    expect(nearest(crowded)).toBeGreaterThanOrEqual(minDisc);
    // Regression: the grid shrank with the icons, and the discs a panel draws at its floor overlapped.
    expect(nearest(planFreeSpots(input({ items: items(250) })))).toBeLessThan(minDisc);
    // Too many for that spacing: packed tighter rather than left out.
    const packed = planFreeSpots(input({ items: items(600), minDisc }));
    expect(packed.unplaced).toEqual([]);
    expectClear(packed);
  });

  it('stays inside bounds that do not start at the origin', () => {
    const bounds = { x: -500, y: 200, width: 700, height: 300 };
    const plan = planFreeSpots(input({ bounds, items: items(60) }));
    expect(plan.unplaced).toEqual([]);
    expectClear(plan, [], bounds);
  });

  it('answers the items no spot is left for, even at the smallest size, and places the rest', () => {
    const bounds = { x: 0, y: 0, width: 200, height: 100 };
    const smallest = SCALE_STEPS.at(-1)!;
    const plan = planFreeSpots(input({ bounds, items: items(100) }));
    expect(plan.scale).toBe(smallest);
    expect(plan.spots.length).toBeGreaterThan(10);
    expect(plan.spots.length + plan.unplaced.length).toBe(100);
    expect(plan.unplaced.length).toBeGreaterThan(0);
    expectClear(plan, [], bounds);
    // That many is exactly what fits.
    expect(planFreeSpots(input({ bounds, items: items(plan.spots.length) })).unplaced).toEqual([]);
    // A view smaller than one spot places nothing.
    expect(planFreeSpots(input({ bounds: { x: 0, y: 0, width: 5, height: 5 }, items: items(2) }))).toMatchObject({ spots: [], unplaced: [1, 2] });
  });

  it('gathers the items of a room inside its area', () => {
    const kitchen = square(60, 60, 400);
    const bedroom = square(700, 300, 400);
    const areas = [
      { name: 'Kitchen', polygon: kitchen },
      { name: 'Bedroom', polygon: bedroom },
    ];
    const plan = planFreeSpots(input({ items: items(20, { area: (i) => (i % 3 === 0 ? 'Kitchen' : i % 3 === 1 ? 'Bedroom' : null) }), areas }));
    expect(plan.unplaced).toEqual([]);
    for (const spot of plan.spots) {
      const area = (spot.id - 1) % 3 === 0 ? kitchen : (spot.id - 1) % 3 === 1 ? bedroom : null;
      if (area) expect(insidePolygon(spot, area), `item ${spot.id}`).toBe(true);
    }
    expectClear(plan);
  });

  it('spills the items of a full room to the free spots nearest it', () => {
    // Room for exactly one icon at full size.
    const closet = square(100, 100, 100);
    const plan = planFreeSpots(input({ items: items(6, { area: () => 'Closet' }), areas: [{ name: 'Closet', polygon: closet }] }));
    expect(plan.scale).toBe(1);
    const inside = plan.spots.filter((s) => insidePolygon(s, closet));
    expect(inside).toHaveLength(1);
    // The others are the nearest free spots around it, not the middle of the view.
    for (const spot of plan.spots) expect(Math.hypot(spot.x - 150, spot.y - 150)).toBeLessThan(3 * 3 * UNIT);
    expectClear(plan);
  });

  it('lays out items without an area in a block, each type in one run, in reading order', () => {
    const plan = planFreeSpots(input({ items: items(30) }));
    const groupOf = new Map(items(30).map((item) => [item.id, item.group]));
    const reading = [...plan.spots].sort((a, b) => a.y - b.y || a.x - b.x).map((s) => groupOf.get(s.id)!);
    const runs = reading.filter((group, i) => i === 0 || group !== reading[i - 1]);
    expect(runs).toEqual([...TYPES].sort());
    // A block around the middle, not a line along the top.
    const ys = new Set(plan.spots.map((s) => s.y));
    expect(ys.size).toBeGreaterThan(2);
    expect(Math.min(...plan.spots.map((s) => s.y))).toBeGreaterThan(100);
  });

  it('is deterministic: the same items in any order get the same spots', () => {
    const list = items(300, { area: (i) => (i % 5 === 0 ? 'Hall' : null) });
    const areas = [{ name: 'Hall', polygon: square(400, 200, 300) }];
    const obstacles = [iconObstacle(500, 300, 1, UNIT)];
    const first = planFreeSpots(input({ items: list, areas, obstacles }));
    const again = planFreeSpots(input({ items: list, areas, obstacles }));
    const shuffled = planFreeSpots(input({ items: [...list].reverse(), areas, obstacles }));
    expect(again).toEqual(first);
    const byId = (plan: FreeSpotPlan) => new Map(plan.spots.map((s) => [s.id, s]));
    expect(byId(shuffled)).toEqual(byId(first));
  });
});

describe('areaNamed', () => {
  it('finds the longest area named in an item’s name, as whole words', () => {
    const areas = ['Bedroom', 'Main bedroom', 'Hall', 'Living room'];
    expect(areaNamed('Main bedroom light', areas)).toBe('Main bedroom');
    expect(areaNamed('Bedroom window', areas)).toBe('Bedroom');
    expect(areaNamed('living_room ceiling', areas)).toBe('Living room');
    expect(areaNamed('Hallway lamp', areas)).toBeNull();
    expect(areaNamed('Bedrooms sensor', areas)).toBeNull();
    expect(areaNamed('Porch', [])).toBeNull();
  });
});

describe('outlineOf', () => {
  it('reads straight-sided outlines, absolute or relative, and refuses curves and several outlines', () => {
    expect(outlineOf('M 0 0 L 10 0 L 10 10 L 0 10 Z')).toEqual(square(0, 0, 10));
    expect(outlineOf('m 5 5 h 10 v 10 h -10 z')).toEqual(square(5, 5, 10));
    expect(outlineOf('M0,0 10,0 10,10 Z')).toEqual([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
    ]);
    expect(outlineOf('M 0 0 C 1 1 2 2 3 3 Z')).toBeNull();
    expect(outlineOf('M 0 0 L 1 0 L 1 1 Z M 5 5 L 6 5 L 6 6 Z')).toBeNull();
    expect(outlineOf('M 0 0 L 1 0')).toBeNull();
  });
});
