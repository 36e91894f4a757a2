import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventPayload } from '../../../../src-shared/ipc/contract';
import { events as eventSchemas } from '../../../../src-shared/ipc/contract';
import type { StateDelta } from '../../../../src-shared/model/integration';
import type { UpstreamValues } from '../../../integrations/upstream';
import { openStore, type Store } from '../../../store/database';
import { PageCap, writeUntilRefused } from '../../../store/__tests__/full-storage';
import { migrateToLatest } from '../../../store/migrations';
import { countRows, rows } from '../../../test-support/home-helpers';
import { FRONT_DOOR, KITCHEN_LIGHT, LIVING_TEMPERATURE, smallHome, stateIdFor, syncInto, upstreamLight, upstreamTemperature } from '../../../test-support/integration-fixtures';
import { createTestHub, makeTempDir, type TestHub } from '../../../test-support/test-hub';
import { DEFAULT_HISTORY_BATCHER, HistoryBatcher, type HistoryBatcherOptions } from '../history-batcher';
import { STATUS_FRAME_MS } from '../status-coalescer';

const KEY = 'hass';

interface HistoryRow {
  sensor_id: number;
  value: string | null;
  ts: number;
}

describe('the status pipeline through a hub', () => {
  let t: TestHub;
  let changes: Array<EventPayload<'status.changed'>>;
  let unsubscribe: () => void;
  let ids: { onOff: number; brightness: number; door: number; temperature: number };

  const subscribe = (hub: TestHub) => {
    changes = [];
    unsubscribe = hub.hub.events.on('status.changed', (payload) => {
      // Every payload must be what the contract promises the panels.
      eventSchemas['status.changed'].parse(payload);
      changes.push(payload);
    });
  };

  beforeEach(async () => {
    t = await createTestHub();
    await syncInto(t, KEY, smallHome());
    t.hub.statuses.reloadLinks();
    ids = {
      onOff: stateIdFor(t, KITCHEN_LIGHT, 'on_off'),
      brightness: stateIdFor(t, KITCHEN_LIGHT, 'brightness'),
      door: stateIdFor(t, FRONT_DOOR, 'open_close'),
      temperature: stateIdFor(t, LIVING_TEMPERATURE, 'value'),
    };
    subscribe(t);
  });
  afterEach(async () => {
    vi.useRealTimers();
    unsubscribe();
    await t.close();
  });

  const ingest = (batches: UpstreamValues[], key = KEY) => t.hub.statuses.ingest(key, batches);
  const light = (values: Record<string, string | null>, ts: number): UpstreamValues => ({ upstreamId: KITCHEN_LIGHT, values: Object.entries(values).map(([key, value]) => ({ key, value })), ts });
  const sensorOf = (stateId: number) => rows<{ id: number }>(t, 'sensor', { entity_state_id: stateId })[0]!.id;
  const history = (stateId: number) => rows<HistoryRow>(t, 'sensor_history', { sensor_id: sensorOf(stateId) }).map((h) => [h.value, h.ts]);
  /** Every delta sent so far, flattened. */
  const deltas = (): StateDelta[] => changes.flatMap((c) => c.states);

  describe('ingest', () => {
    it('records changed values: latest value, history and one event', async () => {
      const changed = ingest([light({ on_off: 'on', brightness: '80' }, 1_000), { upstreamId: FRONT_DOOR, values: [{ key: 'open_close', value: 'closed' }], ts: 1_500 }]);
      expect(changed).toBe(3);
      expect(t.hub.statuses.latest(ids.onOff)).toEqual({ value: 'on', ts: 1_000, stale: false });
      expect(t.hub.statuses.latest(ids.brightness)).toEqual({ value: '80', ts: 1_000, stale: false });
      expect(t.hub.statuses.latest(ids.door)).toEqual({ value: 'closed', ts: 1_500, stale: false });
      expect(t.hub.statuses.latest(ids.temperature)).toBeUndefined();

      t.hub.statuses.flushHistory();
      expect(history(ids.onOff)).toEqual([['on', 1_000]]);
      expect(history(ids.brightness)).toEqual([['80', 1_000]]);
      expect(history(ids.door)).toEqual([['closed', 1_500]]);

      t.hub.coalescer.flush();
      expect(changes).toHaveLength(1);
      const lightEntity = rows<{ id: number }>(t, 'entity', { integration_id: KITCHEN_LIGHT })[0]!.id;
      expect(deltas()).toContainEqual({ entityId: lightEntity, stateId: ids.onOff, value: 'on', ts: 1_000, stale: false, display: { text: 'On', style: 'active' } });
      // Numbers carry their unit in the display the hub computes once per distinct value.
      expect(deltas().find((d) => d.stateId === ids.brightness)?.display).toEqual({ text: '80%', style: 'neutral' });
      expect(deltas().map((d) => d.stateId).sort()).toEqual([ids.onOff, ids.brightness, ids.door].sort());
    });

    it('drops unchanged values: no history row, no event', async () => {
      ingest([light({ on_off: 'on', brightness: '80' }, 1_000)]);
      t.hub.statuses.flushHistory();
      t.hub.coalescer.flush();
      changes.length = 0;

      expect(ingest([light({ on_off: 'on', brightness: '80' }, 2_000)])).toBe(0);
      t.hub.statuses.flushHistory();
      t.hub.coalescer.flush();
      expect(changes).toEqual([]);
      expect(history(ids.onOff)).toEqual([['on', 1_000]]);
      // The timestamp of the latest value stays the one of the change.
      expect(t.hub.statuses.latest(ids.onOff)).toEqual({ value: 'on', ts: 1_000, stale: false });

      // One changed among unchanged ones counts, and only it is recorded.
      expect(ingest([light({ on_off: 'on', brightness: '40' }, 3_000)])).toBe(1);
      t.hub.statuses.flushHistory();
      t.hub.coalescer.flush();
      expect(deltas().map((d) => [d.stateId, d.value])).toEqual([[ids.brightness, '40']]);
      expect(history(ids.brightness)).toEqual([
        ['80', 1_000],
        ['40', 3_000],
      ]);
    });

    it('records a value going to null (absent) and back', async () => {
      ingest([light({ brightness: '80' }, 1_000)]);
      expect(ingest([light({ brightness: null }, 2_000)])).toBe(1);
      expect(ingest([light({ brightness: null }, 3_000)])).toBe(0);
      expect(ingest([light({ brightness: '10' }, 4_000)])).toBe(1);
      t.hub.statuses.flushHistory();
      expect(history(ids.brightness)).toEqual([
        ['80', 1_000],
        [null, 2_000],
        ['10', 4_000],
      ]);
    });

    it('stamps a value without an upstream time with the hub clock', async () => {
      ingest([light({ on_off: 'off' }, 0)]);
      expect(t.hub.statuses.latest(ids.onOff)).toEqual({ value: 'off', ts: t.clock.now(), stale: false });
    });

    it('ignores values of unknown devices, unknown states and other integrations', async () => {
      const before = countRows(t, 'sensor_history');
      expect(ingest([{ upstreamId: 'light.nowhere', values: [{ key: 'on_off', value: 'on' }], ts: 1_000 }])).toBe(0);
      expect(ingest([light({ color_temp: '2700' }, 1_000)])).toBe(0);
      expect(ingest([light({ on_off: 'on' }, 1_000)], 'zm')).toBe(0);
      t.hub.statuses.flushHistory();
      t.hub.coalescer.flush();
      expect(changes).toEqual([]);
      expect(countRows(t, 'sensor_history')).toBe(before);
      expect(t.hub.statuses.latest(ids.onOff)).toBeUndefined();
    });

    it('stops recording a sensor whose device was detached, once links are reloaded', async () => {
      ingest([light({ on_off: 'on' }, 1_000)]);
      await syncInto(t, KEY, [], undefined, { detachAll: true });
      t.hub.statuses.reloadLinks();
      expect(ingest([light({ on_off: 'off' }, 2_000)])).toBe(0);
      // The last known value stays for the panels.
      expect(t.hub.statuses.latest(ids.onOff)?.value).toBe('on');
    });

    it('still drops unchanged values after the links are reloaded by a sync, and records changed ones', async () => {
      ingest([light({ on_off: 'on' }, 1_000)]);
      await syncInto(t, KEY, smallHome());
      t.hub.statuses.reloadLinks();
      expect(ingest([light({ on_off: 'on' }, 2_000)])).toBe(0);
      expect(ingest([light({ on_off: 'off' }, 3_000)])).toBe(1);
      expect(t.hub.statuses.latest(ids.onOff)).toEqual({ value: 'off', ts: 3_000, stale: false });
      t.hub.statuses.flushHistory();
      expect(history(ids.onOff)).toEqual([
        ['on', 1_000],
        ['off', 3_000],
      ]);
    });
  });

  describe('status.changed coalescing', () => {
    it('sends the first change of a quiet spell at once, then one event per frame with the newest value of each state', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
      // Everything one turn of the event loop changes goes out together, at the end of that turn.
      for (let i = 1; i <= 30; i += 1) {
        ingest([light({ on_off: i % 2 === 0 ? 'on' : 'off', brightness: String(i) }, 1_000 + i)]);
      }
      ingest([{ upstreamId: LIVING_TEMPERATURE, values: [{ key: 'value', value: '19.5' }], ts: 1_100 }]);
      expect(changes).toEqual([]);
      vi.advanceTimersByTime(0);
      expect(changes).toHaveLength(1);
      const byState = new Map(changes[0]!.states.map((d) => [d.stateId, d]));
      expect(changes[0]!.states).toHaveLength(3);
      expect(byState.get(ids.onOff)).toMatchObject({ value: 'on', ts: 1_030, stale: false });
      expect(byState.get(ids.brightness)).toMatchObject({ value: '30', ts: 1_030 });
      expect(byState.get(ids.temperature)).toMatchObject({ value: '19.5', ts: 1_100 });

      // Changes within the next frame wait for its end and go together, newest value of each state.
      vi.advanceTimersByTime(STATUS_FRAME_MS / 2);
      ingest([light({ brightness: '31' }, 1_031)]);
      ingest([light({ brightness: '32' }, 1_032)]);
      vi.advanceTimersByTime(0);
      expect(changes).toHaveLength(1);
      vi.advanceTimersByTime(STATUS_FRAME_MS / 2);
      expect(changes).toHaveLength(2);
      expect(changes[1]!.states).toEqual([expect.objectContaining({ stateId: ids.brightness, value: '32' })]);

      // Nothing new, nothing sent; after a quiet frame the next change goes out at once again.
      vi.advanceTimersByTime(STATUS_FRAME_MS * 4);
      expect(changes).toHaveLength(2);
      ingest([light({ brightness: '33' }, 1_033)]);
      vi.advanceTimersByTime(0);
      expect(changes).toHaveLength(3);
      expect(changes[2]!.states).toEqual([expect.objectContaining({ stateId: ids.brightness, value: '33' })]);

      // Every change of the burst still reached history.
      t.hub.statuses.flushHistory();
      expect(history(ids.brightness)).toHaveLength(33);
    });

    it('flush() sends what is pending at once, and nothing when nothing is', async () => {
      t.hub.coalescer.flush();
      expect(changes).toEqual([]);
      ingest([light({ on_off: 'on' }, 1_000)]);
      ingest([light({ on_off: 'off' }, 2_000)]);
      t.hub.coalescer.flush();
      expect(changes).toEqual([{ states: [expect.objectContaining({ stateId: ids.onOff, value: 'off', ts: 2_000 })] }]);
      t.hub.coalescer.flush();
      expect(changes).toHaveLength(1);
    });
  });

  describe('stale', () => {
    beforeEach(() => {
      ingest([light({ on_off: 'on', brightness: '80' }, 1_000), { upstreamId: FRONT_DOOR, values: [{ key: 'open_close', value: 'open' }], ts: 1_000 }]);
      t.hub.coalescer.flush();
      changes.length = 0;
    });

    it('setStale(true) re-sends every known state of the integration as stale; setStale(false) clears it', async () => {
      t.hub.statuses.setStale(KEY, true);
      t.hub.coalescer.flush();
      expect(changes).toHaveLength(1);
      expect(deltas().map((d) => [d.stateId, d.value, d.ts, d.stale]).sort()).toEqual(
        [
          [ids.onOff, 'on', 1_000, true],
          [ids.brightness, '80', 1_000, true],
          [ids.door, 'open', 1_000, true],
        ].sort(),
      );
      // The temperature has no value yet: nothing to re-send.
      expect(deltas().map((d) => d.stateId)).not.toContain(ids.temperature);
      expect(t.hub.statuses.latest(ids.onOff)).toEqual({ value: 'on', ts: 1_000, stale: true });

      // Saying it again sends nothing.
      changes.length = 0;
      t.hub.statuses.setStale(KEY, true);
      t.hub.coalescer.flush();
      expect(changes).toEqual([]);

      // A value arriving while stale is sent as stale.
      ingest([light({ brightness: '50' }, 2_000)]);
      t.hub.coalescer.flush();
      expect(deltas()).toEqual([expect.objectContaining({ stateId: ids.brightness, value: '50', stale: true })]);

      changes.length = 0;
      t.hub.statuses.setStale(KEY, false);
      t.hub.coalescer.flush();
      expect(deltas().map((d) => [d.stateId, d.value, d.stale]).sort()).toEqual(
        [
          [ids.onOff, 'on', false],
          [ids.brightness, '50', false],
          [ids.door, 'open', false],
        ].sort(),
      );
      expect(t.hub.statuses.latest(ids.brightness)).toEqual({ value: '50', ts: 2_000, stale: false });
    });

    it('marks only the states of the integration that went stale', async () => {
      await syncInto(t, 'zm', [upstreamTemperature('sensor.garage', 'Garage')]);
      t.hub.statuses.reloadLinks();
      const garage = stateIdFor(t, 'sensor.garage', 'value');
      ingest([{ upstreamId: 'sensor.garage', values: [{ key: 'value', value: '12' }], ts: 1_000 }], 'zm');
      t.hub.coalescer.flush();
      changes.length = 0;

      t.hub.statuses.setStale('zm', true);
      t.hub.coalescer.flush();
      expect(deltas().map((d) => [d.stateId, d.stale])).toEqual([[garage, true]]);
      expect(t.hub.statuses.latest(garage)?.stale).toBe(true);
      expect(t.hub.statuses.latest(ids.onOff)?.stale).toBe(false);
    });
  });

  describe('restart', () => {
    it('loads the latest value of each state from history, and shutdown writes what was buffered', async () => {
      ingest([light({ on_off: 'on', brightness: '80' }, 1_000)]);
      t.hub.statuses.flushHistory();
      // Not flushed by the test: stopping the hub must write these.
      ingest([light({ brightness: '55' }, 3_000), { upstreamId: LIVING_TEMPERATURE, values: [{ key: 'value', value: '20.5' }], ts: 2_000 }]);
      unsubscribe();
      await t.stop();

      const restarted = await createTestHub({ dataDir: t.dataDir, clock: t.clock });
      t = restarted;
      subscribe(t);
      expect(t.hub.statuses.latest(ids.onOff)).toMatchObject({ value: 'on', ts: 1_000 });
      expect(t.hub.statuses.latest(ids.brightness)).toMatchObject({ value: '55', ts: 3_000 });
      expect(t.hub.statuses.latest(ids.temperature)).toMatchObject({ value: '20.5', ts: 2_000 });
      expect(t.hub.statuses.latest(ids.door)).toBeUndefined();

      // start() again (as after a reload) answers the same; what was known is not recorded again.
      await t.hub.statuses.start();
      expect(t.hub.statuses.latest(ids.brightness)).toMatchObject({ value: '55', ts: 3_000 });
      expect(ingest([light({ on_off: 'on', brightness: '55' }, 4_000)])).toBe(0);
      expect(ingest([light({ on_off: 'off' }, 4_000)])).toBe(1);
    });

    it('holds what it remembers as stale until the integration says it is live, without re-sending it at start', async () => {
      ingest([light({ on_off: 'on', brightness: '80' }, 1_000)]);
      unsubscribe();
      await t.stop();

      t = await createTestHub({ dataDir: t.dataDir, clock: t.clock });
      subscribe(t);
      expect(t.hub.statuses.latest(ids.onOff)).toEqual({ value: 'on', ts: 1_000, stale: true });
      // What an integration's start says first: nothing to send, the panels already show these as stale.
      t.hub.statuses.setStale(KEY, true);
      t.hub.coalescer.flush();
      expect(changes).toEqual([]);

      t.hub.statuses.setStale(KEY, false);
      t.hub.coalescer.flush();
      expect(deltas().map((d) => [d.stateId, d.value, d.stale]).sort()).toEqual(
        [
          [ids.onOff, 'on', false],
          [ids.brightness, '80', false],
        ].sort(),
      );
    });

    it('loads the newest row by time, not the last written', async () => {
      const sensorId = sensorOf(ids.temperature);
      const insert = t.hub.store.sqlite.prepare('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)');
      for (const [value, ts] of [['18', 1_000], ['21', 3_000], ['19', 2_000]] as const) insert.run(sensorId, value, ts);
      await t.hub.statuses.start();
      expect(t.hub.statuses.latest(ids.temperature)).toMatchObject({ value: '21', ts: 3_000 });
    });
  });

  it('keeps the history of the other sensors when a sync deletes a sensor with buffered history', async () => {
    ingest([light({ on_off: 'on' }, 1_000), { upstreamId: LIVING_TEMPERATURE, values: [{ key: 'value', value: '20.5' }], ts: 1_000 }]);
    // The temperature sensor vanishes upstream before the batcher's timer writes the buffer; untouched, it is deleted.
    await syncInto(t, KEY, [upstreamLight(KITCHEN_LIGHT, 'Kitchen light')]);
    t.hub.statuses.reloadLinks();
    t.hub.statuses.flushHistory();
    // Regression (fixed): the buffered row of the deleted sensor fails its foreign key, and the whole batch, the light's row with
    // it, is rolled back and dropped (history-batcher.ts flush).
    expect(history(ids.onOff)).toEqual([['on', 1_000]]);
  });
});

describe('HistoryBatcher', () => {
  let dir: string;
  let store: Store;
  let sensorIds: number[];

  beforeEach(async () => {
    dir = makeTempDir('hi-batcher-');
    store = openStore(path.join(dir, 'batcher.sqlite'));
    await migrateToLatest(store.db);
    const sqlite = store.sqlite;
    const entityId = Number(sqlite.prepare(`insert into entity (name, entity_type_str, created_at, updated_at) values ('Kitchen light', 'light', 1, 1)`).run().lastInsertRowid);
    sensorIds = ['on_off', 'light_dimmer'].map((type) => {
      const stateId = Number(sqlite.prepare(`insert into entity_state (entity_id, entity_state_type_str, name, created_at) values (?, ?, ?, 1)`).run(entityId, type, type).lastInsertRowid);
      return Number(sqlite.prepare(`insert into sensor (entity_state_id, name, created_at) values (?, ?, 1)`).run(stateId, type).lastInsertRowid);
    });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const written = () => store.sqlite.prepare('select sensor_id, value, ts from sensor_history order by id').all() as HistoryRow[];
  const row = (i: number, sensor = 0) => ({ sensorId: sensorIds[sensor]!, value: String(i), ts: 1_000 + i, correlation: null });

  it('writes a full batch at once', () => {
    const batcher = new HistoryBatcher(store.sqlite, store.health, { ...DEFAULT_HISTORY_BATCHER, flushIntervalMs: 60_000, maxBatch: 3, maxBuffered: 100 });
    batcher.add(row(1));
    batcher.add(row(2, 1));
    expect(batcher.pending).toBe(2);
    expect(written()).toEqual([]);
    batcher.add(row(3));
    expect(batcher.pending).toBe(0);
    expect(written()).toEqual([
      { sensor_id: sensorIds[0], value: '1', ts: 1_001 },
      { sensor_id: sensorIds[1], value: '2', ts: 1_002 },
      { sensor_id: sensorIds[0], value: '3', ts: 1_003 },
    ]);
    batcher.flush();
  });

  it('writes a partial batch when its timer fires', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const batcher = new HistoryBatcher(store.sqlite, store.health, { ...DEFAULT_HISTORY_BATCHER, flushIntervalMs: 1_000, maxBatch: 100, maxBuffered: 1_000 });
    batcher.add(row(1));
    batcher.add(row(2));
    expect(batcher.pending).toBe(2);
    expect(written()).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(batcher.pending).toBe(0);
    expect(written().map((r) => r.value)).toEqual(['1', '2']);

    // The next row starts a new timer.
    batcher.add(row(3));
    expect(batcher.pending).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(written().map((r) => r.value)).toEqual(['1', '2', '3']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('writes everything buffered on flush(), and cancels its timer', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const batcher = new HistoryBatcher(store.sqlite, store.health, { ...DEFAULT_HISTORY_BATCHER, flushIntervalMs: 1_000, maxBatch: 100, maxBuffered: 1_000 });
    batcher.flush();
    expect(written()).toEqual([]);
    for (let i = 1; i <= 5; i += 1) batcher.add(row(i, i % 2));
    expect(vi.getTimerCount()).toBe(1);
    batcher.flush();
    expect(batcher.pending).toBe(0);
    expect(written().map((r) => r.value)).toEqual(['1', '2', '3', '4', '5']);
    expect(vi.getTimerCount()).toBe(0);
    batcher.flush();
    expect(written()).toHaveLength(5);
  });

  it('writes several batches in order, nulls kept', () => {
    const maxBatch = 150;
    const batcher = new HistoryBatcher(store.sqlite, store.health, { ...DEFAULT_HISTORY_BATCHER, flushIntervalMs: 60_000, maxBatch, maxBuffered: 10_000 });
    const expected = Array.from({ length: 3 * maxBatch + 7 }, (_, i) => ({ sensor_id: sensorIds[i % 2]!, value: i % 10 === 0 ? null : String(i), ts: 1_000 + i }));
    for (const r of expected) batcher.add({ sensorId: r.sensor_id, value: r.value, ts: r.ts, correlation: null });
    expect(batcher.pending).toBe(7);
    batcher.flush();
    expect(batcher.pending).toBe(0);
    expect(written()).toEqual(expected);
  });

  it('runs a timer only while rows are pending', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const batcher = new HistoryBatcher(store.sqlite, store.health, { ...DEFAULT_HISTORY_BATCHER, flushIntervalMs: 1_000, maxBatch: 3, maxBuffered: 100 });
    expect(vi.getTimerCount()).toBe(0);
    batcher.flush();
    expect(vi.getTimerCount()).toBe(0);
    batcher.add(row(1));
    batcher.add(row(2));
    // One timer for the pending rows, not one per row.
    expect(vi.getTimerCount()).toBe(1);
    // A full batch is written at once and leaves nothing to wait for.
    batcher.add(row(3));
    expect(batcher.pending).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(vi.getTimerCount()).toBe(0);
    batcher.add(row(4));
    vi.advanceTimersByTime(1_000);
    expect(batcher.pending).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    batcher.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(written().map((r) => r.value)).toEqual(['1', '2', '3', '4']);
  });

  it('drops the oldest rows beyond maxBuffered', () => {
    const batcher = new HistoryBatcher(store.sqlite, store.health, { ...DEFAULT_HISTORY_BATCHER, flushIntervalMs: 60_000, maxBatch: 100, maxBuffered: 5 });
    for (let i = 1; i <= 8; i += 1) {
      batcher.add(row(i));
      expect(batcher.pending).toBe(Math.min(i, 5));
    }
    batcher.flush();
    expect(written().map((r) => r.value)).toEqual(['4', '5', '6', '7', '8']);
    expect(batcher.pending).toBe(0);
  });

  describe('on a full disk', () => {
    let cap: PageCap;
    let logged: string[];
    beforeEach(() => {
      cap = new PageCap(store.sqlite);
      logged = [];
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      });
    });
    afterEach(() => {
      vi.restoreAllMocks();
    });

    const batcherWith = (options: Partial<HistoryBatcherOptions> = {}) =>
      new HistoryBatcher(store.sqlite, store.health, { ...DEFAULT_HISTORY_BATCHER, flushIntervalMs: 60_000, maxBatch: 50, ...options });
    /** Fills the database with rows written through `batcher` until storage refuses one; answers how many it took. */
    const fillThrough = (batcher: HistoryBatcher) =>
      writeUntilRefused(async (i) => {
        batcher.add(row(i));
        batcher.flush();
        return !batcher.waitingForStorage;
      });

    it('keeps the rows storage refuses and writes them all when it has room, never saying their sensors are gone', async () => {
      const batcher = batcherWith();
      cap.fill();
      const taken = await fillThrough(batcher);
      expect(written()).toHaveLength(taken);
      expect(batcher.pending).toBe(1);
      expect(store.health.problem).toMatch(/^Storage is full: /);

      for (let i = taken + 1; i <= taken + 500; i += 1) batcher.add(row(i, i % 2));
      batcher.flush();
      expect(batcher.pending).toBe(501);
      expect(written()).toHaveLength(taken);

      cap.free();
      batcher.flush();
      expect(batcher.pending).toBe(0);
      expect(batcher.waitingForStorage).toBe(false);
      expect(store.health.problem).toBeNull();
      expect(written().map((r) => Number(r.value))).toEqual(Array.from({ length: taken + 501 }, (_, i) => i));
      // Regression: a refused batch was retried row by row, every row failed, and all were dropped as "their sensors are gone".
      expect(logged.join('')).not.toMatch(/sensors are gone/);
      expect(logged.join('')).toMatch(/Holding 1 history rows in memory until storage has room \(database or disk is full\)/);
      batcher.close();
    });

    it('tries again after a backoff that doubles up to its ceiling', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const batcher = batcherWith({ retryInitialMs: 1_000, retryMaxMs: 3_000 });
      cap.fill();
      const taken = await fillThrough(batcher);
      expect(vi.getTimerCount()).toBe(1);
      // Still full at the retries after 1 s and 2 s more; the next waits 3 s (the ceiling), not 4 s.
      vi.advanceTimersByTime(1_000 + 2_000);
      expect(batcher.pending).toBe(1);
      cap.free();
      vi.advanceTimersByTime(2_999);
      expect(batcher.pending).toBe(1);
      vi.advanceTimersByTime(1);
      expect(batcher.pending).toBe(0);
      expect(written()).toHaveLength(taken + 1);
      expect(vi.getTimerCount()).toBe(0);
      batcher.close();
    });

    it('holds at most maxBuffered rows while storage is full, dropping the oldest with the right reason', async () => {
      const batcher = batcherWith({ maxBatch: 5, maxBuffered: 10 });
      cap.fill();
      const taken = await fillThrough(batcher);
      for (let i = taken + 1; i <= taken + 20; i += 1) batcher.add(row(i));
      expect(batcher.pending).toBe(10);
      cap.free();
      batcher.flush();
      expect(written().map((r) => Number(r.value)).slice(taken)).toEqual(Array.from({ length: 10 }, (_, i) => taken + 11 + i));
      expect(logged.join('')).toMatch(/Dropped the 11 oldest unwritten history rows: storage is full and at most 10 are held/);
      expect(logged.join('')).not.toMatch(/could not keep up|sensors are gone/);
      batcher.close();
    });

    it('says how many rows are lost when the hub stops while storage is still full', async () => {
      const batcher = batcherWith();
      cap.fill();
      const taken = await fillThrough(batcher);
      for (let i = taken + 1; i <= taken + 9; i += 1) batcher.add(row(i));
      expect(() => batcher.close()).not.toThrow();
      expect(batcher.pending).toBe(0);
      expect(logged.join('')).toMatch(/Lost 10 history rows at shutdown: storage is still full/);
    });

    it('skips only the rows of a deleted sensor, for that reason, when a batch fails otherwise', () => {
      const batcher = batcherWith();
      batcher.add(row(1, 0));
      batcher.add({ sensorId: 999_999, value: 'x', ts: 2_000, correlation: null });
      batcher.add(row(3, 1));
      batcher.flush();
      expect(written().map((r) => r.value)).toEqual(['1', '3']);
      expect(logged.join('')).toMatch(/Skipped 1 of 3 history rows \(their sensors are gone\)/);
      expect(store.health.problem).toBeNull();
      batcher.close();
    });
  });
});
