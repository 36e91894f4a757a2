import type BetterSqlite3 from 'better-sqlite3';
import { IpcError } from '../../../src-shared/ipc/errors';
import {
  HISTORY_RANGE_MS,
  historyKindOf,
  isNoValue,
  type HistorySeries,
  type HistorySeriesArg,
  type NumericBucket,
  type StateRun,
} from '../../../src-shared/model/history';
import type { Clock } from '../../util/clock';
import type { HistoryRollup } from './history-rollup';
import { HOUR_MS, MINUTE_MS, ROLLUP_LEVELS, type SensorHistoryRollupTable } from './models';
import { readNumeric } from './reading';

/** Raw rows read at most for one answer; past it numbers come from the rollups and runs from index seeks. */
export const RAW_ROW_LIMIT = 20_000;
/** How far back to look past unreadable text for the value held at a range's start. */
const CARRY_LOOKBACK_ROWS = 50;

/** Readings folded into one step: a raw row, or one rolled-up minute or hour. */
interface NumericStep {
  ts: number;
  numericCount: number;
  min: number | null;
  max: number | null;
  sum: number | null;
  /** The value held after this step: a number, or null for no value. */
  last: number | null;
}

/** A rolled-up minute or hour as the chart reads it: the table's row without its key. */
type RollupRow = Omit<SensorHistoryRollupTable, 'sensor_id' | 'bucket_ts'>;

interface Grid {
  start: number;
  bucketMs: number;
  count: number;
  to: number;
}

interface StateSource {
  sensorId: number | null;
  type: string;
  units: string | null;
}

/**
 * The bucket grid: epoch-aligned so that buckets of a range stay put as time moves on; past a minute (an hour) whole
 * minutes (hours), so that the rollups answer it.
 */
export function bucketGrid(to: number, rangeMs: number, buckets: number, minBucketMs = 1): Grid {
  let bucketMs = Math.max(minBucketMs, Math.ceil(rangeMs / buckets));
  const step = bucketMs >= HOUR_MS ? HOUR_MS : bucketMs >= MINUTE_MS ? MINUTE_MS : 1;
  bucketMs = Math.ceil(bucketMs / step) * step;
  const start = Math.floor((to - rangeMs) / bucketMs) * bucketMs;
  return { start, bucketMs, count: Math.ceil((to - start) / bucketMs), to };
}

/**
 * A state's history downsampled for a chart: numbers as min/max/avg per bucket, enumerated values as runs. History
 * holds changes only, so each value holds until the next row; the value held at the range's start is carried in.
 */
export class HistorySeriesHelper {
  private readonly stateSource: BetterSqlite3.Statement<[number], { sensorId: number | null; type: string; units: string | null }>;
  private readonly countInRange: BetterSqlite3.Statement<[number, number, number, number], { n: number }>;
  private readonly rowsInRange: BetterSqlite3.Statement<[number, number, number], { value: string | null; ts: number }>;
  private readonly rowsBefore: BetterSqlite3.Statement<[number, number, number], { value: string | null; ts: number }>;
  private readonly valueAt: BetterSqlite3.Statement<[number, number], { value: string | null }>;
  private readonly anyBetween: BetterSqlite3.Statement<[number, number, number], { one: number }>;
  private readonly rollupRows: ReadonlyArray<{ stepMs: number; statement: BetterSqlite3.Statement<[number, number, number], RollupRow> }>;
  private readonly unrolled: BetterSqlite3.Statement<[number, number, number, number], { value: string | null; ts: number }>;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly rollup: HistoryRollup,
    private readonly clock: Clock,
  ) {
    this.stateSource = sqlite.prepare(
      `select sensor.id as sensorId, entity_state.entity_state_type_str as type, entity_state.units as units
       from entity_state left join sensor on sensor.entity_state_id = entity_state.id where entity_state.id = ?`,
    );
    this.countInRange = sqlite.prepare('select count(*) as n from (select 1 from sensor_history where sensor_id = ? and ts >= ? and ts < ? limit ?)');
    this.rowsInRange = sqlite.prepare('select value, ts from sensor_history where sensor_id = ? and ts >= ? and ts < ? order by ts, id');
    this.rowsBefore = sqlite.prepare('select value, ts from sensor_history where sensor_id = ? and ts < ? order by ts desc limit ?');
    this.valueAt = sqlite.prepare('select value from sensor_history where sensor_id = ? and ts <= ? order by ts desc limit 1');
    this.anyBetween = sqlite.prepare('select 1 as one from sensor_history where sensor_id = ? and ts > ? and ts < ? limit 1');
    this.rollupRows = ROLLUP_LEVELS.map((level) => ({
      stepMs: level.stepMs,
      statement: sqlite.prepare(
        `select numeric_count, min_value, max_value, sum_value, last_ts, last_value from ${level.table}
         where sensor_id = ? and bucket_ts >= ? and bucket_ts < ? order by bucket_ts`,
      ),
    }));
    // Rows not rolled up yet, read by id (the unary + keeps the planner off the sensor index, which would walk the
    // whole range of a busy sensor): only the few newest rows are above the mark.
    this.unrolled = sqlite.prepare('select value, ts from sensor_history where id > ? and +sensor_id = ? and +ts >= ? and +ts < ? order by id');
  }

  series(arg: HistorySeriesArg): HistorySeries {
    const source = this.stateSource.get(arg.stateId) as StateSource | undefined;
    if (!source) throw IpcError.notFound(`State ${arg.stateId} does not exist`);
    const kind = historyKindOf(source.type);
    if (kind === null) throw IpcError.invalidArgument('This state keeps no history that can be charted.');
    const rangeMs = HISTORY_RANGE_MS[arg.range];
    const to = this.clock.now();
    const common = { stateId: arg.stateId, units: source.units };
    if (kind === 'numeric') {
      const { grid, buckets } = this.numeric(source.sensorId, to, rangeMs, arg.buckets);
      return { kind, ...common, from: grid.start, to, bucketMs: grid.bucketMs, buckets };
    }
    const { grid, runs } = this.enumerated(source.sensorId, to, rangeMs, arg.buckets);
    return { kind, ...common, from: grid.start, to, bucketMs: grid.bucketMs, runs };
  }

  private numeric(sensorId: number | null, to: number, rangeMs: number, buckets: number): { grid: Grid; buckets: NumericBucket[] } {
    let grid = bucketGrid(to, rangeMs, buckets);
    if (sensorId === null) return { grid, buckets: numericBuckets(grid, null, []) };
    // Sub-minute buckets read raw rows, unless the sensor is so busy that minutes must do.
    if (grid.bucketMs % MINUTE_MS !== 0 && this.countRows(sensorId, grid) > RAW_ROW_LIMIT) grid = bucketGrid(to, rangeMs, buckets, MINUTE_MS);
    const carry = this.numericHeldBefore(sensorId, grid.start);
    if (grid.bucketMs % MINUTE_MS !== 0) {
      const steps = this.rowsInRange.all(sensorId, grid.start, grid.to + 1).flatMap((row) => rawStep(row.value, row.ts));
      return { grid, buckets: numericBuckets(grid, carry, steps) };
    }
    // The coarsest rollup whose step divides the buckets: a 30-day chart reads hours, not 43,200 minutes.
    const level = this.rollupRows.findLast((l) => grid.bucketMs % l.stepMs === 0)!;
    const mark = this.rollup.mark;
    const steps: NumericStep[] = level.statement.all(sensorId, grid.start, grid.to + 1).map((m) => ({
      ts: m.last_ts,
      numericCount: m.numeric_count,
      min: m.min_value,
      max: m.max_value,
      sum: m.sum_value,
      last: readNumeric(m.last_value) ?? null,
    }));
    for (const row of this.unrolled.all(mark, sensorId, grid.start, grid.to + 1)) steps.push(...rawStep(row.value, row.ts));
    steps.sort((a, b) => a.ts - b.ts);
    return { grid, buckets: numericBuckets(grid, carry, steps) };
  }

  private enumerated(sensorId: number | null, to: number, rangeMs: number, buckets: number): { grid: Grid; runs: StateRun[] } {
    const grid = bucketGrid(to, rangeMs, buckets);
    if (sensorId === null) return { grid, runs: [{ value: null, from: grid.start, to, mixed: false }] };
    if (this.countRows(sensorId, grid) > RAW_ROW_LIMIT) return { grid, runs: this.sampledRuns(sensorId, grid) };
    const before = this.rowsBefore.get(sensorId, grid.start, 1);
    const changes = this.rowsInRange.all(sensorId, grid.start, grid.to + 1);
    return { grid, runs: foldRuns(exactRuns(grid, before ? before.value : null, changes), grid.bucketMs) };
  }

  /** For a busy sensor: the value at each bucket's start, and whether it changed inside the bucket (two index seeks). */
  private sampledRuns(sensorId: number, grid: Grid): StateRun[] {
    const runs: StateRun[] = [];
    for (let i = 0; i < grid.count; i++) {
      const from = grid.start + i * grid.bucketMs;
      const to = Math.min(grid.to, from + grid.bucketMs);
      const value = this.valueAt.get(sensorId, from)?.value ?? null;
      const changed = this.anyBetween.get(sensorId, from, to) !== undefined;
      runs.push({ value: isNoValue(value) ? null : value, from, to, mixed: changed });
    }
    return mergeRuns(runs);
  }

  private countRows(sensorId: number, grid: Grid): number {
    return this.countInRange.get(sensorId, grid.start, grid.to + 1, RAW_ROW_LIMIT + 1)?.n ?? 0;
  }

  /** The number held at `ts`: the newest reading before it, looking past unreadable text; null for no value. */
  private numericHeldBefore(sensorId: number, ts: number): number | null {
    for (const row of this.rowsBefore.all(sensorId, ts, CARRY_LOOKBACK_ROWS)) {
      const reading = readNumeric(row.value);
      if (reading !== undefined) return reading;
    }
    return null;
  }
}

function rawStep(value: string | null, ts: number): NumericStep[] {
  const reading = readNumeric(value);
  if (reading === undefined) return [];
  if (reading === null) return [{ ts, numericCount: 0, min: null, max: null, sum: null, last: null }];
  return [{ ts, numericCount: 1, min: reading, max: reading, sum: reading, last: reading }];
}

/** Folds time-ordered steps into the grid's buckets; each bucket also counts the value held at its start. */
export function numericBuckets(grid: Grid, carry: number | null, steps: readonly NumericStep[]): NumericBucket[] {
  const buckets: NumericBucket[] = [];
  let held = carry;
  let next = 0;
  for (let i = 0; i < grid.count; i++) {
    const t = grid.start + i * grid.bucketMs;
    const end = t + grid.bucketMs;
    let min = held;
    let max = held;
    let sum = held ?? 0;
    let count = held === null ? 0 : 1;
    for (; next < steps.length && steps[next]!.ts < end; next++) {
      const step = steps[next]!;
      if (step.numericCount > 0) {
        min = min === null ? step.min : Math.min(min, step.min!);
        max = max === null ? step.max : Math.max(max, step.max!);
        sum += step.sum!;
        count += step.numericCount;
      }
      held = step.last;
    }
    buckets.push({ t, min, max, avg: count > 0 ? sum / count : null });
  }
  return buckets;
}

/** Every change as a run up to the next one (or now), equal neighbours merged; no value reads as null. */
export function exactRuns(grid: Grid, carried: string | null, changes: ReadonlyArray<{ value: string | null; ts: number }>): StateRun[] {
  const runs: StateRun[] = [];
  let value = isNoValue(carried) ? null : carried;
  let from = grid.start;
  for (const change of changes) {
    const nextValue = isNoValue(change.value) ? null : change.value;
    if (nextValue === value) continue;
    if (change.ts > from) runs.push({ value, from, to: change.ts, mixed: false });
    value = nextValue;
    from = Math.max(from, change.ts);
  }
  if (grid.to > from) runs.push({ value, from, to: grid.to, mixed: false });
  return runs;
}

/**
 * Keeps the answer bounded: two or more neighbouring runs shorter than a bucket become one mixed run showing the value
 * held longest in it. Runs of a bucket or longer stay, so at most about twice the bucket count remain.
 */
export function foldRuns(runs: readonly StateRun[], bucketMs: number): StateRun[] {
  const folded: StateRun[] = [];
  let stretch: StateRun[] = [];
  const flush = () => {
    if (stretch.length === 1) folded.push(stretch[0]!);
    else if (stretch.length > 1) folded.push({ value: longestHeld(stretch), from: stretch[0]!.from, to: stretch.at(-1)!.to, mixed: true });
    stretch = [];
  };
  for (const run of runs) {
    if (run.to - run.from < bucketMs) stretch.push(run);
    else {
      flush();
      folded.push(run);
    }
  }
  flush();
  return folded;
}

/** Joins neighbours that say the same: equal plain runs, and mixed runs (keeping the value held longest). */
export function mergeRuns(runs: readonly StateRun[]): StateRun[] {
  const merged: StateRun[] = [];
  let group: StateRun[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const first = group[0]!;
    const value = first.mixed ? longestHeld(group) : first.value;
    merged.push({ value, from: first.from, to: group.at(-1)!.to, mixed: first.mixed });
    group = [];
  };
  for (const run of runs) {
    const last = group.at(-1);
    if (last && !(last.mixed === run.mixed && (run.mixed || last.value === run.value))) flush();
    group.push(run);
  }
  flush();
  return merged;
}

function longestHeld(runs: readonly StateRun[]): string | null {
  const held = new Map<string | null, number>();
  for (const run of runs) held.set(run.value, (held.get(run.value) ?? 0) + (run.to - run.from));
  let best: string | null = runs[0]!.value;
  let bestMs = -1;
  for (const [value, ms] of held) {
    if (ms > bestMs) {
      best = value;
      bestMs = ms;
    }
  }
  return best;
}
