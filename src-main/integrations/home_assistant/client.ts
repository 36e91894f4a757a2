import WebSocket, { type RawData } from 'ws';
import type { Clock } from '../../util/clock';
import { createLogger, type Logger } from '../../util/log';
import {
  haApiStatusSchema,
  haCallServiceResultSchema,
  haCompressedDiffSchema,
  haConfigSchema,
  haCompressedStateSchema,
  haEntitiesEventSchema,
  haStateChangedEventSchema,
  haStateSchema,
  isHaEntityId,
  parseHaMessage,
  ProtocolIssueLog,
  summariseIssues,
  type HaCompressedContext,
  type HaCompressedDiff,
  type HaCompressedState,
  type HaConfig,
  type HaContext,
  type HaMessage,
  type HaState,
} from './ha-types';
import { boundAttributes, clipText, nestsDeeperThan, readBodyBounded, UPSTREAM_LIMITS } from '../upstream-limits';

/** Every interval and bound of the Home Assistant protocol as this client speaks it, in one place. */
export const HA_PROTOCOL = {
  websocketPath: 'api/websocket',
  /** How long a REST request (and, by default, a WebSocket command) may take. */
  requestTimeoutMs: 10_000,
  /** A ping this often once authenticated... */
  pingIntervalMs: 30_000,
  /** ...and a socket whose pong does not come back this soon is dead. */
  pongTimeoutMs: 10_000,
  /** From opening the socket to auth_ok; Home Assistant itself drops a socket that has not authenticated in 10 s. */
  authTimeoutMs: 10_000,
  /** Reconnect delays: initial * factor^attempt, capped, each spread by +-jitter; reset by a successful connect. */
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  backoffFactor: 2,
  backoffJitter: 0.2,
  /**
   * A refused token is tried again after backoffMaxMs, then after twice as long each time up to this: each try counts
   * as a failed login, and a Home Assistant with `login_attempts_threshold` set bans the hub's address after that
   * many. Sync now (reconnectNow) tries at once.
   */
  refusedTokenRetryMaxMs: 30 * 60_000,
  /** WebSocket commands awaiting their result; more are refused rather than queued. */
  maxPendingRequests: 256,
  /** Entities kept for merging; beyond this, additions are skipped (and logged). */
  maxEntities: 100_000,
  /** Largest REST body and WebSocket message accepted (the first snapshot of a big home is several MB). */
  maxResponseBytes: 64 * 1024 * 1024,
  /** A clean close that has not finished by then is cut. */
  closeGraceMs: 1_000,
} as const;

export interface LiveTiming {
  pingIntervalMs: number;
  pongTimeoutMs: number;
  authTimeoutMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  backoffFactor: number;
  backoffJitter: number;
  refusedTokenRetryMaxMs: number;
  /** How long a WebSocket command may wait for its result; defaults to requestTimeoutMs. */
  commandTimeoutMs: number;
}

export interface HomeAssistantClientOptions {
  /** Where Home Assistant answers, e.g. http://homeassistant.local:8123 (a path prefix is kept). */
  baseUrl: string;
  /** A long-lived access token. */
  token: string;
  clock: Clock;
  logger?: Logger;
  requestTimeoutMs?: number;
  /** Overrides of the live-connection timing, for tests. */
  live?: Partial<LiveTiming>;
  /** Source of the reconnect jitter, in [0, 1). */
  random?: () => number;
}

// ---- errors ----

export class HaClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The token was refused: HTTP 401/403, or auth_invalid on the WebSocket. Retrying will not help. */
export class HaAuthError extends HaClientError {}

/** Why Home Assistant could not be reached, for a plain message; the raw detail stays in the error's cause. */
export type HaUnreachableReason =
  /** Nothing accepts connections at the address (ECONNREFUSED). */
  | 'refused'
  /** No answer in time: connect, request, authentication or pong. */
  | 'timeout'
  /** The host name does not resolve (ENOTFOUND, EAI_AGAIN). */
  | 'name_not_found'
  /** The network has no route to the address (EHOSTUNREACH, ENETUNREACH). */
  | 'no_route'
  /** An established connection was cut (ECONNRESET, EPIPE, a socket closed mid-answer). */
  | 'connection_lost'
  /** The HTTPS certificate is not trusted (self-signed, expired, wrong name). */
  | 'certificate'
  /** The live connection is not up (not started, still connecting, or too many requests waiting). */
  | 'not_connected'
  | 'other';

/** Home Assistant could not be reached or did not answer in time: refused, reset, timed out, connection lost. */
export class HaUnreachableError extends HaClientError {
  constructor(
    message: string,
    readonly reason: HaUnreachableReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Home Assistant (or whatever answered in its place) said something that is not its API: not JSON, wrong shape. */
export class HaProtocolError extends HaClientError {
  constructor(
    message: string,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A 5xx answer. */
export class HaServerError extends HaProtocolError {}

/** Home Assistant understood the request and refused it: a 4xx other than 401/403, or a failed WebSocket result. */
export class HaRequestError extends HaClientError {
  constructor(
    message: string,
    readonly status: number | null,
    /** Home Assistant's error code on the WebSocket (not_found, invalid_format, service_validation_error, ...). */
    readonly code: string | null,
    /** Home Assistant's own words for the refusal, cut to a quotable length, when it gave any. */
    readonly reply: string | null = null,
  ) {
    super(message);
  }
}

// ---- live connection types ----

export type LiveConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'auth_failed';

/** What the live connection had to leave out of what Home Assistant sent. */
export type LiveIssueKind =
  /** A frame or message that could not be read: not JSON, binary, nested too deep, a known type in the wrong shape. */
  | 'unreadable_message'
  /** A well-formed message that does not fit the conversation: unknown type, unknown id, a repeated auth_ok. */
  | 'unexpected_message'
  /** An entity whose id, state or times break Home Assistant's own rules, or a change for an unknown entity. */
  | 'unreadable_entity'
  /** Attributes left out of an entity: nested too deep or over the size bound (see UPSTREAM_LIMITS). */
  | 'dropped_attributes'
  /** Entities beyond HA_PROTOCOL.maxEntities. */
  | 'too_many_entities';

export interface LiveIssue {
  kind: LiveIssueKind;
  count: number;
  /** A few of the entity ids concerned (valid ids only), for the message. */
  examples: string[];
}

export interface LiveHandlers {
  /** The full set of entities, after every (re)connect. */
  onSnapshot(entities: HaState[]): void;
  /** Entities that changed (their full, merged state) and the ids of those removed, per received frame. */
  onChanges(changed: HaState[], removed: string[]): void;
  /** For `disconnected`, `reason` says why in a form a plain message can be built from; `detail` is technical. */
  onConnection(status: LiveConnectionStatus, detail?: string, reason?: HaUnreachableReason): void;
  /**
   * What was left out since the last snapshot (that snapshot's own frame included), or null once a snapshot came
   * clean. Called after a snapshot, and otherwise only when something new shows: a new kind, a new example, or a
   * count reaching a power of ten, so a flood of bad frames makes a handful of calls.
   */
  onIssues(issues: readonly LiveIssue[] | null): void;
}

/** The number of examples kept per kind of issue. */
const ISSUE_EXAMPLES = 3;
const ISSUE_ORDER: readonly LiveIssueKind[] = ['unreadable_entity', 'dropped_attributes', 'too_many_entities', 'unreadable_message', 'unexpected_message'];

/** Counts of what was left out, by kind, with a few example ids each: bounded whatever arrives. */
class IssueTally {
  private readonly entries = new Map<LiveIssueKind, { count: number; examples: string[] }>();

  /** Adds `count` issues of a kind; answers whether it is news (see LiveHandlers.onIssues). */
  add(kind: LiveIssueKind, entityId?: string, count = 1): boolean {
    const entry = this.entries.get(kind);
    if (!entry) {
      this.entries.set(kind, { count, examples: entityId ? [entityId] : [] });
      return true;
    }
    // The first power of ten above the old count; at most 16 steps for any count a Number holds exactly.
    let nextPower = 1;
    while (nextPower <= entry.count) nextPower *= 10;
    entry.count += count;
    let news = entry.count >= nextPower;
    if (entityId && entry.examples.length < ISSUE_EXAMPLES && !entry.examples.includes(entityId)) {
      entry.examples.push(entityId);
      news = true;
    }
    return news;
  }

  /** Adds everything of `other`; answers whether any of it is news. */
  merge(other: IssueTally): boolean {
    let news = false;
    for (const [kind, entry] of other.entries) {
      news = this.add(kind, undefined, entry.count) || news;
      for (const example of entry.examples) news = this.add(kind, example, 0) || news;
    }
    return news;
  }

  get empty(): boolean {
    return this.entries.size === 0;
  }

  summary(): LiveIssue[] | null {
    if (this.entries.size === 0) return null;
    return ISSUE_ORDER.flatMap((kind) => {
      const entry = this.entries.get(kind);
      return entry ? [{ kind, count: entry.count, examples: [...entry.examples] }] : [];
    });
  }
}

export interface LiveDiagnostics {
  status: LiveConnectionStatus | 'stopped';
  socketOpen: boolean;
  pendingRequests: number;
  /** Timers the live connection holds right now (reconnect, ping, pong, auth, per-request). */
  activeTimers: number;
  entities: number;
  reconnectAttempt: number;
  /** Epoch ms (from the injected clock) of the last frame received, or null. */
  lastMessageAt: number | null;
  protocolIssues: Record<string, number>;
}

export interface HaServiceTarget {
  entity_id?: string | string[];
  device_id?: string | string[];
  area_id?: string | string[];
}

/** A state of a REST list that could not be read. */
export interface HaUnreadableState {
  /** Its entity id, when that is one Home Assistant would accept. */
  entityId: string | null;
  reason: string;
}

export interface HaStateListing {
  states: HaState[];
  unreadable: HaUnreadableState[];
}

export interface HaCallServiceResult {
  context: HaContext | null;
  response: unknown;
}

const SERVICE_NAME = /^[a-z0-9_]+$/;

function checkServiceName(domain: string, service: string): void {
  if (!SERVICE_NAME.test(domain) || !SERVICE_NAME.test(service)) throw new RangeError(`Not a Home Assistant service: ${domain}.${service}`);
}

const snippet = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
};

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** The system error code of a network failure: on the error, its cause (fetch), or the first of an AggregateError. */
function errorCode(error: unknown): string | null {
  let current: unknown = error;
  // fetch wraps the socket error once, an AggregateError (one per address tried) once more.
  for (let hops = 0; hops < 4 && current instanceof Error; hops++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current instanceof AggregateError && current.errors.length > 0 ? current.errors[0] : current.cause;
  }
  return null;
}

function networkDetail(error: unknown): string {
  const code = errorCode(error);
  if (code) return code;
  const cause = error instanceof Error ? (error.cause as { message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

/** Why a server is unreachable, in words for any integration's message; the socket code stays in the error's cause. */
export const UNREACHABLE_WORDS: Record<HaUnreachableReason, string> = {
  refused: 'nothing accepts connections at that address; check that it is running and that the port is right',
  timeout: 'it did not answer in time',
  name_not_found: 'that host name could not be found; check the address',
  no_route: 'the network cannot reach that address',
  connection_lost: 'the connection was cut off',
  certificate: 'its HTTPS certificate is not trusted',
  not_connected: 'the connection to it is not up yet',
  other: 'the connection failed',
};

/** Sorts a network failure into a reason a plain message can be made of. */
export function unreachableReason(error: unknown): HaUnreachableReason {
  if (isTimeout(error)) return 'timeout';
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timeout';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return 'name_not_found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return 'no_route';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'connection_lost';
    default:
      return code && CERTIFICATE_CODE.test(code) ? 'certificate' : 'other';
  }
}

/**
 * Talks to one Home Assistant: its REST API (checkApi, getStates, callService) and one live WebSocket connection
 * (startLive / stopLive, callServiceWs) that keeps the latest full state of every entity, merges the compressed
 * diffs of `subscribe_entities` into it, and reconnects by itself.
 */
export class HomeAssistantClient {
  private readonly apiBase: URL;
  private readonly token: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly requestTimeoutMs: number;
  private readonly timing: LiveTiming;
  private readonly random: () => number;
  private readonly issues: ProtocolIssueLog;
  private session: LiveSession | null = null;

  constructor(options: HomeAssistantClientOptions) {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new RangeError(`Home Assistant URL must be http(s): ${options.baseUrl}`);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    this.apiBase = base;
    this.token = options.token;
    this.clock = options.clock;
    this.logger = options.logger ?? createLogger('home-assistant');
    this.requestTimeoutMs = options.requestTimeoutMs ?? HA_PROTOCOL.requestTimeoutMs;
    this.timing = {
      pingIntervalMs: HA_PROTOCOL.pingIntervalMs,
      pongTimeoutMs: HA_PROTOCOL.pongTimeoutMs,
      authTimeoutMs: HA_PROTOCOL.authTimeoutMs,
      backoffInitialMs: HA_PROTOCOL.backoffInitialMs,
      backoffMaxMs: HA_PROTOCOL.backoffMaxMs,
      backoffFactor: HA_PROTOCOL.backoffFactor,
      backoffJitter: HA_PROTOCOL.backoffJitter,
      refusedTokenRetryMaxMs: HA_PROTOCOL.refusedTokenRetryMaxMs,
      commandTimeoutMs: this.requestTimeoutMs,
      ...options.live,
    };
    this.random = options.random ?? Math.random;
    this.issues = new ProtocolIssueLog(this.logger);
  }

  // ---- REST ----

  /** GET /api/: resolves when Home Assistant answers `API running.` with this token. */
  async checkApi(): Promise<void> {
    const body = await this.request('GET', 'api/');
    const parsed = haApiStatusSchema.safeParse(body);
    if (!parsed.success || parsed.data.message !== 'API running.') {
      throw new HaProtocolError(`GET /api/ did not answer "API running.": ${snippet(JSON.stringify(body) ?? '')}`, 200);
    }
  }

  /** GET /api/config: the parts this app uses (version, location name, units), other keys kept as they come. */
  async getConfig(): Promise<HaConfig> {
    const body = await this.request('GET', 'api/config');
    const parsed = haConfigSchema.safeParse(body);
    if (!parsed.success) throw new HaProtocolError(`GET /api/config answered an unexpected shape: ${summariseIssues(parsed.error)}`, 200);
    return parsed.data;
  }

  /**
   * GET /api/states: every entity, split into those that could be read and those that could not (each with why).
   * An entity listed twice makes the whole list a protocol error: which of the two is right cannot be known.
   */
  async getStates(): Promise<HaStateListing> {
    const what = 'GET /api/states';
    const body = await this.request('GET', 'api/states', undefined, { checkDepth: false });
    if (!Array.isArray(body)) throw new HaProtocolError(`${what} did not answer a list`, 200);
    const listing: HaStateListing = { states: [], unreadable: [] };
    const seen = new Set<string>();
    for (const item of body) {
      const read = this.readState(item);
      const entityId = 'state' in read ? read.state.entity_id : read.entityId;
      if (entityId !== null) {
        if (seen.has(entityId)) throw new HaProtocolError(`${what} listed ${entityId} more than once`, 200);
        seen.add(entityId);
      }
      if ('state' in read) listing.states.push(read.state);
      else listing.unreadable.push(read);
    }
    return listing;
  }

  /** POST /api/services/<domain>/<service>: answers the states the call changed; unreadable ones are left out. */
  async callService(domain: string, service: string, data: Record<string, unknown> = {}): Promise<HaState[]> {
    checkServiceName(domain, service);
    const what = `POST /api/services/${domain}/${service}`;
    const body = await this.request('POST', `api/services/${domain}/${service}`, data, { checkDepth: false });
    if (!Array.isArray(body)) throw new HaProtocolError(`${what} did not answer a list`, 200);
    return body.flatMap((item) => {
      const read = this.readState(item);
      return 'state' in read ? [read.state] : [];
    });
  }

  /**
   * One state of a REST list, within the bounds: nested too deep or against Home Assistant's own rules, it is
   * unreadable (with its id when that is valid); attributes over the bounds are dropped and logged.
   */
  private readState(item: unknown): { state: HaState } | HaUnreadableState {
    const rawId = typeof item === 'object' && item !== null ? (item as { entity_id?: unknown }).entity_id : undefined;
    const entityId = isHaEntityId(rawId) ? rawId : null;
    if (nestsDeeperThan(item, UPSTREAM_LIMITS.maxDocumentDepth - 1)) {
      this.issues.report('state_nested_too_deep', entityId);
      return { entityId, reason: `nested deeper than ${UPSTREAM_LIMITS.maxDocumentDepth} levels` };
    }
    const parsed = haStateSchema.safeParse(item);
    if (!parsed.success) {
      const reason = summariseIssues(parsed.error);
      this.issues.report('malformed_state', reason);
      return { entityId, reason };
    }
    const { attributes, dropped } = boundAttributes(parsed.data.attributes);
    if (dropped.length > 0) this.issues.report('attributes_dropped', `${parsed.data.entity_id}: ${dropped.join(', ')}`);
    return { state: { ...parsed.data, attributes } };
  }

  /**
   * One REST call, answering the decoded JSON. JSON.parse is iterative; unless the caller checks depth item by item
   * (`checkDepth: false`), a body nested deeper than UPSTREAM_LIMITS.maxDocumentDepth is a protocol error.
   */
  private async request(method: 'GET' | 'POST', path: string, body?: unknown, options: { checkDepth: boolean } = { checkDepth: true }): Promise<unknown> {
    const url = new URL(path, this.apiBase);
    const label = `${method} /${path}`;
    let text: string;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      text = await readBodyBounded(response, HA_PROTOCOL.maxResponseBytes, (declared) =>
          declared === null
            ? new HaProtocolError(`Answer is larger than ${HA_PROTOCOL.maxResponseBytes} bytes`, response.status)
            : new HaProtocolError(`Answer of ${declared} bytes is larger than ${HA_PROTOCOL.maxResponseBytes}`, response.status),
        );
    } catch (error) {
      if (error instanceof HaClientError) throw error;
      if (isTimeout(error)) throw new HaUnreachableError(`${label}: no answer within ${this.requestTimeoutMs} ms`, 'timeout', { cause: error });
      throw new HaUnreachableError(`${label}: ${networkDetail(error)}`, unreachableReason(error), { cause: error });
    }
    const { status } = response;
    if (status === 401 || status === 403) throw new HaAuthError(`${label}: the access token was refused (${status})`);
    if (status >= 500) throw new HaServerError(`${label}: server error ${status}: ${snippet(text)}`, status);
    if (status >= 300 && status < 400) {
      throw new HaProtocolError(`${label}: redirected (${status}) to ${response.headers.get('location') ?? '?'}; check the URL`, status);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (status >= 400) throw new HaRequestError(`${label}: refused (${status}): ${snippet(text)}`, status, null, snippet(text) || null);
      const type = response.headers.get('content-type') ?? 'no content type';
      throw new HaProtocolError(`${label}: the answer is not JSON (${type}): ${snippet(text)}`, status);
    }
    if (status >= 400) {
      const message = typeof (parsed as { message?: unknown })?.message === 'string' ? snippet((parsed as { message: string }).message) : snippet(text);
      throw new HaRequestError(`${label}: refused (${status}): ${message}`, status, null, message || null);
    }
    if (options.checkDepth && nestsDeeperThan(parsed, UPSTREAM_LIMITS.maxDocumentDepth)) {
      throw new HaProtocolError(`${label}: the answer is nested deeper than ${UPSTREAM_LIMITS.maxDocumentDepth} levels`, status);
    }
    return parsed;
  }

  // ---- live WebSocket ----

  /**
   * Opens the live connection (closing any previous one): authenticates, subscribes to entities, delivers a snapshot
   * after every (re)connect and merged changes in between, and reconnects with backoff until stopLive. A refused
   * token (`auth_failed`) is tried again after growing waits (refusedTokenRetryMaxMs), or at once by reconnectNow.
   */
  startLive(handlers: LiveHandlers): void {
    const previous = this.session;
    if (previous) void previous.stop();
    const wsUrl = new URL(HA_PROTOCOL.websocketPath, this.apiBase);
    wsUrl.protocol = this.apiBase.protocol === 'https:' ? 'wss:' : 'ws:';
    this.session = new LiveSession({
      url: wsUrl.toString(),
      token: this.token,
      clock: this.clock,
      logger: this.logger,
      timing: this.timing,
      random: this.random,
      issues: this.issues,
      handlers,
    });
    this.session.start();
  }

  /** Closes the live connection; resolves once the socket is closed. No handler is called after this returns. */
  stopLive(): Promise<void> {
    const session = this.session;
    this.session = null;
    return session ? session.stop() : Promise.resolve();
  }

  /** call_service over the live connection; rejects with HaUnreachableError when not connected or on timeout. */
  callServiceWs(domain: string, service: string, serviceData: Record<string, unknown> = {}, target?: HaServiceTarget): Promise<HaCallServiceResult> {
    try {
      checkServiceName(domain, service);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!this.session) return Promise.reject(new HaUnreachableError('The live connection is not started', 'not_connected'));
    return this.session.callService(domain, service, serviceData, target);
  }

  /** get_config over the live connection: the home's zone and units as Home Assistant has them. */
  getConfigWs(): Promise<HaConfig> {
    if (!this.session) return Promise.reject(new HaUnreachableError('The live connection is not started', 'not_connected'));
    return this.session.getConfig();
  }

  /** Tries the live connection again now instead of at the end of the backoff (after a refused token, say). */
  reconnectNow(): void {
    this.session?.reconnectNow();
  }

  liveStatus(): LiveConnectionStatus | 'stopped' {
    return this.session?.status ?? 'stopped';
  }

  liveDiagnostics(): LiveDiagnostics {
    return this.session?.diagnostics() ?? {
      status: 'stopped',
      socketOpen: false,
      pendingRequests: 0,
      activeTimers: 0,
      entities: 0,
      reconnectAttempt: 0,
      lastMessageAt: null,
      protocolIssues: this.issues.snapshot(),
    };
  }
}

// ---- the live session ----

interface SessionOptions {
  url: string;
  token: string;
  clock: Clock;
  logger: Logger;
  timing: LiveTiming;
  random: () => number;
  issues: ProtocolIssueLog;
  handlers: LiveHandlers;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | null;
}

/** What one received frame did, delivered once the whole frame is processed. */
interface FrameBatch {
  snapshot: boolean;
  changed: Map<string, HaState>;
  removed: Set<string>;
  issues: IssueTally;
}

/** Only for seconds the schemas checked (epochSecondsSchema): out of Date's range, toISOString throws. */
const epochSecondsToIso = (seconds: number): string => new Date(Math.round(seconds * 1000)).toISOString();

function contextFrom(compressed: HaCompressedContext | undefined, previous: HaContext | null): HaContext | null {
  if (compressed === undefined) return previous;
  if (typeof compressed === 'string') return { id: compressed, parent_id: previous?.parent_id ?? null, user_id: previous?.user_id ?? null };
  return {
    id: compressed.id ?? previous?.id ?? '',
    parent_id: compressed.parent_id !== undefined ? compressed.parent_id : (previous?.parent_id ?? null),
    user_id: compressed.user_id !== undefined ? compressed.user_id : (previous?.user_id ?? null),
  };
}

function stateFromCompressed(entityId: string, compressed: HaCompressedState): HaState {
  const lastChanged = epochSecondsToIso(compressed.lc);
  return {
    entity_id: entityId,
    state: compressed.s,
    attributes: { ...compressed.a },
    last_changed: lastChanged,
    last_updated: compressed.lu === undefined ? lastChanged : epochSecondsToIso(compressed.lu),
    context: contextFrom(typeof compressed.c === 'string' ? { id: compressed.c } : compressed.c, null),
  };
}

/** Applies a `c` diff: `+` values replace (attributes merge), `-` attribute keys go away. Answers a new object. */
function applyDiff(old: HaState, diff: HaCompressedDiff): HaState {
  const add = diff['+'];
  const removeKeys = diff['-']?.a ?? [];
  let attributes = old.attributes;
  if (add?.a || removeKeys.length > 0) {
    attributes = { ...old.attributes, ...add?.a };
    for (const key of removeKeys) delete attributes[key];
  }
  let lastChanged = old.last_changed;
  let lastUpdated = old.last_updated;
  if (add?.lc !== undefined) lastChanged = lastUpdated = epochSecondsToIso(add.lc);
  else if (add?.lu !== undefined) lastUpdated = epochSecondsToIso(add.lu);
  return {
    ...old,
    state: add?.s ?? old.state,
    attributes,
    last_changed: lastChanged,
    last_updated: lastUpdated,
    context: contextFrom(add?.c, old.context),
  };
}

class LiveSession {
  status: LiveConnectionStatus = 'connecting';
  private stopped = false;
  /** The token was refused on the last connection that got that far; cleared when one is accepted. */
  private authFailed = false;
  private socket: WebSocket | null = null;
  private authenticated = false;
  private nextId = 1;
  private subscriptionId: number | null = null;
  private awaitingSnapshot = false;
  private pingId: number | null = null;
  private attempt = 0;
  /** Refusals of the token in a row; a growing wait between them keeps the hub under Home Assistant's ban threshold. */
  private refusals = 0;
  private lastMessageAt: number | null = null;
  private lastError: string | null = null;
  private lastReason: HaUnreachableReason = 'other';
  /** auth_required was answered on this connection. */
  private authSent = false;
  /** What was left out since the last snapshot. */
  private issueTally = new IssueTally();
  private readonly pending = new Map<number, Pending>();
  private readonly entities = new Map<string, HaState>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private pongTimer: NodeJS.Timeout | null = null;
  private authTimer: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;

  constructor(private readonly o: SessionOptions) {}

  start(): void {
    this.connect();
  }

  /** Connects now when waiting for the next attempt; a connection under way or up is left alone. */
  reconnectNow(): void {
    if (this.stopped || this.socket !== null || this.reconnectTimer === null) return;
    this.clearTimer('reconnectTimer');
    this.connect();
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopped = true;
    this.clearTimer('reconnectTimer');
    this.endConnection('The live connection was stopped');
    const socket = this.socket;
    this.socket = null;
    this.stopping = new Promise<void>((resolve) => {
      if (!socket || socket.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      const cut = setTimeout(() => socket.terminate(), HA_PROTOCOL.closeGraceMs);
      socket.once('close', () => {
        clearTimeout(cut);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000);
    });
    return this.stopping;
  }

  callService(domain: string, service: string, serviceData: Record<string, unknown>, target?: HaServiceTarget): Promise<HaCallServiceResult> {
    return this.command({ type: 'call_service', domain, service, service_data: serviceData, ...(target ? { target } : {}) }).then((result) => {
      const parsed = haCallServiceResultSchema.safeParse(result);
      if (!parsed.success) this.issue('unreadable_message', 'malformed_call_service_result', { detail: summariseIssues(parsed.error) });
      return { context: (parsed.success && parsed.data?.context) || null, response: parsed.success ? (parsed.data?.response ?? null) : null };
    });
  }

  getConfig(): Promise<HaConfig> {
    return this.command({ type: 'get_config' }).then((result) => {
      const parsed = haConfigSchema.safeParse(result);
      if (!parsed.success) throw new HaProtocolError(`get_config answered an unexpected shape: ${summariseIssues(parsed.error)}`, null);
      return parsed.data;
    });
  }

  diagnostics(): LiveDiagnostics {
    const timers = [this.reconnectTimer, this.pingTimer, this.pongTimer, this.authTimer].filter((t) => t !== null).length;
    let perRequest = 0;
    for (const pending of this.pending.values()) if (pending.timer) perRequest += 1;
    return {
      status: this.stopped ? 'stopped' : this.status,
      socketOpen: this.socket !== null && this.socket.readyState !== WebSocket.CLOSED,
      pendingRequests: this.pending.size,
      activeTimers: timers + perRequest,
      entities: this.entities.size,
      reconnectAttempt: this.attempt,
      lastMessageAt: this.lastMessageAt,
      protocolIssues: this.o.issues.snapshot(),
    };
  }

  // ---- connection lifecycle ----

  private connect(): void {
    if (this.stopped) return;
    this.reconnectTimer = null;
    this.setStatus('connecting');
    this.authenticated = false;
    this.authSent = false;
    this.nextId = 1;
    this.subscriptionId = null;
    this.awaitingSnapshot = false;
    this.lastError = null;
    this.lastReason = 'other';
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.o.url, { handshakeTimeout: this.o.timing.authTimeoutMs, maxPayload: HA_PROTOCOL.maxResponseBytes });
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.afterClose();
      return;
    }
    this.socket = socket;
    this.authTimer = setTimeout(() => {
      this.authTimer = null;
      this.kill(socket, `not authenticated within ${this.o.timing.authTimeoutMs} ms`, 'timeout');
    }, this.o.timing.authTimeoutMs);
    socket.on('message', (data, isBinary) => {
      if (socket === this.socket && !this.stopped) this.receive(data, isBinary);
    });
    socket.on('error', (error) => {
      // A close event always follows; keep the reason for it.
      if (socket === this.socket) {
        this.lastError = networkDetail(error);
        this.lastReason = unreachableReason(error);
      }
    });
    socket.on('close', (code, reason) => {
      if (socket !== this.socket) return;
      this.socket = null;
      if (this.lastError === null) this.lastReason = 'connection_lost';
      const why = this.lastError ?? (reason.length > 0 ? clipText(reason.toString(), 123) : `closed (${code})`);
      this.lastError = why;
      this.endConnection(`The connection to Home Assistant was lost: ${why}`);
      this.afterClose();
    });
  }

  /** Clears what belongs to one connection: its timers and its waiting requests. */
  private endConnection(reason: string): void {
    this.clearTimer('pingTimer');
    this.clearTimer('pongTimer');
    this.clearTimer('authTimer');
    this.authenticated = false;
    this.subscriptionId = null;
    this.pingId = null;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const pending of waiting) {
      if (pending.timer) clearTimeout(pending.timer);
      pending.reject(new HaUnreachableError(reason, this.lastReason));
    }
  }

  private afterClose(): void {
    if (this.stopped) return;
    this.setStatus('disconnected', this.lastError ?? undefined, this.lastReason);
    this.scheduleReconnect(false);
  }

  /**
   * Arms the next attempt on the backoff schedule. After a refused token it waits the longest backoff, doubled for each
   * refusal in a row: the token is only tried again in case it is accepted again, and Home Assistant may count each
   * refusal towards an IP ban.
   */
  private scheduleReconnect(afterRefusal: boolean): void {
    const { backoffInitialMs, backoffMaxMs, backoffFactor, backoffJitter, refusedTokenRetryMaxMs } = this.o.timing;
    const cap = afterRefusal ? Math.max(backoffMaxMs, refusedTokenRetryMaxMs) : backoffMaxMs;
    const base = afterRefusal ? backoffMaxMs * 2 ** Math.max(0, this.refusals - 1) : backoffInitialMs * backoffFactor ** this.attempt;
    const spread = 1 - backoffJitter + 2 * backoffJitter * this.o.random();
    const delay = Math.max(0, Math.min(cap, Math.round(Math.min(cap, base) * spread)));
    this.attempt += 1;
    this.o.logger.info(`Reconnecting to Home Assistant in ${delay} ms (attempt ${this.attempt})`);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private kill(socket: WebSocket, detail: string, reason: HaUnreachableReason): void {
    if (socket !== this.socket) return;
    this.o.logger.warn(`Dropping the Home Assistant connection: ${detail}`);
    this.lastError = detail;
    this.lastReason = reason;
    socket.terminate();
  }

  private setStatus(status: LiveConnectionStatus, detail?: string, reason?: HaUnreachableReason): void {
    this.status = status;
    this.safely('onConnection', () => this.o.handlers.onConnection(status, detail, reason));
  }

  /**
   * Logs (once per kind) and counts something left out. With a frame's batch, the count goes to that frame (a
   * snapshot frame starts the tally afresh); without, straight to the session's tally, told at once when news.
   */
  private issue(kind: LiveIssueKind, logKind: string, options: { detail?: unknown; entityId?: unknown; batch?: FrameBatch } = {}): void {
    this.o.issues.report(logKind, options.detail);
    const example = isHaEntityId(options.entityId) ? options.entityId : undefined;
    if (options.batch) options.batch.issues.add(kind, example);
    else if (this.issueTally.add(kind, example)) this.reportIssues();
  }

  private reportIssues(): void {
    const summary = this.issueTally.summary();
    this.safely('onIssues', () => this.o.handlers.onIssues(summary));
  }

  private safely(what: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.o.logger.error(`The ${what} handler threw`, error);
    }
  }

  private clearTimer(name: 'reconnectTimer' | 'pingTimer' | 'pongTimer' | 'authTimer'): void {
    const timer = this[name];
    if (timer) {
      clearTimeout(timer);
      clearInterval(timer);
    }
    this[name] = null;
  }

  // ---- sending ----

  private send(message: Record<string, unknown>): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message), (error) => {
      if (error && socket === this.socket) {
        this.lastError = error.message;
        this.lastReason = unreachableReason(error);
      }
    });
    return true;
  }

  /** Sends a command with a fresh id; resolves with its result, rejects with its error or on timeout. */
  private command(message: Record<string, unknown>, timeoutMs = this.o.timing.commandTimeoutMs): Promise<unknown> {
    if (this.authFailed) return Promise.reject(new HaAuthError('Home Assistant refused the access token'));
    if (!this.authenticated || !this.socket) return Promise.reject(new HaUnreachableError('Not connected to Home Assistant', 'not_connected'));
    if (this.pending.size >= HA_PROTOCOL.maxPendingRequests) {
      return Promise.reject(new HaUnreachableError(`Too many requests waiting for Home Assistant (${this.pending.size})`, 'not_connected'));
    }
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) reject(new HaUnreachableError(`No answer to ${String(message.type)} within ${timeoutMs} ms`, 'timeout'));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      if (!this.send({ id, ...message })) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new HaUnreachableError('Not connected to Home Assistant', 'not_connected'));
      }
    });
  }

  // ---- receiving ----

  private receive(data: RawData, isBinary: boolean): void {
    this.lastMessageAt = this.o.clock.now();
    if (isBinary) {
      this.issue('unreadable_message', 'binary_frame');
      return;
    }
    let decoded: unknown;
    try {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
      // Iterative in V8 at any depth; the size is bounded by the socket's maxPayload.
      decoded = JSON.parse(text);
    } catch {
      this.issue('unreadable_message', 'invalid_json');
      return;
    }
    // Before anything that recurses (the schemas, a log line) sees it.
    if (nestsDeeperThan(decoded, UPSTREAM_LIMITS.maxDocumentDepth)) {
      this.issue('unreadable_message', 'message_nested_too_deep');
      return;
    }
    // With coalesce_messages, one frame carries an array of messages.
    const batch: FrameBatch = { snapshot: false, changed: new Map(), removed: new Set(), issues: new IssueTally() };
    for (const raw of Array.isArray(decoded) ? decoded : [decoded]) {
      const message = parseHaMessage(raw, (kind, detail) =>
        this.issue(kind.startsWith('unknown_message_type') ? 'unexpected_message' : 'unreadable_message', kind, { detail, batch }),
      );
      if (message) this.handle(message, batch);
      // Stopped, or the token was refused and the connection dropped: the rest of the frame is not this session's.
      if (this.stopped || this.socket === null) return;
    }
    this.deliver(batch);
  }

  private handle(message: HaMessage, batch: FrameBatch): void {
    switch (message.type) {
      case 'auth_required':
        // Once per connection: the token is not sent again to a server that keeps asking.
        if (this.authSent || this.authenticated) {
          this.issue('unexpected_message', 'repeated_auth_required', { batch });
          return;
        }
        this.authSent = true;
        this.send({ type: 'auth', access_token: this.o.token });
        return;
      case 'auth_ok':
        // A repeat changes nothing: the subscription and the ping timer of this connection stand. It is counted
        // rather than answered by dropping the connection, which would hand the server a reconnect loop.
        if (this.authenticated) {
          this.issue('unexpected_message', 'repeated_auth_ok', { batch });
          return;
        }
        this.onAuthenticated();
        return;
      case 'auth_invalid':
        this.onAuthInvalid(message.message ?? 'Invalid access token');
        return;
      case 'pong':
        if (message.id === this.pingId) {
          this.pingId = null;
          this.clearTimer('pongTimer');
        } else this.issue('unexpected_message', 'pong_for_unknown_ping', { batch });
        return;
      case 'result': {
        const pending = this.pending.get(message.id);
        if (!pending) {
          this.issue('unexpected_message', 'result_for_unknown_request', { batch });
          return;
        }
        this.pending.delete(message.id);
        if (pending.timer) clearTimeout(pending.timer);
        if (message.success) {
          // Connected once the subscription stands; said before its first event (the snapshot) is delivered.
          if (message.id === this.subscriptionId) this.onSubscribed();
          pending.resolve(message.result);
        } else {
          const { code, message: reply } = message.error;
          pending.reject(new HaRequestError(`Home Assistant refused: ${reply} (${code})`, null, code, reply || null));
        }
        return;
      }
      case 'event':
        if (message.id !== this.subscriptionId) {
          this.issue('unexpected_message', 'event_for_unknown_subscription', { batch });
          return;
        }
        this.onEvent(message.event, batch);
        return;
    }
  }

  private onAuthenticated(): void {
    this.authenticated = true;
    this.authFailed = false;
    this.refusals = 0;
    this.clearTimer('authTimer');
    // Ask for coalesced frames first; an older Home Assistant that does not know the command just refuses it.
    this.command({ type: 'supported_features', features: { coalesce_messages: 1 } }).catch((error: unknown) => {
      if (error instanceof HaRequestError) this.o.logger.info(`supported_features refused: ${error.message}`);
    });
    const subscribe = this.command({ type: 'subscribe_entities' });
    this.subscriptionId = this.nextId - 1;
    this.awaitingSnapshot = true;
    const socket = this.socket;
    subscribe.catch((error: unknown) => {
      if (socket && socket === this.socket && !this.stopped) {
        const reason = error instanceof HaUnreachableError ? error.reason : 'other';
        this.kill(socket, `subscribe_entities failed: ${error instanceof Error ? error.message : String(error)}`, reason);
      }
    });
    this.clearTimer('pingTimer');
    this.pingTimer = setInterval(() => this.ping(), this.o.timing.pingIntervalMs);
  }

  private onSubscribed(): void {
    this.attempt = 0;
    this.setStatus('connected');
  }

  private onAuthInvalid(message: string): void {
    this.authFailed = true;
    this.refusals += 1;
    this.o.logger.error(`Home Assistant refused the access token: ${message}. Trying it again later, less often each time.`);
    const socket = this.socket;
    this.socket = null;
    this.endConnection(`Home Assistant refused the access token: ${message}`);
    this.setStatus('auth_failed', message);
    socket?.close(1000);
    if (!this.stopped) this.scheduleReconnect(true);
  }

  private ping(): void {
    const socket = this.socket;
    if (!socket || this.pongTimer) return;
    const id = this.nextId++;
    if (!this.send({ id, type: 'ping' })) return;
    this.pingId = id;
    this.pongTimer = setTimeout(() => {
      this.pongTimer = null;
      this.kill(socket, `no pong within ${this.o.timing.pongTimeoutMs} ms`, 'timeout');
    }, this.o.timing.pongTimeoutMs);
  }

  private onEvent(event: unknown, batch: FrameBatch): void {
    const entities = haEntitiesEventSchema.safeParse(event);
    if (entities.success) {
      this.applyEntitiesEvent(entities.data, batch);
      return;
    }
    const changed = haStateChangedEventSchema.safeParse(event);
    if (changed.success) {
      const { entity_id: entityId, new_state: newState } = changed.data.data;
      if (newState && newState.entity_id !== entityId) this.issue('unreadable_entity', 'state_changed_for_another_entity', { detail: entityId, entityId, batch });
      else if (newState) this.put(newState, batch);
      else this.remove(entityId, batch);
      return;
    }
    this.issue('unreadable_message', 'malformed_event', { detail: summariseIssues(entities.error), batch });
  }

  private applyEntitiesEvent(event: { a?: Record<string, unknown>; c?: Record<string, unknown>; r?: string[] }, batch: FrameBatch): void {
    if (this.awaitingSnapshot) {
      // The first event of a subscription holds every entity: it replaces what the last connection knew.
      this.awaitingSnapshot = false;
      this.entities.clear();
      batch.snapshot = true;
    }
    for (const [entityId, raw] of Object.entries(event.a ?? {})) {
      const parsed = haCompressedStateSchema.safeParse(raw);
      if (parsed.success) this.put(stateFromCompressed(entityId, parsed.data), batch);
      else this.issue('unreadable_entity', 'malformed_added_entity', { detail: `${clipText(entityId, 80)}: ${summariseIssues(parsed.error)}`, entityId, batch });
    }
    for (const [entityId, raw] of Object.entries(event.c ?? {})) {
      const parsed = haCompressedDiffSchema.safeParse(raw);
      const old = this.entities.get(entityId);
      if (!parsed.success) this.issue('unreadable_entity', 'malformed_entity_change', { detail: `${clipText(entityId, 80)}: ${summariseIssues(parsed.error)}`, entityId, batch });
      else if (!old) this.issue('unreadable_entity', 'change_for_unknown_entity', { detail: clipText(entityId, 80), entityId, batch });
      else this.put(applyDiff(old, parsed.data), batch);
    }
    for (const entityId of event.r ?? []) this.remove(entityId, batch);
  }

  /** Every state that enters the entity map comes through here: checked whole, its attributes bounded. */
  private put(state: HaState, batch: FrameBatch): void {
    const entityId = state.entity_id;
    const valid = haStateSchema.safeParse(state);
    if (!valid.success) {
      this.issue('unreadable_entity', 'malformed_merged_state', { detail: `${clipText(entityId, 80)}: ${summariseIssues(valid.error)}`, entityId, batch });
      return;
    }
    if (!this.entities.has(entityId) && this.entities.size >= HA_PROTOCOL.maxEntities) {
      this.issue('too_many_entities', 'too_many_entities', { detail: entityId, entityId, batch });
      return;
    }
    const { attributes, dropped } = boundAttributes(valid.data.attributes);
    if (dropped.length > 0) this.issue('dropped_attributes', 'attributes_dropped', { detail: `${entityId}: ${dropped.join(', ')}`, entityId, batch });
    const bounded: HaState = { ...valid.data, attributes };
    this.entities.set(entityId, bounded);
    batch.removed.delete(entityId);
    batch.changed.set(entityId, bounded);
  }

  private remove(entityId: string, batch: FrameBatch): void {
    if (!this.entities.delete(entityId)) return;
    batch.changed.delete(entityId);
    batch.removed.add(entityId);
  }

  private deliver(batch: FrameBatch): void {
    if (batch.snapshot) {
      const all = [...this.entities.values()];
      this.safely('onSnapshot', () => this.o.handlers.onSnapshot(all));
      // A snapshot starts the account of what was left out afresh: a clean one clears it.
      const hadIssues = !this.issueTally.empty;
      this.issueTally = batch.issues;
      if (hadIssues || !batch.issues.empty) this.reportIssues();
      return;
    }
    if (batch.changed.size > 0 || batch.removed.size > 0) {
      const changed = [...batch.changed.values()];
      const removed = [...batch.removed];
      this.safely('onChanges', () => this.o.handlers.onChanges(changed, removed));
    }
    if (this.issueTally.merge(batch.issues)) this.reportIssues();
  }
}
