import { afterEach, describe, expect, it } from 'vitest';
import type { SecurityStatus } from '../../../../src-shared/model/security';
import { call, callFails } from '../../../test-support/home-helpers';
import { createTestHub, makeTempDir, TestClock, type TestHub } from '../../../test-support/test-hub';

const HOUR = 3_600_000;
// The home zone defaults to the test hub's machine zone, America/Chicago: UTC-6 in winter, UTC-5 in summer. Day 07:00, night 22:00 by default.
const CHICAGO_WINTER_NOON = Date.UTC(2026, 0, 15, 18);

let hubs: TestHub[] = [];

async function hubAt(at: number, dataDir?: string): Promise<TestHub> {
  const t = await createTestHub({ clock: new TestClock(at), ...(dataDir ? { dataDir } : {}) });
  hubs.push(t);
  return t;
}

function watch(t: TestHub): SecurityStatus[] {
  const seen: SecurityStatus[] = [];
  t.hub.events.on('security.changed', (status) => seen.push(status));
  return seen;
}

afterEach(async () => {
  for (const t of hubs) await t.close();
  hubs = [];
});

describe('security modes', () => {
  it('starts a new home in the mode its clock says, with the next switch planned', async () => {
    const t = await hubAt(Date.UTC(2026, 0, 15, 12)); // 06:00 in Chicago
    const status = await call(t, 'security.status.get', {});
    expect(status).toMatchObject({ state: 'night', level: 'high', changedBy: 'start', hold: null });
    expect(status.nextSwitch).toEqual({ state: 'day', at: Date.UTC(2026, 0, 15, 13) });
    expect((await call(t, 'hub.snapshot', {})).security.state).toBe('night');
  });

  it('switches Day to Night and back at the set times, across midnight', async () => {
    const t = await hubAt(CHICAGO_WINTER_NOON);
    const seen = watch(t);
    expect(t.hub.security.status().state).toBe('day');
    t.scheduler.runUntil(Date.UTC(2026, 0, 16, 4, 0) - 1); // 21:59:59.999
    expect(t.hub.security.status().state).toBe('day');
    t.scheduler.runUntil(Date.UTC(2026, 0, 16, 4, 0));
    expect(t.hub.security.status()).toMatchObject({ state: 'night', changedBy: 'schedule', changedAt: Date.UTC(2026, 0, 16, 4) });
    t.scheduler.runUntil(Date.UTC(2026, 0, 16, 13));
    expect(t.hub.security.status()).toMatchObject({ state: 'day', changedAt: Date.UTC(2026, 0, 16, 13) });
    expect(seen.map((s) => s.state)).toContain('night');
  });

  it('never switches away from Away or Disabled, and follows the clock again once set back', async () => {
    const t = await hubAt(CHICAGO_WINTER_NOON);
    await call(t, 'security.set', { state: 'away' });
    for (let i = 0; i < 4; i += 1) {
      t.scheduler.runUntil(t.clock.now() + 12 * HOUR);
      }
    expect(t.hub.security.status().state).toBe('away');
    expect(t.hub.security.status().nextSwitch).toBeNull();
    await call(t, 'security.set', { state: 'disabled' });
    t.scheduler.runUntil(t.clock.now() + 24 * HOUR);
    expect(t.hub.security.status()).toMatchObject({ state: 'disabled', level: 'off' });
    await call(t, 'security.set', { state: 'day' });
    expect(t.hub.security.status().nextSwitch?.state).toBe('night');
  });

  it('keeps local switch times through spring forward and fall back', async () => {
    const t = await hubAt(Date.UTC(2026, 2, 7, 18)); // Sat 7 March, noon CST
    await call(t, 'settings.update', { subsystem: 'security', key: 'day_start', value: '02:30' });
    // 02:30 does not exist on 8 March: the day starts when the clock jumps to 03:00 CDT (08:00 UTC).
    expect(t.hub.security.status().nextSwitch).toEqual({ state: 'night', at: Date.UTC(2026, 2, 8, 4) });
    t.scheduler.runUntil(Date.UTC(2026, 2, 8, 9));
    expect(t.hub.security.status()).toMatchObject({ state: 'day', changedAt: Date.UTC(2026, 2, 8, 8) });

    t.clock.set(Date.UTC(2026, 9, 31, 17)); // Sat 31 October, noon CDT
    await call(t, 'settings.update', { subsystem: 'security', key: 'night_start', value: '01:30' });
    const seen = watch(t);
    t.scheduler.runUntil(Date.UTC(2026, 10, 1, 12));
    // 01:30 happens twice on 1 November: night starts at the first (06:30 UTC) and only then; the day at 02:30 CST.
    expect(seen.filter((s) => s.changedBy === 'schedule').map((s) => [s.state, s.changedAt])).toEqual([
      ['night', Date.UTC(2026, 10, 1, 6, 30)],
      ['day', Date.UTC(2026, 10, 1, 8, 30)],
    ]);
  });

  it('applies a switch missed while the hub was down, and keeps Away over one', async () => {
    const dataDir = makeTempDir();
    const first = await hubAt(Date.UTC(2026, 0, 16, 2), dataDir); // 20:00 CST: day
    expect(first.hub.security.status().state).toBe('day');
    await first.stop();
    hubs = [];

    const second = await hubAt(Date.UTC(2026, 0, 16, 6), dataDir); // 00:00: night began at 22:00 while down
    expect(second.hub.security.status()).toMatchObject({ state: 'night', changedBy: 'start', changedAt: Date.UTC(2026, 0, 16, 6) });
    await call(second, 'security.set', { state: 'away' });
    await second.stop();
    hubs = [];

    const third = await hubAt(Date.UTC(2026, 0, 16, 20), dataDir); // 14:00 the next day
    expect(third.hub.security.status().state).toBe('away');
  });

  it('holds alarms for the away delay and for a snooze, across a restart, and says when the hold ends', async () => {
    const dataDir = makeTempDir();
    const t = await hubAt(CHICAGO_WINTER_NOON, dataDir);
    await call(t, 'settings.update', { subsystem: 'security', key: 'away_delay_seconds', value: 120 });
    const away = await call(t, 'security.set', { state: 'away' });
    expect(away.hold).toEqual({ reason: 'away', until: CHICAGO_WINTER_NOON + 120_000 });
    expect(t.hub.security.alarmsHeld()).toBe(true);
    await t.stop();
    hubs = [];

    const restarted = await hubAt(CHICAGO_WINTER_NOON + 60_000, dataDir);
    const seen = watch(restarted);
    expect(restarted.hub.security.alarmsHeld()).toBe(true);
    restarted.scheduler.runUntil(CHICAGO_WINTER_NOON + 120_000);
    expect(restarted.hub.security.alarmsHeld()).toBe(false);
    expect(seen.at(-1)).toMatchObject({ state: 'away', hold: null });

    const snoozed = await call(restarted, 'security.snooze', {});
    expect(snoozed.hold).toEqual({ reason: 'snooze', until: restarted.clock.now() + 300_000 });
  });

  it('refuses a snooze while disabled and a mode that does not exist', async () => {
    const t = await hubAt(CHICAGO_WINTER_NOON);
    await call(t, 'security.set', { state: 'disabled' });
    expect((await callFails(t, 'security.snooze', {})).code).toBe('conflict');
    expect((await callFails(t, 'security.set', { state: 'vacation' })).code).toBe('invalid_argument');
    expect(t.hub.security.status().state).toBe('disabled');
  });

  it('re-plans when the times or the time zone change, moving to the period it now is', async () => {
    const t = await hubAt(CHICAGO_WINTER_NOON);
    await call(t, 'settings.update', { subsystem: 'security', key: 'night_start', value: '18:00' });
    expect(t.hub.security.status()).toMatchObject({ state: 'day', nextSwitch: { state: 'night', at: Date.UTC(2026, 0, 16, 0) } });
    // It is 19:00 in Berlin: past the night start there.
    await call(t, 'settings.update', { subsystem: 'console', key: 'timezone', value: 'Europe/Berlin' });
    expect(t.hub.security.status()).toMatchObject({ state: 'night', changedBy: 'schedule', nextSwitch: { state: 'day', at: Date.UTC(2026, 0, 16, 6) } });
  });
});
