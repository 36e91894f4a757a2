import { afterEach, describe, expect, it } from 'vitest';
import { PanelKind } from '../../../../src-shared/enums';
import type { ConsoleChanged } from '../../../../src-shared/model/console';
import { call, callFails, rows } from '../../../test-support/home-helpers';
import { createTestHub, makeTempDir, TestClock, type TestHub } from '../../../test-support/test-hub';
import { WRONG_PINS_GLOBAL, WRONG_PINS_PER_PANEL } from '../attempt-limiter';
import { hashPin, verifyPin } from '../pin-hash';

// 13:00 in Chicago (the test hub's machine zone, the home zone's default), on a winter day.
const CHICAGO_WINTER_1PM = Date.UTC(2026, 0, 15, 19);
const PIN = '4821';

let hubs: TestHub[] = [];

async function hub(dataDir?: string): Promise<TestHub> {
  const t = await createTestHub({ clock: new TestClock(CHICAGO_WINTER_1PM), ...(dataDir ? { dataDir } : {}) });
  hubs.push(t);
  return t;
}

function watch(t: TestHub): ConsoleChanged[] {
  const seen: ConsoleChanged[] = [];
  t.hub.events.on('console.changed', (payload) => seen.push(payload));
  return seen;
}

const tablet = (t: TestHub) => t.hub.panels.open(PanelKind.BROWSER, false, t.clock.now());
const localBrowser = (t: TestHub) => t.hub.panels.open(PanelKind.BROWSER, true, t.clock.now());

afterEach(async () => {
  for (const t of hubs) await t.close();
  hubs = [];
});

describe('the lock PIN', () => {
  it('is kept only as a salted scrypt hash that verifies the right PIN and no other', async () => {
    const t = await hub();
    expect(await call(t, 'console.pin.set', { newPin: PIN })).toEqual({ locked: false, pinSet: true, sleepScheduled: false });
    const [row] = rows<{ pin_hash: string; salt: string; cost: number; block_size: number; parallelization: number }>(t, 'console_pin');
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain(PIN);
    expect(Buffer.from(row!.pin_hash, 'base64')).toHaveLength(32);
    expect(Buffer.from(row!.salt, 'base64')).toHaveLength(16);
    const stored = { hash: Buffer.from(row!.pin_hash, 'base64'), salt: Buffer.from(row!.salt, 'base64'), cost: row!.cost, blockSize: row!.block_size, parallelization: row!.parallelization };
    expect(await verifyPin(PIN, stored)).toBe(true);
    expect(await verifyPin('4822', stored)).toBe(false);
    // The same PIN twice gives two different hashes: each has its own salt.
    const again = await hashPin(PIN);
    expect(again.hash.equals(stored.hash)).toBe(false);
    // The snapshot says only that a PIN is set.
    const snapshot = await call(t, 'hub.snapshot', {});
    expect(snapshot.console).toEqual({ locked: false, pinSet: true, sleepScheduled: false });
    expect(JSON.stringify(snapshot)).not.toContain(row!.pin_hash);
  });

  it('is set, changed and cleared only on the hub itself, and changed or cleared only with the current PIN', async () => {
    const t = await hub();
    expect(await callFails(t, 'console.pin.set', { newPin: PIN }, tablet(t))).toMatchObject({ code: 'forbidden' });
    expect(await callFails(t, 'console.pin.set', { newPin: '12' })).toMatchObject({ code: 'invalid_argument' });
    expect(await callFails(t, 'console.pin.set', { newPin: '12ab56' })).toMatchObject({ code: 'invalid_argument' });
    await call(t, 'console.pin.set', { newPin: PIN });
    expect(await callFails(t, 'console.pin.set', { newPin: '999999' })).toMatchObject({ code: 'invalid_argument', message: 'Enter the current PIN to change it.' });
    expect(await callFails(t, 'console.pin.set', { currentPin: '0000', newPin: '999999' })).toMatchObject({ code: 'forbidden', message: 'Wrong PIN.' });
    await call(t, 'console.pin.set', { currentPin: PIN, newPin: '999999' });
    const other = localBrowser(t);
    expect(other.locked).toBe(true);
    expect(await callFails(t, 'console.unlock', { pin: PIN }, other)).toMatchObject({ code: 'forbidden' });
    await call(t, 'console.unlock', { pin: '999999' }, other);
    expect(await call(t, 'console.pin.set', { currentPin: '999999', newPin: null })).toMatchObject({ pinSet: false });
    expect(rows(t, 'console_pin')).toEqual([]);
  });

  it('survives a restart, and every panel then opens locked', async () => {
    const dataDir = makeTempDir();
    const first = await hub(dataDir);
    await call(first, 'console.pin.set', { newPin: PIN });
    await first.stop();
    const second = await hub(dataDir);
    expect(second.panel.locked).toBe(true);
    expect(await call(second, 'console.status.get', {})).toEqual({ locked: true, pinSet: true, sleepScheduled: false });
    await call(second, 'console.unlock', { pin: PIN });
    expect(second.panel.locked).toBe(false);
  });
});

describe('locking a panel', () => {
  it('needs a PIN, locks only the panel asking, and announces which panels are locked', async () => {
    const t = await hub();
    expect(await callFails(t, 'console.lock', {})).toMatchObject({ code: 'conflict' });
    await call(t, 'console.pin.set', { newPin: PIN });
    const other = tablet(t);
    // A panel that connects while a PIN is set opens locked: a reload is no way around the lock.
    expect(other.locked).toBe(true);
    await call(t, 'console.unlock', { pin: PIN }, other);
    const seen = watch(t);
    expect(await call(t, 'console.lock', {})).toMatchObject({ locked: true });
    expect(other.locked).toBe(false);
    expect(seen.at(-1)).toEqual({ pinSet: true, sleepScheduled: false, lockedPanelIds: [t.panel.id] });
    await call(t, 'console.unlock', { pin: PIN });
    expect(seen.at(-1)?.lockedPanelIds).toEqual([]);
  });

  it('refuses a locked panel every request but those the lock screen needs', async () => {
    const t = await hub();
    await call(t, 'home.setup', { profile: 'empty' });
    await call(t, 'console.pin.set', { newPin: PIN });
    await call(t, 'console.lock', {});
    for (const [name, arg] of [
      ['location.list', {}],
      ['edit.begin', {}],
      ['security.set', { state: 'disabled' }],
      ['security.snooze', {}],
      ['alert.acknowledgeAll', {}],
      ['settings.update', { subsystem: 'console', key: 'sleep_after_idle_seconds', value: 0 }],
      ['console.pin.set', { currentPin: PIN, newPin: null }],
      ['console.views.showing', { entityIds: [1] }],
    ] as const) {
      expect(await callFails(t, name, arg), name).toMatchObject({ code: 'forbidden', message: 'This panel is locked: unlock it with the PIN first.' });
    }
    // Arguments are still checked first, and nothing was changed.
    expect(await callFails(t, 'security.set', { state: 'nonsense' })).toMatchObject({ code: 'invalid_argument' });
    expect(t.hub.security.status().state).not.toBe('disabled');
    expect(rows(t, 'console_pin')).toHaveLength(1);
    // What the lock screen shows still comes.
    expect((await call(t, 'hub.snapshot', {})).console.locked).toBe(true);
    await call(t, 'security.status.get', {});
    await call(t, 'alert.list', {});
    // Another panel is not affected.
    const other = localBrowser(t);
    await call(t, 'console.unlock', { pin: PIN }, other);
    expect((await call(t, 'location.list', {}, other)).length).toBe(1);
    await call(t, 'console.unlock', { pin: PIN });
    expect((await call(t, 'location.list', {})).length).toBe(1);
  });

  it('locks every panel when the home goes Away, and none without a PIN', async () => {
    const t = await hub();
    const other = localBrowser(t);
    await call(t, 'security.set', { state: 'away' });
    expect([t.panel.locked, other.locked]).toEqual([false, false]);
    await call(t, 'security.set', { state: 'day' });
    await call(t, 'console.pin.set', { newPin: PIN });
    const seen = watch(t);
    await call(t, 'security.set', { state: 'away' });
    expect([t.panel.locked, other.locked]).toEqual([true, true]);
    expect(new Set(seen.at(-1)?.lockedPanelIds)).toEqual(new Set([t.panel.id, other.id]));
    // Unlocked while Away, a panel stays unlocked when the mode's hold ends or is re-announced.
    await call(t, 'console.unlock', { pin: PIN });
    t.scheduler.runUntil(t.clock.now() + 3_600_000);
    expect(t.panel.locked).toBe(false);
  });

  it('clearing the PIN unlocks every panel', async () => {
    const t = await hub();
    await call(t, 'console.pin.set', { newPin: PIN });
    const other = tablet(t);
    expect(other.locked).toBe(true);
    await call(t, 'console.pin.set', { currentPin: PIN, newPin: null });
    expect(other.locked).toBe(false);
  });
});

describe('wrong PINs', () => {
  it(`are limited to ${WRONG_PINS_PER_PANEL.max} a minute per panel, the right PIN included, with the wait in the message`, async () => {
    const t = await hub();
    await call(t, 'console.pin.set', { newPin: PIN });
    await call(t, 'console.lock', {});
    for (let i = 0; i < WRONG_PINS_PER_PANEL.max; i += 1) {
      t.clock.advance(1_000);
      expect(await callFails(t, 'console.unlock', { pin: '0000' })).toMatchObject({ code: 'forbidden', message: 'Wrong PIN.' });
    }
    // The first wrong PIN was 5 s ago, so the window opens again 55 s from now.
    expect(await callFails(t, 'console.unlock', { pin: PIN })).toEqual({ code: 'rate_limited', message: 'Too many wrong PINs. Try again in 56 s.' });
    // Another panel is not held up by this one.
    const other = localBrowser(t);
    await call(t, 'console.unlock', { pin: PIN }, other);
    t.clock.advance(55_000);
    expect(await callFails(t, 'console.unlock', { pin: PIN })).toMatchObject({ code: 'rate_limited', message: 'Too many wrong PINs. Try again in 1 s.' });
    t.clock.advance(1_000);
    expect(await call(t, 'console.unlock', { pin: PIN })).toMatchObject({ locked: false });
  });

  it(`are limited to ${WRONG_PINS_GLOBAL.max} in ten minutes across all panels, so new sessions do not get fresh tries`, async () => {
    const t = await hub();
    await call(t, 'console.pin.set', { newPin: PIN });
    let wrong = 0;
    for (let session = 0; wrong < WRONG_PINS_GLOBAL.max && session < 10; session += 1) {
      const panel = tablet(t);
      for (let i = 0; i < WRONG_PINS_PER_PANEL.max - 1 && wrong < WRONG_PINS_GLOBAL.max; i += 1, wrong += 1) {
        expect(await callFails(t, 'console.unlock', { pin: '1111' }, panel)).toMatchObject({ code: 'forbidden' });
      }
      t.clock.advance(10_000);
    }
    expect(wrong).toBe(WRONG_PINS_GLOBAL.max);
    const fresh = tablet(t);
    expect(await callFails(t, 'console.unlock', { pin: PIN }, fresh)).toMatchObject({ code: 'rate_limited' });
    // Changing the PIN counts against the same limit.
    expect(await callFails(t, 'console.pin.set', { currentPin: PIN, newPin: '5555' })).toMatchObject({ code: 'rate_limited' });
    t.clock.advance(WRONG_PINS_GLOBAL.windowMs);
    await call(t, 'console.unlock', { pin: PIN }, fresh);
  });

  it('checked in parallel still count one by one', async () => {
    const t = await hub();
    await call(t, 'console.pin.set', { newPin: PIN });
    await call(t, 'console.lock', {});
    const answers = await Promise.all(Array.from({ length: 12 }, () => t.invoke('console.unlock', { pin: '7777' })));
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes.filter((c) => c === 'forbidden')).toHaveLength(WRONG_PINS_PER_PANEL.max);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(12 - WRONG_PINS_PER_PANEL.max);
  });
});

describe('the sleep schedule', () => {
  it('turns at the sleep and wake times in the home’s zone, and is off unless switched on', async () => {
    const t = await hub();
    const seen = watch(t);
    await call(t, 'settings.update', { subsystem: 'console', key: 'sleep_at', value: '22:30' });
    await call(t, 'settings.update', { subsystem: 'console', key: 'wake_at', value: '06:15' });
    t.scheduler.runUntil(Date.UTC(2026, 0, 16, 5));
    expect(seen).toEqual([]);
    t.clock.set(CHICAGO_WINTER_1PM);
    await call(t, 'settings.update', { subsystem: 'console', key: 'sleep_on_schedule', value: true });
    expect((await call(t, 'console.status.get', {})).sleepScheduled).toBe(false);
    t.scheduler.runUntil(Date.UTC(2026, 0, 16, 4, 30) - 1);
    expect(t.hub.consoleManager.status(t.panel).sleepScheduled).toBe(false);
    t.scheduler.runUntil(Date.UTC(2026, 0, 16, 4, 30)); // 22:30 CST
    expect(t.hub.consoleManager.status(t.panel).sleepScheduled).toBe(true);
    expect(seen.at(-1)).toMatchObject({ sleepScheduled: true });
    t.scheduler.runUntil(Date.UTC(2026, 0, 16, 12, 15)); // 06:15 CST
    expect(t.hub.consoleManager.status(t.panel).sleepScheduled).toBe(false);
    expect(seen.map((s) => s.sleepScheduled)).toEqual([true, false]);
  });

  it('applies at once when switched on inside the sleep window', async () => {
    const t = await hub();
    t.clock.set(Date.UTC(2026, 0, 16, 6)); // 00:00 CST
    await call(t, 'settings.update', { subsystem: 'console', key: 'sleep_on_schedule', value: true });
    expect(await call(t, 'console.status.get', {})).toMatchObject({ sleepScheduled: true });
  });
});

describe('views showing an entity', () => {
  it('lists the views that show it, in location and view order, leaving out views of other locations and archived items', async () => {
    const t = await hub();
    await call(t, 'edit.begin', {});
    const ground = await call(t, 'location.create', { name: 'Ground' });
    const upstairs = await call(t, 'location.create', { name: 'Upstairs' });
    const groundSecurity = await call(t, 'location.view.create', { locationId: ground.id, name: 'Security', type: 'security' });
    const motion = await call(t, 'entity.create', { name: 'Hall motion', type: 'motion_sensor', locationViewId: ground.views[0]!.id });
    const lamp = await call(t, 'entity.create', { name: 'Bed lamp', type: 'light', locationViewId: upstairs.views[0]!.id });
    await call(t, 'entity.view.set', { entityId: motion.id, locationViewId: groundSecurity.id, inView: true });
    const gone = await call(t, 'entity.create', { name: 'Old sensor', type: 'motion_sensor', locationViewId: ground.views[0]!.id });
    await call(t, 'entity.archive', { entityId: gone.id });
    await call(t, 'edit.end', {});

    expect(await call(t, 'console.views.showing', { entityIds: [lamp.id, motion.id, gone.id] })).toEqual([
      { entityId: motion.id, locationId: ground.id, locationViewId: ground.views[0]!.id },
      { entityId: motion.id, locationId: ground.id, locationViewId: groundSecurity.id },
      { entityId: lamp.id, locationId: upstairs.id, locationViewId: upstairs.views[0]!.id },
    ]);
    expect(await call(t, 'console.views.showing', { entityIds: [999] })).toEqual([]);
  });
});
