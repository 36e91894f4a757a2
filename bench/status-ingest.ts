import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hub } from '../src-main/hub';
import { stateIntegrationId, type UpstreamEntity, type UpstreamValues } from '../src-main/integrations/upstream';
import { syncIntegration } from '../src-main/modules/integration/integration-sync';
import { DEFAULT_HISTORY_BATCHER } from '../src-main/modules/status/history-batcher';
import { readRuntimeConfig } from '../src-main/runtime-config';
import { reportFigure, runBench } from './bench-support';

const INTEGRATION = 'bench';
const SENSORS = 2_000;
const CHANGES = 100_000;
/** Changes per ingest call, as an integration's burst hands them over. */
const INGEST_BATCH = 500;
/** Each round runs every side once, in an order rotated from round to round. */
const ROUNDS = 6;
const GOAL = 0.9;
const TS_BASE = 1_700_000_000_000;

const upstreamIdOf = (sensor: number) => `sensor.${INTEGRATION}_${sensor}`;

function upstream(): UpstreamEntity[] {
  return Array.from({ length: SENSORS }, (_, i) => ({
    upstreamId: upstreamIdOf(i),
    domain: 'sensor',
    name: `Bench ${i}`,
    entityType: 'temperature_sensor',
    hasVideoStream: false,
    payload: {},
    states: [{ key: 'value', stateType: 'temperature', name: 'Temperature', value: '20', units: '°C', controllable: false }],
  }));
}

/**
 * The rows of one round: every change a new value (none is dropped as unchanged, the pipeline's worst case for history
 * writes), time moving forward from round to round as it does in a home. Every side writes exactly these rows.
 */
function rowsOf(round: number): Array<{ sensor: number; value: string; ts: number }> {
  return Array.from({ length: CHANGES }, (_, i) => ({ sensor: i % SENSORS, value: `${round}.${i}`, ts: TS_BASE + round * CHANGES + i }));
}

interface Run {
  rowsPerSecond: number;
  rowsPerCpuSecond: number;
}

/** Times `work` by the wall clock and by this process's CPU time, from a clean start: no garbage left, an empty WAL. */
function timed(hub: Hub, work: () => void): Run {
  globalThis.gc?.();
  hub.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rowsPerSecond: CHANGES / seconds, rowsPerCpuSecond: CHANGES / ((cpu.user + cpu.system) / 1e6) };
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const spread = (xs: readonly number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;

type RawRow = readonly [sensorId: number, value: string, ts: number];

async function main(): Promise<void> {
  if (!globalThis.gc) console.warn('Run with --expose-gc (npm run bench does) so that neither side pays for the garbage of the other.');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-ingest-'));
  const hub = await Hub.open({ runtime: readRuntimeConfig([], { HI_SUPPRESS_MONITORS: '1' }, { dataDir: dir, version: 'bench' }) });
  await hub.start();
  try {
    await hub.store.db.transaction().execute((trx) =>
      syncIntegration(trx, INTEGRATION, upstream(), { domains: new Set(['sensor']), entities: new Set() }, Date.now()),
    );
    hub.statuses.reloadLinks();
    const sensorIdByIntegrationId = new Map(
      (hub.store.sqlite.prepare('select integration_id, id from sensor where integration_name = ?').all(INTEGRATION) as Array<{ integration_id: string; id: number }>).map(
        (r) => [r.integration_id, r.id],
      ),
    );
    const sensorIds = Array.from({ length: SENSORS }, (_, i) => sensorIdByIntegrationId.get(stateIntegrationId(upstreamIdOf(i), 'value'))!);
    const sqlite = hub.store.sqlite;
    // Raw better-sqlite3 writes of the same rows: a prepared insert per row, in transactions of the batcher's size.
    // (Statements of 100 rows each measured about 10 % slower per row than this, with this table's indexes and key.)
    const insertRow = sqlite.prepare<[number, string, number]>('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)');
    const rawPerRow = sqlite.transaction((rows: readonly RawRow[]) => {
      for (const [sensorId, value, ts] of rows) insertRow.run(sensorId, value, ts);
    });
    const countRows = sqlite.prepare('select count(*) from sensor_history').pluck();

    const runPipeline = (round: number): Run => {
      const input: UpstreamValues[][] = [];
      const rows = rowsOf(round);
      for (let from = 0; from < CHANGES; from += INGEST_BATCH) {
        input.push(rows.slice(from, from + INGEST_BATCH).map((r) => ({ upstreamId: upstreamIdOf(r.sensor), values: [{ key: 'value', value: r.value }], ts: r.ts })));
      }
      let accepted = 0;
      const run = timed(hub, () => {
        for (const batch of input) accepted += hub.statuses.ingest(INTEGRATION, batch);
        hub.statuses.flushHistory();
        hub.coalescer.flush();
      });
      if (accepted !== CHANGES) throw new Error(`The pipeline accepted ${accepted} of ${CHANGES} changes`);
      return run;
    };
    const runRaw = (round: number): Run => {
      const batches: RawRow[][] = [];
      const rows = rowsOf(round);
      for (let from = 0; from < CHANGES; from += DEFAULT_HISTORY_BATCHER.maxBatch) {
        batches.push(rows.slice(from, from + DEFAULT_HISTORY_BATCHER.maxBatch).map((r) => [sensorIds[r.sensor]!, r.value, r.ts] as const));
      }
      return timed(hub, () => {
        for (const batch of batches) rawPerRow(batch);
      });
    };

    const sides = [
      { name: 'status pipeline (ingest → batcher → history)', run: runPipeline, runs: [] as Run[] },
      { name: 'raw better-sqlite3, an insert per row', run: runRaw, runs: [] as Run[] },
    ];
    const [pipeline, raw] = sides as [(typeof sides)[0], (typeof sides)[0]];
    // The table (and its indexes) grows with every run, so the later run of a round writes into a larger one:
    // alternating the order puts each side first equally often.
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(round + k) % sides.length]!;
        side.runs.push(side.run(round));
      }
    }
    const expectedRows = sides.length * ROUNDS * CHANGES;
    if (countRows.get() !== expectedRows) throw new Error(`sensor_history holds ${String(countRows.get())} rows, not ${expectedRows}`);

    console.log(`History ingest into sensor_history: ${CHANGES.toLocaleString()} changed values over ${SENSORS} sensors per run, ${ROUNDS} rounds, the same rows into the same table:`);
    const rate = (runs: readonly Run[], pick: (r: Run) => number) => Math.round(median(runs.map(pick))).toLocaleString().padStart(9);
    for (const side of sides) {
      console.log(`  ${side.name.padEnd(46)} ${rate(side.runs, (r) => r.rowsPerSecond)} rows/s  ${rate(side.runs, (r) => r.rowsPerCpuSecond)} rows per CPU-second (medians)`);
    }
    // The pipeline's rate over the raw one, round by round: the same rows, written one right after the other.
    const ratios = (pick: (r: Run) => number) => pipeline.runs.map((p, i) => pick(p) / pick(raw.runs[i]!));
    const wall = ratios((r) => r.rowsPerSecond);
    const cpu = ratios((r) => r.rowsPerCpuSecond);
    console.log(`  ratio by wall clock ${median(wall).toFixed(2)} (rounds ${spread(wall)}), by CPU time ${median(cpu).toFixed(2)} (rounds ${spread(cpu)})`);
    const ratio = median(wall);
    reportFigure({ measure: 'history ingest vs raw better-sqlite3', value: ratio, unit: '×', goal: `≥ ${GOAL}`, met: ratio >= GOAL });
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
