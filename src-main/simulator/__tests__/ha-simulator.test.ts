import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MessageQueue } from '../../test-support/message-queue';
import { HA_VERSION, HaSimulator, type RecordedCall } from '../ha-simulator';
import { HaStateStore, newContext } from '../ha-state-store';
import { buildProfile, VOLUME_ENTITY_COUNT } from '../profiles';

const TOKEN = 'test-token';
const WAIT_MS = 5_000;

interface Compressed {
  s?: string;
  a?: Record<string, unknown>;
  c?: string | Record<string, unknown>;
  lc?: number;
  lu?: number;
}

interface EntitiesEvent {
  a?: Record<string, Compressed>;
  c?: Record<string, { '+'?: Compressed; '-'?: { a: string[] } }>;
  r?: string[];
}

interface HaStateJson {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
  context: { id: string; parent_id: string | null; user_id: string | null };
}

interface WsMessage {
  id?: number;
  type: string;
  ha_version?: string;
  message?: string;
  success?: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  event?: unknown;
}

interface Client {
  socket: WebSocket;
  /** Every frame as parsed, so tests can see whether replies came as one array frame. */
  frames: unknown[];
  closed: Promise<number>;
  send(message: unknown): void;
  /** Resolves with (and consumes) the first message that matches, or rejects after WAIT_MS. */
  next(match: (m: WsMessage) => boolean, what: string): Promise<WsMessage>;
  /** Sends a command (with the next id unless it has one) and resolves with its result message. */
  command(message: Record<string, unknown>): Promise<WsMessage>;
  /** Messages received and not consumed yet. */
  pending(): WsMessage[];
}

const sockets: WebSocket[] = [];

function openSocket(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace('http:', 'ws:')}/api/websocket`);
    sockets.push(socket);
    const frames: unknown[] = [];
    const queue = new MessageQueue<WsMessage>(WAIT_MS);
    let nextId = 1;
    socket.on('message', (data) => {
      const frame: unknown = JSON.parse(data.toString());
      frames.push(frame);
      queue.push(...((Array.isArray(frame) ? frame : [frame]) as WsMessage[]));
    });
    const closed = new Promise<number>((res) => socket.on('close', (code) => res(code)));
    const next = (match: (m: WsMessage) => boolean, what: string) => queue.next(match, what);
    const send = (message: unknown) => socket.send(JSON.stringify(message));
    const command = (message: Record<string, unknown>) => {
      const id = typeof message.id === 'number' ? message.id : nextId;
      nextId = id + 1;
      send({ ...message, id });
      return next((m) => m.id === id && m.type === 'result', `result ${id} (${String(message.type)})`);
    };
    socket.on('open', () => resolve({ socket, frames, closed, send, next, command, pending: () => queue.pending() }));
    socket.on('error', reject);
  });
}

async function connect(url: string, token = TOKEN): Promise<Client> {
  const client = await openSocket(url);
  await client.next((m) => m.type === 'auth_required', 'auth_required');
  client.send({ type: 'auth', access_token: token });
  await client.next((m) => m.type === 'auth_ok', 'auth_ok');
  return client;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls until `probe` returns a value, for at most WAIT_MS. */
async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out: ${what}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('HaSimulator', () => {
  let sim: HaSimulator;
  let url: string;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { ...auth, 'Content-Type': 'application/json', ...init.headers }, signal: AbortSignal.timeout(WAIT_MS) });
  const control = (path: string, method: string, body?: unknown) =>
    fetch(`${url}/sim/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(WAIT_MS),
    });

  /** Waits for the next subscribe_entities event of subscription `id`. */
  const entitiesEvent = async (client: Client, id: number, what: string) =>
    (await client.next((m) => m.id === id && m.type === 'event', what)).event as EntitiesEvent;

  beforeEach(async () => {
    sim = new HaSimulator({ profile: 'small_house', token: TOKEN, port: 0 });
    ({ url } = await sim.start());
  });

  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.terminate());
    await sim.stop();
  });

  describe('REST API', () => {
    it('refuses calls without the right bearer token, like Home Assistant', async () => {
      const none = await fetch(`${url}/api/`);
      expect(none.status).toBe(401);
      expect(await none.text()).toBe('401: Unauthorized');
      expect((await fetch(`${url}/api/`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
      const ok = await api('/api/');
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ message: 'API running.' });
    });

    it('lists the profile in /api/states and serves one entity and the config', async () => {
      const states = (await (await api('/api/states')).json()) as HaStateJson[];
      expect(states).toHaveLength(40);
      expect(states.map((s) => s.entity_id)).toEqual(expect.arrayContaining(['light.living_room_ceiling', 'climate.thermostat', 'camera.front_door']));

      const light = (await (await api('/api/states/light.living_room_ceiling')).json()) as HaStateJson;
      expect(light).toMatchObject({ state: 'on', attributes: { brightness: 200, color_mode: 'color_temp', friendly_name: 'Living Room Ceiling' } });
      expect(light.last_changed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
      expect(light.context.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

      const missing = await api('/api/states/light.nowhere');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ message: 'Entity not found.' });

      expect(await (await api('/api/config')).json()).toMatchObject({ state: 'RUNNING', version: expect.any(String), unit_system: { temperature: '°C' } });
    });

    it('runs a service call, answers with the changed states and records it in /sim/calls', async () => {
      const response = await api('/api/services/light/turn_on', { method: 'POST', body: JSON.stringify({ entity_id: 'light.hallway', brightness_pct: 50 }) });
      expect(response.status).toBe(200);
      const changed = (await response.json()) as HaStateJson[];
      expect(changed).toHaveLength(1);
      expect(changed[0]).toMatchObject({ entity_id: 'light.hallway', state: 'on', attributes: { brightness: 128, color_mode: 'brightness' } });
      expect(sim.store.get('light.hallway')?.state).toBe('on');

      const calls = (await (await control('calls', 'GET')).json()) as RecordedCall[];
      expect(calls.at(-1)).toMatchObject({ via: 'rest', domain: 'light', service: 'turn_on', service_data: { entity_id: 'light.hallway', brightness_pct: 50 } });
    });

    it('answers an unknown service or entity with 400 and a JSON message', async () => {
      const service = await api('/api/services/light/explode', { method: 'POST', body: JSON.stringify({ entity_id: 'light.hallway' }) });
      expect(service.status).toBe(400);
      expect(((await service.json()) as { message: string }).message).toMatch(/not found/);
      const entity = await api('/api/services/light/turn_on', { method: 'POST', body: JSON.stringify({ entity_id: 'light.nowhere' }) });
      expect(entity.status).toBe(400);
      expect(((await entity.json()) as { message: string }).message).toContain('light.nowhere');
    });

    it('creates a state with 201 and updates it with 200', async () => {
      const created = await api('/api/states/sensor.made_up', { method: 'POST', body: JSON.stringify({ state: '3', attributes: { unit_of_measurement: 'W' } }) });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('/api/states/sensor.made_up');
      const updated = await api('/api/states/sensor.made_up', { method: 'POST', body: JSON.stringify({ state: '4' }) });
      expect(updated.status).toBe(200);
      // REST writes replace the attributes, as in Home Assistant.
      expect(await updated.json()).toMatchObject({ state: '4', attributes: {} });
    });
  });

  describe('WebSocket API', () => {
    it('authenticates: auth_required with ha_version, then auth_ok', async () => {
      const client = await openSocket(url);
      const required = await client.next((m) => m.type === 'auth_required', 'auth_required');
      expect(required.ha_version).toBe(HA_VERSION);
      client.send({ type: 'auth', access_token: TOKEN });
      expect(await client.next((m) => m.type === 'auth_ok', 'auth_ok')).toEqual({ type: 'auth_ok', ha_version: HA_VERSION });
    });

    it('answers a wrong token with auth_invalid and closes the socket', async () => {
      const client = await openSocket(url);
      await client.next((m) => m.type === 'auth_required', 'auth_required');
      client.send({ type: 'auth', access_token: 'wrong' });
      expect(await client.next((m) => m.type === 'auth_invalid', 'auth_invalid')).toMatchObject({ message: expect.any(String) });
      await withTimeout(client.closed, 'close after auth_invalid');
    });

    it('runs call_service, answers with its context and records it', async () => {
      const client = await connect(url);
      const ok = await client.command({ type: 'call_service', domain: 'switch', service: 'turn_on', target: { entity_id: 'switch.coffee_maker' } });
      expect(ok).toMatchObject({ success: true, result: { context: { id: expect.any(String), parent_id: null, user_id: expect.any(String) }, response: null } });
      expect(sim.store.get('switch.coffee_maker')?.state).toBe('on');
      expect(sim.recentCalls().at(-1)).toMatchObject({ via: 'websocket', domain: 'switch', service: 'turn_on', target: { entity_id: 'switch.coffee_maker' } });

      const unknownService = await client.command({ type: 'call_service', domain: 'switch', service: 'explode', target: { entity_id: 'switch.coffee_maker' } });
      expect(unknownService).toMatchObject({ success: false, error: { code: 'not_found' } });
      const unknownEntity = await client.command({ type: 'call_service', domain: 'switch', service: 'turn_on', target: { entity_id: 'switch.nowhere' } });
      expect(unknownEntity).toMatchObject({ success: false, error: { code: 'not_found' } });
      const badValue = await client.command({ type: 'call_service', domain: 'light', service: 'turn_on', service_data: { brightness: 999 }, target: { entity_id: 'light.hallway' } });
      expect(badValue).toMatchObject({ success: false, error: { code: 'invalid_format' } });
      expect(await client.command({ type: 'no_such_command' })).toMatchObject({ success: false, error: { code: 'unknown_command' } });
    });

    it('refuses an id that does not increase', async () => {
      const client = await connect(url);
      client.send({ id: 5, type: 'ping' });
      await client.next((m) => m.type === 'pong', 'pong');
      client.send({ id: 5, type: 'ping' });
      expect(await client.next((m) => m.type === 'result', 'id_reuse')).toMatchObject({ id: 5, success: false, error: { code: 'id_reuse' } });
    });

    it('answers ping with pong carrying the same id', async () => {
      const client = await connect(url);
      client.send({ id: 41, type: 'ping' });
      expect(await client.next((m) => m.type === 'pong', 'pong')).toEqual({ id: 41, type: 'pong' });
    });

    it('get_states returns every state', async () => {
      const client = await connect(url);
      const answer = await client.command({ type: 'get_states' });
      expect(answer.success).toBe(true);
      expect(answer.result as HaStateJson[]).toHaveLength(sim.store.size);
    });

    it('subscribe_entities sends every entity as `a`, then changes as `c` and removals as `r`', async () => {
      const client = await connect(url);
      expect(await client.command({ type: 'subscribe_entities' })).toMatchObject({ id: 1, success: true, result: null });
      const first = await entitiesEvent(client, 1, 'initial a');
      expect(Object.keys(first.a ?? {})).toHaveLength(sim.store.size);
      expect(first.a!['sensor.outdoor_temperature']).toEqual({
        s: '8.7',
        a: expect.objectContaining({ device_class: 'temperature', unit_of_measurement: '°C' }),
        c: expect.any(String),
        lc: expect.any(Number),
      });

      // A state change: `+` has the new state and last_changed (seconds), and a bare context id.
      expect((await control('states/sensor.outdoor_temperature', 'POST', { state: '9.1' })).status).toBe(200);
      const changed = (await entitiesEvent(client, 1, 'state change')).c!['sensor.outdoor_temperature']!;
      expect(changed['+']).toEqual({ s: '9.1', lc: expect.any(Number), c: expect.any(String) });
      expect(changed['-']).toBeUndefined();

      // An attribute-only change: no `s`, only the changed attribute, and last_updated instead of last_changed.
      const attributes: Record<string, unknown> = { ...sim.store.get('sensor.outdoor_temperature')!.attributes, friendly_name: 'Garden Temperature' };
      await control('states/sensor.outdoor_temperature', 'POST', { state: '9.1', attributes });
      const renamed = (await entitiesEvent(client, 1, 'attribute change')).c!['sensor.outdoor_temperature']!;
      expect(renamed['+']).toEqual({ a: { friendly_name: 'Garden Temperature' }, lu: expect.any(Number), c: expect.any(String) });

      // A removed attribute goes in `-`.
      const { state_class: _removed, ...withoutStateClass } = attributes;
      await control('states/sensor.outdoor_temperature', 'POST', { state: '9.1', attributes: withoutStateClass });
      const stripped = (await entitiesEvent(client, 1, 'attribute removal')).c!['sensor.outdoor_temperature']!;
      expect(stripped['-']).toEqual({ a: ['state_class'] });
      expect(stripped['+']?.a).toBeUndefined();

      // A user's service call: the context arrives as an object because it now has a user_id.
      await client.command({ type: 'call_service', domain: 'light', service: 'turn_on', service_data: { brightness: 10 }, target: { entity_id: 'light.hallway' } });
      const turnedOn = (await entitiesEvent(client, 1, 'service call change')).c!['light.hallway']!;
      expect(turnedOn['+']).toMatchObject({ s: 'on', a: { brightness: 10, color_mode: 'brightness' }, c: { user_id: expect.any(String), id: expect.any(String) } });

      expect((await control('states/sensor.outdoor_temperature', 'DELETE')).status).toBe(200);
      expect(await entitiesEvent(client, 1, 'removal')).toEqual({ r: ['sensor.outdoor_temperature'] });

      expect((await control('states/sensor.new_thing', 'POST', { state: '1' })).status).toBe(201);
      expect(Object.keys((await entitiesEvent(client, 1, 'addition')).a ?? {})).toEqual(['sensor.new_thing']);
    });

    it('subscribe_entities with entity_ids sees only those entities', async () => {
      const client = await connect(url);
      await client.command({ type: 'subscribe_entities', entity_ids: ['light.hallway'] });
      const first = await entitiesEvent(client, 1, 'initial a');
      expect(Object.keys(first.a ?? {})).toEqual(['light.hallway']);
      await control('states/sensor.house_power', 'POST', { state: '1' });
      await control('states/light.hallway', 'POST', { state: 'on' });
      const event = await entitiesEvent(client, 1, 'hallway change');
      expect(Object.keys(event.c ?? {})).toEqual(['light.hallway']);
      expect(client.pending().filter((m) => m.type === 'event')).toEqual([]);
    });

    it('subscribe_events delivers state_changed with full old and new states', async () => {
      const client = await connect(url);
      await client.command({ type: 'subscribe_events', event_type: 'state_changed' });
      await client.command({ type: 'call_service', domain: 'lock', service: 'unlock', target: { entity_id: 'lock.front_door' } });
      const message = await client.next((m) => m.id === 1 && m.type === 'event', 'state_changed');
      const event = message.event as { event_type: string; data: { entity_id: string; old_state: HaStateJson; new_state: HaStateJson } };
      expect(event.event_type).toBe('state_changed');
      expect(event.data.entity_id).toBe('lock.front_door');
      expect(event.data.old_state).toMatchObject({ entity_id: 'lock.front_door', state: 'locked' });
      expect(event.data.new_state).toMatchObject({ entity_id: 'lock.front_door', state: 'unlocked', attributes: { friendly_name: 'Front Door Lock' } });
    });

    it('coalesces queued messages into one array frame once coalesce_messages is on', async () => {
      const client = await connect(url);
      client.send([
        { id: 1, type: 'ping' },
        { id: 2, type: 'ping' },
      ]);
      await client.next((m) => m.id === 2, 'second pong');
      expect(client.frames.slice(-2)).toEqual([
        { id: 1, type: 'pong' },
        { id: 2, type: 'pong' },
      ]);

      await client.command({ type: 'supported_features', id: 3, features: { coalesce_messages: 1 } });
      client.send([
        { id: 4, type: 'ping' },
        { id: 5, type: 'ping' },
        { id: 6, type: 'ping' },
      ]);
      await client.next((m) => m.id === 6, 'last pong');
      expect(client.frames.at(-1)).toEqual([
        { id: 4, type: 'pong' },
        { id: 5, type: 'pong' },
        { id: 6, type: 'pong' },
      ]);
    });
  });

  describe('faults', () => {
    it('auth_failure: REST 401 and WebSocket auth_invalid even with the right token', async () => {
      expect((await control('fault', 'POST', { kind: 'auth_failure' })).status).toBe(200);
      expect((await api('/api/')).status).toBe(401);
      const client = await openSocket(url);
      await client.next((m) => m.type === 'auth_required', 'auth_required');
      client.send({ type: 'auth', access_token: TOKEN });
      await client.next((m) => m.type === 'auth_invalid', 'auth_invalid');

      await control('fault', 'POST', { kind: null });
      expect((await api('/api/')).status).toBe(200);
    });

    it('server_error answers REST with 500', async () => {
      sim.setFault({ kind: 'server_error' });
      expect((await api('/api/states')).status).toBe(500);
    });

    it('non_json answers REST with 200 text/html', async () => {
      sim.setFault({ kind: 'non_json' });
      const response = await api('/api/states');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const body = await response.text();
      expect(() => JSON.parse(body) as unknown).toThrow();
    });

    it('slow delays REST and WebSocket answers', async () => {
      const client = await connect(url);
      sim.setFault({ kind: 'slow', delayMs: 400 });

      let restAnswered = false;
      const rest = api('/api/').then((r) => ((restAnswered = true), r));
      client.send({ id: 1, type: 'ping' });
      await sleep(100);
      expect(restAnswered).toBe(false);
      expect(client.pending()).toEqual([]);

      expect((await rest).status).toBe(200);
      expect(await client.next((m) => m.type === 'pong', 'slow pong')).toEqual({ id: 1, type: 'pong' });
    });

    it('drop_sockets closes every open socket once, and new ones still work', async () => {
      const a = await connect(url);
      const b = await connect(url);
      await control('fault', 'POST', { kind: 'drop_sockets' });
      await withTimeout(Promise.all([a.closed, b.closed]), 'sockets dropped');
      expect(sim.currentFault()).toBeNull();
      const c = await connect(url);
      expect(await c.command({ type: 'get_states' })).toMatchObject({ success: true });
    });

    it('restart drops the sockets and serves again on the same port', async () => {
      const client = await connect(url);
      expect((await control('restart', 'POST')).status).toBe(202);
      await withTimeout(client.closed, 'socket dropped by restart');
      const status = await until(async () => {
        const response = await api('/api/');
        return response.ok ? response.status : undefined;
      }, 'API back after restart');
      expect(status).toBe(200);
      const again = await connect(url);
      expect(await again.command({ type: 'get_states' })).toMatchObject({ success: true });
    });
  });

  describe('control API', () => {
    it('serves a page of entities whose buttons toggle them with a plain form post', async () => {
      const page = await fetch(`${url}/sim/`);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('light.hallway');
      expect(html).toContain('action="/sim/toggle/light.hallway"');
      expect(html).not.toMatch(/<script/i);

      const toggled = await fetch(`${url}/sim/toggle/light.hallway`, { method: 'POST', redirect: 'manual', body: new URLSearchParams() });
      expect(toggled.status).toBe(303);
      expect(sim.store.get('light.hallway')?.state).toBe('on');
    });

    it('runs a burst of changes that stops by itself', async () => {
      const client = await connect(url);
      await client.command({ type: 'subscribe_entities' });
      await entitiesEvent(client, 1, 'initial a');

      const started = await control('burst', 'POST', { changesPerSecond: 200, seconds: 0.25 });
      expect(started.status).toBe(202);
      await entitiesEvent(client, 1, 'a burst change');
      const done = await until(async () => {
        const status = (await (await control('burst', 'GET')).json()) as { running: boolean; changes: number };
        return status.running ? undefined : status;
      }, 'burst to stop');
      expect(done.changes).toBe(50);
    });

    it('keeps only the last 100 service calls', async () => {
      for (let i = 0; i < 105; i++) {
        await api('/api/services/switch/toggle', { method: 'POST', body: JSON.stringify({ entity_id: 'switch.coffee_maker', n: i }) });
      }
      const calls = (await (await control('calls', 'GET')).json()) as RecordedCall[];
      expect(calls).toHaveLength(100);
      expect(calls[0]!.service_data.n).toBe(5);
      expect(calls.at(-1)!.service_data.n).toBe(104);
    });
  });
});

describe('profiles', () => {
  it('volume has exactly 5,000 entities, the same on every build', async () => {
    const sim = new HaSimulator({ profile: 'volume', token: TOKEN });
    const { url } = await sim.start();
    try {
      expect(sim.store.size).toBe(VOLUME_ENTITY_COUNT);
      const states = (await (await fetch(`${url}/api/states`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as unknown[];
      expect(states).toHaveLength(5000);
    } finally {
      await sim.stop();
    }
    expect(buildProfile('volume')).toEqual(buildProfile('volume'));
  });

  it('zoo has every domain and device class, plus an unavailable and an unknown entity', () => {
    const zoo = buildProfile('zoo');
    const domains = new Set(zoo.map((e) => e.entityId.split('.')[0]));
    for (const domain of ['light', 'switch', 'input_boolean', 'fan', 'cover', 'lock', 'climate', 'binary_sensor', 'sensor', 'camera', 'media_player', 'alarm_control_panel']) {
      expect(domains).toContain(domain);
    }
    const classesOf = (domain: string) => zoo.filter((e) => e.entityId.startsWith(`${domain}.`)).map((e) => e.attributes.device_class);
    expect(classesOf('binary_sensor')).toEqual(
      expect.arrayContaining(['door', 'window', 'garage_door', 'motion', 'occupancy', 'presence', 'smoke', 'carbon_monoxide', 'gas', 'moisture', 'battery', 'connectivity', 'problem']),
    );
    expect(classesOf('sensor')).toEqual(expect.arrayContaining(['temperature', 'humidity', 'power', 'energy', 'battery', 'illuminance']));
    expect(zoo.map((e) => e.state)).toEqual(expect.arrayContaining(['unavailable', 'unknown']));
  });
});

describe('HaStateStore services', () => {
  const load = (store: HaStateStore) => {
    for (const e of buildProfile('zoo')) store.set(e.entityId, e.state, e.attributes);
  };
  const call = (store: HaStateStore, domain: string, service: string, entityId: string, data: Record<string, unknown> = {}) =>
    store.callService({ domain, service, data, target: { entity_id: entityId } }, newContext(Date.now()));

  it('dims, turns off at brightness 0, and restores the last brightness', () => {
    const store = new HaStateStore();
    load(store);
    call(store, 'light', 'turn_on', 'light.zoo_color_temp_light', { brightness: 40, color_temp_kelvin: 99_999 });
    expect(store.get('light.zoo_color_temp_light')?.attributes).toMatchObject({ brightness: 40, color_temp_kelvin: 6535, color_mode: 'color_temp' });
    call(store, 'light', 'turn_on', 'light.zoo_color_temp_light', { brightness: 0 });
    expect(store.get('light.zoo_color_temp_light')).toMatchObject({ state: 'off', attributes: { brightness: null, color_mode: null } });
    call(store, 'light', 'toggle', 'light.zoo_color_temp_light');
    expect(store.get('light.zoo_color_temp_light')).toMatchObject({ state: 'on', attributes: { brightness: 40 } });
  });

  it('moves a cover through opening to open, with its position', async () => {
    const store = new HaStateStore({ coverTravelMs: 30 });
    load(store);
    call(store, 'cover', 'set_cover_position', 'cover.zoo_blind', { position: 100 });
    expect(store.get('cover.zoo_blind')?.state).toBe('opening');
    await until(async () => (store.get('cover.zoo_blind')?.state === 'open' ? true : undefined), 'cover open');
    expect(store.get('cover.zoo_blind')?.attributes.current_position).toBe(100);
    call(store, 'cover', 'close_cover', 'cover.zoo_garage_door');
    expect(store.get('cover.zoo_garage_door')?.state).toBe('closed');
    store.dispose();
  });

  it('covers the lock, climate, media player and alarm services', () => {
    const store = new HaStateStore();
    load(store);
    call(store, 'lock', 'unlock', 'lock.zoo_lock');
    expect(store.get('lock.zoo_lock')?.state).toBe('unlocked');
    call(store, 'climate', 'set_temperature', 'climate.zoo_thermostat', { temperature: 18 });
    call(store, 'climate', 'set_hvac_mode', 'climate.zoo_thermostat', { hvac_mode: 'cool' });
    expect(store.get('climate.zoo_thermostat')).toMatchObject({ state: 'cool', attributes: { temperature: 18, hvac_action: 'cooling' } });
    expect(() => call(store, 'climate', 'set_temperature', 'climate.zoo_thermostat', { temperature: 80 })).toThrow(/not valid/);
    call(store, 'media_player', 'turn_off', 'media_player.zoo_speaker');
    expect(store.get('media_player.zoo_speaker')?.attributes).not.toHaveProperty('volume_level');
    call(store, 'media_player', 'media_play', 'media_player.zoo_speaker');
    expect(store.get('media_player.zoo_speaker')).toMatchObject({ state: 'playing', attributes: { volume_level: 0.35 } });
    call(store, 'alarm_control_panel', 'alarm_arm_night', 'alarm_control_panel.zoo_alarm');
    expect(store.get('alarm_control_panel.zoo_alarm')?.state).toBe('armed_night');
  });

  it('skips unavailable entities and notifies listeners until unsubscribed', () => {
    const store = new HaStateStore();
    load(store);
    store.set('light.zoo_onoff_light', 'unavailable');
    const seen: string[] = [];
    const unsubscribe = store.onChange((change) => seen.push(change.entityId));
    expect(call(store, 'light', 'turn_on', 'light.zoo_onoff_light')).toEqual([]);
    expect(store.get('light.zoo_onoff_light')?.state).toBe('unavailable');
    call(store, 'switch', 'toggle', 'switch.zoo_outlet');
    unsubscribe();
    call(store, 'switch', 'toggle', 'switch.zoo_outlet');
    expect(seen).toEqual(['switch.zoo_outlet']);
  });
});
