import { PLAN_ICON_DISC_RADIUS } from '../../../src-shared/model/placement';

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Something already on the plan that a new icon must not cover: an icon's disc. */
export interface Obstacle {
  x: number;
  y: number;
  radius: number;
}

/** A room drawn on the plan (an area entity), by name. */
export interface PlanArea {
  name: string;
  polygon: readonly Point[];
}

export interface SpotRequest {
  id: number;
  name: string;
  /** Items of one group sit together when they have no area: their type. */
  group: string;
  /** The area the item belongs in (a PlanArea's name), or null. */
  area: string | null;
}

export interface FreeSpotInput {
  /** Where icons may go; every planned disc lies wholly inside. */
  bounds: Rect;
  /** The nominal icon size at scale 1, in plan units. */
  iconUnit: number;
  /** The smallest disc a panel draws, in plan units: spots keep that far apart while the view has room for it. */
  minDisc?: number;
  obstacles: readonly Obstacle[];
  areas: readonly PlanArea[];
  items: readonly SpotRequest[];
  /** Items without an area gather around this point; the middle of `bounds` when not given. */
  centre?: Point;
}

export interface FreeSpot {
  id: number;
  x: number;
  y: number;
}

export interface FreeSpotPlan {
  /** The icon scale every spot was planned for. */
  scale: number;
  spots: FreeSpot[];
  /** Ids of the items no spot was left for, even at the smallest scale. */
  unplaced: number[];
}

/**
 * Spacing of the grid at scale 1, in icon units: a disc is 1.5 wide, so this leaves room for its name below and
 * for a display scale that draws icons larger than nominal.
 */
const PITCH_X = 3;
const PITCH_Y = 2.5;
/**
 * How far apart spots are. Below the smallest disc a panel draws, shrinking an icon no longer makes it smaller on
 * screen, so the grid first keeps room for that disc and its name ('roomy'), then for the disc alone ('apart'), and
 * only a view too crowded even for that packs by the icons' own size ('packed').
 */
type Spacing = 'roomy' | 'apart' | 'packed';
const SPACINGS: readonly Spacing[] = ['roomy', 'apart', 'packed'];
/** Discs at the floor size, spaced this much wider than themselves. */
const APART_MARGIN = 1.05;

function pitchOf(input: FreeSpotInput, scale: number, spacing: Spacing): Point {
  const own = input.iconUnit * scale;
  const minDisc = input.minDisc ?? 0;
  switch (spacing) {
    case 'roomy': {
      const drawnUnit = Math.max(own, minDisc / (2 * PLAN_ICON_DISC_RADIUS));
      return { x: PITCH_X * drawnUnit, y: PITCH_Y * drawnUnit };
    }
    case 'apart':
      return { x: Math.max(PITCH_X * own, minDisc * APART_MARGIN), y: Math.max(PITCH_Y * own, minDisc * APART_MARGIN) };
    case 'packed':
      return { x: PITCH_X * own, y: PITCH_Y * own };
  }
}

/** Icon scales tried in turn, until the free spots are enough for every item. */
export const SCALE_STEPS: readonly number[] = [1, 0.8, 0.64, 0.5, 0.4, 0.32, 0.25];
/** Vertices read from one area's outline; a room needs far fewer. */
const MAX_AREA_POINTS = 2_000;

interface Cell {
  index: number;
  col: number;
  row: number;
  x: number;
  y: number;
}

interface Grid {
  cols: number;
  rows: number;
  /** Cells by row, then column; null where an obstacle covers the cell. */
  cells: Array<Cell | null>;
  /** Column and row of the cell at the gathering point (clamped into the grid). */
  centreCol: number;
  centreRow: number;
  freeCount: number;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** A disc against an axis-aligned box: true when they overlap. */
function discMeetsBox(o: Obstacle, left: number, top: number, right: number, bottom: number): boolean {
  const dx = o.x - Math.max(left, Math.min(o.x, right));
  const dy = o.y - Math.max(top, Math.min(o.y, bottom));
  return dx * dx + dy * dy < o.radius * o.radius;
}

/** Obstacles bucketed by square, so that each cell looks only at those nearby. */
class ObstacleIndex {
  private readonly buckets = new Map<string, Obstacle[]>();
  private readonly reach: number;

  constructor(
    obstacles: readonly Obstacle[],
    private readonly size: number,
  ) {
    let reach = 0;
    for (const o of obstacles) {
      reach = Math.max(reach, o.radius);
      const key = `${Math.floor(o.x / size)},${Math.floor(o.y / size)}`;
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push(o);
      else this.buckets.set(key, [o]);
    }
    this.reach = reach;
  }

  blocks(left: number, top: number, right: number, bottom: number): boolean {
    const [c0, c1] = [Math.floor((left - this.reach) / this.size), Math.floor((right + this.reach) / this.size)];
    const [r0, r1] = [Math.floor((top - this.reach) / this.size), Math.floor((bottom + this.reach) / this.size)];
    for (let c = c0; c <= c1; c++) {
      for (let r = r0; r <= r1; r++) {
        if (this.buckets.get(`${c},${r}`)?.some((o) => discMeetsBox(o, left, top, right, bottom))) return true;
      }
    }
    return false;
  }
}

/**
 * The grid of candidate spots at one scale: anchored on the gathering point (so a lone item lands exactly there),
 * each cell's box wholly inside the bounds, and a cell counted free when no obstacle's disc reaches into its box.
 */
function buildGrid(input: FreeSpotInput, scale: number, centre: Point, spacing: Spacing): Grid {
  const { bounds } = input;
  const { x: px, y: py } = pitchOf(input, scale, spacing);
  const firstCol = Math.ceil((bounds.x + px / 2 - centre.x) / px);
  const lastCol = Math.floor((bounds.x + bounds.width - px / 2 - centre.x) / px);
  const firstRow = Math.ceil((bounds.y + py / 2 - centre.y) / py);
  const lastRow = Math.floor((bounds.y + bounds.height - py / 2 - centre.y) / py);
  const cols = Math.max(0, lastCol - firstCol + 1);
  const rows = Math.max(0, lastRow - firstRow + 1);
  const index = new ObstacleIndex(input.obstacles, Math.max(px, py));
  const cells: Array<Cell | null> = [];
  let freeCount = 0;
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const x = centre.x + (firstCol + col) * px;
      const y = centre.y + (firstRow + row) * py;
      const blocked = index.blocks(x - px / 2, y - py / 2, x + px / 2, y + py / 2);
      cells.push(blocked ? null : { index: row * cols + col, col, row, x, y });
      if (!blocked) freeCount++;
    }
  }
  const clamp = (n: number, max: number) => Math.min(Math.max(n, 0), Math.max(max - 1, 0));
  return { cols, rows, cells, centreCol: clamp(-firstCol, cols), centreRow: clamp(-firstRow, rows), freeCount };
}

/** Ray casting: true when `p` is inside the polygon. */
export function insidePolygon(p: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The order items are laid out in: by group, then by name, then by id, whatever order they came in. */
function compareItems(a: SpotRequest, b: SpotRequest): number {
  return byText(a.group, b.group) || byText(a.name.toLowerCase(), b.name.toLowerCase()) || a.id - b.id;
}

/**
 * Free cells for one area's items: first those inside the area nearest its middle, then (when the area is full)
 * the free cells nearest its middle outside it, found ring by ring around it.
 */
function cellsForArea(grid: Grid, taken: Set<number>, polygon: readonly Point[], wanted: number): Cell[] {
  const inside = grid.cells.filter((c): c is Cell => c !== null && !taken.has(c.index) && insidePolygon(c, polygon));
  const middle = inside.length > 0 ? average(inside) : average(polygon);
  const distance = (c: Cell) => (c.x - middle.x) ** 2 + (c.y - middle.y) ** 2;
  const chosen = inside.sort((a, b) => distance(a) - distance(b) || a.index - b.index).slice(0, wanted);
  if (chosen.length === wanted || grid.cols === 0 || grid.rows === 0) return chosen;
  const picked = new Set(chosen.map((c) => c.index));
  const start = nearestCell(grid, middle);
  const maxRing = Math.max(grid.cols, grid.rows);
  for (let ring = 0; ring <= maxRing && chosen.length < wanted; ring++) {
    const ringCells: Cell[] = [];
    for (let row = start.row - ring; row <= start.row + ring; row++) {
      for (let col = start.col - ring; col <= start.col + ring; col++) {
        if (Math.max(Math.abs(row - start.row), Math.abs(col - start.col)) !== ring) continue;
        if (row < 0 || col < 0 || row >= grid.rows || col >= grid.cols) continue;
        const cell = grid.cells[row * grid.cols + col];
        if (cell && !taken.has(cell.index) && !picked.has(cell.index)) ringCells.push(cell);
      }
    }
    ringCells.sort((a, b) => distance(a) - distance(b) || a.index - b.index);
    chosen.push(...ringCells.slice(0, wanted - chosen.length));
  }
  return chosen;
}

function average(points: readonly Point[]): Point {
  const sum = points.reduce((acc, p) => ({ x: acc.x + p.x, y: acc.y + p.y }), { x: 0, y: 0 });
  return { x: sum.x / Math.max(points.length, 1), y: sum.y / Math.max(points.length, 1) };
}

function nearestCell(grid: Grid, p: Point): { col: number; row: number } {
  let best = { col: grid.centreCol, row: grid.centreRow };
  let bestDistance = Infinity;
  for (let row = 0; row < grid.rows; row++) {
    for (let col = 0; col < grid.cols; col++) {
      const cell = grid.cells[row * grid.cols + col];
      if (!cell) continue;
      const d = (cell.x - p.x) ** 2 + (cell.y - p.y) ** 2;
      if (d < bestDistance) [best, bestDistance] = [{ col, row }, d];
    }
  }
  return best;
}

/**
 * Free cells for items without an area: the smallest rectangle of cells around the gathering point (shaped like the
 * bounds) that holds enough free cells, read row by row, so that each group forms a run and the whole a tidy block.
 */
function trayCells(grid: Grid, taken: Set<number>, wanted: number, aspect: number, pitchRatio: number): Cell[] {
  if (wanted === 0 || grid.cols === 0 || grid.rows === 0) return [];
  let [halfCols, halfRows] = [0, 0];
  const freeIn = (): Cell[] => {
    const cells: Cell[] = [];
    for (let row = Math.max(0, grid.centreRow - halfRows); row <= Math.min(grid.rows - 1, grid.centreRow + halfRows); row++) {
      for (let col = Math.max(0, grid.centreCol - halfCols); col <= Math.min(grid.cols - 1, grid.centreCol + halfCols); col++) {
        const cell = grid.cells[row * grid.cols + col];
        if (cell && !taken.has(cell.index)) cells.push(cell);
      }
    }
    return cells;
  };
  // Each step widens or heightens the rectangle by a cell on both sides; it covers the grid after cols + rows steps.
  for (let step = 0; step <= grid.cols + grid.rows; step++) {
    const cells = freeIn();
    if (cells.length >= wanted) return cells.slice(0, wanted);
    const coversCols = halfCols >= Math.max(grid.centreCol, grid.cols - 1 - grid.centreCol);
    const coversRows = halfRows >= Math.max(grid.centreRow, grid.rows - 1 - grid.centreRow);
    if (coversCols && coversRows) return cells;
    const tooNarrow = ((2 * halfCols + 1) * pitchRatio) / (2 * halfRows + 1) < aspect;
    if (coversRows || (!coversCols && tooNarrow)) halfCols++;
    else halfRows++;
  }
  return freeIn().slice(0, wanted);
}

/**
 * Plans free spots for new icons: on a grid that keeps clear of every obstacle and of each other, inside the
 * bounds; items of a known area inside (or, when it is full, next to) that area, the others in a block around the
 * gathering point, grouped. When the view is too crowded for full-size icons, the grid (and the icons) shrink step
 * by step; items that find no spot even at the smallest step are answered as unplaced. The same input always gives
 * the same plan.
 */
export function planFreeSpots(input: FreeSpotInput): FreeSpotPlan {
  const centre = input.centre ?? { x: input.bounds.x + input.bounds.width / 2, y: input.bounds.y + input.bounds.height / 2 };
  const areas = new Map(input.areas.filter((a) => a.polygon.length >= 3).map((a) => [a.name, a.polygon.slice(0, MAX_AREA_POINTS)]));
  const items = [...input.items].sort(compareItems);
  const attempts = SPACINGS.flatMap((spacing) => SCALE_STEPS.map((step) => [step, spacing] as const));
  let grid = buildGrid(input, SCALE_STEPS[0]!, centre, 'roomy');
  let scale = SCALE_STEPS[0]!;
  for (const [step, spacing] of attempts.slice(1)) {
    if (grid.freeCount >= items.length) break;
    grid = buildGrid(input, step, centre, spacing);
    scale = step;
  }

  const taken = new Set<number>();
  const spots: FreeSpot[] = [];
  const place = (item: SpotRequest, cell: Cell) => {
    taken.add(cell.index);
    spots.push({ id: item.id, x: round1(cell.x), y: round1(cell.y) });
  };
  const byArea = new Map<string, SpotRequest[]>();
  const rest: SpotRequest[] = [];
  for (const item of items) {
    if (item.area === null || !areas.has(item.area)) {
      rest.push(item);
      continue;
    }
    const members = byArea.get(item.area);
    if (members) members.push(item);
    else byArea.set(item.area, [item]);
  }
  const leftOver: SpotRequest[] = [];
  for (const name of [...byArea.keys()].sort(byText)) {
    const members = byArea.get(name)!;
    const cells = cellsForArea(grid, taken, areas.get(name)!, members.length);
    members.forEach((item, i) => (cells[i] ? place(item, cells[i]) : leftOver.push(item)));
  }
  const pitchRatio = PITCH_X / PITCH_Y;
  const tray = trayCells(grid, taken, rest.length, input.bounds.width / input.bounds.height, pitchRatio);
  rest.forEach((item, i) => (tray[i] ? place(item, tray[i]) : leftOver.push(item)));
  return { scale, spots, unplaced: leftOver.map((item) => item.id) };
}

/** The disc of an icon already on the plan, as an obstacle. */
export function iconObstacle(x: number, y: number, scale: number, iconUnit: number, minDisc = 0): Obstacle {
  return { x, y, radius: Math.max(iconUnit * PLAN_ICON_DISC_RADIUS * scale, minDisc / 2) };
}

const WORD_BREAKS = /[^\p{L}\p{N}]+/gu;
const words = (text: string): string => ` ${text.toLowerCase().replace(WORD_BREAKS, ' ').trim()} `;

/**
 * The area an item's name says it is in: the longest area name found in it as whole words ("Main bedroom light"
 * is in "Main bedroom", not in "Bedroom"), or null.
 */
export function areaNamed(itemName: string, areaNames: readonly string[]): string | null {
  const name = words(itemName);
  let best: string | null = null;
  for (const area of areaNames) {
    const wanted = words(area);
    if (wanted.trim() === '' || !name.includes(wanted)) continue;
    if (best === null || wanted.length > words(best).length) best = area;
  }
  return best;
}
