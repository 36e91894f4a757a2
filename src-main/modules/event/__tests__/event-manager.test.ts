import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventDefinitionInput } from '../../../../src-shared/model/event';
import type { UpstreamEntity } from '../../../integrations/upstream';
import { call, callFails, rows } from '../../../test-support/home-helpers';
import { FRONT_DOOR, KITCHEN_LIGHT, stateIdFor, syncInto, upstreamDoor, upstreamLight, allowlist } from '../../../test-support/integration-fixtures';
import { createTestHub, TestClock, type TestHub } from '../../../test-support/test-hub';

const KEY = 'hass';
const HALL_MOTION = 'binary_sensor.hall_motion';
const HALL_SMOKE = 'binary_sensor.hall_smoke';
const REMOTE_BATTERY = 'sensor.remote_battery';
// 13:00 in Chicago: Day, security level Low.
const DAY = Date.UTC(2026, 0, 15, 19);
const SECOND = 1000;

function binary(upstreamId: string, name: string, stateType: 'movement' | 'smoke', value: string): UpstreamEntity {
  return {
    upstreamId,
    domain: 'binary_sensor',
    name,
    entityType: stateType === 'movement' ? 'motion_sensor' : 'smoke_detector',
    states: [{ key: stateType, stateType, name: stateType === 'movement' ? 'Movement' : 'Smoke', value, units: null, controllable: false }],
    hasVideoStream: false,
    payload: {},
  };
}

function battery(value: string): UpstreamEntity {
  return {
    upstreamId: REMOTE_BATTERY,
    domain: 'sensor',
    name: 'Remote',
    entityType: 'other',
    states: [{ key: 'value', stateType: 'battery', name: 'Battery', value, units: '%', controllable: false }],
    hasVideoStream: false,
    payload: {},
  };
}

const home = (): UpstreamEntity[] => [
  binary(HALL_MOTION, 'Hall motion', 'movement', 'idle'),
  binary(HALL_SMOKE, 'Hall smoke', 'smoke', 'clear'),
  upstreamDoor(FRONT_DOOR, 'Front door'),
  upstreamLight(KITCHEN_LIGHT, 'Kitchen light'),
  battery('80'),
];
const ALLOW = allowlist(['binary_sensor', 'light', 'sensor']);

describe('trigger rules', () => {
  let t: TestHub;
  let ids: { motion: number; smoke: number; door: number; light: number; battery: number };

  /** A value from upstream, through the status pipeline as an integration would send it. */
  const send = (upstreamId: string, key: string, value: string, ts = t.clock.now()) => t.hub.statuses.ingest(KEY, [{ upstreamId, values: [{ key, value }], ts }]);
  const ruleNamed = async (name: string) => (await call(t, 'event.list', {})).find((r) => r.name === name)!;
  const settle = () => t.hub.rules.idle();

  beforeEach(async () => {
    t = await createTestHub({ clock: new TestClock(DAY) });
    await syncInto(t, KEY, home(), ALLOW);
    t.hub.statuses.reloadLinks();
    await t.hub.rules.ensureDefaultRules();
    ids = {
      motion: stateIdFor(t, HALL_MOTION, 'movement'),
      smoke: stateIdFor(t, HALL_SMOKE, 'smoke'),
      door: stateIdFor(t, FRONT_DOOR, 'open_close'),
      light: stateIdFor(t, KITCHEN_LIGHT, 'on_off'),
      battery: stateIdFor(t, REMOTE_BATTERY, 'value'),
    };
    for (const upstream of home()) t.hub.statuses.ingest(KEY, [{ upstreamId: upstream.upstreamId, values: upstream.states.map((s) => ({ key: s.key, value: s.value })), ts: DAY - 3_600_000 }]);
  });
  afterEach(() => t.close());

  it('gives each sensor of an alarmable kind its default rule, and none to lights', async () => {
    const rules = await call(t, 'event.list', {});
    expect(rules.map((r) => r.name).sort()).toEqual(['Battery low: Remote', 'Motion: Hall motion', 'Opened: Front door', 'Smoke: Hall smoke']);
    const motion = await ruleNamed('Motion: Hall motion');
    expect(motion).toMatchObject({
      isDefault: true,
      eventType: 'security',
      clauses: [{ entityStateId: ids.motion, operator: 'eq', value: 'active', entityName: 'Hall motion' }],
      alarmActions: [{ securityLevel: 'high', alarmLevel: 'critical', lifetimeSecs: 600 }],
    });
    expect((await ruleNamed('Smoke: Hall smoke')).alarmActions.map((a) => a.securityLevel).sort()).toEqual(['high', 'low', 'off']);
  });

  it('keeps the user’s edits and deletions of default rules across a re-sync', async () => {
    const motion = await ruleNamed('Motion: Hall motion');
    const door = await ruleNamed('Opened: Front door');
    await call(t, 'event.update', {
      eventDefinitionId: motion.id,
      definition: { name: 'Someone in the hall', eventType: 'security', eventWindowSecs: 30, dedupeWindowSecs: 5, enabled: false, clauses: [{ entityStateId: ids.motion, operator: 'eq', value: 'active' }], alarmActions: [], controlActions: [] },
    });
    await call(t, 'event.delete', { eventDefinitionId: door.id });
    await syncInto(t, KEY, home(), ALLOW);
    t.hub.events.emit('home.changed', { reason: 'hass synced' });
    expect(await t.hub.rules.ensureDefaultRules()).toBe(0);
    const names = (await call(t, 'event.list', {})).map((r) => r.name).sort();
    expect(names).toEqual(['Battery low: Remote', 'Smoke: Hall smoke', 'Someone in the hall']);
    expect(await ruleNamed('Someone in the hall')).toMatchObject({ enabled: false, eventWindowSecs: 30, isDefault: true });
  });

  it('raises an alarm only at the security levels its actions name', async () => {
    send(HALL_MOTION, 'movement', 'active');
    await settle();
    expect(t.hub.alerts.list()).toEqual([]);
    const motion = await ruleNamed('Motion: Hall motion');
    expect((await call(t, 'event.firings.list', { eventDefinitionId: motion.id }))[0]).toMatchObject({ securityLevel: 'low', details: expect.stringContaining('no alarm at security level Low') });

    await call(t, 'settings.update', { subsystem: 'security', key: 'away_delay_seconds', value: 0 });
    await call(t, 'security.set', { state: 'away' });
    t.clock.advance(120 * SECOND);
    send(HALL_MOTION, 'movement', 'idle');
    send(HALL_MOTION, 'movement', 'active');
    expect(t.hub.alerts.list()).toMatchObject([{ level: 'critical', title: 'Motion: Hall motion', entityIds: [motion.clauses[0]!.entityId], alarms: [{ details: 'Hall motion Movement: active' }] }]);
  });

  it('holds the alarm while Away’s leaving time runs, and records that it did', async () => {
    await call(t, 'security.set', { state: 'away' });
    send(HALL_MOTION, 'movement', 'active');
    await settle();
    expect(t.hub.alerts.list()).toEqual([]);
    const motion = await ruleNamed('Motion: Hall motion');
    expect((await call(t, 'event.firings.list', { eventDefinitionId: motion.id }))[0]?.details).toMatch(/Critical alarm held \(leaving for Away\)/);
  });

  it('fires when all clauses hold within its window, at most once per dedupe window', async () => {
    const rule = await call(t, 'event.create', {
      definition: {
        name: 'Door then motion',
        eventType: 'security',
        eventWindowSecs: 60,
        dedupeWindowSecs: 300,
        enabled: true,
        clauses: [
          { entityStateId: ids.door, operator: 'eq', value: 'open' },
          { entityStateId: ids.motion, operator: 'eq', value: 'active' },
        ],
        alarmActions: [{ securityLevel: 'low', alarmLevel: 'warning', lifetimeSecs: 600 }],
        controlActions: [],
      },
    });
    const fired = () => t.hub.alerts.list().find((a) => a.title === 'Door then motion')?.count ?? 0;
    send(FRONT_DOOR, 'open_close', 'open');
    t.clock.advance(5 * SECOND);
    send(FRONT_DOOR, 'open_close', 'closed');
    t.clock.advance(90 * SECOND);
    // The door opened 95 s ago and is closed now: outside the window.
    send(HALL_MOTION, 'movement', 'active');
    expect(fired()).toBe(0);
    send(HALL_MOTION, 'movement', 'idle');
    send(FRONT_DOOR, 'open_close', 'open');
    t.clock.advance(30 * SECOND);
    send(FRONT_DOOR, 'open_close', 'closed');
    send(HALL_MOTION, 'movement', 'active');
    expect(fired()).toBe(1);
    // Again within the dedupe window: nothing; after it: again.
    t.clock.advance(60 * SECOND);
    send(HALL_MOTION, 'movement', 'idle');
    send(FRONT_DOOR, 'open_close', 'open');
    send(HALL_MOTION, 'movement', 'active');
    expect(fired()).toBe(1);
    t.clock.advance(300 * SECOND);
    send(HALL_MOTION, 'movement', 'idle');
    send(HALL_MOTION, 'movement', 'active');
    expect(fired()).toBe(2);
    await settle();
    expect((await call(t, 'event.firings.list', { eventDefinitionId: rule.id })).length).toBe(2);
  });

  it('does not start a rule from a change older than its window', async () => {
    await call(t, 'settings.update', { subsystem: 'security', key: 'away_delay_seconds', value: 0 });
    await call(t, 'security.set', { state: 'away' });
    t.clock.advance(SECOND);
    send(FRONT_DOOR, 'open_close', 'open', t.clock.now() - 3_600_000);
    expect(t.hub.alerts.list()).toEqual([]);
    send(FRONT_DOOR, 'open_close', 'closed');
    send(FRONT_DOOR, 'open_close', 'open');
    expect(t.hub.alerts.list()).toMatchObject([{ title: 'Opened: Front door', level: 'critical' }]);
  });

  it('compares numbers only when both sides are numbers', async () => {
    send(REMOTE_BATTERY, 'value', 'unavailable');
    send(REMOTE_BATTERY, 'value', '14.5 %');
    expect(t.hub.alerts.list()).toEqual([]);
    send(REMOTE_BATTERY, 'value', '12');
    expect(t.hub.alerts.list()).toMatchObject([{ title: 'Battery low: Remote', level: 'info' }]);
  });

  it('fires by hand from the Triggers tab, and records a control it could not run', async () => {
    const rule = await call(t, 'event.create', {
      definition: {
        name: 'Light on when smoke',
        eventType: 'automation',
        eventWindowSecs: 60,
        dedupeWindowSecs: 0,
        enabled: true,
        clauses: [{ entityStateId: ids.smoke, operator: 'eq', value: 'detected' }],
        alarmActions: [],
        controlActions: [{ entityStateId: ids.light, value: 'on' }],
      },
    });
    const firing = await call(t, 'event.test', { eventDefinitionId: rule.id });
    expect(firing.details).toMatch(/Fired by hand.*could not set Kitchen light On \/ off: .*not running/);
    expect(rows(t, 'event_history', { event_definition_id: rule.id })).toHaveLength(1);
    expect((await call(t, 'event.list', {})).find((r) => r.id === rule.id)?.lastFiredAt).toBe(DAY);
  });

  it('refuses rules it could not run, with the field that is wrong', async () => {
    const base: EventDefinitionInput = {
      name: 'Bad',
      eventType: 'security',
      eventWindowSecs: 60,
      dedupeWindowSecs: 60,
      enabled: true,
      clauses: [{ entityStateId: ids.motion, operator: 'eq', value: 'active' }],
      alarmActions: [],
      controlActions: [],
    };
    const refused = async (definition: EventDefinitionInput) => callFails(t, 'event.create', { definition });
    expect(await refused({ ...base, clauses: [{ entityStateId: 999_999, operator: 'eq', value: 'x' }] })).toMatchObject({ code: 'invalid_argument', issues: [{ path: ['clauses', 0, 'entityStateId'] }] });
    expect(await refused({ ...base, controlActions: [{ entityStateId: ids.door, value: 'open' }] })).toMatchObject({ code: 'invalid_argument', issues: [{ path: ['controlActions', 0, 'entityStateId'] }] });
    const twice = { securityLevel: 'high', alarmLevel: 'info', lifetimeSecs: null } as const;
    expect((await refused({ ...base, alarmActions: [twice, twice] })).code).toBe('invalid_argument');
    expect((await refused({ ...base, clauses: [] })).code).toBe('invalid_argument');
    expect((await callFails(t, 'event.create', { definition: { ...base, eventWindowSecs: 0 } })).code).toBe('invalid_argument');
    expect((await callFails(t, 'event.update', { eventDefinitionId: 999, definition: base })).code).toBe('not_found');
    expect((await call(t, 'event.list', {})).some((r) => r.name === 'Bad')).toBe(false);
  });

  it('offers every state to watch and the controllable ones to set', async () => {
    const options = await call(t, 'event.states.list', {});
    expect(options.find((o) => o.entityStateId === ids.light)).toMatchObject({ controllable: true, entityName: 'Kitchen light', choices: ['on', 'off'] });
    expect(options.find((o) => o.entityStateId === ids.door)).toMatchObject({ controllable: false, stateType: 'open_close', choices: ['open', 'closed'] });
    expect(options.find((o) => o.entityStateId === ids.battery)).toMatchObject({ stateType: 'battery', choices: null });
  });
});
