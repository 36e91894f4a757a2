import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { HISTORY_RANGE_MS, HistoryRange, MAX_HISTORY_BUCKETS } from '../src-shared/model/history';
import { recentSensorHistory } from '../src-main/modules/entity/models';
import { HistoryRollup } from '../src-main/modules/history/history-rollup';
import { HistorySeriesHelper } from '../src-main/modules/history/history-series-helper';
import { openStore } from '../src-main/store/database';
import { migrateToLatest } from '../src-main/store/migrations';
import { percentile, reportFigure, runBench } from './bench-support';

const ROWS = 10_000_000;
const SENSORS = 1_000;
const QUERIES = 2_000;
const LIMIT = 100;
/** The worst case for charts: one sensor writing a reading every 0.86 s for 30 days (3M rows), and a busy motion sensor. */
const BUSY_NUMERIC_ROWS = 3_000_000;
const BUSY_ENUMERATED_ROWS = 1_000_000;
const BUSY_NUMERIC_SENSOR = 1;
const BUSY_ENUMERATED_SENSOR = 2;
const SPAN_MS = 30 * 86_400_000;
const END = 1_700_000_000_000 + SPAN_MS;
const SERIES_QUERIES = 30;
const BASELINE_QUERIES = 3;

/**
 * Latest 100 history rows of one sensor in a 10M-row sensor_history (the detail panel's list), then the chart's
 * series over each range, including the busy-sensor worst case.
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-history-'));
  const store = openStore(path.join(dir, 'bench.sqlite'));
  try {
    await migrateToLatest(store.db);
    const { sqlite } = store;
    const started = performance.now();
    sqlite.exec(`
      insert into location (name, svg_view_box_str, created_at, updated_at) values ('bench', '0 0 100 100', 0, 0);
      with recursive n(i) as (select 1 union all select i + 1 from n where i < ${SENSORS})
      insert into entity (name, entity_type_str, created_at, updated_at) select 'e' || i, 'temperature_sensor', 0, 0 from n;
      insert into entity_state (entity_id, entity_state_type_str, name, created_at) select id, 'temperature', 't', 0 from entity;
      insert into sensor (entity_state_id, name, integration_name, integration_id, created_at) select id, 's', 'bench', 'sensor.' || id, 0 from entity_state;
    `);
    sqlite.prepare(`update entity_state set entity_state_type_str = 'movement' where id = (select entity_state_id from sensor where id = ?)`).run(BUSY_ENUMERATED_SENSOR);
    fillHistory(sqlite);
    sqlite.pragma('optimize');
    console.log(`filled ${ROWS.toLocaleString()} rows over ${SENSORS} sensors in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const raw = sqlite.prepare('select value, ts from sensor_history where sensor_id = ? order by ts desc limit ?');
    const sensorIds = Array.from({ length: QUERIES }, (_, i) => ((i * 7919) % SENSORS) + 1);
    const rawTimes: number[] = [];
    for (const sensorId of sensorIds) {
      const t0 = performance.now();
      const rows = raw.all(sensorId, LIMIT);
      rawTimes.push(performance.now() - t0);
      if (rows.length !== LIMIT) throw new Error(`expected ${LIMIT} rows, got ${rows.length}`);
    }
    const appTimes: number[] = [];
    for (const sensorId of sensorIds) {
      const t0 = performance.now();
      const rows = await recentSensorHistory(store.db, sensorId, LIMIT);
      appTimes.push(performance.now() - t0);
      if (rows.length !== LIMIT) throw new Error(`expected ${LIMIT} rows, got ${rows.length}`);
    }
    const report = (label: string, times: number[]) => {
      const sorted = [...times].sort((a, b) => a - b);
      console.log(`  ${label}  p50 ${(percentile(sorted, 50) * 1000).toFixed(0)} µs  p99 ${(percentile(sorted, 99) * 1000).toFixed(0)} µs  max ${(sorted.at(-1)! * 1000).toFixed(0)} µs`);
    };
    console.log(`latest ${LIMIT} rows of one sensor, ${QUERIES} queries on random sensors:`);
    report('better-sqlite3 prepared statement ', rawTimes);
    report('app query (kysely, recentSensorHistory)', appTimes);

    chartSeries(sqlite);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Time-ordered across sensors, as a live home writes it, over 30 days: the two busy sensors at their pace and the
 * other sensors' readings spread between them.
 */
function fillHistory(sqlite: BetterSqlite3.Database): void {
  const insert = sqlite.prepare('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)');
  const others = SENSORS - 2;
  const batch = sqlite.transaction((fromTick: number, toTick: number) => {
    for (let tick = fromTick; tick < toTick; tick++) {
      const ts = END - SPAN_MS + Math.floor((tick * SPAN_MS) / BUSY_NUMERIC_ROWS);
      insert.run(BUSY_NUMERIC_SENSOR, String(20 + (tick % 97) / 10), ts);
      const enumeratedTick = Math.floor((tick * BUSY_ENUMERATED_ROWS) / BUSY_NUMERIC_ROWS);
      if (Math.floor(((tick + 1) * BUSY_ENUMERATED_ROWS) / BUSY_NUMERIC_ROWS) > enumeratedTick) {
        insert.run(BUSY_ENUMERATED_SENSOR, enumeratedTick % 2 === 0 ? 'active' : 'idle', ts);
      }
      const otherRows = ROWS - BUSY_NUMERIC_ROWS - BUSY_ENUMERATED_ROWS;
      const fromRow = Math.floor((tick * otherRows) / BUSY_NUMERIC_ROWS);
      const toRow = Math.floor(((tick + 1) * otherRows) / BUSY_NUMERIC_ROWS);
      for (let row = fromRow; row < toRow; row++) insert.run(3 + (row % others), String(15 + (row % 89) / 10), ts);
    }
  });
  for (let tick = 0; tick < BUSY_NUMERIC_ROWS; tick += 50_000) batch(tick, Math.min(BUSY_NUMERIC_ROWS, tick + 50_000));
}

function msSummary(times: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)! };
}

/** The chart's series query over each range: the minute rollup built first (timed), then each range on three sensors. */
function chartSeries(sqlite: BetterSqlite3.Database): void {
  const rollup = new HistoryRollup(sqlite);
  const rollStarted = performance.now();
  let rolled = 0;
  for (let run = 0; run < 10_000; run++) {
    const taken = rollup.catchUp();
    rolled += taken;
    if (taken === 0) break;
  }
  const rollSeconds = (performance.now() - rollStarted) / 1000;
  console.log(`rolled up ${rolled.toLocaleString()} rows into minutes in ${rollSeconds.toFixed(1)} s (${Math.round(rolled / rollSeconds).toLocaleString()} rows/s, off the ingest path)`);
  reportFigure({ measure: 'history rollup catch-up (rows/s)', value: Math.round(rolled / rollSeconds), unit: 'rows/s', goal: '> 100,000 rows/s', met: rolled / rollSeconds > 100_000 });

  const helper = new HistorySeriesHelper(sqlite, rollup, { now: () => END });
  const stateOf = sqlite.prepare<[number], { id: number }>('select entity_state_id as id from sensor where id = ?');
  const sensors = [
    { label: 'busy numeric (3M rows / 30 d)', stateId: stateOf.get(BUSY_NUMERIC_SENSOR)!.id, sensorId: BUSY_NUMERIC_SENSOR },
    { label: 'busy on/off (1M rows / 30 d)', stateId: stateOf.get(BUSY_ENUMERATED_SENSOR)!.id, sensorId: BUSY_ENUMERATED_SENSOR },
    { label: 'ordinary numeric (~6k rows / 30 d)', stateId: stateOf.get(500)!.id, sensorId: 500 },
  ];
  const naive = sqlite.prepare(
    `select min(cast(value as real)) as lo, max(cast(value as real)) as hi, avg(cast(value as real)) as mean from sensor_history
     where sensor_id = ? and ts >= ? and ts < ? group by (ts - ?) / ?`,
  );
  let worstP99 = 0;
  console.log(`chart series, ${MAX_HISTORY_BUCKETS} buckets asked, ${SERIES_QUERIES} queries each (ms):`);
  for (const range of HistoryRange.members) {
    for (const sensor of sensors) {
      const times: number[] = [];
      let size = 0;
      for (let q = 0; q < SERIES_QUERIES; q++) {
        const t0 = performance.now();
        const answer = helper.series({ stateId: sensor.stateId, range: range.value, buckets: MAX_HISTORY_BUCKETS });
        times.push(performance.now() - t0);
        size = answer.kind === 'numeric' ? answer.buckets.length : answer.runs.length;
      }
      const { p50, p99, max } = msSummary(times);
      worstP99 = Math.max(worstP99, p99);
      console.log(`  ${range.label.padEnd(5)} ${sensor.label.padEnd(36)} p50 ${p50.toFixed(2)}  p99 ${p99.toFixed(2)}  max ${max.toFixed(2)}  (${size} points)`);
    }
    // Baseline: the obvious GROUP BY over raw rows of the busy sensor, which reads every row in the range.
    const rangeMs = HISTORY_RANGE_MS[range.value];
    const bucketMs = Math.ceil(rangeMs / MAX_HISTORY_BUCKETS);
    const baseline: number[] = [];
    for (let q = 0; q < BASELINE_QUERIES; q++) {
      const t0 = performance.now();
      naive.all(BUSY_NUMERIC_SENSOR, END - rangeMs, END + 1, END - rangeMs, bucketMs);
      baseline.push(performance.now() - t0);
    }
    const { p50 } = msSummary(baseline);
    console.log(`  ${range.label.padEnd(5)} ${'raw GROUP BY baseline, busy numeric'.padEnd(36)} median ${p50.toFixed(1)} of ${BASELINE_QUERIES}`);
  }
  reportFigure({ measure: 'history chart query, worst range (p99)', value: worstP99, unit: 'ms', goal: '< 100 ms', met: worstP99 < 100 });
}

runBench(main);
