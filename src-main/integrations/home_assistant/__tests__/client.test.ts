import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { HaSimulator } from '../../../simulator/ha-simulator';
import type { ProfileName } from '../../../simulator/profiles';
import { systemClock } from '../../../util/clock';
import type { Logger } from '../../../util/log';
import {
  HaAuthError,
  HaProtocolError,
  HaRequestError,
  HaServerError,
  HaUnreachableError,
  HomeAssistantClient,
  type HomeAssistantClientOptions,
  type LiveConnectionStatus,
  type LiveHandlers,
  type LiveIssue,
  type LiveTiming,
} from '../client';
import type { HaState } from '../ha-types';

const TOKEN = 'test-token-5f2c';
/**
 * Fast live timing so reconnects happen within a test. Pings are off (a minute apart) except where a test is about
 * them, so a busy machine cannot turn a slow pong into an extra reconnect that other tests would not expect.
 */
const FAST: Partial<LiveTiming> = {
  pingIntervalMs: 60_000,
  pongTimeoutMs: 300,
  authTimeoutMs: 3_000,
  backoffInitialMs: 20,
  backoffMaxMs: 200,
  commandTimeoutMs: 3_000,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `predicate` holds; fails with `what` after `timeoutMs`. */
async function waitFor(predicate: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

interface LogLine {
  level: keyof Logger;
  message: string;
}

function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const record = (level: keyof Logger) => (message: string) => void lines.push({ level, message });
  return { logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }, lines };
}

/** Everything the live handlers were told, in order. */
class Recorder implements LiveHandlers {
  snapshots: HaState[][] = [];
  changes: Array<{ changed: HaState[]; removed: string[] }> = [];
  statuses: Array<{ status: LiveConnectionStatus; detail?: string }> = [];
  issues: Array<readonly LiveIssue[] | null> = [];
  calls = 0;

  onSnapshot(entities: HaState[]): void {
    this.calls += 1;
    this.snapshots.push(entities);
  }

  onChanges(changed: HaState[], removed: string[]): void {
    this.calls += 1;
    this.changes.push({ changed, removed });
  }

  onConnection(status: LiveConnectionStatus, detail?: string): void {
    this.calls += 1;
    this.statuses.push({ status, detail });
  }

  onIssues(issues: readonly LiveIssue[] | null): void {
    this.calls += 1;
    this.issues.push(issues);
  }

  statusNames(): LiveConnectionStatus[] {
    return this.statuses.map((s) => s.status);
  }

  /** The latest changed state of an entity, from the changes after `fromIndex`. */
  latestChange(entityId: string, fromIndex = 0): HaState | undefined {
    for (let i = this.changes.length - 1; i >= fromIndex; i--) {
      const found = this.changes[i]!.changed.find((s) => s.entity_id === entityId);
      if (found) return found;
    }
    return undefined;
  }

  removedIds(): string[] {
    return this.changes.flatMap((c) => c.removed);
  }
}

const simulators: HaSimulator[] = [];
const clients: HomeAssistantClient[] = [];
const extraServers: WebSocketServer[] = [];

async function startSimulator(profile: ProfileName = 'zoo'): Promise<HaSimulator> {
  const sim = new HaSimulator({ profile, token: TOKEN, port: 0 });
  simulators.push(sim);
  await sim.start();
  return sim;
}

function clientFor(sim: { url: string }, overrides: Partial<HomeAssistantClientOptions> = {}): HomeAssistantClient {
  const client = new HomeAssistantClient({ baseUrl: sim.url, token: TOKEN, clock: systemClock, live: FAST, logger: capturingLogger().logger, ...overrides });
  clients.push(client);
  return client;
}

/** The simulator's control API, over HTTP like a test harness or a person would use it. */
async function control(sim: HaSimulator, method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
  return response;
}

async function connected(client: HomeAssistantClient, recorder = new Recorder()): Promise<Recorder> {
  client.startLive(recorder);
  await waitFor(() => recorder.snapshots.length === 1, 5_000, 'the first snapshot');
  return recorder;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stopLive()));
  await Promise.all(simulators.splice(0).map((s) => s.stop()));
  await Promise.all(extraServers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

describe('HomeAssistantClient REST', () => {
  it('checks the API and reads every state', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    await expect(client.checkApi()).resolves.toBeUndefined();
    const { states, unreadable } = await client.getStates();
    expect(states).toHaveLength(sim.store.size);
    expect(unreadable).toEqual([]);
    const light = states.find((s) => s.entity_id === 'light.zoo_color_temp_light');
    expect(light).toMatchObject({ state: 'on', attributes: { brightness: 150, color_temp_kelvin: 3500, friendly_name: 'Zoo Color Temperature Light' } });
    expect(light?.context?.id).toEqual(expect.any(String));
    expect(Number.isFinite(Date.parse(light!.last_changed))).toBe(true);
  });

  it('reads the config, with the temperature unit the converters need', async () => {
    const sim = await startSimulator('small_house');
    const client = clientFor(sim);
    const config = await client.getConfig();
    expect(config).toMatchObject({ version: expect.any(String), unit_system: { temperature: '°C' }, location_name: expect.stringContaining('small_house') });
  });

  it('works with a base URL that has a trailing slash', async () => {
    const sim = await startSimulator('small_house');
    const client = clientFor({ url: `${sim.url}/` });
    await client.checkApi();
    expect((await client.getStates()).states.length).toBe(sim.store.size);
  });

  it('calls a service and answers the changed states', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const changed = await client.callService('switch', 'turn_off', { entity_id: 'switch.zoo_outlet' });
    expect(changed.map((s) => [s.entity_id, s.state])).toEqual([['switch.zoo_outlet', 'off']]);
    expect(sim.store.get('switch.zoo_outlet')?.state).toBe('off');
    expect(sim.recentCalls().at(-1)).toMatchObject({ via: 'rest', domain: 'switch', service: 'turn_off' });
  });

  it('turns a refused service call into HaRequestError', async () => {
    const sim = await startSimulator('small_house');
    const client = clientFor(sim);
    const error = await client.callService('climate', 'set_temperature', { entity_id: 'climate.thermostat', temperature: 99 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HaRequestError);
    expect(error).toMatchObject({ status: 400 });
    expect(String((error as Error).message)).toMatch(/not valid/);
    expect(sim.store.get('climate.thermostat')?.attributes.temperature).toBe(21);
  });

  it('refuses a service name that is not one', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    await expect(client.callService('light/../../states', 'x')).rejects.toThrow(RangeError);
    await expect(client.callServiceWs('Light', 'turn_on')).rejects.toThrow(RangeError);
  });

  it('answers HaAuthError for a wrong token', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim, { token: 'wrong-token' });
    await expect(client.checkApi()).rejects.toBeInstanceOf(HaAuthError);
    await expect(client.getStates()).rejects.toBeInstanceOf(HaAuthError);
  });

  it('answers HaAuthError under the auth_failure fault, and recovers when it is cleared', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    await control(sim, 'POST', '/sim/fault', { kind: 'auth_failure' });
    await expect(client.checkApi()).rejects.toBeInstanceOf(HaAuthError);
    await control(sim, 'POST', '/sim/fault', { kind: null });
    await expect(client.checkApi()).resolves.toBeUndefined();
  });

  it('answers a typed server error for a 500', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    sim.setFault({ kind: 'server_error' });
    const error = await client.getStates().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HaServerError);
    expect(error).toBeInstanceOf(HaProtocolError);
    expect(error).toMatchObject({ status: 500 });
  });

  it('rejects an answer that is not JSON, even with 200', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    sim.setFault({ kind: 'non_json' });
    const error = await client.checkApi().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HaProtocolError);
    expect(error).toMatchObject({ status: 200 });
    expect(String((error as Error).message)).toMatch(/not JSON.*text\/html/);
    await expect(client.getStates()).rejects.toBeInstanceOf(HaProtocolError);
  });

  it('answers HaUnreachableError when Home Assistant is too slow', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim, { requestTimeoutMs: 150 });
    sim.setFault({ kind: 'slow', delayMs: 2_000 });
    const error = await client.getStates().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HaUnreachableError);
    expect(String((error as Error).message)).toMatch(/no answer within 150 ms/);
  });

  it('answers HaUnreachableError when nothing listens', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    await sim.stop();
    const error = await client.checkApi().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HaUnreachableError);
    expect(String((error as Error).message)).toMatch(/ECONNREFUSED|ECONNRESET|fetch failed/);
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => new HomeAssistantClient({ baseUrl: 'ftp://example.invalid', token: TOKEN, clock: systemClock })).toThrow(RangeError);
  });
});

describe('HomeAssistantClient live connection', () => {
  it('connects, authenticates and delivers every entity in the first snapshot', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    await waitFor(() => recorder.statusNames().includes('connected'), 2_000, 'connected');
    expect(recorder.statusNames().slice(0, 2)).toEqual(['connecting', 'connected']);

    const snapshot = recorder.snapshots[0]!;
    const rest = (await client.getStates()).states;
    expect(snapshot.map((s) => s.entity_id).sort()).toEqual(rest.map((s) => s.entity_id).sort());
    for (const state of rest) {
      const live = snapshot.find((s) => s.entity_id === state.entity_id)!;
      expect(live.state).toBe(state.state);
      expect(live.attributes).toEqual(state.attributes);
      expect(Date.parse(live.last_changed)).toBe(Date.parse(state.last_changed));
      expect(Date.parse(live.last_updated)).toBe(Date.parse(state.last_updated));
      expect(live.context?.id).toBe(state.context?.id);
    }
    expect(client.liveStatus()).toBe('connected');
  });

  it('delivers a state change made through the control API as the merged state', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    const before = recorder.snapshots[0]!.find((s) => s.entity_id === 'binary_sensor.zoo_door')!;

    await control(sim, 'POST', `/sim/toggle/binary_sensor.zoo_door`);
    await waitFor(() => recorder.latestChange('binary_sensor.zoo_door') !== undefined, 3_000, 'the door change');
    const after = recorder.latestChange('binary_sensor.zoo_door')!;
    expect(after.state).toBe(before.state === 'on' ? 'off' : 'on');
    expect(after.attributes).toEqual(before.attributes);
    expect(Date.parse(after.last_changed)).toBeGreaterThanOrEqual(Date.parse(before.last_changed));
    expect(after.last_updated).toBe(after.last_changed);
  });

  it('merges an attribute-only change and keeps the state', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    const id = 'light.zoo_color_temp_light';
    const before = recorder.snapshots[0]!.find((s) => s.entity_id === id)!;

    // A brightness change alone: the compressed diff carries only `a.brightness` (and lu), not the state.
    await control(sim, 'POST', `/sim/states/${id}`, { state: 'on', attributes: { ...sim.store.get(id)!.attributes, brightness: 42 } });
    await waitFor(() => recorder.latestChange(id) !== undefined, 3_000, 'the brightness change');
    const after = recorder.latestChange(id)!;
    expect(after.state).toBe('on');
    expect(after.attributes).toEqual({ ...before.attributes, brightness: 42 });
    expect(after.last_changed).toBe(before.last_changed);
    expect(Date.parse(after.last_updated)).toBeGreaterThanOrEqual(Date.parse(before.last_updated));
  });

  it('drops an attribute the diff removes', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    const id = 'media_player.zoo_speaker';
    expect(recorder.snapshots[0]!.find((s) => s.entity_id === id)!.attributes).toHaveProperty('media_title');

    // Turning the speaker off removes its playing-only attributes (volume_level, media_title, ...).
    await client.callServiceWs('media_player', 'turn_off', {}, { entity_id: id });
    await waitFor(() => recorder.latestChange(id) !== undefined, 3_000, 'the speaker change');
    const after = recorder.latestChange(id)!;
    expect(after.state).toBe('off');
    expect(after.attributes).not.toHaveProperty('media_title');
    expect(after.attributes).not.toHaveProperty('volume_level');
    expect(after.attributes).toMatchObject({ friendly_name: 'Zoo Speaker', device_class: 'speaker' });
  });

  it('drops an attribute removed through the control API', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    const id = 'sensor.zoo_temperature';
    const { state_class: _gone, ...rest } = sim.store.get(id)!.attributes;
    await control(sim, 'POST', `/sim/states/${id}`, { state: '22.1', attributes: rest });
    await waitFor(() => recorder.latestChange(id) !== undefined, 3_000, 'the sensor change');
    expect(recorder.latestChange(id)!.attributes).toEqual(rest);
    expect(recorder.latestChange(id)!.state).toBe('22.1');
  });

  it('reports an entity removed upstream, and one added again', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    await control(sim, 'DELETE', '/sim/states/lock.zoo_lock');
    await waitFor(() => recorder.removedIds().includes('lock.zoo_lock'), 3_000, 'the removal');

    const mark = recorder.changes.length;
    await control(sim, 'POST', '/sim/states/lock.zoo_lock', { state: 'jammed', attributes: { friendly_name: 'Zoo Lock' } });
    await waitFor(() => recorder.latestChange('lock.zoo_lock', mark) !== undefined, 3_000, 'the re-added lock');
    expect(recorder.latestChange('lock.zoo_lock', mark)).toMatchObject({ state: 'jammed', attributes: { friendly_name: 'Zoo Lock' } });
  });

  it('calls a service over the WebSocket; the change comes back as a change', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    const result = await client.callServiceWs('light', 'turn_on', { brightness_pct: 50 }, { entity_id: 'light.zoo_dimmable_light' });
    expect(result.context?.id).toEqual(expect.any(String));
    expect(sim.store.get('light.zoo_dimmable_light')).toMatchObject({ state: 'on', attributes: { brightness: 128 } });
    await waitFor(() => recorder.latestChange('light.zoo_dimmable_light') !== undefined, 3_000, 'the light change');
    expect(recorder.latestChange('light.zoo_dimmable_light')).toMatchObject({ state: 'on', attributes: { brightness: 128 }, context: { id: result.context!.id } });
    expect(sim.recentCalls().at(-1)).toMatchObject({ via: 'websocket', domain: 'light', service: 'turn_on' });
  });

  it('rejects a refused WebSocket call with Home Assistant’s error code', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    await connected(client);
    const missing = await client.callServiceWs('light', 'turn_on', {}, { entity_id: 'light.nowhere' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(HaRequestError);
    expect(missing).toMatchObject({ code: 'not_found' });
    const invalid = await client.callServiceWs('climate', 'set_hvac_mode', { hvac_mode: 'warp' }, { entity_id: 'climate.zoo_thermostat' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'invalid_format' });
  });

  it('rejects a WebSocket call when not connected, and one that gets no answer', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim, { live: { ...FAST, commandTimeoutMs: 150 } });
    await expect(client.callServiceWs('light', 'turn_on', {}, { entity_id: 'light.zoo_dimmable_light' })).rejects.toBeInstanceOf(HaUnreachableError);
    await connected(client);
    sim.setFault({ kind: 'slow', delayMs: 1_000 });
    const error = await client.callServiceWs('light', 'turn_on', {}, { entity_id: 'light.zoo_dimmable_light' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HaUnreachableError);
    expect(String((error as Error).message)).toMatch(/within 150 ms/);
    expect(client.liveDiagnostics().pendingRequests).toBe(0);
  });

  it('rejects the waiting calls when the socket drops', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    await connected(client);
    sim.setFault({ kind: 'slow', delayMs: 2_000 });
    const call = client.callServiceWs('switch', 'turn_off', {}, { entity_id: 'switch.zoo_outlet' }).catch((e: unknown) => e);
    await waitFor(() => client.liveDiagnostics().pendingRequests === 1, 2_000, 'the call to wait');
    sim.setFault({ kind: 'drop_sockets' });
    const error = await call;
    expect(error).toBeInstanceOf(HaUnreachableError);
    expect(client.liveDiagnostics().pendingRequests).toBe(0);
  });

  it('reconnects by itself after dropped sockets and delivers a fresh snapshot', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    // A change while disconnected must be in the fresh snapshot.
    sim.setFault({ kind: 'drop_sockets' });
    await waitFor(() => recorder.statusNames().includes('disconnected'), 3_000, 'disconnected');
    sim.store.set('switch.zoo_outlet', 'off');
    await waitFor(() => recorder.snapshots.length === 2, 5_000, 'the second snapshot');
    expect(recorder.statusNames().slice(0, 5)).toEqual(['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
    const fresh = recorder.snapshots[1]!;
    expect(fresh).toHaveLength(sim.store.size);
    expect(fresh.find((s) => s.entity_id === 'switch.zoo_outlet')?.state).toBe('off');

    // And the new connection carries changes.
    const mark = recorder.changes.length;
    await control(sim, 'POST', '/sim/toggle/switch.zoo_outlet');
    await waitFor(() => recorder.latestChange('switch.zoo_outlet', mark)?.state === 'on', 3_000, 'a change on the new connection');
  });

  it('reconnects after a simulator restart', async () => {
    const sim = await startSimulator('small_house');
    const client = clientFor(sim);
    const recorder = await connected(client);
    await control(sim, 'POST', '/sim/restart', {});
    await waitFor(() => recorder.snapshots.length === 2, 5_000, 'the snapshot after the restart');
    expect(recorder.statusNames()).toContain('disconnected');
    expect(recorder.snapshots[1]).toHaveLength(sim.store.size);
    expect(client.liveStatus()).toBe('connected');
  });

  it('keeps trying while Home Assistant is down and connects when it is back', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    await sim.stop();
    await waitFor(() => recorder.statusNames().filter((s) => s === 'disconnected').length >= 3, 5_000, 'several failed attempts');
    expect(recorder.statuses.at(-1)?.detail ?? recorder.statuses.at(-2)?.detail).toMatch(/ECONNREFUSED|closed|refused/);
    await sim.start();
    await waitFor(() => recorder.snapshots.length === 2, 5_000, 'the snapshot once it is back');
  });

  it('after auth_invalid tries the token again at the longest backoff, doubled per refusal, and connects once it is accepted', async () => {
    const sim = await startSimulator('zoo');
    const { logger, lines } = capturingLogger();
    const client = clientFor(sim, { logger, live: { ...FAST, backoffInitialMs: 10, backoffMaxMs: 150, backoffJitter: 0 } });
    sim.setFault({ kind: 'auth_failure' });
    const recorder = new Recorder();
    client.startLive(recorder);
    await waitFor(() => recorder.statusNames().filter((s) => s === 'auth_failed').length >= 3, 3_000, 'a third refusal');
    expect(recorder.statuses.find((s) => s.status === 'auth_failed')?.detail).toMatch(/Invalid access token/);
    // Regression: a refused token was never tried again, so the connection stayed down after it was accepted again.
    expect(recorder.statusNames().slice(0, 4)).toEqual(['connecting', 'auth_failed', 'connecting', 'auth_failed']);
    expect(lines.map((l) => /Reconnecting to Home Assistant in (\d+) ms/.exec(l.message)?.[1]).filter((d) => d !== undefined).slice(0, 2)).toEqual(['150', '300']);
    expect(recorder.snapshots).toHaveLength(0);
    expect(client.liveStatus()).toBe('auth_failed');
    await expect(client.callServiceWs('switch', 'turn_on', {}, { entity_id: 'switch.zoo_outlet' })).rejects.toBeInstanceOf(HaAuthError);

    sim.setFault(null);
    await waitFor(() => client.liveStatus() === 'connected' && recorder.snapshots.length === 1, 3_000, 'the connection once the token is accepted');
    await client.stopLive();
    expect(client.liveDiagnostics()).toMatchObject({ socketOpen: false, activeTimers: 0 });
  });

  it('reconnectNow tries a refused token again at once instead of at the end of the backoff', async () => {
    const sim = await startSimulator('zoo');
    // A backoff far longer than the test: only reconnectNow can bring the connection back within it.
    const client = clientFor(sim, { live: { ...FAST, backoffMaxMs: 600_000 } });
    sim.setFault({ kind: 'auth_failure' });
    const recorder = new Recorder();
    client.startLive(recorder);
    await waitFor(() => recorder.statusNames().includes('auth_failed'), 3_000, 'auth_failed');
    sim.setFault(null);
    client.reconnectNow();
    await waitFor(() => client.liveStatus() === 'connected' && recorder.snapshots.length === 1, 3_000, 'the connection');
    // While connected (or connecting) it changes nothing.
    client.reconnectNow();
    expect(recorder.statusNames()).toEqual(['connecting', 'auth_failed', 'connecting', 'connected']);
    await client.stopLive();
  });

  it('backs off exponentially up to the cap, and starts over after a successful connect', async () => {
    const sim = await startSimulator('zoo');
    const { logger, lines } = capturingLogger();
    const live = { ...FAST, backoffInitialMs: 10, backoffFactor: 2, backoffMaxMs: 80, backoffJitter: 0 };
    const client = clientFor(sim, { logger, live });
    const recorder = await connected(client);
    const delays = () => lines.map((l) => /Reconnecting to Home Assistant in (\d+) ms/.exec(l.message)?.[1]).filter((d) => d !== undefined).map(Number);

    await sim.stop();
    await waitFor(() => delays().length >= 6, 5_000, 'six reconnect attempts');
    expect(delays().slice(0, 6)).toEqual([10, 20, 40, 80, 80, 80]);
    await sim.start();
    await waitFor(() => recorder.snapshots.length === 2, 5_000, 'the reconnect');

    const before = delays().length;
    sim.setFault({ kind: 'drop_sockets' });
    await waitFor(() => delays().length > before, 3_000, 'the next reconnect');
    expect(delays()[before]).toBe(10);
  });

  it('spreads the reconnect delay by the jitter', async () => {
    const sim = await startSimulator('zoo');
    const { logger, lines } = capturingLogger();
    const live = { ...FAST, backoffInitialMs: 100, backoffMaxMs: 1_000, backoffJitter: 0.5 };
    const client = clientFor(sim, { logger, live, random: () => 0 });
    await connected(client);
    sim.setFault({ kind: 'drop_sockets' });
    await waitFor(() => lines.some((l) => l.message.includes('Reconnecting')), 3_000, 'a reconnect');
    expect(lines.find((l) => l.message.includes('Reconnecting'))?.message).toMatch(/in 50 ms/);
  });

  it('reports auth_failed when the token is refused on a reconnect, and connects again when it is accepted', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const first = await connected(client);
    await control(sim, 'POST', '/sim/fault', { kind: 'auth_failure' });
    sim.setFault({ kind: 'drop_sockets' });
    await waitFor(() => first.statusNames().includes('auth_failed'), 3_000, 'auth_failed');
    expect(first.statusNames().filter((s) => s === 'connected')).toHaveLength(1);

    await control(sim, 'POST', '/sim/fault', { kind: null });
    await waitFor(() => first.statusNames().filter((s) => s === 'connected').length === 2, 3_000, 'the retry with the same token');
    const second = await connected(client);
    expect(second.snapshots[0]).toHaveLength(sim.store.size);
    expect(first.calls).toBe(first.statuses.length + first.snapshots.length + first.changes.length);
  });

  it('pings, and treats a socket whose pong does not come back as dead', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim, { live: { ...FAST, pingIntervalMs: 100, pongTimeoutMs: 800 } });
    const recorder = await connected(client);
    // Pongs that come back keep the connection: several ping intervals pass without a disconnect.
    await sleep(350);
    expect(recorder.statusNames()).not.toContain('disconnected');
    sim.setFault({ kind: 'slow', delayMs: 3_000 });
    await waitFor(() => recorder.statuses.some((s) => s.status === 'disconnected' && /pong/.test(s.detail ?? '')), 5_000, 'a dead socket');
    sim.setFault(null);
    await waitFor(() => recorder.snapshots.length >= 2 && client.liveStatus() === 'connected', 5_000, 'the reconnect');
  });

  it('handles coalesced frames: one service call changing several entities arrives as one batch', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    const lights = sim.store.all().filter((s) => s.entityId.startsWith('light.')).map((s) => s.entityId);
    expect(lights.length).toBeGreaterThanOrEqual(3);
    await client.callServiceWs('light', 'toggle', { entity_id: 'all' });
    await waitFor(() => lights.every((id) => recorder.latestChange(id) !== undefined), 3_000, 'every light to change');
    // With coalesce_messages the simulator sends the changes of one tick as one array frame; the client delivers a frame at once.
    expect(recorder.changes.some((c) => lights.every((id) => c.changed.some((s) => s.entity_id === id)))).toBe(true);
    for (const id of lights) expect(recorder.latestChange(id)!.state).toBe(sim.store.get(id)!.state);
  });

  it('keeps up with a burst of changes', async () => {
    const sim = await startSimulator('small_house');
    const client = clientFor(sim);
    const recorder = await connected(client);
    sim.startBurst({ changesPerSecond: 2_000, seconds: 0.5 });
    await waitFor(() => !sim.burstStatus().running, 5_000, 'the burst to end');
    await sleep(100);
    // The merged states equal the simulator's states.
    const latest = new Map(recorder.snapshots[0]!.map((s) => [s.entity_id, s]));
    for (const batch of recorder.changes) for (const state of batch.changed) latest.set(state.entity_id, state);
    for (const state of sim.store.all()) {
      expect(latest.get(state.entityId)?.state, state.entityId).toBe(state.state);
      expect(latest.get(state.entityId)?.attributes, state.entityId).toEqual(state.attributes);
    }
  });

  it('leaves nothing running after stopLive', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    await waitFor(() => client.liveStatus() === 'connected', 2_000, 'connected');
    await client.stopLive();
    expect(client.liveStatus()).toBe('stopped');
    expect(client.liveDiagnostics()).toMatchObject({ socketOpen: false, pendingRequests: 0, activeTimers: 0 });
    const calls = recorder.calls;

    // Changes, dropped sockets and time: nothing reaches the handlers any more.
    sim.store.set('switch.zoo_outlet', 'off');
    sim.setFault({ kind: 'drop_sockets' });
    await sleep(400);
    expect(recorder.calls).toBe(calls);
    await expect(client.callServiceWs('switch', 'turn_on', {}, { entity_id: 'switch.zoo_outlet' })).rejects.toBeInstanceOf(HaUnreachableError);
  });

  it('stopLive during reconnect attempts cancels them', async () => {
    const sim = await startSimulator('zoo');
    const client = clientFor(sim);
    const recorder = await connected(client);
    await sim.stop();
    await waitFor(() => recorder.statusNames().filter((s) => s === 'disconnected').length >= 2, 3_000, 'retries');
    await client.stopLive();
    const calls = recorder.calls;
    await sim.start();
    await sleep(400);
    expect(recorder.calls).toBe(calls);
    expect(client.liveDiagnostics().activeTimers).toBe(0);
  });
});

describe('HomeAssistantClient against a misbehaving server', () => {
  /** A bare WebSocket server that authenticates, then sends whatever the test scripts. */
  async function rogueServer(script: (socket: ServerSocket, subscriptionId: number) => void): Promise<{ url: string }> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/api/websocket' });
    extraServers.push(server);
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'auth_required', ha_version: '2025.6.0' }));
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { type: string; id?: number };
        if (message.type === 'auth') socket.send(JSON.stringify({ type: 'auth_ok', ha_version: '2025.6.0' }));
        else if (message.type === 'ping') socket.send(JSON.stringify({ id: message.id, type: 'pong' }));
        else if (message.type === 'subscribe_entities') {
          socket.send(JSON.stringify({ id: message.id, type: 'result', success: true, result: null }));
          script(socket, message.id!);
        } else socket.send(JSON.stringify({ id: message.id, type: 'result', success: true, result: null }));
      });
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it('skips malformed payloads, logs each kind once, and keeps the good parts', async () => {
    const server = await rogueServer((socket, id) => {
      const good = { s: 'on', a: { friendly_name: 'Good' }, c: 'ctx1', lc: 1_700_000_000 };
      socket.send(JSON.stringify({ id, type: 'event', event: { a: { 'switch.good': good, 'switch.bad': { s: 5 } } } }));
      for (let i = 0; i < 3; i++) {
        socket.send('this is not json');
        socket.send(JSON.stringify({ type: 'surprise' }));
        socket.send(JSON.stringify({ id, type: 'event', event: { nonsense: true } }));
        socket.send(JSON.stringify({ id, type: 'result' }));
        socket.send(JSON.stringify({ id, type: 'event', event: { c: { 'switch.unknown': { '+': { s: 'off' } } } } }));
      }
      socket.send(Buffer.from([1, 2, 3]), { binary: true });
      socket.send(JSON.stringify({ id, type: 'event', event: { c: { 'switch.good': { '+': { s: 'off', a: { extra: 1 }, lu: 1_700_000_100 } } } } }));
    });
    const { logger, lines } = capturingLogger();
    const client = clientFor(server, { logger });
    const recorder = await connected(client);
    expect(recorder.snapshots[0]!.map((s) => s.entity_id)).toEqual(['switch.good']);
    await waitFor(() => recorder.latestChange('switch.good') !== undefined, 3_000, 'the good change');
    expect(recorder.latestChange('switch.good')).toMatchObject({ state: 'off', attributes: { friendly_name: 'Good', extra: 1 }, context: { id: 'ctx1' } });
    expect(Date.parse(recorder.latestChange('switch.good')!.last_updated)).toBe(1_700_000_100_000);
    expect(Date.parse(recorder.latestChange('switch.good')!.last_changed)).toBe(1_700_000_000_000);

    const issues = client.liveDiagnostics().protocolIssues;
    expect(issues).toMatchObject({
      invalid_json: 3,
      'unknown_message_type:surprise': 3,
      malformed_event: 3,
      malformed_result: 3,
      change_for_unknown_entity: 3,
      malformed_added_entity: 1,
      binary_frame: 1,
    });
    const warnings = lines.filter((l) => l.level === 'warn' && l.message.includes('unexpected'));
    expect(warnings).toHaveLength(Object.keys(issues).length);
    expect(client.liveStatus()).toBe('connected');
  });

  it('accepts a state_changed event with full states on the subscription', async () => {
    const server = await rogueServer((socket, id) => {
      socket.send(JSON.stringify({ id, type: 'event', event: { a: {} } }));
      const newState = {
        entity_id: 'light.porch',
        state: 'on',
        attributes: { brightness: 10 },
        last_changed: '2025-01-01T00:00:00.000000+00:00',
        last_updated: '2025-01-01T00:00:00.000000+00:00',
        context: { id: 'c1', parent_id: null, user_id: null },
      };
      socket.send(JSON.stringify({ id, type: 'event', event: { event_type: 'state_changed', data: { entity_id: 'light.porch', old_state: null, new_state: newState } } }));
      socket.send(JSON.stringify({ id, type: 'event', event: { event_type: 'state_changed', data: { entity_id: 'light.porch', old_state: newState, new_state: null } } }));
    });
    const client = clientFor(server);
    const recorder = await connected(client);
    expect(recorder.snapshots[0]).toEqual([]);
    await waitFor(() => recorder.removedIds().includes('light.porch'), 3_000, 'the removal');
    expect(recorder.latestChange('light.porch')).toMatchObject({ state: 'on', attributes: { brightness: 10 } });
  });

  it('survives a handler that throws', async () => {
    const sim = await startSimulator('zoo');
    const { logger, lines } = capturingLogger();
    const client = clientFor(sim, { logger });
    let changes = 0;
    client.startLive({
      onSnapshot: () => {
        throw new Error('snapshot handler broke');
      },
      onChanges: () => {
        changes += 1;
        throw new Error('changes handler broke');
      },
      onConnection: () => undefined,
      onIssues: () => undefined,
    });
    await waitFor(() => client.liveStatus() === 'connected', 3_000, 'connected');
    await control(sim, 'POST', '/sim/toggle/switch.zoo_outlet');
    await control(sim, 'POST', '/sim/toggle/switch.zoo_outlet');
    await waitFor(() => changes === 2, 3_000, 'two changes');
    expect(lines.filter((l) => l.level === 'error' && /handler threw/.test(l.message)).length).toBe(3);
    expect(client.liveStatus()).toBe('connected');
  });
});
