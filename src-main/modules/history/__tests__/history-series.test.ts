import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistorySeries, NumericBucket, StateRun } from '../../../../src-shared/model/history';
import { createTestHub, TestClock, type TestHub } from '../../../test-support/test-hub';
import { HistoryRollup } from '../history-rollup';
import { RAW_ROW_LIMIT } from '../history-series-helper';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;
const S = 1_000;

let t: TestHub;

beforeEach(async () => {
  t = await createTestHub({ clock: new TestClock(NOW) });
});
afterEach(async () => {
  await t.close();
});

/** An entity with one state of `type` and its sensor; answers the state and sensor ids. */
function addSensor(type: string, name = type): { stateId: number; sensorId: number } {
  const { sqlite } = t.hub.store;
  const entityId = Number(sqlite.prepare(`insert into entity (name, entity_type_str, created_at, updated_at) values (?, 'other', 0, 0)`).run(name).lastInsertRowid);
  const stateId = Number(
    sqlite.prepare(`insert into entity_state (entity_id, entity_state_type_str, name, units, created_at) values (?, ?, ?, ?, 0)`).run(entityId, type, name, type === 'temperature' ? '°C' : null)
      .lastInsertRowid,
  );
  const sensorId = Number(
    sqlite.prepare(`insert into sensor (entity_state_id, name, integration_name, integration_id, created_at) values (?, ?, 'test', ?, 0)`).run(stateId, name, `test.${stateId}`)
      .lastInsertRowid,
  );
  return { stateId, sensorId };
}

function record(sensorId: number, rows: ReadonlyArray<readonly [ts: number, value: string | null]>): void {
  const insert = t.hub.store.sqlite.prepare('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)');
  t.hub.store.sqlite.transaction(() => rows.forEach(([ts, value]) => insert.run(sensorId, value, ts)))();
}

async function series(arg: Record<string, unknown>): Promise<HistorySeries> {
  const response = await t.invoke('entity.history.series', arg);
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
  return response.value as HistorySeries;
}

const flat = (v: number): Omit<NumericBucket, 't'> => ({ min: v, max: v, avg: v });
const gap = { min: null, max: null, avg: null };

describe('numeric history series', () => {
  // start of the hour range; its buckets are 36 s wide.
  const start = NOW - HOUR;
  const handMade = (sensorId: number) =>
    record(sensorId, [
      [start - 300 * S, '20'],
      [start + 10 * S, '22'],
      [start + 40 * S, 'not a number'],
      [start + 80 * S, 'unavailable'],
      [start + 200 * S, '18.5'],
      [start + 210 * S, '19.5'],
    ]);

  it('buckets raw rows: the held value carries in, unreadable text is skipped, unavailable is a gap', async () => {
    const { stateId, sensorId } = addSensor('temperature');
    handMade(sensorId);
    const s = await series({ stateId, range: 'hour', buckets: 100 });
    if (s.kind !== 'numeric') throw new Error(s.kind);
    expect({ from: s.from, to: s.to, bucketMs: s.bucketMs, count: s.buckets.length, units: s.units }).toEqual({
      from: start,
      to: NOW,
      bucketMs: 36 * S,
      count: 100,
      units: '°C',
    });
    expect(s.buckets.slice(0, 7).map(({ t: _t, ...rest }) => rest)).toEqual([
      { min: 20, max: 22, avg: 21 },
      flat(22), // 'not a number' changes nothing
      flat(22), // held 22 at the start, then unavailable
      gap,
      gap,
      { min: 18.5, max: 19.5, avg: 19 },
      flat(19.5),
    ]);
    expect(s.buckets.at(-1)).toEqual({ t: NOW - 36 * S, ...flat(19.5) });
  });

  it('answers the same minute buckets from the rollup, from raw rows not rolled up yet, and from a mix', async () => {
    const { stateId, sensorId } = addSensor('temperature');
    handMade(sensorId);
    const expectDay = async () => {
      const s = await series({ stateId, range: 'day', buckets: 360 });
      if (s.kind !== 'numeric') throw new Error(s.kind);
      expect(s.bucketMs).toBe(240 * S);
      expect(s.buckets).toHaveLength(360);
      const at = (ts: number) => s.buckets.find((b) => b.t === ts);
      expect(at(start - 720 * S)).toEqual({ t: start - 720 * S, ...gap }); // before the first record
      expect(at(start - 480 * S)).toEqual({ t: start - 480 * S, ...flat(20) });
      expect(at(start - 240 * S)).toEqual({ t: start - 240 * S, ...flat(20) });
      // 20 held in, then 22, 18.5 and 19.5; the text and 'unavailable' between them fall inside the one bucket.
      expect(at(start)).toEqual({ t: start, min: 18.5, max: 22, avg: 20 });
      expect(at(start + 240 * S)).toEqual({ t: start + 240 * S, ...flat(19.5) });
      return s;
    };
    const unrolled = await expectDay();
    const rollup = new HistoryRollup(t.hub.store.sqlite, { chunkRows: 2, maxChunksPerRun: 1 });
    rollup.catchUp(1); // two rows rolled up, four read raw
    expect(await expectDay()).toEqual(unrolled);
    rollup.catchUp(10);
    expect(rollup.mark).toBeGreaterThan(0);
    expect(t.hub.store.sqlite.prepare('select count(*) as n from sensor_history where id > ?').get(rollup.mark)).toEqual({ n: 0 });
    expect(await expectDay()).toEqual(unrolled);
    // A late reading for a minute already rolled up folds in.
    record(sensorId, [[start + 30 * S, '30']]);
    rollup.catchUp(10);
    const late = await series({ stateId, range: 'day', buckets: 360 });
    if (late.kind !== 'numeric') throw new Error(late.kind);
    expect(late.buckets.find((b) => b.t === start)).toEqual({ t: start, min: 18.5, max: 30, avg: 22 });
  });

  it('answers 30 days in whole hours, the same from the hour rollup as from raw rows', async () => {
    const { stateId, sensorId } = addSensor('temperature');
    handMade(sensorId);
    const month = async () => {
      const s = await series({ stateId, range: 'month', buckets: 400 });
      if (s.kind !== 'numeric') throw new Error(s.kind);
      return s;
    };
    const unrolled = await month();
    expect(unrolled.bucketMs).toBe(2 * HOUR);
    expect(unrolled.buckets).toHaveLength(360);
    // The 2-hour bucket holding every reading: 20 at -5 min, then 22, 18.5 and 19.5.
    expect(unrolled.buckets.find((b) => b.t === NOW - 2 * HOUR)).toEqual({ t: NOW - 2 * HOUR, min: 18.5, max: 22, avg: 20 });
    expect(unrolled.buckets.find((b) => b.t === NOW - 4 * HOUR)).toEqual({ t: NOW - 4 * HOUR, ...gap });
    new HistoryRollup(t.hub.store.sqlite).catchUp();
    expect(t.hub.store.sqlite.prepare('select count(*) as n from sensor_history_hour').get()).toEqual({ n: 2 });
    expect(await month()).toEqual(unrolled);
  });

  it('keeps 24 real hours on a daylight-saving day, in even buckets', async () => {
    // America/Chicago went to summer time at 08:00 UTC on 9 March 2025: that local day had 23 hours.
    const now = t.clock.set(Date.UTC(2025, 2, 9, 18, 0, 0));
    const { stateId, sensorId } = addSensor('temperature');
    const beforeSwitch = Date.UTC(2025, 2, 9, 7, 59, 0);
    const afterSwitch = Date.UTC(2025, 2, 9, 8, 1, 0);
    record(sensorId, [
      [beforeSwitch, '10'],
      [afterSwitch, '11'],
    ]);
    const s = await series({ stateId, range: 'day', buckets: 360 });
    if (s.kind !== 'numeric') throw new Error(s.kind);
    expect(s.from).toBe(now - 24 * HOUR);
    expect(s.buckets.map((b) => b.t)).toEqual(Array.from({ length: 360 }, (_, i) => now - 24 * HOUR + i * 240 * S));
    expect(s.buckets.find((b) => b.t === Date.UTC(2025, 2, 9, 7, 56))).toEqual({ t: Date.UTC(2025, 2, 9, 7, 56), ...flat(10) });
    expect(s.buckets.find((b) => b.t === Date.UTC(2025, 2, 9, 8, 0))).toEqual({ t: Date.UTC(2025, 2, 9, 8, 0), min: 10, max: 11, avg: 10.5 });
  });

  it('switches a busy sensor from raw rows to whole minutes so the answer stays cheap', async () => {
    const { stateId, sensorId } = addSensor('power');
    const rows = Array.from({ length: RAW_ROW_LIMIT + 1_000 }, (_, i) => [NOW - HOUR + Math.floor((i * HOUR) / (RAW_ROW_LIMIT + 1_000)), String(i % 100)] as const);
    record(sensorId, rows);
    const s = await series({ stateId, range: 'hour', buckets: 400 });
    if (s.kind !== 'numeric') throw new Error(s.kind);
    expect(s.bucketMs).toBe(60 * S);
    expect(s.buckets).toHaveLength(60);
    expect(s.buckets[10]).toMatchObject({ t: NOW - HOUR + 10 * 60 * S, min: 0, max: 99 });
  });
});

describe('enumerated history series', () => {
  const start = NOW - HOUR;

  it('merges equal values into runs, folds runs shorter than a bucket, keeps runs across bucket edges whole', async () => {
    const { stateId, sensorId } = addSensor('on_off', 'Lamp');
    record(sensorId, [
      [start - HOUR, 'on'],
      [start + 50 * S, 'on'], // unchanged: no new run
      [start + 100 * S, 'off'],
      [start + 101 * S, 'on'],
      [start + 102 * S, 'off'],
      [start + 500 * S, 'unavailable'],
      [start + 700 * S, 'on'],
    ]);
    const s = await series({ stateId, range: 'hour', buckets: 100 });
    if (s.kind !== 'enumerated') throw new Error(s.kind);
    const run = (value: string | null, from: number, to: number, mixed = false): StateRun => ({ value, from, to, mixed });
    expect(s.runs).toEqual([
      run('on', start, start + 100 * S),
      run('off', start + 100 * S, start + 102 * S, true),
      run('off', start + 102 * S, start + 500 * S),
      run(null, start + 500 * S, start + 700 * S),
      run('on', start + 700 * S, NOW),
    ]);
  });

  it('answers a sensor with no history as one run of no value', async () => {
    const { stateId } = addSensor('open_close');
    const s = await series({ stateId, range: 'week', buckets: 400 });
    expect(s.kind === 'enumerated' && s.runs).toEqual([{ value: null, from: s.from, to: NOW, mixed: false }]);
  });

  it('samples a busy sensor at bucket edges: a stretch of constant change is one mixed run', async () => {
    const { stateId, sensorId } = addSensor('movement', 'Hall motion');
    const busyFrom = NOW - 12 * HOUR;
    const count = RAW_ROW_LIMIT + 5_000;
    record(
      sensorId,
      Array.from({ length: count }, (_, i) => [busyFrom + i * S, i % 2 === 0 ? 'active' : 'idle'] as const),
    );
    const s = await series({ stateId, range: 'day', buckets: 360 });
    if (s.kind !== 'enumerated') throw new Error(s.kind);
    const lastBusyBucket = busyFrom + Math.floor((count - 1) / 240) * 240 * S;
    expect(s.runs).toEqual([
      { value: null, from: NOW - 24 * HOUR, to: busyFrom, mixed: false },
      { value: 'active', from: busyFrom, to: lastBusyBucket + 240 * S, mixed: true },
      { value: 'idle', from: lastBusyBucket + 240 * S, to: NOW, mixed: false },
    ]);
  });
});

describe('entity.history.series arguments', () => {
  it('refuses a bad range, bucket count or state with a clear typed error', async () => {
    const { stateId } = addSensor('temperature');
    const refused = async (arg: unknown) => {
      const response = await t.invoke('entity.history.series', arg);
      if (response.ok) throw new Error('accepted');
      return response.error;
    };
    const badRange = await refused({ stateId, range: 'year', buckets: 100 });
    expect(badRange.code).toBe('invalid_argument');
    expect(badRange.issues?.[0]?.path).toEqual(['range']);
    expect(badRange.issues?.[0]?.message).toMatch(/hour.*day.*week.*month/);
    expect((await refused({ stateId, range: 'day', buckets: 5_000 })).issues?.[0]?.message).toBe('Ask for at most 400 buckets.');
    expect((await refused({ stateId, range: 'day', buckets: 0 })).issues?.[0]?.message).toBe('Ask for at least 10 buckets.');
    expect((await refused({ stateId, range: 'day', buckets: 12.5 })).issues?.[0]?.message).toBe('The number of buckets must be a whole number.');
    expect((await refused({ stateId, range: 'day', buckets: 100, from: 0 })).code).toBe('invalid_argument');
    expect((await refused({ stateId: 999_999, range: 'day', buckets: 100 })).code).toBe('not_found');
    const video = addSensor('video_stream');
    expect(await refused({ stateId: video.stateId, range: 'day', buckets: 100 })).toMatchObject({
      code: 'invalid_argument',
      message: 'This state keeps no history that can be charted.',
    });
  });
});

describe('history rollup', () => {
  it('reads rows not rolled up by id, not by walking the sensor index', () => {
    const plan = t.hub.store.sqlite
      .prepare('explain query plan select value, ts from sensor_history where id > ? and +sensor_id = ? and +ts >= ? and +ts < ? order by id')
      .all(0, 1, 0, 1) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/SEARCH sensor_history USING INTEGER PRIMARY KEY \(rowid>\?\)/);
  });

  it('does not miss rows whose ids were reused after the newest rows went with their sensor', async () => {
    const kept = addSensor('temperature', 'kept');
    const removed = addSensor('temperature', 'removed');
    record(kept.sensorId, [[NOW - 10 * 60 * S, '1']]);
    record(removed.sensorId, [
      [NOW - 9 * 60 * S, '5'],
      [NOW - 8 * 60 * S, '6'],
    ]);
    const rollup = new HistoryRollup(t.hub.store.sqlite);
    rollup.catchUp();
    t.hub.store.sqlite.prepare('delete from sensor where id = ?').run(removed.sensorId);
    record(kept.sensorId, [[NOW - 5 * 60 * S, '7']]);
    rollup.catchUp();
    const minutes = t.hub.store.sqlite.prepare('select bucket_ts, max_value from sensor_history_minute where sensor_id = ? order by bucket_ts').all(kept.sensorId);
    expect(minutes).toEqual([
      { bucket_ts: NOW - 10 * 60 * S, max_value: 1 },
      { bucket_ts: NOW - 5 * 60 * S, max_value: 7 },
    ]);
  });
});
