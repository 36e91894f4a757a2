import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STORAGE_MONITOR_NAME } from '../../../../src-shared/model/system';
import { PageCap, writeUntilRefused } from '../../../store/__tests__/full-storage';
import { rows } from '../../../test-support/home-helpers';
import { LIVING_TEMPERATURE, smallHome, stateIdFor, syncInto } from '../../../test-support/integration-fixtures';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';

const KEY = 'hass';

describe('sensor history through a hub on a full disk', () => {
  let t: TestHub;
  let logged: string[];
  let sensorId: number;

  beforeEach(async () => {
    t = await createTestHub();
    await syncInto(t, KEY, smallHome());
    t.hub.statuses.reloadLinks();
    const stateId = stateIdFor(t, LIVING_TEMPERATURE, 'value');
    sensorId = rows<{ id: number }>(t, 'sensor', { entity_state_id: stateId })[0]!.id;
    logged = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  /** A new temperature reading; each differs from the last, so each is history. */
  const reading = (i: number) => t.hub.statuses.ingest(KEY, [{ upstreamId: LIVING_TEMPERATURE, values: [{ key: 'value', value: `${20 + i / 1000}` }], ts: 1_000 + i }]);
  const historyValues = () =>
    t.hub.store.sqlite.prepare('select value from sensor_history where sensor_id = ? order by ts').pluck().all(sensorId) as string[];
  const storageMonitor = async () => {
    await t.hub.storage.settled();
    return t.hub.monitors.get(STORAGE_MONITOR_NAME)!.status();
  };

  it('holds the readings the disk refuses, shows storage full, and writes every one once there is room', async () => {
    const cap = new PageCap(t.hub.store.sqlite);
    cap.fill();
    const taken = await writeUntilRefused(async (i) => {
      reading(i);
      t.hub.statuses.flushHistory();
      return t.hub.statuses.pendingHistory === 0;
    });
    for (let i = taken + 1; i <= taken + 300; i += 1) reading(i);
    t.hub.statuses.flushHistory();
    expect(t.hub.statuses.pendingHistory).toBe(301);
    expect(historyValues()).toHaveLength(taken);
    expect(await storageMonitor()).toMatchObject({ health: 'error', lastError: expect.stringMatching(/^Storage is full: /) });

    cap.free();
    t.hub.statuses.flushHistory();
    expect(t.hub.statuses.pendingHistory).toBe(0);
    expect(historyValues()).toEqual(Array.from({ length: taken + 301 }, (_, i) => `${20 + i / 1000}`));
    expect(await storageMonitor()).toMatchObject({ health: 'ok', lastError: null });
    // Regression: refused rows were dropped, logged as "their sensors are gone", and health stayed ok.
    expect(logged.join('')).not.toMatch(/sensors are gone/);
    expect(logged.join('')).toMatch(/Storage is full: /);
  });

  it('writes the held readings at shutdown once there is room, and loses none', async () => {
    const cap = new PageCap(t.hub.store.sqlite);
    cap.fill();
    const taken = await writeUntilRefused(async (i) => {
      reading(i);
      t.hub.statuses.flushHistory();
      return t.hub.statuses.pendingHistory === 0;
    });
    cap.free();
    const sqlite = t.hub.store.sqlite;
    await t.hub.stop();
    expect(sqlite.open).toBe(false);
    expect(logged.join('')).not.toMatch(/Lost \d+ history rows/);
    const reopened = await createTestHub({ dataDir: t.dataDir });
    try {
      expect(reopened.hub.store.sqlite.prepare('select count(*) from sensor_history where sensor_id = ?').pluck().get(sensorId)).toBe(taken + 1);
    } finally {
      await reopened.stop();
    }
  });
});
