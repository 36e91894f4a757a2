import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcResponse } from '../../../src-shared/ipc/errors';
import { STORAGE_MONITOR_NAME, type MonitorStatus } from '../../../src-shared/model/system';
import { createTestHub, type TestHub } from '../../test-support/test-hub';
import { PageCap, writeUntilRefused } from './full-storage';

/** The hub on a full disk, through its IPC router: typed errors, nothing lost, health shown, a clean stop. */
describe('a hub on a full disk', () => {
  let t: TestHub;
  let cap: PageCap;
  let logged: string[];
  let storageEvents: MonitorStatus[];

  beforeEach(async () => {
    t = await createTestHub();
    cap = new PageCap(t.hub.store.sqlite);
    logged = [];
    storageEvents = [];
    t.hub.events.on('monitor.health', (status) => {
      if (status.name === STORAGE_MONITOR_NAME) storageEvents.push(status);
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  const latitude = async () => {
    const response = await t.invoke('settings.sections.get', {});
    if (!response.ok) throw new Error(response.error.message);
    const sections = response.value as Array<{ subsystem: string; settings: Array<{ key: string; value: unknown }> }>;
    return sections.find((s) => s.subsystem === 'console')!.settings.find((s) => s.key === 'latitude')!.value;
  };
  const setLatitude = (value: number) => t.invoke('settings.update', { subsystem: 'console', key: 'latitude', value });
  const count = (table: string) => t.hub.store.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
  const storageMonitor = async () => {
    await t.hub.storage.settled();
    const response = await t.invoke('system.monitors.get', {});
    if (!response.ok) throw new Error(response.error.message);
    return (response.value as MonitorStatus[]).find((m) => m.name === STORAGE_MONITOR_NAME)!;
  };

  /** Saves settings until the disk refuses one; answers that refusal. */
  const fillWithSettings = async (): Promise<IpcResponse> => {
    let refused: IpcResponse | null = null;
    cap.fill();
    await writeUntilRefused(async (i) => {
      const response = await setLatitude(10 + (i % 2) / 8);
      if (!response.ok) refused = response;
      return response.ok;
    });
    return refused!;
  };

  it('refuses settings.update with storage_full, changes nothing, and says so in health until a save succeeds', async () => {
    const refused = await fillWithSettings();
    const before = { value: await latitude(), rows: count('subsystem_attribute_history') };
    const changed: unknown[] = [];
    t.hub.events.on('settings.changed', (payload) => changed.push(payload));

    // Regression: the transaction's ROLLBACK failed ("cannot rollback - no transaction is active") and the panel got
    // an internal error.
    expect(refused).toMatchObject({ ok: false, error: { code: 'storage_full' } });
    if (refused.ok) return;
    expect(refused.error.message).toMatch(/disk is full/);
    expect(refused.error.message).not.toMatch(/SQLITE|rollback/i);
    expect(logged.join('')).not.toMatch(/cannot rollback/);

    const again = await setLatitude(45);
    expect(again).toMatchObject({ ok: false, error: { code: 'storage_full' } });
    expect(await latitude()).toBe(before.value);
    expect(count('subsystem_attribute_history')).toBe(before.rows);
    expect(changed).toEqual([]);

    const full = await storageMonitor();
    expect(full.health).toBe('error');
    expect(full.lastError).toMatch(/^Storage is full: /);
    expect(storageEvents.at(-1)).toMatchObject({ health: 'error', lastError: full.lastError });

    cap.free();
    expect((await setLatitude(45)).ok).toBe(true);
    expect(await latitude()).toBe(45);
    expect(changed).toHaveLength(1);
    expect(await storageMonitor()).toMatchObject({ health: 'ok', lastError: null });
    expect(storageEvents.at(-1)).toMatchObject({ health: 'ok' });
  });

  it('answers storage_full for any write the disk refuses, through the router', async () => {
    await fillWithSettings();
    expect((await t.invoke('edit.begin', {})).ok).toBe(true);
    const locations = count('location');
    let refused: IpcResponse | null = null;
    const created = await writeUntilRefused(async (i) => {
      const response = await t.invoke('location.create', { name: `Room ${i}` });
      if (!response.ok) refused = response;
      return response.ok;
    }, 500);
    expect(refused).toMatchObject({ ok: false, error: { code: 'storage_full' } });
    expect(count('location') - locations).toBe(created);
    // The same write again (no smaller than the refused one).
    const again = await t.invoke('location.create', { name: `Room ${created}` });
    expect(again).toMatchObject({ ok: false, error: { code: 'storage_full' } });
    expect(count('location') - locations).toBe(created);
  });

  it('stops cleanly, closing the database, when `pragma optimize` cannot write', async () => {
    // An indexed lookup on a table never analyzed makes `optimize` want to ANALYZE it, which needs a page.
    const sqlite = t.hub.store.sqlite;
    for (let i = 0; i < 3; i += 1) await setLatitude(11 + i);
    sqlite.prepare('select count(*) from subsystem_attribute_history where attribute_id = 1').get();
    await fillWithSettings();
    expect(() => sqlite.pragma('optimize')).toThrow(/full/);

    await expect(t.hub.stop()).resolves.toBeUndefined();
    expect(sqlite.open).toBe(false);
  });
});
