import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationHealth } from '../../../../src-shared/enums';
import { ZmSimulator } from '../../../simulator/zm-simulator';
import { call } from '../../../test-support/home-helpers';
import { entityFor, stateIdFor, statesOf } from '../../../test-support/integration-fixtures';
import { createTestHub, TestClock, type TestHub } from '../../../test-support/test-hub';
import { GatewayNotFoundError, type GatewayContext, type IntegrationConfig } from '../../gateway';
import type { UpstreamEntity, UpstreamValues } from '../../upstream';
import { monitorUpstreamId, RUN_STATE_ID, ZM_DOMAINS, ZM_POLL, ZONEMINDER_KEY, ZoneMinderGateway } from '../gateway';

const USER = 'hub';
const PASSWORD = 'zm-secret';
const FRONT = monitorUpstreamId(1);
const BACK = monitorUpstreamId(2);

/** Polls (every 20 ms, at most `timeoutMs`) until `condition` holds: the gateway talks to a real server here. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Everything a running gateway reported. */
class Recorder {
  snapshots: UpstreamEntity[][] = [];
  values: UpstreamValues[] = [];
  health: Array<{ health: string; message: string | null }> = [];

  context(config: IntegrationConfig, clock: TestClock): GatewayContext {
    return {
      config,
      clock,
      onValues: (values) => this.values.push(...values),
      onSnapshot: (entities) => this.snapshots.push([...entities]),
      onHealth: (health, message) => this.health.push({ health: health.value, message }),
    };
  }

  /** The event id each motion value of a camera names. */
  correlations(upstreamId: string): Array<string | undefined> {
    return this.values.filter((v) => v.upstreamId === upstreamId && v.values.some((x) => x.key === 'motion')).map((v) => v.values[0]!.correlation);
  }

  motion(upstreamId: string): Array<[string | null, number]> {
    return this.values.filter((v) => v.upstreamId === upstreamId && v.values.some((x) => x.key === 'motion')).map((v) => [v.values[0]!.value, v.ts]);
  }

  get lastHealth(): string | undefined {
    return this.health.at(-1)?.health;
  }
}

const FAST = { ...ZM_POLL, eventsIntervalMs: 30, statusIntervalMs: 60_000, backoffMaxMs: 100 };

describe('ZoneMinderGateway against the simulator', () => {
  let clock: TestClock;
  let sim: ZmSimulator;
  let config: IntegrationConfig;
  let gateway: ZoneMinderGateway;
  let recorder: Recorder;

  beforeEach(async () => {
    clock = new TestClock(Date.UTC(2026, 4, 10, 16, 0, 0));
    sim = new ZmSimulator({ user: USER, password: PASSWORD, clock, apiGeneration: '1.37' });
    const { url } = await sim.start();
    config = { url, user: USER, password: PASSWORD };
    gateway = new ZoneMinderGateway(clock, FAST);
    recorder = new Recorder();
  });
  afterEach(async () => {
    await gateway.stop();
    await sim.stop();
  });

  it('lists each monitor as a camera with video, motion and its function, and the run state as a system entity', async () => {
    sim.addEvent({ monitorId: 2, start: clock.now() - 5_000 });
    const { entities, unreadable } = await gateway.fetchUpstream(config);
    expect(unreadable).toEqual([]);
    expect(entities.map((e) => [e.upstreamId, e.domain, e.entityType, e.name, e.hasVideoStream])).toEqual([
      [FRONT, 'camera', 'camera', 'Front door', true],
      [BACK, 'camera', 'camera', 'Back yard', true],
      [RUN_STATE_ID, 'system', 'other', 'ZoneMinder run state', false],
    ]);
    expect(entities[0]!.states.map((s) => [s.key, s.stateType, s.value, s.controllable])).toEqual([
      ['video_stream', 'video_stream', 'streaming', false],
      ['motion', 'movement', 'idle', false],
      ['function', 'discrete', 'Modect', true],
    ]);
    expect(entities[0]!.states[2]!.choices).toEqual(['None', 'Monitor', 'Modect', 'Record', 'Mocord', 'Nodect']);
    // The back yard has an open event: motion now.
    expect(entities[1]!.states.map((s) => s.value)).toEqual(['recording', 'active', 'Mocord']);
    expect(entities[2]!.states[0]).toMatchObject({ key: 'run_state', value: 'default', choices: ['default', 'Home', 'Away'], controllable: true });
    // Nothing that grants access is kept with the entity.
    expect(JSON.stringify(entities)).not.toMatch(/token|zm-secret/);
  });

  it('turns open and closed events into motion values at their own times, after a snapshot', async () => {
    const earlier = sim.addEvent({ monitorId: 1, start: clock.now() - 60_000, end: clock.now() - 50_000 });
    gateway.start(recorder.context(config, clock));
    await waitFor(() => recorder.lastHealth === 'ok', 'the first poll');
    expect(recorder.snapshots).toHaveLength(1);
    // An event from before the start is history, not news.
    expect(recorder.motion(FRONT)).toEqual([]);

    const open = sim.addEvent({ monitorId: 1, start: clock.now() - 1_000 });
    await waitFor(() => recorder.motion(FRONT).length === 1, 'the open event');
    expect(recorder.motion(FRONT)).toEqual([['active', open.start]]);

    clock.advance(9_000);
    sim.closeEvent(open.id);
    await waitFor(() => recorder.motion(FRONT).length === 2, 'the close');
    expect(recorder.motion(FRONT)[1]).toEqual(['idle', clock.now()]);

    // An event that opened and closed between two polls still shows, in order.
    const blip = sim.addEvent({ monitorId: 2, start: clock.now() + 1_000, end: clock.now() + 3_000 });
    await waitFor(() => recorder.motion(BACK).length === 2, 'the short event');
    expect(recorder.motion(BACK)).toEqual([
      ['active', blip.start],
      ['idle', blip.end],
    ]);
    expect(earlier.id).toBeLessThan(open.id);
    // Each value names the event that opened or closed it.
    expect(recorder.correlations(FRONT)).toEqual([String(open.id), String(open.id)]);
    expect(recorder.correlations(BACK)).toEqual([String(blip.id), String(blip.id)]);
  });

  it('names the open event of a camera in motion in the snapshot, and the one whose close ends the motion', async () => {
    const older = sim.addEvent({ monitorId: 2, start: clock.now() - 3_000 });
    const newer = sim.addEvent({ monitorId: 2, start: clock.now() - 2_000 });
    gateway.start(recorder.context(config, clock));
    await waitFor(() => recorder.snapshots.length === 1, 'the snapshot');
    const motionOf = (entity: UpstreamEntity | undefined) => entity?.states.find((s) => s.key === 'motion');
    expect(motionOf(recorder.snapshots[0]!.find((e) => e.upstreamId === BACK))).toMatchObject({ value: 'active', correlation: String(newer.id) });
    expect(motionOf(recorder.snapshots[0]!.find((e) => e.upstreamId === FRONT))).toMatchObject({ value: 'idle' });
    expect(motionOf(recorder.snapshots[0]!.find((e) => e.upstreamId === FRONT))).not.toHaveProperty('correlation');
    sim.closeEvent(older.id, clock.now());
    sim.closeEvent(newer.id, clock.now() + 1_000);
    await waitFor(() => recorder.motion(BACK).length === 1, 'the last close');
    expect(recorder.motion(BACK)[0]).toEqual(['idle', clock.now() + 1_000]);
    expect(recorder.correlations(BACK)).toEqual([String(newer.id)]);
  });

  it('keeps a monitor active while any of its events is open', async () => {
    gateway.start(recorder.context(config, clock));
    await waitFor(() => recorder.lastHealth === 'ok', 'the first poll');
    const first = sim.addEvent({ monitorId: 1, start: clock.now() });
    const second = sim.addEvent({ monitorId: 1, start: clock.now() + 1 });
    await waitFor(() => recorder.motion(FRONT).length === 2, 'both events');
    sim.closeEvent(first.id, clock.now() + 2);
    sim.closeEvent(second.id, clock.now() + 3);
    await waitFor(() => recorder.motion(FRONT).length === 3, 'the last close');
    expect(recorder.motion(FRONT).map(([value]) => value)).toEqual(['active', 'active', 'idle']);
  });

  it('treats an event left open longer than the bound as over, and one found open long after it started as no motion', async () => {
    gateway.start(recorder.context(config, clock));
    await waitFor(() => recorder.lastHealth === 'ok', 'the first poll');
    sim.addEvent({ monitorId: 1, start: clock.now() });
    await waitFor(() => recorder.motion(FRONT).length === 1, 'the open event');
    clock.advance(FAST.maxOpenEventMs + 1_000);
    await waitFor(() => recorder.motion(FRONT).length === 2, 'the open event to expire');
    expect(recorder.motion(FRONT)[1]).toEqual(['idle', clock.now()]);

    // A capture daemon that crashed left this one open hours ago; the short event after it is real motion.
    sim.addEvent({ monitorId: 2, start: clock.now() - 3 * FAST.maxOpenEventMs });
    const real = sim.addEvent({ monitorId: 2, start: clock.now(), end: clock.now() + 1_000 });
    await waitFor(() => recorder.motion(BACK).length === 2, 'the real event');
    expect(recorder.motion(BACK)).toEqual([
      ['active', real.start],
      ['idle', real.end],
    ]);
  });

  it('reports a refused sign-in and an unreachable server in health, and recovers by itself', async () => {
    gateway.start(recorder.context(config, clock));
    await waitFor(() => recorder.lastHealth === 'ok', 'the first poll');
    await sim.restart({ forgetTokens: true });
    sim.setFault({ kind: 'auth_failure' });
    await waitFor(() => recorder.lastHealth === 'auth_failed', 'the refusal');
    expect(recorder.health.at(-1)!.message).toMatch(/refused the sign-in/);
    sim.setFault(null);
    await waitFor(() => recorder.lastHealth === 'ok', 'the recovery');

    sim.setFault({ kind: 'server_error' });
    await waitFor(() => recorder.lastHealth === 'unreachable', 'the server error');
    sim.setFault(null);
    await waitFor(() => recorder.lastHealth === 'ok', 'the second recovery');
  });

  it('sets a function on a 1.37 server and changes the run state', async () => {
    await gateway.control(config, { upstreamId: FRONT, domain: 'camera' }, 'function', 'Nodect');
    expect(sim.monitorFunction(1)).toBe('Nodect');
    await gateway.control(config, { upstreamId: RUN_STATE_ID, domain: 'system' }, 'run_state', 'Away');
    expect(sim.runState()).toBe('Away');

    await expect(gateway.control(config, { upstreamId: FRONT, domain: 'camera' }, 'function', 'Dance')).rejects.toMatchObject({ failure: 'refused' });
    await expect(gateway.control(config, { upstreamId: RUN_STATE_ID, domain: 'system' }, 'run_state', 'Holiday')).rejects.toMatchObject({ failure: 'refused' });
    await expect(gateway.control(config, { upstreamId: monitorUpstreamId(9), domain: 'camera' }, 'function', 'None')).rejects.toMatchObject({ failure: 'refused' });
  });

  it('gives the hub a stream URL with the token in it, and a snapshot URL', async () => {
    const live = await gateway.videoSource(config, FRONT, 'live');
    expect(live.headers).toEqual({});
    expect(new URL(live.url).searchParams.get('mode')).toBe('jpeg');
    const snapshot = await gateway.videoSource(config, BACK, 'snapshot');
    const response = await fetch(snapshot.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    await expect(gateway.videoSource(config, RUN_STATE_ID, 'live')).rejects.toMatchObject({ failure: 'refused' });
  });

  it('hands out a recording only for the camera that made it, asking ZoneMinder once per event', async () => {
    const front = sim.addEvent({ monitorId: 1, start: clock.now() - 60_000, end: clock.now() - 50_000 });
    const play = await gateway.eventVideoSource(config, FRONT, String(front.id), 'play');
    expect(new URL(play.url).searchParams.get('event')).toBe(String(front.id));
    await gateway.eventVideoSource(config, FRONT, String(front.id), 'thumbnail');
    expect(sim.hitCount(`/api/events/${front.id}.json`)).toBe(1);

    await expect(gateway.eventVideoSource(config, BACK, String(front.id), 'play')).rejects.toThrow(GatewayNotFoundError);
    await expect(gateway.eventVideoSource(config, BACK, String(front.id), 'play')).rejects.toThrow(`Recording ${front.id} was not made by this camera.`);
    await expect(gateway.eventVideoSource(config, FRONT, '424242', 'thumbnail')).rejects.toThrow('ZoneMinder has no recording 424242.');
    // An unknown id is asked again next time: the event may have been made since.
    await expect(gateway.eventVideoSource(config, FRONT, '424242', 'thumbnail')).rejects.toThrow(GatewayNotFoundError);
    expect(sim.hitCount('/api/events/424242.json')).toBe(2);
    expect(sim.hitCount('/cgi-bin/nph-zms')).toBe(0);
  });

  it('offers the server zone as the home zone while running', async () => {
    expect(await gateway.homeConfig()).toBeNull();
    gateway.start(recorder.context(config, clock));
    expect(await gateway.homeConfig()).toEqual({ timeZone: 'America/New_York', unitSystem: null });
  });
});

describe('ZoneMinder through a hub', () => {
  let t: TestHub;
  let sim: ZmSimulator;

  beforeEach(async () => {
    t = await createTestHub();
    sim = new ZmSimulator({ user: USER, password: PASSWORD, clock: t.clock });
    const { url } = await sim.start();
    await call(t, 'integration.configure', { key: ZONEMINDER_KEY, fields: { url, user: USER, password: PASSWORD }, importDomains: [...ZM_DOMAINS] });
  });
  afterEach(async () => {
    await t.close();
    await sim.stop();
  });

  it('syncs the monitors as cameras by integration key, and their motion goes live', async () => {
    await call(t, 'integration.enable', { key: ZONEMINDER_KEY });
    const report = await call(t, 'integration.sync', { key: ZONEMINDER_KEY });
    expect(report.created.map((c) => c.name).sort()).toEqual(['Back yard', 'Front door', 'ZoneMinder run state']);

    const front = entityFor(t, ZONEMINDER_KEY, FRONT)!;
    expect(front).toMatchObject({ entity_type_str: 'camera', has_video_stream: 1, integration_id: FRONT });
    expect(statesOf(t, front.id).map((s) => [s.type, s.sensorIntegrationId])).toEqual([
      ['video_stream', `${FRONT}#video_stream`],
      ['movement', `${FRONT}#motion`],
      ['discrete', `${FRONT}#function`],
    ]);

    // A second sync changes nothing: the integration key holds.
    const again = await call(t, 'integration.sync', { key: ZONEMINDER_KEY });
    expect(again).toMatchObject({ created: [], removed: [], detached: [] });

    await waitFor(() => t.hub.integrations.healthViews().find((h) => h.key === ZONEMINDER_KEY)?.health === IntegrationHealth.OK.value, 'the first poll');
    sim.addEvent({ monitorId: 1, start: t.clock.now() });
    const motion = stateIdFor(t, FRONT, 'motion');
    await waitFor(() => t.hub.statuses.latest(motion)?.value === 'active', 'motion on the front door');
  });

  it("offers a camera's function as a choice a panel can set, and sets it on the server", async () => {
    await call(t, 'integration.enable', { key: ZONEMINDER_KEY });
    await call(t, 'integration.sync', { key: ZONEMINDER_KEY });
    const front = entityFor(t, ZONEMINDER_KEY, FRONT)!;
    const detail = await call(t, 'entity.detail.get', { entityId: front.id });
    const fn = detail.states.find((s) => s.name === 'Function')!;
    // Regression: the sync made no controller for a list of choices, so the function could not be changed.
    expect(fn).toMatchObject({ type: 'discrete', controllable: true, choices: ['None', 'Monitor', 'Modect', 'Record', 'Mocord', 'Nodect'] });
    await waitFor(() => t.hub.integrations.healthViews().find((h) => h.key === ZONEMINDER_KEY)?.health === IntegrationHealth.OK.value, 'the first poll');
    await call(t, 'entity.control', { entityId: front.id, stateId: fn.id, value: 'Record' });
    expect(sim.monitorFunction(1)).toBe('Record');
    await expect(call(t, 'entity.control', { entityId: front.id, stateId: fn.id, value: 'Sleep' })).rejects.toThrow(/expected one of/);
  });

  it('imports only what the allowlist names', async () => {
    await call(t, 'integration.configure', { key: ZONEMINDER_KEY, importDomains: ['camera'] });
    await call(t, 'integration.enable', { key: ZONEMINDER_KEY });
    const report = await call(t, 'integration.sync', { key: ZONEMINDER_KEY });
    expect(report.created.map((c) => c.name).sort()).toEqual(['Back yard', 'Front door']);
  });
});
