import { afterEach, describe, expect, it } from 'vitest';
import { AlarmLevel, AlarmSource } from '../../../../src-shared/enums/alert';
import { MAX_ALARMS_PER_ALERT, MAX_LIVE_ALERTS, type AlertView } from '../../../../src-shared/model/alert';
import { call, callFails, rows } from '../../../test-support/home-helpers';
import { createTestHub, makeTempDir, TestClock, type TestHub } from '../../../test-support/test-hub';
import type { Alarm } from '../transient-models';

const START = Date.UTC(2026, 0, 15, 18);
const MINUTE = 60_000;

let hubs: TestHub[] = [];

async function hubAt(at = START, dataDir?: string): Promise<TestHub> {
  const t = await createTestHub({ clock: new TestClock(at), ...(dataDir ? { dataDir } : {}) });
  hubs.push(t);
  return t;
}

afterEach(async () => {
  for (const t of hubs) await t.close();
  hubs = [];
});

function motion(t: TestHub, overrides: Partial<Alarm> = {}): Alarm {
  return {
    source: AlarmSource.EVENT,
    type: 'event-1',
    level: AlarmLevel.CRITICAL,
    title: 'Motion in the hall',
    details: 'Hall motion: Detected',
    entityIds: [7],
    at: t.clock.now(),
    lifetimeMs: 10 * MINUTE,
    ...overrides,
  };
}

function lastChanged(t: TestHub): () => AlertView[] | null {
  let latest: AlertView[] | null = null;
  t.hub.events.on('alert.changed', ({ alerts }) => (latest = alerts));
  return () => latest;
}

describe('alerts', () => {
  it('gathers alarms with one signature into one alert with a count, newest alarm first', async () => {
    const t = await hubAt();
    const changed = lastChanged(t);
    t.hub.alerts.raise(motion(t));
    t.clock.advance(MINUTE);
    t.hub.alerts.raise(motion(t, { entityIds: [8], details: 'Hall motion 2: Detected' }));
    t.clock.advance(MINUTE);
    const alert = t.hub.alerts.raise(motion(t))!;
    expect(alert).toMatchObject({ signature: 'event.event-1.critical', count: 3, firstAt: START, lastAt: START + 2 * MINUTE, endsAt: START + 12 * MINUTE });
    expect(alert.entityIds.sort()).toEqual([7, 8]);
    expect(alert.alarms.map((a) => a.at)).toEqual([START + 2 * MINUTE, START + MINUTE, START]);
    expect(await call(t, 'alert.list', {})).toHaveLength(1);
    // The first change of a quiet spell is announced at once.
    expect(changed()?.[0]?.id).toBe(alert.id);
  });

  it('keeps a different level or type apart, most important first', async () => {
    const t = await hubAt();
    t.hub.alerts.raise(motion(t, { level: AlarmLevel.INFO, title: 'Door opened' }));
    t.clock.advance(1);
    t.hub.alerts.raise(motion(t, { level: AlarmLevel.WARNING, title: 'Battery low', type: 'event-2' }));
    t.clock.advance(1);
    t.hub.alerts.raise(motion(t));
    t.hub.alerts.raise(motion(t, { level: AlarmLevel.NONE }));
    expect((await call(t, 'alert.list', {})).map((a) => a.level)).toEqual(['critical', 'warning', 'info']);
  });

  it('bounds the alarms it keeps per alert while counting every one', async () => {
    const t = await hubAt();
    for (let i = 0; i < 500; i += 1) {
      t.clock.advance(100);
      t.hub.alerts.raise(motion(t, { entityIds: [i] }));
    }
    const [alert] = t.hub.alerts.list();
    expect(alert?.count).toBe(500);
    expect(alert?.alarms).toHaveLength(MAX_ALARMS_PER_ALERT);
    expect(alert?.alarms[0]?.entityIds).toEqual([499]);
    expect(alert?.entityIds.length).toBeLessThanOrEqual(100);
  });

  it('caps open alerts, dropping the least important and oldest into the recent list', async () => {
    const t = await hubAt();
    t.hub.alerts.raise(motion(t, { type: 'info-first', level: AlarmLevel.INFO }));
    for (let i = 0; i < MAX_LIVE_ALERTS; i += 1) {
      t.clock.advance(1);
      t.hub.alerts.raise(motion(t, { type: `rule-${i}` }));
    }
    const open = t.hub.alerts.list();
    expect(open).toHaveLength(MAX_LIVE_ALERTS);
    expect(open.some((a) => a.signature === 'event.info-first.info')).toBe(false);
    expect(t.hub.alerts.recentList()[0]).toMatchObject({ signature: 'event.info-first.info', closedBy: 'dropped' });
  });

  it('ends an alert when its time runs out, later alarms extending it', async () => {
    const t = await hubAt();
    t.hub.alerts.raise(motion(t));
    t.scheduler.runUntil(START + 5 * MINUTE);
    t.hub.alerts.raise(motion(t));
    t.scheduler.runUntil(START + 14 * MINUTE);
    expect(t.hub.alerts.list()).toHaveLength(1);
    t.scheduler.runUntil(START + 15 * MINUTE);
    expect(t.hub.alerts.list()).toHaveLength(0);
    expect(t.hub.alerts.recentList()[0]).toMatchObject({ closedBy: 'expired', closedAt: START + 15 * MINUTE, count: 2 });
  });

  it('stays until acknowledged when its lifetime is open, and a new alarm after that opens a new alert', async () => {
    const t = await hubAt();
    const first = t.hub.alerts.raise(motion(t, { lifetimeMs: null }))!;
    t.scheduler.runUntil(START + 24 * 60 * MINUTE);
    expect(t.hub.alerts.list().map((a) => a.id)).toEqual([first.id]);
    expect(await call(t, 'alert.acknowledge', { alertId: first.id })).toMatchObject({ closedBy: 'acknowledged' });
    expect(t.hub.alerts.list()).toEqual([]);
    expect((await callFails(t, 'alert.acknowledge', { alertId: first.id })).code).toBe('not_found');
    const second = t.hub.alerts.raise(motion(t))!;
    expect(second.id).not.toBe(first.id);
    t.hub.alerts.raise(motion(t, { type: 'other' }));
    expect(await call(t, 'alert.acknowledgeAll', {})).toEqual({ count: 2 });
  });

  it('closes alerts its source clears', async () => {
    const t = await hubAt();
    t.hub.alerts.raise(motion(t, { source: AlarmSource.HEALTH_STATUS, type: 'home_assistant', lifetimeMs: null }));
    t.hub.alerts.raise(motion(t));
    expect(t.hub.alerts.clear(AlarmSource.HEALTH_STATUS, 'home_assistant')).toBe(1);
    expect(t.hub.alerts.list().map((a) => a.source)).toEqual(['event']);
    expect(t.hub.alerts.recentList()[0]?.closedBy).toBe('cleared');
  });

  it('brings open alerts back after a restart and closes those that ran out meanwhile', async () => {
    const dataDir = makeTempDir();
    const first = await hubAt(START, dataDir);
    const lasting = first.hub.alerts.raise(motion(first, { lifetimeMs: null, type: 'smoke', title: 'Smoke in the kitchen' }))!;
    first.hub.alerts.raise(motion(first, { lifetimeMs: MINUTE }));
    first.hub.alerts.raise(motion(first, { type: 'door', lifetimeMs: null }));
    first.hub.alerts.acknowledge(first.hub.alerts.list().find((a) => a.signature.startsWith('event.door'))!.id);
    await first.stop();
    hubs = [];

    const second = await hubAt(START + 2 * MINUTE, dataDir);
    expect(second.hub.alerts.list()).toEqual([{ ...lasting }]);
    expect(second.hub.alerts.recentList().map((a) => a.closedBy).sort()).toEqual(['acknowledged', 'expired']);
    // An alarm after the restart joins the restored alert rather than opening a second one.
    expect(second.hub.alerts.raise(motion(second, { lifetimeMs: null, type: 'smoke', title: 'Smoke in the kitchen' }))!.id).toBe(lasting.id);
    const next = second.hub.alerts.raise(motion(second, { type: 'new' }))!;
    expect(next.id).toBeGreaterThan(lasting.id + 2);
    await second.hub.alerts.save();
    expect(rows(second, 'alert').filter((r) => r.closed_at === null)).toHaveLength(2);
  });
});

describe('connection alerts', () => {
  function health(t: TestHub, health: string, message: string | null = null): void {
    t.hub.events.emit('integration.health', { key: 'home_assistant', health: health as 'ok', lastSuccessAt: null, message });
  }

  it('raises one when an integration stays unreachable past the grace period, and clears it when healthy', async () => {
    const t = await hubAt();
    await call(t, 'settings.update', { subsystem: 'alerts', key: 'health_alarm_delay_seconds', value: 30 });
    health(t, 'unreachable', 'connection refused');
    t.scheduler.runUntil(START + 29_000);
    expect(t.hub.alerts.list()).toEqual([]);
    health(t, 'connecting');
    t.scheduler.runUntil(START + 30_000);
    expect(t.hub.alerts.list()).toMatchObject([{ source: 'health_status', level: 'warning', title: 'Home Assistant is unreachable' }]);
    health(t, 'ok');
    expect(t.hub.alerts.list()).toEqual([]);
    expect(t.hub.alerts.recentList()[0]?.closedBy).toBe('cleared');
  });

  it('raises none for a drop that recovers within the grace period, and one at once for a refused sign-in', async () => {
    const t = await hubAt();
    health(t, 'unreachable');
    t.scheduler.runUntil(START + 10_000);
    health(t, 'ok');
    t.scheduler.runUntil(START + 10 * MINUTE);
    expect(t.hub.alerts.list()).toEqual([]);
    health(t, 'auth_failed', 'Home Assistant refused the token.');
    expect(t.hub.alerts.list()).toMatchObject([{ title: 'Home Assistant refused the sign-in', alarms: [{ details: 'Home Assistant refused the token.' }] }]);
  });
});

describe('new-alert listeners', () => {
  it('hear each alert once as it opens, and a failing one does not stop the others', async () => {
    const t = await hubAt();
    const heard: string[] = [];
    t.hub.alerts.onOpened(() => {
      throw new Error('broken listener');
    });
    const stop = t.hub.alerts.onOpened((alert) => heard.push(alert.signature));
    t.hub.alerts.raise(motion(t));
    t.hub.alerts.raise(motion(t));
    t.hub.alerts.raise(motion(t, { level: AlarmLevel.WARNING }));
    stop();
    t.hub.alerts.raise(motion(t, { type: 'later' }));
    expect(heard).toEqual(['event.event-1.critical', 'event.event-1.warning']);
  });
});
