import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrationHealth } from '../../../../src-shared/enums';
import { systemClock } from '../../../util/clock';
import { GatewayError, type GatewayContext } from '../../gateway';
import type { UpstreamEntity, UpstreamValues } from '../../upstream';
import { IMPORTED_DOMAINS } from '../converters';
import { HomeAssistantGateway } from '../gateway';
import { startHostileServer, type HostileConnection, type HostileServer, type RawAnswer } from './hostile-server';

/*
 * Property-based fuzzing of the real client and gateway against a real server on 127.0.0.1: thousands of generated
 * hostile WebSocket frames and REST bodies. Properties: nothing throws out of the event loop, health shows the fault,
 * and everything that reaches the GatewayContext is within the bounds (checked here with code of its own, not with
 * the code under test). Fixed seed and counts: the same frames on every run.
 */

const SEED = 20_261_201;
const WS_BATCHES = 60;
const FRAMES_PER_BATCH = { minLength: 170, maxLength: 180 };
const REST_BODIES = 400;
const TOKEN = 'fuzz-token';

// ---- independent bounds (Home Assistant's rules, written again here) ----

const ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;
const MAX_ATTRIBUTE_BYTES = 16 * 1024;
const LAST_TIME_MS = Date.UTC(2100, 0, 1);

/** Container depth of a value, iteratively; stops counting past `limit`. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}

const shortOrNull = (text: string | null | undefined, max: number): boolean => text === null || text === undefined || text.length <= max;

function entityViolations(entity: UpstreamEntity): string[] {
  const problems: string[] = [];
  if (entity.upstreamId.length > 255 || !ENTITY_ID.test(entity.upstreamId)) problems.push(`id ${entity.upstreamId.slice(0, 40)}`);
  if (entity.domain.length > 64) problems.push('domain');
  if (entity.name.length > 255) problems.push('name');
  for (const state of entity.states) {
    if (!shortOrNull(state.value, 255) || !shortOrNull(state.units, 255)) problems.push(`state ${state.key}`);
  }
  if (depthOf(entity.payload, 12) > 11) problems.push('payload depth');
  else if (Buffer.byteLength(JSON.stringify(entity.payload)) > MAX_ATTRIBUTE_BYTES) problems.push('payload size');
  return problems.map((p) => `${entity.upstreamId.slice(0, 40)}: ${p}`);
}

function valuesViolations(values: UpstreamValues): string[] {
  const problems: string[] = [];
  if (values.upstreamId.length > 255 || !ENTITY_ID.test(values.upstreamId)) problems.push('id');
  if (!Number.isFinite(values.ts) || values.ts < 0 || values.ts >= LAST_TIME_MS) problems.push(`ts ${values.ts}`);
  for (const value of values.values) if (!shortOrNull(value.value, 255)) problems.push(`value ${value.key}`);
  return problems.map((p) => `${values.upstreamId.slice(0, 40)}: ${p}`);
}

// ---- generated hostile data ----

/** Text spliced into a frame as it is: what JSON.stringify cannot write (deep nesting, 1e400, broken syntax). */
class Raw {
  constructor(readonly text: string) {}
}
/** Stands for the subscription id of the connection the frame goes to. */
const SUBSCRIPTION = Symbol('subscription');

type Tree = Raw | typeof SUBSCRIPTION | null | boolean | number | string | Tree[] | { [key: string]: Tree };

function render(tree: Tree, subscriptionId: number): string {
  if (tree instanceof Raw) return tree.text;
  if (tree === SUBSCRIPTION) return String(subscriptionId);
  if (Array.isArray(tree)) return `[${tree.map((t) => render(t, subscriptionId)).join(',')}]`;
  if (tree !== null && typeof tree === 'object') {
    return `{${Object.entries(tree)
      .map(([k, v]) => `${JSON.stringify(k)}:${render(v, subscriptionId)}`)
      .join(',')}}`;
  }
  return JSON.stringify(tree) ?? 'null';
}

type Frame = { kind: 'text'; tree: Tree } | { kind: 'binary'; bytes: Uint8Array };

const deep = (depth: number): Raw => new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const deepObject = (depth: number): Raw => new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

const domains = [...IMPORTED_DOMAINS, 'automation', 'sun'];
const validId = fc.tuple(fc.constantFrom(...domains), fc.integer({ min: 0, max: 40 })).map(([domain, n]) => `${domain}.fuzz_${n}`);
const hostileId = fc.oneof(
  { weight: 6, arbitrary: validId },
  fc.string({ maxLength: 12 }),
  fc.constantFrom('Light.Upper', 'light.double__underscore', '_light.leading', 'light.trailing_', 'light', '.light', 'light.', '__proto__', 'constructor', 'light.a.b'),
  fc.integer({ min: 250, max: 300 }).map((n) => `light.${'x'.repeat(n)}`),
  fc.integer({ min: 60, max: 70 }).map((n) => `${'d'.repeat(n)}.x`),
);
const hostileStateText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('on', 'off', 'unavailable', 'unknown', 'open', 'closed', 'locked', 'heat', 'home', 'playing', '21.5', '', ' ') },
  fc.string({ maxLength: 20 }),
  fc.integer({ min: 250, max: 400 }).map((n) => 's'.repeat(n)),
);
const hostileState: fc.Arbitrary<Tree> = fc.oneof({ weight: 5, arbitrary: hostileStateText }, fc.integer(), fc.constant(null), fc.constant<Tree>([]));
const hostileSeconds: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1_600_000_000, max: 1_800_000_000 }) },
  fc.double(),
  fc.integer({ min: -1e13, max: 1e13 }),
  fc.constantFrom(8.64e12, 8.64e12 + 1, -1, 4_102_444_800, 1e300),
  fc.constantFrom(new Raw('1e400'), new Raw('-1e400')),
  fc.constant('1700000000'),
);
const hostileIso: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 5, arbitrary: fc.constant('2025-01-01T00:00:00.000000+00:00') },
  fc.constantFrom('+275760-09-13T00:00:00.001Z', '2200-01-01T00:00:00Z', '1969-12-31T23:59:59Z', 'yesterday', '', 'x'.repeat(100)),
  fc.integer(),
);
const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Tree>;
const hostileAttributeValue: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 6, arbitrary: json },
  fc.integer({ min: 9, max: 14 }).map((n) => deep(n)),
  fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 11, max: 80 }) }, fc.constant(20_000)).map((n) => deepObject(n)),
  fc.integer({ min: 8_000, max: 20_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom(new Raw('1e400'), new Raw('-0')),
);
const hostileAttributes: fc.Arbitrary<Tree> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        friendly_name: fc.oneof(fc.string({ maxLength: 20 }), fc.integer({ min: 250, max: 20_000 }).map((n) => 'n'.repeat(n)), json),
        device_class: fc.oneof(fc.constantFrom('temperature', 'door', 'motion', 'outlet', 'garage', 'tv', 'battery'), json),
        unit_of_measurement: fc.oneof(fc.constantFrom('°C', 'W', '%'), fc.integer({ min: 250, max: 1_000 }).map((n) => 'u'.repeat(n)), json),
        brightness: fc.oneof(fc.integer({ min: -10, max: 300 }), fc.double(), json),
        supported_features: fc.oneof(fc.integer(), fc.double(), json),
        hvac_modes: fc.oneof(fc.constant(['heat', 'off', 'fan_only', 'nonsense']), json),
        current_position: fc.oneof(fc.integer({ min: -50, max: 150 }), json),
        entity_picture: fc.constantFrom('/api/camera_proxy/camera.x?token=secret', 'x'),
        extra: hostileAttributeValue,
      },
      { requiredKeys: [] },
    ) as fc.Arbitrary<Tree>,
  },
  fc.dictionary(fc.string({ maxLength: 8 }), hostileAttributeValue, { maxKeys: 4 }) as fc.Arbitrary<Tree>,
  fc.constantFrom<Tree>(null, 'attributes', [], 5, deep(200)),
);
const hostileContext: fc.Arbitrary<Tree> = fc.oneof(fc.string({ maxLength: 30 }), fc.integer({ min: 256, max: 400 }).map((n) => 'c'.repeat(n)), json);

const compressedEntity: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ s: hostileState, a: hostileAttributes, c: hostileContext, lc: hostileSeconds, lu: hostileSeconds }, { requiredKeys: ['s', 'lc'] }) as fc.Arbitrary<Tree> },
  json,
  fc.constant(deep(500)),
);
const compressedDiff: fc.Arbitrary<Tree> = fc.record(
  {
    '+': fc.record({ s: hostileState, a: hostileAttributes, c: hostileContext, lc: hostileSeconds, lu: hostileSeconds }, { requiredKeys: [] }),
    '-': fc.oneof(fc.record({ a: fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.constant('__proto__'), fc.integer()), { maxLength: 3 }) }), json),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Tree>;
const restState: fc.Arbitrary<Tree> = fc.record(
  { entity_id: hostileId as fc.Arbitrary<Tree>, state: hostileState, attributes: hostileAttributes, last_changed: hostileIso, last_updated: hostileIso, context: fc.oneof(fc.constant(null), fc.record({ id: hostileContext })) as fc.Arbitrary<Tree> },
  { requiredKeys: ['entity_id', 'state', 'last_changed', 'last_updated'] },
) as fc.Arbitrary<Tree>;

const subscriptionId: fc.Arbitrary<Tree> = fc.oneof({ weight: 8, arbitrary: fc.constant(SUBSCRIPTION) }, fc.integer({ min: -5, max: 1_000 }), fc.string({ maxLength: 4 }));

const entitiesEvent: fc.Arbitrary<Tree> = fc.record(
  {
    a: fc.dictionary(hostileId, compressedEntity, { maxKeys: 6 }),
    c: fc.dictionary(fc.oneof(validId, hostileId), compressedDiff, { maxKeys: 6 }),
    r: fc.oneof(fc.array(fc.oneof(validId, hostileId), { maxLength: 4 }), json),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Tree>;
const stateChangedEvent: fc.Arbitrary<Tree> = fc
  .tuple(hostileId, fc.oneof(restState, fc.constant(null)))
  .map(([entityId, newState]) => ({ event_type: 'state_changed', data: { entity_id: entityId, old_state: null, new_state: newState } }));

const message: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ id: subscriptionId, type: fc.constant('event'), event: entitiesEvent }) as fc.Arbitrary<Tree> },
  { weight: 3, arbitrary: fc.record({ id: subscriptionId, type: fc.constant('event'), event: fc.oneof(stateChangedEvent, json) }) as fc.Arbitrary<Tree> },
  fc.record({ id: fc.oneof(fc.integer(), json), type: fc.constant('result'), success: fc.oneof(fc.boolean(), json), result: json, error: json }, { requiredKeys: ['type'] }) as fc.Arbitrary<Tree>,
  fc.record({ id: fc.oneof(fc.integer(), json), type: fc.constant('pong') }, { requiredKeys: ['type'] }) as fc.Arbitrary<Tree>,
  fc.constantFrom<Tree>({ type: 'auth_ok' }, { type: 'auth_required' }, { type: 'constructor' }, { type: '__proto__' }, { type: 'toString', id: 1 }, { type: 5 }, {}),
  fc.record({ type: fc.string({ maxLength: 50 }) }) as fc.Arbitrary<Tree>,
  json,
);

const frame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 30, arbitrary: message.map((tree): Frame => ({ kind: 'text', tree })) },
  { weight: 4, arbitrary: fc.array(message, { minLength: 1, maxLength: 5 }).map((tree): Frame => ({ kind: 'text', tree })) },
  fc.string({ maxLength: 30 }).map((text): Frame => ({ kind: 'text', tree: new Raw(text) })),
  fc.tuple(message, fc.nat()).map(([tree, cut]): Frame => {
    const text = render(tree, 1);
    return { kind: 'text', tree: new Raw(text.slice(0, cut % Math.max(1, text.length))) };
  }),
  // Mostly just past the bounds, now and then far past: a 100,000-deep frame, a 300,000-character state.
  fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 65, max: 200 }) }, fc.constant(100_000)).map((n): Frame => ({ kind: 'text', tree: deep(n) })),
  fc
    .oneof({ weight: 8, arbitrary: fc.integer({ min: 256, max: 4_000 }) }, fc.constant(300_000))
    .map((n): Frame => ({ kind: 'text', tree: { id: SUBSCRIPTION, type: 'event', event: { a: { 'light.huge': { s: 'x'.repeat(n), lc: 1 } } } } })),
  fc.uint8Array({ maxLength: 64 }).map((bytes): Frame => ({ kind: 'binary', bytes })),
);

/** A body for GET /api/states: mostly lists of hostile states, sometimes with a repeated id, sometimes not a list. */
const restBody: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 8, arbitrary: fc.array(restState, { maxLength: 12 }) as fc.Arbitrary<Tree> },
  { weight: 2, arbitrary: fc.tuple(fc.array(restState, { minLength: 1, maxLength: 5 }), validId).map(([states, id]) => [...(states as Tree[]), { ...(states[0] as object), entity_id: id }, { entity_id: id, state: 'on', last_changed: '2025-01-01T00:00:00Z', last_updated: '2025-01-01T00:00:00Z' }] as Tree) },
  json,
  fc.constantFrom<Tree>(new Raw('not json'), new Raw('[{"entity_id":'), deep(100_000), new Raw(`[${deep(100_000).text}]`), new Raw('[1e400]'), { message: 'API running.' }),
);

// ---- the run ----

const SENTINEL = 'switch.fuzz_sentinel';
const snapshotEvent = { a: { [SENTINEL]: { s: 'on', a: { friendly_name: 'Sentinel' }, lc: 1_700_000_000 }, 'light.fuzz_base': { s: 'on', a: { brightness: 10 }, lc: 1_700_000_000 } } };

describe('HomeAssistantGateway under generated hostile input', () => {
  let server: HostileServer;
  let restAnswer: RawAnswer = { status: 200, body: '[]' };
  const gateway = new HomeAssistantGateway(systemClock, { pingIntervalMs: 60_000, authTimeoutMs: 5_000, backoffInitialMs: 10, backoffMaxMs: 50, commandTimeoutMs: 5_000 });
  const crashes: unknown[] = [];
  const onCrash = (error: unknown): void => void crashes.push(error);
  const violations: string[] = [];
  const health: Array<{ health: string; message: string | null }> = [];
  /** The ts of each sentinel value received: the batch markers. */
  const markers = new Set<number>();

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    server = await startHostileServer({
      rest: (_method, path) => (path === '/api/config' ? { status: 200, body: '{"version":"2025.6.0","unit_system":{"temperature":"°C"}}' } : restAnswer),
      onSubscribed: (connection) => connection.event(snapshotEvent),
    });
    const context: GatewayContext = {
      config: { url: server.url, token: TOKEN },
      clock: systemClock,
      onValues: (values) => {
        for (const v of values) {
          violations.push(...valuesViolations(v));
          if (v.upstreamId === SENTINEL) markers.add(v.ts);
        }
      },
      onSnapshot: (entities) => {
        for (const e of entities) violations.push(...entityViolations(e));
      },
      onHealth: (h, message) => void health.push({ health: h.value, message }),
    };
    gateway.start(context);
  });

  afterAll(async () => {
    await gateway.stop();
    await server.close();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  async function waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** The newest connection, once its subscription stands and its snapshot is sent. */
  async function liveConnection(): Promise<HostileConnection> {
    await waitFor(() => server.connections.at(-1)?.subscriptionId != null && server.connections.at(-1)!.socket.readyState === 1, 'a live connection');
    return server.connections.at(-1)!;
  }

  it('survives 10,000+ hostile frames: no crash, health shows the fault, nothing oversized passes', { timeout: 120_000 }, async () => {
    let sent = 0;
    let batch = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frame, FRAMES_PER_BATCH), fc.integer({ min: 0, max: 9 }), async (frames, cutChance) => {
        batch += 1;
        const connection = await liveConnection();
        const sub = connection.subscriptionId!;
        for (const f of frames) {
          if (f.kind === 'binary') connection.sendBinary(f.bytes);
          else connection.send(render(f.tree, sub));
        }
        sent += frames.length;
        // Now and then, end the batch with what ends a connection: bytes that are no WebSocket frame.
        if (cutChance === 0) {
          connection.tcp.write(Buffer.from([0x8f, 0x7f, 0xff, 0xff, 0x00]));
          await waitFor(() => server.connections.at(-1) !== connection, 'a reconnect after broken framing');
        }
        const live = await liveConnection();
        // One frame known to be bad, then the marker: an entity added with this batch's own time.
        live.send('{"this is": not json');
        const ts = (1_700_000_000 + batch) * 1000;
        live.event({ a: { [SENTINEL]: { s: 'on', a: { friendly_name: 'Sentinel' }, lc: ts / 1000 } } });
        await waitFor(() => markers.has(ts), `the marker of batch ${batch}`);
        markers.clear();
        expect(crashes).toEqual([]);
        expect(violations).toEqual([]);
        const last = health.at(-1);
        expect(last?.health).toBe(IntegrationHealth.DEGRADED.value);
        expect(last?.message).toMatch(/^Home Assistant sent data that was left out: /);
        expect(last!.message!.length).toBeLessThan(2_000);
      }),
      { seed: SEED, numRuns: WS_BATCHES, endOnFailure: true },
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(crashes).toEqual([]);
  });

  it('answers every hostile /api/states body with a listing that accounts for each entry, or a GatewayError', { timeout: 120_000 }, async () => {
    const imported = new Set(IMPORTED_DOMAINS);
    await fc.assert(
      fc.asyncProperty(restBody, async (body) => {
        restAnswer = { status: 200, body: render(body, 1) };
        const result = await gateway.fetchUpstream({ url: server.url, token: TOKEN }).then(
          (listing) => ({ listing }),
          (error: unknown) => ({ error }),
        );
        if ('error' in result) {
          expect(result.error).toBeInstanceOf(GatewayError);
          expect((result.error as GatewayError).failure).toBe('protocol');
          return;
        }
        const { entities, unreadable } = result.listing;
        for (const entity of entities) expect(entityViolations(entity)).toEqual([]);
        // Every entry with a valid id of an imported domain is either read or listed as unreadable, never lost.
        const items = Array.isArray(body) ? body : [];
        const accounted = new Set([...entities.map((e) => e.upstreamId), ...unreadable.map((u) => u.upstreamId)]);
        for (const item of items) {
          const id = typeof item === 'object' && item !== null && !Array.isArray(item) && !(item instanceof Raw) ? (item as { entity_id?: unknown }).entity_id : undefined;
          if (typeof id === 'string' && id.length <= 255 && ENTITY_ID.test(id) && id.indexOf('.') <= 64 && imported.has(id.slice(0, id.indexOf('.')))) {
            expect(accounted.has(id), id).toBe(true);
          }
        }
        expect(new Set(entities.map((e) => e.upstreamId)).size).toBe(entities.length);
      }),
      { seed: SEED, numRuns: REST_BODIES, endOnFailure: true },
    );
    expect(crashes).toEqual([]);
  });
});
