import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hub } from '../src-main/hub';
import type { UpstreamEntity, UpstreamValues } from '../src-main/integrations/upstream';
import { syncIntegration } from '../src-main/modules/integration/integration-sync';
import { readRuntimeConfig } from '../src-main/runtime-config';

const SENSORS = 2_000;
const CHANGES = 400_000;
const BATCH = 500;
const ROUNDS = 4;

function upstream(): UpstreamEntity[] {
  return Array.from({ length: SENSORS }, (_, i) => ({
    upstreamId: `sensor.bench_${i}`,
    domain: 'sensor',
    name: `Bench ${i}`,
    entityType: 'temperature_sensor',
    hasVideoStream: false,
    payload: {},
    states: [{ key: 'value', stateType: 'temperature', name: 'Temperature', value: '20', units: '°C', controllable: false }],
  }));
}

/** Every change a new value, so none is dropped as unchanged: the pipeline's worst case for history writes. */
function changes(round: number): UpstreamValues[][] {
  const batches: UpstreamValues[][] = [];
  for (let from = 0; from < CHANGES; from += BATCH) {
    const batch: UpstreamValues[] = [];
    for (let i = from; i < from + BATCH; i++) {
      batch.push({ upstreamId: `sensor.bench_${i % SENSORS}`, values: [{ key: 'value', value: `${round}.${i}` }], ts: 1_700_000_000_000 + i });
    }
    batches.push(batch);
  }
  return batches;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-ingest-'));
  const hub = await Hub.open({ runtime: readRuntimeConfig([], { HI_SUPPRESS_MONITORS: '1' }, { dataDir: dir, version: 'bench' }) });
  await hub.start();
  try {
    await hub.store.db.transaction().execute((trx) =>
      syncIntegration(trx, 'bench', upstream(), { domains: new Set(['sensor']), entities: new Set() }, Date.now()),
    );
    await hub.statuses.reloadLinks();
    const sensorIds = (hub.store.sqlite.prepare('select id from sensor order by id').all() as Array<{ id: number }>).map((r) => r.id);
    const insert = hub.store.sqlite.prepare('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)');
    const rawBatch = hub.store.sqlite.transaction((rows: ReadonlyArray<readonly [number, string, number]>) => {
      for (const [sensorId, value, ts] of rows) insert.run(sensorId, value, ts);
    });

    const pipelineRates: number[] = [];
    const rawRates: number[] = [];
    const runPipeline = (round: number) => {
      const input = changes(round);
      const t0 = performance.now();
      let accepted = 0;
      for (const batch of input) accepted += hub.statuses.ingest('bench', batch);
      hub.statuses.flushHistory();
      hub.coalescer.flush();
      if (accepted !== CHANGES) throw new Error(`pipeline accepted ${accepted} of ${CHANGES}`);
      pipelineRates.push(accepted / ((performance.now() - t0) / 1000));
    };
    const runRaw = (round: number) => {
      const batches: Array<Array<readonly [number, string, number]>> = [];
      for (let from = 0; from < CHANGES; from += 5_000) {
        const batch: Array<readonly [number, string, number]> = [];
        for (let i = from; i < from + 5_000; i++) batch.push([sensorIds[i % SENSORS]!, `raw${round}.${i}`, 1_700_000_000_000 + i]);
        batches.push(batch);
      }
      const t0 = performance.now();
      for (const batch of batches) rawBatch(batch);
      rawRates.push(CHANGES / ((performance.now() - t0) / 1000));
    };
    // Alternate which goes first: the table (and its indexes) grows with every round.
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        runPipeline(round);
        runRaw(round);
      } else {
        runRaw(round);
        runPipeline(round);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const pipeline = median(pipelineRates);
    const raw = median(rawRates);
    console.log(`sensor-response ingest into sensor_history, ${CHANGES.toLocaleString()} changed values over ${SENSORS} sensors, median of ${ROUNDS} rounds:`);
    console.log(`  status pipeline (ingest → batcher → history)   ${Math.round(pipeline).toLocaleString()} rows/s`);
    console.log(`  raw better-sqlite3 batched inserts, same table ${Math.round(raw).toLocaleString()} rows/s`);
    console.log(`  ratio ${(pipeline / raw).toFixed(2)} (goal ≥ 0.70)`);
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
