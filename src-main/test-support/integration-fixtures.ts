import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Selectable } from 'kysely';
import type { IntegrationHealth } from '../../src-shared/enums';
import type { SyncReport } from '../../src-shared/model/integration';
import type { NumericRange } from '../../src-shared/model/location';
import {
  GatewayError,
  type GatewayContext,
  type IntegrationConfig,
  type IntegrationConfigField,
  type IntegrationGateway,
  type UnreadableEntry,
  type UpstreamListing,
} from '../integrations/gateway';
import type { UpstreamEntity, UpstreamValues } from '../integrations/upstream';
import type { EntityTable } from '../modules/entity/models';
import { syncIntegration, type ImportAllowlist, type SyncOptions } from '../modules/integration/integration-sync';
import type { TestHub } from './test-hub';

// ---- upstream devices, shaped the way the Home Assistant converters hand them over ----

export function upstreamLight(upstreamId: string, name: string, options: { on?: boolean; brightness?: number; colorTemp?: number | null } = {}): UpstreamEntity {
  const on = options.on ?? true;
  const brightness = on ? (options.brightness ?? 80) : 0;
  const states: UpstreamEntity['states'] = [
    { key: 'on_off', stateType: 'on_off', name: 'On / off', value: on ? 'on' : 'off', units: null, controllable: true },
    { key: 'brightness', stateType: 'light_dimmer', name: 'Brightness', value: String(brightness), units: '%', controllable: true },
  ];
  if (options.colorTemp !== undefined) {
    states.push({ key: 'color_temp', stateType: 'light_color_temperature', name: 'Colour temperature', value: options.colorTemp === null ? null : String(options.colorTemp), units: 'K', controllable: true });
  }
  return {
    upstreamId,
    domain: 'light',
    name,
    entityType: 'light',
    states,
    hasVideoStream: false,
    payload: { friendly_name: name, supported_color_modes: options.colorTemp !== undefined ? ['color_temp'] : ['brightness'], brightness: Math.round((brightness * 255) / 100) },
  };
}

export function upstreamDoor(upstreamId: string, name: string, open = false): UpstreamEntity {
  return {
    upstreamId,
    domain: 'binary_sensor',
    name,
    entityType: 'door',
    states: [{ key: 'open_close', stateType: 'open_close', name: 'Open / closed', value: open ? 'open' : 'closed', units: null, controllable: false }],
    hasVideoStream: false,
    payload: { friendly_name: name, device_class: 'door' },
  };
}

export function upstreamTemperature(upstreamId: string, name: string, value = '21.5', units = '°C'): UpstreamEntity {
  return {
    upstreamId,
    domain: 'sensor',
    name,
    entityType: 'temperature_sensor',
    states: [{ key: 'value', stateType: 'temperature', name: 'Temperature', value, units, controllable: false }],
    hasVideoStream: false,
    payload: { friendly_name: name, device_class: 'temperature', unit_of_measurement: units, state_class: 'measurement' },
  };
}

/** A thermostat offering `modes` (Home Assistant's hvac_modes), set to the first, with limits of its own when given. */
export function upstreamThermostat(upstreamId: string, name: string, modes: readonly string[], range: NumericRange | null = null): UpstreamEntity {
  return {
    upstreamId,
    domain: 'climate',
    name,
    entityType: 'thermostat',
    states: [
      { key: 'current_temperature', stateType: 'temperature', name: 'Temperature', value: '20.5', units: '°C', controllable: false, choices: null },
      { key: 'target_temperature', stateType: 'target_temperature', name: 'Target temperature', value: '21', units: '°C', controllable: true, choices: null, range },
      { key: 'hvac_mode', stateType: 'hvac_mode', name: 'HVAC mode', value: modes[0] ?? 'unknown', units: null, controllable: modes.length > 0, choices: modes },
    ],
    hasVideoStream: false,
    payload: { friendly_name: name, hvac_modes: [...modes], current_temperature: 20.5, temperature: 21, supported_features: 1 },
  };
}

export const KITCHEN_LIGHT = 'light.kitchen';
export const FRONT_DOOR = 'binary_sensor.front_door';
export const LIVING_TEMPERATURE = 'sensor.living_room_temperature';

/** A small home: a dimmable light, a door contact and a temperature sensor. */
export function smallHome(): UpstreamEntity[] {
  return [upstreamLight(KITCHEN_LIGHT, 'Kitchen light'), upstreamDoor(FRONT_DOOR, 'Front door'), upstreamTemperature(LIVING_TEMPERATURE, 'Living room temperature')];
}

export function allowlist(domains: readonly string[] = [], entities: readonly string[] = []): ImportAllowlist {
  return { domains: new Set(domains), entities: new Set(entities) };
}

/** Every domain of `smallHome`. */
export const ALLOW_SMALL_HOME = allowlist(['light', 'binary_sensor', 'sensor']);

/** Runs `syncIntegration` in its own transaction on the hub's database, as the integration manager does. */
export function syncInto(
  t: TestHub,
  integrationKey: string,
  upstream: readonly UpstreamEntity[],
  allow: ImportAllowlist = ALLOW_SMALL_HOME,
  options: SyncOptions = {},
): Promise<SyncReport> {
  return t.hub.store.db.transaction().execute((trx) => syncIntegration(trx, integrationKey, upstream, allow, t.clock.now(), options));
}

export type EntityRow = Selectable<EntityTable>;

export interface StateLinkRow {
  stateId: number;
  entityId: number;
  type: string;
  stateName: string;
  units: string | null;
  sensorId: number | null;
  sensorName: string | null;
  sensorIntegrationName: string | null;
  sensorIntegrationId: string | null;
  controllerId: number | null;
  controllerIntegrationName: string | null;
  controllerIntegrationId: string | null;
}

/** Each state of an entity with its sensor and controller, ordered by state id. */
export function statesOf(t: TestHub, entityId: number): StateLinkRow[] {
  return t.hub.store.sqlite
    .prepare(
      `select s.id as stateId, s.entity_id as entityId, s.entity_state_type_str as type, s.name as stateName, s.units as units,
              se.id as sensorId, se.name as sensorName, se.integration_name as sensorIntegrationName, se.integration_id as sensorIntegrationId,
              c.id as controllerId, c.integration_name as controllerIntegrationName, c.integration_id as controllerIntegrationId
         from entity_state s
         left join sensor se on se.entity_state_id = s.id
         left join controller c on c.entity_state_id = s.id
        where s.entity_id = ?
        order by s.id`,
    )
    .all(entityId) as StateLinkRow[];
}

/** The entity row imported (or once imported) from an upstream id, attached or detached. */
export function entityFor(t: TestHub, integrationKey: string, upstreamId: string): EntityRow | undefined {
  return t.hub.store.sqlite
    .prepare('select * from entity where (integration_name = ? and integration_id = ?) or (previous_integration_name = ? and previous_integration_id = ?) order by id')
    .get(integrationKey, upstreamId, integrationKey, upstreamId) as EntityRow | undefined;
}

/** The state id of one upstream state key, through its sensor's integration id. */
export function stateIdFor(t: TestHub, upstreamId: string, stateKey: string): number {
  const row = t.hub.store.sqlite.prepare('select entity_state_id as id from sensor where integration_id = ?').get(`${upstreamId}#${stateKey}`) as { id: number } | undefined;
  if (!row) throw new Error(`no sensor for ${upstreamId}#${stateKey}`);
  return row.id;
}

/** Integration keys that occur more than once among linked rows of entity, sensor and controller (should be none). */
export function duplicateIntegrationKeys(t: TestHub): string[] {
  const duplicates: string[] = [];
  for (const table of ['entity', 'sensor', 'controller']) {
    const found = t.hub.store.sqlite
      .prepare(`select integration_name || '/' || integration_id as k from ${table} where integration_name is not null group by integration_name, integration_id having count(*) > 1`)
      .all() as Array<{ k: string }>;
    duplicates.push(...found.map((f) => `${table}:${f.k}`));
  }
  const previous = t.hub.store.sqlite
    .prepare(`select previous_integration_name || '/' || previous_integration_id as k from entity where previous_integration_name is not null group by previous_integration_name, previous_integration_id having count(*) > 1`)
    .all() as Array<{ k: string }>;
  duplicates.push(...previous.map((f) => `entity(previous):${f.k}`));
  return duplicates;
}

// ---- a gateway the test drives ----

/** A promise with its resolve at hand, to hold a gateway call until the test lets it go. */
export class Gate {
  readonly promise: Promise<void>;
  open!: () => void;

  constructor() {
    this.promise = new Promise<void>((resolve) => {
      this.open = resolve;
    });
  }
}

export type GatewayCall =
  | { kind: 'start'; config: IntegrationConfig }
  | { kind: 'stop' }
  | { kind: 'test'; config: IntegrationConfig }
  | { kind: 'fetch:begin'; config: IntegrationConfig }
  | { kind: 'fetch:end' }
  | { kind: 'control'; config: IntegrationConfig; target: { upstreamId: string; domain: string }; stateKey: string; value: string };

export const FAKE_FIELDS: readonly IntegrationConfigField[] = [
  { key: 'url', label: 'Server address', description: 'Where the server is.', type: 'url', required: true },
  { key: 'token', label: 'Access token', description: 'A long-lived access token.', type: 'secret', required: true },
  { key: 'site', label: 'Site name', description: 'Shown in the header.', type: 'text', required: false },
];

/**
 * An IntegrationGateway for tests: records every call, serves `upstream`, fails what it is told to fail and hands
 * the test the context of its current run, to report values, snapshots and health as a real client would. With
 * `reachServer` it also sends each test, fetch and control to `config.url` over HTTP, with `config.token` as a
 * bearer token, as a real client would.
 */
export class FakeGateway implements IntegrationGateway {
  readonly description = 'A gateway driven by the test.';
  readonly calls: GatewayCall[] = [];
  upstream: UpstreamEntity[] = smallHome();
  /** Entries fetchUpstream reports as unreadable, besides `upstream`. */
  unreadable: UnreadableEntry[] = [];
  /** What each call throws: a GatewayError of some kind, or any other error (a bug in a gateway). */
  failTest: Error | null = null;
  failFetch: Error | null = null;
  failControl: Error | null = null;
  reachServer = false;
  /** When set, fetchUpstream waits for it. */
  fetchGate: Gate | null = null;
  private current: GatewayContext | null = null;
  private readonly contexts: GatewayContext[] = [];

  constructor(
    readonly key = 'hass',
    readonly label = 'Fake Home',
    readonly configFields: readonly IntegrationConfigField[] = FAKE_FIELDS,
  ) {}

  async testConnection(config: IntegrationConfig): Promise<void> {
    this.calls.push({ kind: 'test', config: { ...config } });
    await this.reach(config);
    if (this.failTest !== null) throw this.failTest;
  }

  async fetchUpstream(config: IntegrationConfig): Promise<UpstreamListing> {
    this.calls.push({ kind: 'fetch:begin', config: { ...config } });
    try {
      if (this.fetchGate) await this.fetchGate.promise;
      await this.reach(config);
      if (this.failFetch !== null) throw this.failFetch;
      return { entities: structuredClone(this.upstream), unreadable: structuredClone(this.unreadable) };
    } finally {
      this.calls.push({ kind: 'fetch:end' });
    }
  }

  start(context: GatewayContext): void {
    this.calls.push({ kind: 'start', config: { ...context.config } });
    this.current = context;
    this.contexts.push(context);
  }

  async stop(): Promise<void> {
    this.calls.push({ kind: 'stop' });
    this.current = null;
  }

  async control(config: IntegrationConfig, target: { upstreamId: string; domain: string }, stateKey: string, value: string): Promise<void> {
    this.calls.push({ kind: 'control', config: { ...config }, target: { ...target }, stateKey, value });
    await this.reach(config);
    if (this.failControl !== null) throw this.failControl;
  }

  private async reach(config: IntegrationConfig): Promise<void> {
    if (!this.reachServer) return;
    const headers: Record<string, string> = config.token ? { Authorization: `Bearer ${config.token}` } : {};
    let response: Response;
    try {
      response = await fetch(config.url ?? '', { headers, signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      throw new GatewayError('unreachable', `${this.label} cannot be reached.`, { cause: error });
    }
    await response.arrayBuffer();
    if (response.status === 401) throw new GatewayError('auth', `${this.label} refused the token.`);
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** The context of the current run; throws when the gateway is not running. */
  get context(): GatewayContext {
    if (!this.current) throw new Error(`${this.key} is not running`);
    return this.current;
  }

  /** Every context the gateway was started with, oldest first (to call a stopped run's callbacks). */
  get startedContexts(): readonly GatewayContext[] {
    return this.contexts;
  }

  count(kind: GatewayCall['kind']): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }

  last<K extends GatewayCall['kind']>(kind: K): Extract<GatewayCall, { kind: K }> | undefined {
    return this.calls.filter((c): c is Extract<GatewayCall, { kind: K }> => c.kind === kind).at(-1);
  }

  reportValues(values: readonly UpstreamValues[]): void {
    this.context.onValues(values);
  }

  reportHealth(health: IntegrationHealth, message: string | null = null): void {
    this.context.onHealth(health, message);
  }
}

/** One request a RecordingServer received. */
export interface RecordedRequest {
  url: string;
  authorization: string | null;
}

export interface RecordingServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that answers every request with 200 `{}` and records it with its Authorization
 * header: the address a stolen token would be sent to, or the home server it belongs to.
 */
export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', authorization: request.headers.authorization ?? null });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Lets queued callbacks and promise chains run: a bounded number of event-loop turns. */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Waits (a bounded number of event-loop turns) until the condition holds; throws if it never does. */
export async function waitUntil(condition: () => boolean, what: string, turns = 500): Promise<void> {
  for (let i = 0; i < turns; i += 1) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting for ${what}`);
}
