import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recentSensorHistory } from '../src-main/modules/entity/models';
import { openStore } from '../src-main/store/database';
import { migrateToLatest } from '../src-main/store/migrations';
import { percentile } from './bench-support';

const ROWS = 10_000_000;
const SENSORS = 1_000;
const QUERIES = 2_000;
const LIMIT = 100;

/** Latest 100 history rows of one sensor in a 10M-row sensor_history: the detail panel's and charts' hot query. */
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
    // Time-ordered across sensors, as a live home writes it: one reading of every sensor per tick.
    const insert = sqlite.prepare('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)');
    const batch = sqlite.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) insert.run((i % SENSORS) + 1, String(20 + (i % 97) / 10), 1_700_000_000_000 + Math.floor(i / SENSORS) * 60_000);
    });
    for (let from = 0; from < ROWS; from += 200_000) batch(from, Math.min(ROWS, from + 200_000));
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
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
