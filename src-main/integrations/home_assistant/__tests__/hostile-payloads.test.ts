import { afterEach, describe, expect, it } from 'vitest';
import { IntegrationHealth } from '../../../../src-shared/enums';
import { systemClock } from '../../../util/clock';
import type { Logger } from '../../../util/log';
import { GatewayError, type GatewayContext } from '../../gateway';
import type { UpstreamEntity, UpstreamValues } from '../../upstream';
import { HaProtocolError, HomeAssistantClient, type LiveConnectionStatus, type LiveHandlers, type LiveIssue, type LiveTiming } from '../client';
import { HomeAssistantGateway } from '../gateway';
import type { HaState } from '../ha-types';
import { deepArrayText, json, restState, startHostileServer, type HostileScript, type HostileServer } from './hostile-server';

const TOKEN = 'hostile-test-token';
const FAST: Partial<LiveTiming> = { pingIntervalMs: 60_000, pongTimeoutMs: 2_000, authTimeoutMs: 3_000, backoffInitialMs: 20, backoffMaxMs: 200, commandTimeoutMs: 3_000 };
const quietLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

class Recorder implements LiveHandlers {
  snapshots: HaState[][] = [];
  changes: HaState[][] = [];
  statuses: LiveConnectionStatus[] = [];
  issues: Array<readonly LiveIssue[] | null> = [];
  onSnapshot(entities: HaState[]): void {
    this.snapshots.push(entities);
  }
  onChanges(changed: HaState[]): void {
    this.changes.push(changed);
  }
  onConnection(status: LiveConnectionStatus): void {
    this.statuses.push(status);
  }
  onIssues(issues: readonly LiveIssue[] | null): void {
    this.issues.push(issues);
  }
}

const servers: HostileServer[] = [];
const clients: HomeAssistantClient[] = [];
const gateways: HomeAssistantGateway[] = [];

async function server(script: HostileScript): Promise<HostileServer> {
  const started = await startHostileServer(script);
  servers.push(started);
  return started;
}

function client(url: string): HomeAssistantClient {
  const created = new HomeAssistantClient({ baseUrl: url, token: TOKEN, clock: systemClock, live: FAST, logger: quietLogger });
  clients.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stopLive()));
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Timers that keep this process alive right now. */
const activeTimeouts = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

const good = (s = 'on') => ({ s, a: { friendly_name: 'Good' }, c: 'ctx', lc: 1_700_000_000 });

describe('the live connection against hostile frames', () => {
  it('keeps one ping timer when auth_ok comes again and again (defect 11)', async () => {
    const repeats = 100;
    const hostile = await server({
      onAuth: (connection) => {
        for (let i = 0; i < repeats; i++) connection.send({ type: 'auth_ok', ha_version: '2025.6.0' });
      },
      onSubscribed: (connection) => connection.event({ a: { 'switch.good': good() } }),
    });
    const before = activeTimeouts();
    const ha = client(hostile.url);
    const recorder = new Recorder();
    ha.startLive(recorder);
    await waitFor(() => recorder.snapshots.length >= 1 && ha.liveDiagnostics().pendingRequests === 0, 'the snapshot, every command answered');
    // One subscription and one ping interval: a leak would leave one interval per auth_ok.
    expect(activeTimeouts() - before).toBeLessThanOrEqual(2);
    expect(hostile.connections[0]!.received.filter((m) => m.type === 'subscribe_entities')).toHaveLength(1);
    expect(ha.liveDiagnostics().activeTimers).toBe(1);
    expect(ha.liveDiagnostics().protocolIssues.repeated_auth_ok).toBe(repeats - 1);
    // Reported when they came, then cleared by the clean snapshot that followed.
    expect(recorder.issues[0]).toEqual([{ kind: 'unexpected_message', count: 1, examples: [] }]);
    expect(recorder.issues.at(-1)).toBeNull();
    expect(ha.liveStatus()).toBe('connected');
  });

  it('drops entities with times out of range instead of crashing, and names them', async () => {
    const hostile = await server({
      onSubscribed: (connection) => {
        // 1e400 is Infinity once parsed; 8.64e12 s is past the last date Date can hold.
        connection.send(
          `{"id":${connection.subscriptionId},"type":"event","event":{"a":{` +
            `"switch.good":${JSON.stringify(good())},` +
            `"switch.far":{"s":"on","lc":8.64e12},` +
            `"switch.negative":{"s":"on","lc":-5},` +
            `"switch.infinite":{"s":"on","lc":1e400},` +
            `"switch.bad_update":{"s":"on","lc":1700000000,"lu":9e15}}}}`,
        );
        connection.event({ c: { 'switch.good': { '+': { s: 'off', lc: 8.64e12 } } } });
        connection.event({ c: { 'switch.good': { '+': { s: 'off', lu: 1_700_000_100 } } } });
      },
    });
    const ha = client(hostile.url);
    const recorder = new Recorder();
    ha.startLive(recorder);
    await waitFor(() => recorder.changes.length === 1, 'the good change');
    expect(recorder.snapshots[0]!.map((s) => s.entity_id)).toEqual(['switch.good']);
    expect(recorder.changes[0]!.map((s) => [s.entity_id, s.state, s.last_changed])).toEqual([['switch.good', 'off', '2023-11-14T22:13:20.000Z']]);
    expect(recorder.issues).toEqual([[{ kind: 'unreadable_entity', count: 4, examples: ['switch.far', 'switch.negative', 'switch.infinite'] }]]);
    expect(ha.liveDiagnostics().protocolIssues).toMatchObject({ malformed_added_entity: 4, malformed_entity_change: 1 });
    expect(ha.liveStatus()).toBe('connected');
  });

  it('drops a frame nested 100,000 deep and one whose type is an Object.prototype member', async () => {
    const hostile = await server({
      onSubscribed: (connection) => {
        connection.event({ a: { 'switch.good': good() } });
        connection.send(deepArrayText(100_000));
        connection.send(`{"id":${connection.subscriptionId},"type":"event","event":{"a":{"switch.deep":{"s":"on","lc":1,"a":{"x":${deepArrayText(100_000)}}}}}}`);
        for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) connection.send({ type, id: 1 });
        connection.event({ c: { 'switch.good': { '+': { s: 'off' } } } });
      },
    });
    const ha = client(hostile.url);
    const recorder = new Recorder();
    ha.startLive(recorder);
    await waitFor(() => recorder.changes.length === 1, 'the change after the hostile frames');
    const issues = ha.liveDiagnostics().protocolIssues;
    expect(issues.message_nested_too_deep).toBe(2);
    expect(issues['unknown_message_type:constructor']).toBe(1);
    expect(issues['unknown_message_type:__proto__']).toBe(1);
    // Told when something new shows: the first of each kind.
    expect(recorder.issues).toEqual([
      [{ kind: 'unreadable_message', count: 1, examples: [] }],
      [
        { kind: 'unreadable_message', count: 2, examples: [] },
        { kind: 'unexpected_message', count: 1, examples: [] },
      ],
    ]);
  });

  it('keeps HA’s limits: state length, entity id format and length, attribute depth and size', async () => {
    const big = 'x'.repeat(9_000);
    const hostile = await server({
      onSubscribed: (connection) =>
        connection.event({
          a: {
            'switch.good': good(),
            'switch.long_state': { s: 's'.repeat(256), lc: 1 },
            'switch.max_state': { s: 's'.repeat(255), lc: 1 },
            'Switch.upper': good(),
            'switch.double__underscore': good(),
            '_switch.leading': good(),
            'switch.trailing_': good(),
            [`switch.${'a'.repeat(249)}`]: good(),
            [`switch.${'a'.repeat(248)}`]: good(),
            'sensor.deep_attribute': { s: '1', lc: 1, a: { friendly_name: 'Deep', nested: JSON.parse(deepArrayText(11)), fine: JSON.parse(deepArrayText(10)) } },
            'sensor.big_attributes': { s: '1', lc: 1, a: { friendly_name: 'Big', first: big, second: `${big}y`, small: 1 } },
          },
        }),
    });
    const ha = client(hostile.url);
    const recorder = new Recorder();
    ha.startLive(recorder);
    await waitFor(() => recorder.snapshots.length === 1, 'the snapshot');
    const byId = new Map(recorder.snapshots[0]!.map((s) => [s.entity_id, s]));
    expect([...byId.keys()].sort()).toEqual(['sensor.big_attributes', 'sensor.deep_attribute', `switch.${'a'.repeat(248)}`, 'switch.good', 'switch.max_state']);
    expect(Object.keys(byId.get('sensor.deep_attribute')!.attributes)).toEqual(['friendly_name', 'fine']);
    // The largest goes first, until the rest fits in 16 KiB.
    expect(byId.get('sensor.big_attributes')!.attributes).toEqual({ friendly_name: 'Big', first: big, small: 1 });
    expect(recorder.issues.at(-1)).toEqual([
      { kind: 'unreadable_entity', count: 6, examples: ['switch.long_state'] },
      { kind: 'dropped_attributes', count: 2, examples: ['sensor.deep_attribute', 'sensor.big_attributes'] },
    ]);
  });

  it('clears the issues when a later snapshot is clean', async () => {
    const hostile = await server({
      onSubscribed: (connection) => {
        const first = hostile.connections.length === 1;
        connection.event({ a: { 'switch.good': good(), ...(first ? { 'switch.bad': { s: 5, lc: 1 } } : {}) } });
        if (first) setTimeout(() => connection.socket.terminate(), 50);
      },
    });
    const ha = client(hostile.url);
    const recorder = new Recorder();
    ha.startLive(recorder);
    await waitFor(() => recorder.snapshots.length === 2, 'the second snapshot');
    expect(recorder.issues).toEqual([[{ kind: 'unreadable_entity', count: 1, examples: ['switch.bad'] }], null]);
  });
});

describe('the REST listing against hostile bodies', () => {
  it('lists what it cannot read, with ids where valid and reasons', async () => {
    const states = [
      restState('light.good'),
      restState('light.long_state', 'x'.repeat(300)),
      { ...restState('light.future'), last_changed: '+275760-09-13T00:00:00.001Z' },
      { ...restState('light.year_2200'), last_updated: '2200-01-01T00:00:00Z' },
      restState('Light.Bad'),
      'not a state',
      restState('light.deep', 'on', { x: JSON.parse(deepArrayText(30)) }),
    ];
    const body = `[${states.map((s) => JSON.stringify(s)).join(',')},${deepArrayText(100_000)}]`;
    const hostile = await server({ rest: () => ({ status: 200, body }) });
    const listing = await client(hostile.url).getStates();
    expect(listing.states.map((s) => s.entity_id)).toEqual(['light.good', 'light.deep']);
    expect(listing.states[1]!.attributes).toEqual({});
    expect(listing.unreadable.map((u) => u.entityId)).toEqual(['light.long_state', 'light.future', 'light.year_2200', null, null, null]);
    expect(listing.unreadable[0]!.reason).toMatch(/state: longer than 255 characters/);
    expect(listing.unreadable[1]!.reason).toMatch(/last_changed: not a time between 1970 and 2100/);
    expect(listing.unreadable[5]!.reason).toMatch(/nested deeper than 64 levels/);
  });

  it('refuses a list that names an entity twice', async () => {
    const hostile = await server({ rest: () => json([restState('light.a'), restState('light.b'), restState('light.a', 'off')]) });
    const error = await client(hostile.url).getStates().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HaProtocolError);
    expect(String((error as Error).message)).toMatch(/light\.a more than once/);
  });

  it('refuses a deep body where one document is expected', async () => {
    const hostile = await server({ rest: () => ({ status: 200, body: `{"message":"API running.","x":${deepArrayText(100_000)}}` }) });
    await expect(client(hostile.url).checkApi()).rejects.toThrow(/nested deeper than 64 levels/);
  });
});

describe('HomeAssistantGateway against a hostile server', () => {
  function recordingContext(url: string) {
    const health: Array<{ health: string; message: string | null }> = [];
    const snapshots: UpstreamEntity[][] = [];
    const values: UpstreamValues[][] = [];
    const context: GatewayContext = {
      config: { url, token: TOKEN },
      clock: systemClock,
      onValues: (v) => void values.push([...v]),
      onSnapshot: (e) => void snapshots.push([...e]),
      onHealth: (h, message) => void health.push({ health: h.value, message }),
    };
    return { context, health, snapshots, values };
  }

  it('fetchUpstream: unreadable entries of imported domains (and those without an id) are listed, duplicates refused', async () => {
    let body = [restState('light.good'), restState('light.bad', 'x'.repeat(256)), restState('automation.bad', 'x'.repeat(256)), { entity_id: 5 }];
    const hostile = await server({
      rest: (_method, path) => (path === '/api/config' ? json({ version: '2025.6.0', unit_system: { temperature: '°C' } }) : json(body)),
    });
    const gateway = new HomeAssistantGateway(systemClock);
    const listing = await gateway.fetchUpstream({ url: hostile.url, token: TOKEN });
    expect(listing.entities.map((e) => e.upstreamId)).toEqual(['light.good']);
    expect(listing.unreadable.map((u) => u.upstreamId)).toEqual(['light.bad', null]);
    body = [restState('light.good'), restState('light.good')];
    const error = await gateway.fetchUpstream({ url: hostile.url, token: TOKEN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ failure: 'protocol' });
  });

  it('shows DEGRADED with a bounded summary while connected, and OK after a clean snapshot', async () => {
    const hostile = await server({
      onSubscribed: (connection) => {
        const first = hostile.connections.length === 1;
        connection.event({ a: { 'light.good': good() } });
        if (!first) return;
        for (let i = 0; i < 1_000; i++) connection.event({ a: { [`light.bad_${i}`]: { s: 'x'.repeat(300), lc: 1 } } });
        connection.send('not json');
        connection.event({ c: { 'light.good': { '+': { s: 'off' } } } });
      },
    });
    const gateway = new HomeAssistantGateway(systemClock, FAST);
    gateways.push(gateway);
    const { context, health, values } = recordingContext(hostile.url);
    gateway.start(context);
    await waitFor(() => values.length === 1, 'the change after the flood');
    const degraded = health.filter((h) => h.health === IntegrationHealth.DEGRADED.value);
    // A flood makes a handful of reports, not one per frame: the first three ids, 10, 100, 1000, the bad JSON.
    expect(degraded.length).toBe(7);
    expect(degraded.at(-1)!.message).toBe(
      'Home Assistant sent data that was left out: 1000 unreadable entity states (light.bad_0, light.bad_1, light.bad_2); 1 unreadable message.',
    );
    hostile.connections[0]!.socket.terminate();
    await waitFor(() => hostile.connections.length === 2 && health.at(-1)?.health === IntegrationHealth.OK.value, 'OK after a clean snapshot');
    expect(health.some((h) => h.health === IntegrationHealth.UNREACHABLE.value && h.message === 'Home Assistant is unreachable: the connection was cut off.')).toBe(true);
  });
});
