import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeNow, listenOn, readBody } from './listen';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { AsyncMutex } from '../util/async-mutex';
import { systemClock, type Clock } from '../util/clock';
import { createLogger } from '../util/log';
import {
  compressedDiff,
  compressedState,
  HaError,
  HaStateStore,
  isEntityId,
  isoTime,
  newContext,
  stateAsDict,
  type EntityState,
  type HaContext,
  type ServiceCall,
  type StateChange,
} from './ha-state-store';
import { renderCameraFrame, serveMjpegStream } from './mjpeg-source';
import { buildProfile, seededRandom, type ProfileName } from './profiles';

const log = createLogger('ha-simulator');

export const HA_VERSION = '2025.6.0';
const WEBSOCKET_PATH = '/api/websocket';
/** The one user every token belongs to; service calls carry it in their context like Home Assistant's do. */
const SIM_USER_ID = '9f3c1b2a7d6e4f0a8b5c3d2e1f0a9b8c';
/** Home Assistant drops a socket that has not authenticated within 10 s. */
const AUTH_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_SOCKET_MESSAGE_BYTES = 16 * 1024 * 1024;
/** A client this far behind is dropped, as Home Assistant drops one that stops reading. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
const CALL_HISTORY = 100;
const MAX_BURST_RATE = 10_000;
const MAX_BURST_SECONDS = 600;
const BURST_TICK_MS = 20;
const BURST_SEED = 8123;
const CONTROL_PAGE_ROWS = 1000;
const CONTROL_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
/** Domains a burst churns when it is given no entities. */
const CHURN_DOMAINS = new Set(['sensor', 'binary_sensor', 'light', 'switch', 'input_boolean', 'fan']);

export type HaFault =
  | { kind: 'auth_failure' }
  | { kind: 'server_error' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'non_json' }
  | { kind: 'drop_sockets' };

/** drop_sockets acts once; the others hold until cleared. */
type LastingFault = Exclude<HaFault, { kind: 'drop_sockets' }>;

export interface HaSimulatorOptions {
  profile: ProfileName;
  token: string;
  host?: string;
  /** 0 picks a free port; `restart()` keeps whichever port was bound. */
  port?: number;
  clock?: Clock;
  /** How long a cover takes to open or close; 0 (the default) moves it instantly. */
  coverTravelMs?: number;
  /** The home's zone that get_config and /api/config answer; Europe/Amsterdam by default. */
  timeZone?: string;
  /** The unit system they answer; metric by default. Entity states keep the units of their profile. */
  unitSystem?: 'metric' | 'imperial';
}

/** Home Assistant's two unit systems, as its get_config answers them. */
const UNIT_SYSTEMS = {
  metric: { length: 'km', accumulated_precipitation: 'mm', area: 'm²', mass: 'g', pressure: 'Pa', temperature: '°C', volume: 'L', wind_speed: 'm/s' },
  imperial: { length: 'mi', accumulated_precipitation: 'in', area: 'ft²', mass: 'lb', pressure: 'psi', temperature: '°F', volume: 'gal', wind_speed: 'mph' },
} as const;

export interface RecordedCall {
  time: string;
  via: 'rest' | 'websocket';
  domain: string;
  service: string;
  service_data: Record<string, unknown>;
  target: unknown;
}

export interface BurstOptions {
  changesPerSecond: number;
  seconds: number;
  /** Entities to churn; by default every sensor, binary sensor, light, switch, input_boolean and fan. */
  entityIds?: string[];
}

export interface BurstStatus {
  running: boolean;
  changes: number;
  planned: number;
}

interface HaEvent {
  event_type: string;
  data: unknown;
  origin: 'LOCAL';
  time_fired: string;
  context: HaContext;
}

/** What a WebSocket connection needs from the simulator. */
interface ConnectionHost {
  readonly store: HaStateStore;
  acceptsToken(token: string): boolean;
  replyDelayMs(): number;
  onEvent(listener: (event: HaEvent) => void): () => void;
  callService(call: ServiceCall, via: RecordedCall['via']): { context: HaContext; changed: EntityState[] };
  config(): Record<string, unknown>;
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPositiveInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;

/** Keeps the newest `capacity` items. */
class Ring<T> {
  private readonly items: T[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    if (this.items.length < this.capacity) return [...this.items];
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }
}

function titleCase(snake: string): string {
  return snake.split('_').map((word) => (word[0] ?? '').toUpperCase() + word.slice(1)).join(' ');
}

function servicesByDomain(store: HaStateStore): Record<string, Record<string, Json>> {
  return Object.fromEntries(
    Object.entries(store.services()).map(([domain, services]) => [
      domain,
      Object.fromEntries(services.map((service) => [service, { name: titleCase(service), description: '', fields: {} }])),
    ]),
  );
}

function stateChangedEvent(change: StateChange, nowMs: number): HaEvent {
  const context = change.newState?.context ?? newContext(nowMs);
  return {
    event_type: 'state_changed',
    data: {
      entity_id: change.entityId,
      old_state: change.oldState && stateAsDict(change.oldState),
      new_state: change.newState && stateAsDict(change.newState),
    },
    origin: 'LOCAL',
    time_fired: isoTime(change.newState?.lastUpdated ?? nowMs),
    context,
  };
}

/** One `subscribe_entities` event for one change: `a` added, `c` changed, `r` removed. */
function entitiesEvent(change: StateChange): Json {
  if (!change.newState) return { r: [change.entityId] };
  if (!change.oldState) return { a: { [change.entityId]: compressedState(change.newState) } };
  return { c: { [change.entityId]: compressedDiff(change.oldState, change.newState) } };
}

/** `cv.entity_ids`: a list or a comma-separated string of valid entity ids. */
function entityIdList(value: unknown, key: string): string[] {
  const list = typeof value === 'string' ? value.split(',').map((id) => id.trim()) : value;
  if (!Array.isArray(list) || !list.every((id): id is string => typeof id === 'string' && isEntityId(id))) {
    throw new HaError('invalid_format', `Entity ID is an invalid entity ID for dictionary value @ data['${key}']. Got ${JSON.stringify(value)}`);
  }
  return list;
}

function errorMessage(id: unknown, code: string, message: string): Json {
  return { id, type: 'result', success: false, error: { code, message } };
}

/** One WebSocket client: the auth phase, then commands, as Home Assistant's websocket_api runs them. */
class SimConnection {
  private authenticated = false;
  private lastId = 0;
  private coalesce = false;
  private outbox: string[] = [];
  /** Incoming messages run in order, each no earlier than its reply delay allows. */
  private inbox: Promise<void> = Promise.resolve();
  private readonly subscriptions = new Map<number, () => void>();
  private readonly authTimer: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    private readonly host: ConnectionHost,
  ) {
    this.authTimer = setTimeout(() => ws.close(1000), AUTH_TIMEOUT_MS);
    this.authTimer.unref();
    ws.on('message', (data, isBinary) => {
      const due = Date.now() + host.replyDelayMs();
      const text = isBinary ? null : data.toString();
      this.inbox = this.inbox.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        this.receive(text);
      });
    });
    ws.on('close', () => this.dispose());
    ws.on('error', (error) => log.warn('socket error', error));
    this.send({ type: 'auth_required', ha_version: HA_VERSION });
  }

  terminate(): void {
    this.ws.terminate();
  }

  private dispose(): void {
    clearTimeout(this.authTimer);
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    this.outbox = [];
  }

  private receive(text: string | null): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    let message: unknown;
    try {
      // Home Assistant disconnects on binary frames and on invalid JSON.
      if (text === null) throw new Error('binary');
      message = JSON.parse(text);
    } catch {
      this.ws.close(1000);
      return;
    }
    if (!this.authenticated) this.authenticate(message);
    else for (const command of Array.isArray(message) ? message : [message]) this.handleCommand(command);
  }

  private authenticate(message: unknown): void {
    clearTimeout(this.authTimer);
    const wellFormed = isRecord(message) && message.type === 'auth' && (message.access_token === undefined || typeof message.access_token === 'string');
    if (!wellFormed) {
      this.send({ type: 'auth_invalid', message: 'Auth message incorrectly formatted: expected {"type": "auth", "access_token": str}' });
      this.ws.close(1000);
      return;
    }
    if (typeof message.access_token !== 'string' || !this.host.acceptsToken(message.access_token)) {
      this.send({ type: 'auth_invalid', message: 'Invalid access token or password' });
      this.ws.close(1000);
      return;
    }
    this.authenticated = true;
    this.send({ type: 'auth_ok', ha_version: HA_VERSION });
  }

  private handleCommand(message: unknown): void {
    if (!isRecord(message) || !isPositiveInt(message.id) || typeof message.type !== 'string') {
      const id = isRecord(message) && typeof message.id === 'number' ? message.id : null;
      this.send(errorMessage(id, 'invalid_format', 'Message incorrectly formatted.'));
      return;
    }
    const { id } = message;
    if (id <= this.lastId) {
      this.send(errorMessage(id, 'id_reuse', 'Identifier values have to increase.'));
      return;
    }
    const handler = this.commands[message.type];
    if (!handler) {
      this.send(errorMessage(id, 'unknown_command', 'Unknown command.'));
      return;
    }
    try {
      handler(id, message);
    } catch (error) {
      if (error instanceof HaError) this.send(errorMessage(id, error.code, error.message));
      else {
        log.error(`command ${message.type} failed`, error);
        this.send(errorMessage(id, 'unknown_error', 'Unknown error'));
      }
    }
    this.lastId = id;
  }

  private readonly commands: Record<string, (id: number, message: Json) => void> = {
    ping: (id) => this.send({ id, type: 'pong' }),
    supported_features: (id, message) => {
      const { features } = message;
      if (!isRecord(features) || !Object.values(features).every((v) => Number.isInteger(v))) {
        throw new HaError('invalid_format', "expected int for dictionary value @ data['features']");
      }
      this.coalesce = features.coalesce_messages === 1;
      this.result(id, null);
    },
    get_states: (id) => this.result(id, this.host.store.all().map(stateAsDict)),
    get_config: (id) => this.result(id, this.host.config()),
    get_services: (id) => this.result(id, servicesByDomain(this.host.store)),
    subscribe_events: (id, message) => {
      const eventType = message.event_type ?? '*';
      if (typeof eventType !== 'string') throw new HaError('invalid_format', "expected str for dictionary value @ data['event_type']");
      this.subscriptions.set(
        id,
        this.host.onEvent((event) => {
          if (eventType === '*' || event.event_type === eventType) this.send({ id, type: 'event', event });
        }),
      );
      this.result(id, null);
    },
    subscribe_entities: (id, message) => {
      const wanted = message.entity_ids === undefined ? null : new Set(entityIdList(message.entity_ids, 'entity_ids'));
      const filter = wanted && wanted.size > 0 ? wanted : null;
      // Listen before reading the states, with nothing async in between, so no change can fall in a gap.
      this.subscriptions.set(
        id,
        this.host.store.onChange((change) => {
          if (!filter || filter.has(change.entityId)) this.send({ id, type: 'event', event: entitiesEvent(change) });
        }),
      );
      const added: Json = {};
      for (const state of this.host.store.all()) {
        if (!filter || filter.has(state.entityId)) added[state.entityId] = compressedState(state);
      }
      this.result(id, null);
      this.send({ id, type: 'event', event: { a: added } });
    },
    unsubscribe_events: (id, message) => {
      const unsubscribe = isPositiveInt(message.subscription) ? this.subscriptions.get(message.subscription) : undefined;
      if (!unsubscribe) throw new HaError('not_found', 'Subscription not found.');
      unsubscribe();
      this.subscriptions.delete(message.subscription as number);
      this.result(id, null);
    },
    call_service: (id, message) => {
      const { domain, service, service_data: data, target } = message;
      if (typeof domain !== 'string' || typeof service !== 'string') {
        throw new HaError('invalid_format', "required key not provided @ data['domain'] or data['service']");
      }
      if (data !== undefined && !isRecord(data)) throw new HaError('invalid_format', "expected dict for dictionary value @ data['service_data']");
      if (target !== undefined && !isRecord(target)) throw new HaError('invalid_format', "expected dict for dictionary value @ data['target']");
      const { context } = this.host.callService({ domain, service, data, target }, 'websocket');
      this.result(id, { context, response: null });
    },
  };

  private result(id: number, result: unknown): void {
    this.send({ id, type: 'result', success: true, result });
  }

  /** With coalesce_messages, everything queued in one tick goes out as one JSON array frame. */
  private send(message: Json): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const text = JSON.stringify(message);
    if (!this.coalesce) {
      this.write(text);
      return;
    }
    this.outbox.push(text);
    if (this.outbox.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length === 1) this.write(batch[0]!);
    else if (batch.length > 1) this.write(`[${batch.join(',')}]`);
  }

  private write(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      log.warn(`Dropping a client that is ${this.ws.bufferedAmount} bytes behind`);
      this.ws.terminate();
      return;
    }
    this.ws.send(text);
  }
}


function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** Plain-text answers worded like aiohttp's, which is what Home Assistant sends for these. */
function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

const NOT_FOUND = '404: Not Found';
const METHOD_NOT_ALLOWED = '405: Method Not Allowed';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Parses a control-API fault: `{kind: null}` clears it. */
function parseFault(body: unknown): HaFault | null {
  if (!isRecord(body)) throw new RangeError('Expected {"kind": ...}');
  switch (body.kind) {
    case null:
      return null;
    case 'auth_failure':
    case 'server_error':
    case 'non_json':
    case 'drop_sockets':
      return { kind: body.kind };
    case 'slow':
      if (typeof body.delayMs !== 'number' || !(body.delayMs >= 0) || body.delayMs > 600_000) {
        throw new RangeError('slow needs delayMs between 0 and 600000');
      }
      return { kind: 'slow', delayMs: body.delayMs };
    default:
      throw new RangeError('kind must be auth_failure, server_error, slow, non_json, drop_sockets or null');
  }
}

/** How the next camera streams behave: frame rate, and a drop or a cut-off frame after some frames. */
export interface CameraStreamBehaviour {
  fps?: number;
  dropAfterFrames?: number;
  truncateAfterFrames?: number;
}

const MAX_CAMERA_FPS = 30;
const MAX_CAMERA_FAULT_FRAMES = 100_000;

function parseCameraStreamBehaviour(body: unknown): CameraStreamBehaviour {
  if (!isRecord(body)) throw new RangeError('Expected {"fps"?, "dropAfterFrames"?, "truncateAfterFrames"?}');
  const behaviour: CameraStreamBehaviour = {};
  if (body.fps !== undefined) {
    if (typeof body.fps !== 'number' || !(body.fps > 0 && body.fps <= MAX_CAMERA_FPS)) throw new RangeError(`fps must be above 0 and at most ${MAX_CAMERA_FPS}`);
    behaviour.fps = body.fps;
  }
  for (const key of ['dropAfterFrames', 'truncateAfterFrames'] as const) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_CAMERA_FAULT_FRAMES) {
      throw new RangeError(`${key} must be a whole number from 0 to ${MAX_CAMERA_FAULT_FRAMES}`);
    }
    behaviour[key] = value;
  }
  return behaviour;
}

interface Burst {
  readonly planned: number;
  changes: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * A Home Assistant stand-in on a real HTTP + WebSocket server: the REST API, the WebSocket API (auth phase,
 * subscribe_entities with compressed states, subscribe_events, call_service, coalesced messages), fault injection,
 * and a control API under /sim/ for tests, demos and benchmarks.
 */
export class HaSimulator {
  readonly store: HaStateStore;
  private readonly token: string;
  private readonly host: string;
  private readonly clock: Clock;
  private port: number;
  private server: Server | null = null;
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES });
  private readonly connections = new Set<SimConnection>();
  private readonly eventListeners = new Set<(event: HaEvent) => void>();
  private readonly calls = new Ring<RecordedCall>(CALL_HISTORY);
  private readonly lifecycle = new AsyncMutex();
  private fault: LastingFault | null = null;
  private burst: Burst | null = null;
  private lastBurst: BurstStatus = { running: false, changes: 0, planned: 0 };
  private readonly connectionHost: ConnectionHost;
  private cameraStreamBehaviour: CameraStreamBehaviour = {};
  private readonly openCameraStreams = new Map<string, number>();
  private cameraStreamsServed = 0;

  constructor(private readonly options: HaSimulatorOptions) {
    this.token = options.token;
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.clock = options.clock ?? systemClock;
    this.store = new HaStateStore({ clock: this.clock, coverTravelMs: options.coverTravelMs });
    for (const entity of buildProfile(options.profile)) this.store.set(entity.entityId, entity.state, entity.attributes);
    this.store.onChange((change) => this.publish(stateChangedEvent(change, this.clock.now())));
    this.connectionHost = {
      store: this.store,
      acceptsToken: (token) => this.fault?.kind !== 'auth_failure' && token === this.token,
      replyDelayMs: () => (this.fault?.kind === 'slow' ? this.fault.delayMs : 0),
      onEvent: (listener) => {
        this.eventListeners.add(listener);
        return () => this.eventListeners.delete(listener);
      },
      callService: (call, via) => this.callService(call, via),
      config: () => this.config(),
    };
  }

  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  start(): Promise<{ url: string }> {
    return this.lifecycle.runExclusive(() => this.listen());
  }

  /** Closes the server and every socket, and ends a running burst. */
  stop(): Promise<void> {
    return this.lifecycle.runExclusive(async () => {
      await this.close();
      this.stopBurst();
      this.store.dispose();
    });
  }

  /** The "restart" fault: every socket is dropped, then the same port serves again with the same states. */
  restart(): Promise<{ url: string }> {
    return this.lifecycle.runExclusive(async () => {
      await this.close();
      return this.listen();
    });
  }

  setFault(fault: HaFault | null): void {
    if (fault?.kind === 'drop_sockets') {
      log.info(`drop_sockets: terminating ${this.connections.size} socket(s)`);
      for (const connection of this.connections) connection.terminate();
      return;
    }
    this.fault = fault;
  }

  currentFault(): HaFault | null {
    return this.fault;
  }

  /** Applies to camera streams opened from now on; {} is a healthy camera. */
  setCameraStreamBehaviour(behaviour: CameraStreamBehaviour): void {
    this.cameraStreamBehaviour = { ...behaviour };
  }

  /** Camera streams open now, by entity id, and how many were ever opened: tests see fan-out and closing. */
  cameraStreams(): { open: Record<string, number>; served: number } {
    return { open: Object.fromEntries(this.openCameraStreams), served: this.cameraStreamsServed };
  }

  /** The last 100 service calls received over REST or WebSocket, oldest first. */
  recentCalls(): RecordedCall[] {
    return this.calls.toArray();
  }

  /** Starts a bounded churn of state changes (replacing any running one); it stops by itself after `seconds`. */
  startBurst(options: BurstOptions): BurstStatus {
    const { changesPerSecond, seconds } = options;
    if (!(changesPerSecond > 0 && changesPerSecond <= MAX_BURST_RATE)) throw new RangeError(`changesPerSecond must be in (0, ${MAX_BURST_RATE}]`);
    if (!(seconds > 0 && seconds <= MAX_BURST_SECONDS)) throw new RangeError(`seconds must be in (0, ${MAX_BURST_SECONDS}]`);
    const ids = options.entityIds ?? this.store.all().filter((e) => CHURN_DOMAINS.has(e.entityId.split('.')[0]!)).map((e) => e.entityId);
    const unknown = ids.filter((id) => !this.store.get(id));
    if (unknown.length > 0) throw new RangeError(`Unknown entities: ${unknown.join(', ')}`);
    if (ids.length === 0) throw new RangeError('No entities to churn');

    this.stopBurst();
    const planned = Math.round(changesPerSecond * seconds);
    const random = seededRandom(BURST_SEED);
    const startedAt = performance.now();
    const tick = () => {
      const burst = this.burst;
      if (!burst) return;
      const due = Math.min(planned, Math.floor(((performance.now() - startedAt) / 1000) * changesPerSecond));
      for (; burst.changes < due; burst.changes++) this.churn(ids[Math.floor(random() * ids.length)]!, random);
      if (burst.changes >= planned) this.stopBurst();
    };
    const timer = setInterval(tick, BURST_TICK_MS);
    timer.unref();
    this.burst = { planned, changes: 0, timer };
    return this.burstStatus();
  }

  burstStatus(): BurstStatus {
    const { burst } = this;
    return burst ? { running: true, changes: burst.changes, planned: burst.planned } : this.lastBurst;
  }

  // ---- lifecycle ----

  private async listen(): Promise<{ url: string }> {
    if (this.server) return { url: this.url };
    const server = createServer((req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        log.error(`${req.method} ${req.url} failed`, error);
        if (!res.headersSent) sendText(res, 500, '500: Internal Server Error');
        else res.end();
      });
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.handleUpgrade(req, socket, head));
    this.port = await listenOn(server, this.port, this.host);
    this.server = server;
    return { url: this.url };
  }

  private async close(): Promise<void> {
    const { server } = this;
    if (!server) return;
    this.server = null;
    for (const connection of this.connections) connection.terminate();
    this.connections.clear();
    await closeNow(server);
  }

  private stopBurst(): void {
    if (!this.burst) return;
    clearInterval(this.burst.timer);
    this.lastBurst = { running: false, changes: this.burst.changes, planned: this.burst.planned };
    this.burst = null;
  }

  /** One random but plausible change: a sensor drifts, a light dims, anything else flips. */
  private churn(entityId: string, random: () => number): void {
    const entity = this.store.get(entityId);
    if (!entity) return;
    const domain = entityId.split('.')[0];
    const value = Number(entity.state);
    if (domain === 'sensor' && entity.state.trim() !== '' && Number.isFinite(value)) {
      const decimals = (entity.state.split('.')[1] ?? '').length;
      const unit = 10 ** -decimals;
      let next = (value + (random() - 0.5) * 2 * Math.max(Math.abs(value) * 0.02, unit)).toFixed(decimals);
      if (next === entity.state) next = (value + unit).toFixed(decimals);
      this.store.set(entityId, next);
    } else if (domain === 'light' && entity.state === 'on' && 'brightness' in entity.attributes && random() < 0.5) {
      const brightness = 1 + Math.floor(random() * 255);
      this.store.callService({ domain, service: 'turn_on', data: { brightness }, target: { entity_id: entityId } }, newContext(this.clock.now()));
    } else if (this.store.canToggleFromDevice(entityId)) {
      this.store.toggleFromDevice(entityId);
    }
  }

  // ---- shared by REST and WebSocket ----

  private publish(event: HaEvent): void {
    for (const listener of [...this.eventListeners]) listener(event);
  }

  /** Records the call, fires call_service like Home Assistant's bus does, then runs it. */
  private callService(call: ServiceCall, via: RecordedCall['via']): { context: HaContext; changed: EntityState[] } {
    const now = this.clock.now();
    this.calls.push({ time: isoTime(now), via, domain: call.domain, service: call.service, service_data: call.data ?? {}, target: call.target ?? null });
    const context = newContext(now, SIM_USER_ID);
    this.publish({
      event_type: 'call_service',
      data: { domain: call.domain, service: call.service, service_data: { ...call.data, ...call.target } },
      origin: 'LOCAL',
      time_fired: isoTime(now),
      context,
    });
    return { context, changed: this.store.callService(call, context) };
  }

  private config(): Record<string, unknown> {
    return {
      latitude: 52.3731,
      longitude: 4.8922,
      elevation: 2,
      unit_system: UNIT_SYSTEMS[this.options.unitSystem ?? 'metric'],
      location_name: `Simulated Home (${this.options.profile})`,
      time_zone: this.options.timeZone ?? 'Europe/Amsterdam',
      components: ['api', 'http', 'websocket_api', ...Object.keys(this.store.services()), 'binary_sensor', 'sensor', 'camera'].sort(),
      config_dir: '/config',
      allowlist_external_dirs: ['/config/www', '/media'],
      allowlist_external_urls: [],
      version: HA_VERSION,
      config_source: 'storage',
      recovery_mode: false,
      state: 'RUNNING',
      external_url: null,
      internal_url: null,
      currency: 'EUR',
      country: 'NL',
      language: 'en',
      safe_mode: false,
      debug: false,
      radius: 100,
    };
  }

  // ---- HTTP ----

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return sendText(res, 400, '400: Bad Request');
    }
    if (pathname === '/sim' || pathname.startsWith('/sim/')) return this.handleControl(req, res, pathname);
    if (pathname.startsWith('/api/')) return this.handleApi(req, res, pathname);
    sendText(res, 404, NOT_FOUND);
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const fault = this.fault;
    if (fault?.kind === 'slow') await sleep(fault.delayMs);
    if (fault?.kind === 'server_error') return sendText(res, 500, '500 Internal Server Error\n\nServer got itself in trouble');
    if (fault?.kind === 'non_json') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><head><title>Welcome</title></head><body><h1>Router login</h1></body></html>');
      return;
    }
    const authorization = req.headers.authorization ?? '';
    if (fault?.kind === 'auth_failure' || authorization !== `Bearer ${this.token}`) return sendText(res, 401, '401: Unauthorized');

    const method = req.method ?? 'GET';
    const [, , resource, ...rest] = pathname.split('/');
    if (pathname === '/api/') {
      if (method !== 'GET') return sendText(res, 405, METHOD_NOT_ALLOWED);
      return sendJson(res, 200, { message: 'API running.' });
    }
    if (resource === 'config' && rest.length === 0) {
      if (method !== 'GET') return sendText(res, 405, METHOD_NOT_ALLOWED);
      return sendJson(res, 200, this.config());
    }
    if (resource === 'states' && rest.length === 0) {
      if (method !== 'GET') return sendText(res, 405, METHOD_NOT_ALLOWED);
      return sendJson(res, 200, this.store.all().map(stateAsDict));
    }
    if (resource === 'states' && rest.length === 1) return this.handleApiState(req, res, method, rest[0]!);
    if (resource === 'services' && rest.length === 0) {
      if (method !== 'GET') return sendText(res, 405, METHOD_NOT_ALLOWED);
      return sendJson(res, 200, Object.entries(servicesByDomain(this.store)).map(([domain, services]) => ({ domain, services })));
    }
    if (resource === 'services' && rest.length === 2) {
      if (method !== 'POST') return sendText(res, 405, METHOD_NOT_ALLOWED);
      return this.handleApiService(req, res, rest[0]!, rest[1]!);
    }
    if ((resource === 'camera_proxy' || resource === 'camera_proxy_stream') && rest.length === 1) {
      if (method !== 'GET' && method !== 'HEAD') return sendText(res, 405, METHOD_NOT_ALLOWED);
      return this.handleCamera(req, res, rest[0]!, resource === 'camera_proxy_stream' ? 'live' : 'snapshot');
    }
    sendText(res, 404, NOT_FOUND);
  }

  /** Home Assistant's camera proxy: one JPEG, or MJPEG for as long as the client reads. */
  private async handleCamera(req: IncomingMessage, res: ServerResponse, entityId: string, kind: 'live' | 'snapshot'): Promise<void> {
    const state = entityId.startsWith('camera.') ? this.store.get(entityId) : undefined;
    if (!state) return sendText(res, 404, NOT_FOUND);
    const label = typeof state.attributes.friendly_name === 'string' ? state.attributes.friendly_name : entityId;
    if (kind === 'snapshot') {
      const frame = await renderCameraFrame(label, new Date(this.clock.now()));
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': frame.length, 'Cache-Control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : frame);
      return;
    }
    this.cameraStreamsServed++;
    this.openCameraStreams.set(entityId, (this.openCameraStreams.get(entityId) ?? 0) + 1);
    res.once('close', () => {
      const open = (this.openCameraStreams.get(entityId) ?? 1) - 1;
      if (open > 0) this.openCameraStreams.set(entityId, open);
      else this.openCameraStreams.delete(entityId);
    });
    serveMjpegStream(req, res, { label, ...this.cameraStreamBehaviour });
  }

  private async handleApiState(req: IncomingMessage, res: ServerResponse, method: string, entityId: string): Promise<void> {
    if (method === 'GET') {
      const state = this.store.get(entityId);
      return state ? sendJson(res, 200, stateAsDict(state)) : sendJson(res, 404, { message: 'Entity not found.' });
    }
    if (method === 'DELETE') {
      return this.store.remove(entityId) ? sendJson(res, 200, { message: 'Entity removed.' }) : sendJson(res, 404, { message: 'Entity not found.' });
    }
    if (method !== 'POST') return sendText(res, 405, METHOD_NOT_ALLOWED);
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_BODY_BYTES));
    } catch {
      return sendJson(res, 400, { message: 'Invalid JSON specified.' });
    }
    // The REST API replaces attributes: a POST without them leaves the entity with none, as in Home Assistant.
    return this.writeState(res, entityId, body, false, { Location: `/api/states/${entityId}` });
  }

  private async handleApiService(req: IncomingMessage, res: ServerResponse, domain: string, service: string): Promise<void> {
    let data: unknown;
    try {
      const text = await readBody(req, MAX_BODY_BYTES);
      data = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return sendJson(res, 400, { message: 'Data should be valid JSON.' });
    }
    if (!isRecord(data)) return sendJson(res, 400, { message: 'Data should be a JSON object.' });
    try {
      const { changed } = this.callService({ domain, service, data }, 'rest');
      sendJson(res, 200, changed.map(stateAsDict));
    } catch (error) {
      if (!(error instanceof HaError)) throw error;
      sendJson(res, 400, { message: error.message });
    }
  }

  /** POST /api/states and POST /sim/states: 201 for a new entity, 200 for an existing one. */
  private writeState(res: ServerResponse, entityId: string, body: unknown, keepAttributes: boolean, headers: Record<string, string> = {}): void {
    const state = isRecord(body) ? body.state : undefined;
    if (state === undefined || state === null || typeof state === 'object') return sendJson(res, 400, { message: 'No state specified.' });
    const attributes = isRecord(body) ? body.attributes : undefined;
    if (attributes !== undefined && attributes !== null && !isRecord(attributes)) return sendJson(res, 400, { message: 'Attributes should be an object.' });
    try {
      const written = this.store.set(entityId, String(state), attributes ?? (keepAttributes ? undefined : {}));
      sendJson(res, written.created ? 201 : 200, stateAsDict(written.state), headers);
    } catch (error) {
      if (!(error instanceof HaError)) throw error;
      sendJson(res, 400, { message: error.message });
    }
  }

  private handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    if (url.pathname !== WEBSOCKET_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      if (!this.server) {
        ws.terminate();
        return;
      }
      const connection = new SimConnection(ws, this.connectionHost);
      this.connections.add(connection);
      ws.on('close', () => this.connections.delete(connection));
    });
  }

  // ---- control API ----

  private async handleControl(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (pathname === '/sim' || pathname === '/sim/') {
      if (method !== 'GET') return sendText(res, 405, METHOD_NOT_ALLOWED);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CONTROL_PAGE_CSP, 'Cache-Control': 'no-store' });
      res.end(this.controlPage());
      return;
    }
    if (pathname.startsWith('/sim/toggle/') && method === 'POST') {
      await readBody(req, MAX_BODY_BYTES);
      this.store.toggleFromDevice(pathname.slice('/sim/toggle/'.length));
      res.writeHead(303, { Location: '/sim/' }).end();
      return;
    }
    if (pathname === '/sim/calls' && method === 'GET') return sendJson(res, 200, this.recentCalls());
    if (pathname === '/sim/burst' && method === 'GET') return sendJson(res, 200, this.burstStatus());
    if (pathname === '/sim/camera-stream' && method === 'GET') return sendJson(res, 200, { cameraStream: this.cameraStreamBehaviour, ...this.cameraStreams() });
    if (pathname.startsWith('/sim/states/') && method === 'DELETE') {
      const removed = this.store.remove(pathname.slice('/sim/states/'.length));
      return removed ? sendJson(res, 200, { message: 'Entity removed.' }) : sendJson(res, 404, { message: 'Entity not found.' });
    }
    if (method !== 'POST') return sendText(res, 404, NOT_FOUND);

    // JSON only: a plain cross-site form post cannot send this content type without a CORS preflight.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return sendJson(res, 415, { message: 'Send application/json.' });
    }
    let body: unknown;
    try {
      const text = await readBody(req, MAX_BODY_BYTES);
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return sendJson(res, 400, { message: 'Invalid JSON specified.' });
    }
    if (pathname.startsWith('/sim/states/')) return this.writeState(res, pathname.slice('/sim/states/'.length), body, true);
    try {
      switch (pathname) {
        case '/sim/fault':
          this.setFault(parseFault(body));
          return sendJson(res, 200, { fault: this.fault });
        case '/sim/camera-stream':
          this.setCameraStreamBehaviour(parseCameraStreamBehaviour(body));
          return sendJson(res, 200, { cameraStream: this.cameraStreamBehaviour });
        case '/sim/burst': {
          const options = isRecord(body) ? body : {};
          const entityIds = options.entityIds === undefined ? undefined : entityIdList(options.entityIds, 'entityIds');
          return sendJson(res, 202, this.startBurst({ changesPerSecond: Number(options.changesPerSecond), seconds: Number(options.seconds), entityIds }));
        }
        case '/sim/restart':
          // Answer first: the restart drops this very connection.
          res.once('finish', () => void this.restart().catch((error: unknown) => log.error('restart failed', error)));
          return sendJson(res, 202, { message: 'Restarting.' });
        default:
          return sendText(res, 404, NOT_FOUND);
      }
    } catch (error) {
      if (error instanceof RangeError || error instanceof HaError) return sendJson(res, 400, { message: error.message });
      throw error;
    }
  }

  private controlPage(): string {
    const states = this.store.all().sort((a, b) => a.entityId.localeCompare(b.entityId));
    const rows = states.slice(0, CONTROL_PAGE_ROWS).map((s) => {
      const name = typeof s.attributes.friendly_name === 'string' ? s.attributes.friendly_name : '';
      const id = escapeHtml(s.entityId);
      const button = this.store.canToggleFromDevice(s.entityId)
        ? `<form method="post" action="/sim/toggle/${encodeURIComponent(s.entityId)}"><button type="submit">Toggle</button></form>`
        : '';
      return `<tr><td><code>${id}</code></td><td>${escapeHtml(name)}</td><td>${escapeHtml(s.state)}</td><td>${button}</td></tr>`;
    });
    const more = states.length > CONTROL_PAGE_ROWS ? `<p>Showing the first ${CONTROL_PAGE_ROWS} of ${states.length} entities.</p>` : '';
    const fault = this.fault ? escapeHtml(JSON.stringify(this.fault)) : 'none';
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Home Assistant simulator</title>
<style>body{font:15px system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}button{min-height:44px;min-width:88px}</style>
</head><body>
<h1>Home Assistant simulator</h1>
<p>Profile <b>${escapeHtml(this.options.profile)}</b>, ${states.length} entities, Home Assistant ${HA_VERSION}. Fault: ${fault}.</p>
${more}<table><thead><tr><th>Entity</th><th>Name</th><th>State</th><th></th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></body></html>`;
  }
}
