import { afterEach, describe, expect, it } from 'vitest';
import type { AlertSoundStatus } from '../../../../src-shared/model/alert-sound';
import { call, callFails } from '../../../test-support/home-helpers';
import { createTestHub, TestClock, type TestHub } from '../../../test-support/test-hub';

const START = Date.UTC(2026, 0, 15, 18);
const MINUTE = 60_000;

let hubs: TestHub[] = [];

async function hub(): Promise<TestHub> {
  const t = await createTestHub({ clock: new TestClock(START) });
  hubs.push(t);
  return t;
}

afterEach(async () => {
  for (const t of hubs) await t.close();
  hubs = [];
});

function soundEvents(t: TestHub): AlertSoundStatus[] {
  const seen: AlertSoundStatus[] = [];
  t.hub.events.on('alert.sound.changed', (status) => seen.push(status));
  return seen;
}

describe('the alert sound mute', () => {
  it('mutes every panel for the configured minutes, tells them, and ends by itself', async () => {
    const t = await hub();
    const seen = soundEvents(t);
    const before = t.scheduler.size;
    expect((await call(t, 'hub.snapshot', {})).alertSound).toEqual({ mutedUntil: null });

    const muted = await call(t, 'alert.sound.mute', {});
    expect(muted).toEqual({ mutedUntil: START + 15 * MINUTE });
    expect(seen).toEqual([{ mutedUntil: START + 15 * MINUTE }]);
    // A panel that connects now learns it from its snapshot.
    expect((await call(t, 'hub.snapshot', {})).alertSound).toEqual(muted);

    t.scheduler.runUntil(START + 15 * MINUTE - 1);
    expect(seen).toHaveLength(1);
    t.scheduler.runUntil(START + 15 * MINUTE);
    expect(seen.at(-1)).toEqual({ mutedUntil: null });
    expect((await call(t, 'hub.snapshot', {})).alertSound).toEqual({ mutedUntil: null });
    expect(t.scheduler.size).toBe(before);
  });

  it('lasts as long as the setting says', async () => {
    const t = await hub();
    await call(t, 'settings.update', { subsystem: 'alerts', key: 'mute_minutes', value: 5 });
    expect(await call(t, 'alert.sound.mute', {})).toEqual({ mutedUntil: START + 5 * MINUTE });
  });

  it('starts afresh when muted again, leaving one timer', async () => {
    const t = await hub();
    const before = t.scheduler.size;
    await call(t, 'alert.sound.mute', {});
    t.clock.advance(10 * MINUTE);
    expect(await call(t, 'alert.sound.mute', {})).toEqual({ mutedUntil: START + 25 * MINUTE });
    expect(t.scheduler.size).toBe(before + 1);
    t.scheduler.runUntil(START + 15 * MINUTE);
    expect(t.hub.alertSound.status()).toEqual({ mutedUntil: START + 25 * MINUTE });
  });

  it('unmutes at once, and says so once', async () => {
    const t = await hub();
    const seen = soundEvents(t);
    const before = t.scheduler.size;
    await call(t, 'alert.sound.mute', {});
    expect(await call(t, 'alert.sound.unmute', {})).toEqual({ mutedUntil: null });
    expect(await call(t, 'alert.sound.unmute', {})).toEqual({ mutedUntil: null });
    expect(seen).toEqual([{ mutedUntil: START + 15 * MINUTE }, { mutedUntil: null }]);
    expect(t.scheduler.size).toBe(before);
  });

  it('refuses a mute length outside 1 to 240 minutes, keeping the old one', async () => {
    const t = await hub();
    const error = await callFails(t, 'settings.update', { subsystem: 'alerts', key: 'mute_minutes', value: 0 });
    expect(error.code).toBe('invalid_argument');
    expect(await call(t, 'alert.sound.mute', {})).toEqual({ mutedUntil: START + 15 * MINUTE });
  });

  it('refuses arguments it does not take', async () => {
    const t = await hub();
    expect((await callFails(t, 'alert.sound.mute', { minutes: 600 })).code).toBe('invalid_argument');
    expect(t.hub.alertSound.status()).toEqual({ mutedUntil: null });
  });

  it('is not kept across a restart: a hub that comes back sounds its alerts', async () => {
    const t = await createTestHub({ clock: new TestClock(START) });
    await call(t, 'alert.sound.mute', {});
    await t.stop();
    const again = await createTestHub({ clock: new TestClock(START + MINUTE), dataDir: t.dataDir });
    hubs.push(again);
    expect((await call(again, 'hub.snapshot', {})).alertSound).toEqual({ mutedUntil: null });
  });
});
