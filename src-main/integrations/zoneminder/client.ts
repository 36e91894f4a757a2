import type { z } from 'zod';
import type { Clock } from '../../util/clock';
import { createLogger, type Logger } from '../../util/log';
import { GatewayError } from '../gateway';
import { UNREACHABLE_WORDS, unreachableReason } from '../home_assistant/client';
import { clipText, nestsDeeperThan, readBodyBounded, UPSTREAM_LIMITS } from '../upstream-limits';
import { eventInstants, instantsOfWallTime, utcToWallTime } from './zone-time';
import {
  FUNCTION_COLUMNS,
  rowId,
  summariseIssues,
  unwrapRow,
  zmErrorSchema,
  zmEventOwnerSchema,
  zmEventSchema,
  zmLoginSchema,
  zmMonitorSchema,
  zmPaginationSchema,
  zmRunStateSchema,
  zmTimeZoneSchema,
  zmVersionSchema,
  type ZmFunction,
  type ZmMonitor,
  type ZmPagination,
  type ZmRunState,
  type ZmEventRow,
  type ZmVersion,
} from './zm-types';

/** Every bound of the ZoneMinder API as this client speaks it, in one place. */
export const ZM_PROTOCOL = {
  requestTimeoutMs: 10_000,
  /** Largest answer read: a page of 100 events is about 100 KB. */
  maxResponseBytes: 16 * 1024 * 1024,
  /** Events per page: CakePHP's paginator caps `limit` at 100. */
  eventsPerPage: 100,
  /** Pages one listing reads at most; a listing that has more says so (`complete: false`). */
  maxEventPages: 50,
  /** Monitors read from one list; more are listed as unreadable. */
  maxMonitors: 1_000,
  maxRunStates: 256,
  /** A token is renewed once this share of its lifetime is left... */
  renewAtFraction: 0.25,
  /** ...or this long before it expires, whichever comes first. */
  renewAheadMaxMs: 5 * 60_000,
} as const;

export interface ZoneMinderClientOptions {
  /** Where ZoneMinder answers, e.g. http://nvr.local/zm (its API is under api/, its streams under cgi-bin/). */
  baseUrl: string;
  /** Absent or empty for a server with authentication turned off (OPT_USE_AUTH). */
  user?: string;
  password?: string;
  clock: Clock;
  logger?: Logger;
  requestTimeoutMs?: number;
}

/** A monitor event with its times as UTC instants (epoch ms). */
export interface ZmEvent {
  id: number;
  monitorId: number;
  name: string;
  cause: string | null;
  start: number;
  /** Null while the event is still open. */
  end: number | null;
  lengthSeconds: number | null;
  frames: number | null;
  alarmFrames: number | null;
  maxScore: number | null;
}

export interface ZmEventQuery {
  monitorId?: number;
  /** Events that start at or after this instant (epoch ms). */
  startFrom?: number;
  /** Events that start before this instant (epoch ms). */
  startBefore?: number;
  /** Events that ended at or before this instant; an open event has not ended. */
  endUntil?: number;
  minAlarmFrames?: number;
  /** Events with a greater id: the ones that came after one already seen. */
  afterId?: number;
  sort?: 'StartTime' | 'Id';
  direction?: 'asc' | 'desc';
}

export interface ZmUnreadable {
  /** The row's id, when it could be read. */
  id: string | null;
  reason: string;
}

export interface ZmEventPage {
  events: ZmEvent[];
  unreadable: ZmUnreadable[];
  pagination: ZmPagination;
}

export interface ZmEventListing {
  events: ZmEvent[];
  unreadable: ZmUnreadable[];
  /** What the server counted as matching the filters. */
  total: number;
  /** False when the listing stopped at maxPages with pages left. */
  complete: boolean;
}

export interface ZmMonitorListing {
  monitors: ZmMonitor[];
  unreadable: ZmUnreadable[];
}

export interface StreamOptions {
  /** Percent of the monitor's size, 1 to 100. */
  scale?: number;
  maxFps?: number;
}

interface Tokens {
  access: string;
  accessExpiresAt: number;
  accessLifetimeMs: number;
  refresh: string | null;
  refreshExpiresAt: number;
  refreshLifetimeMs: number;
}

/** The server has authentication turned off: no token is sent or needed. */
const NO_AUTH = 'no_auth';

type Method = 'GET' | 'POST';

interface Answer {
  status: number;
  body: unknown;
}

/** Tries of one exchange whose connection was cut before an answer (see exchange). */
const CONNECTION_ATTEMPTS = 2;

const RUN_STATE_NAME = /^[\w .-]{1,64}$/;

const snippet = (text: string): string => clipText(text.replace(/\s+/g, ' ').trim(), 200);

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** A named parameter of a CakePHP URL: `Field op:value`, with the separator colon left as it is. */
function namedParam(field: string, operator: string, value: string | number): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/%3A/gi, ':');
  return `${encode(operator ? `${field} ${operator}` : field)}:${encode(String(value))}`;
}

function checkWholeNumber(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number, not ${value}`);
}

/**
 * Talks to one ZoneMinder over its JSON API: token login with refresh and re-login, monitors, run states, events
 * (filtered, sorted, paged, times converted from the server's zone), and the URLs of its MJPEG streams. Every failure
 * is a GatewayError whose message a person can act on; no message ever carries a token.
 */
export class ZoneMinderClient {
  private readonly base: URL;
  private readonly user: string;
  private readonly password: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly requestTimeoutMs: number;
  private tokens: Tokens | typeof NO_AUTH | null = null;
  /** The one login or refresh in flight; concurrent calls wait for it instead of logging in again. */
  private signingIn: Promise<Tokens | typeof NO_AUTH> | null = null;
  private zone: Promise<string> | null = null;
  /** Counts of logins and refreshes, for diagnostics and tests. */
  readonly stats = { logins: 0, refreshes: 0 };

  constructor(options: ZoneMinderClientOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch (error) {
      throw new GatewayError('unreachable', `ZoneMinder cannot be reached at "${clipText(options.baseUrl, 200)}": that is not an address.`, { cause: error });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new GatewayError('unreachable', `ZoneMinder cannot be reached at "${clipText(options.baseUrl, 200)}": that is not an http:// or https:// address.`);
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    base.username = '';
    base.password = '';
    this.base = base;
    this.user = options.user ?? '';
    this.password = options.password ?? '';
    this.clock = options.clock;
    this.logger = options.logger ?? createLogger('zoneminder');
    this.requestTimeoutMs = options.requestTimeoutMs ?? ZM_PROTOCOL.requestTimeoutMs;
  }

  /** Whether the server was found to need no sign-in. */
  get authDisabled(): boolean {
    return this.tokens === NO_AUTH;
  }

  // ---- sign-in ----

  /** Signs in now (a fresh login, dropping any tokens held); resolves when the server accepted the credentials. */
  async login(): Promise<void> {
    this.tokens = null;
    await this.credentials();
  }

  /** The token to send now, renewing or signing in first as needed; null for a server without authentication. */
  private async accessToken(): Promise<string | null> {
    const held = this.tokens;
    if (held === NO_AUTH) return null;
    const now = this.clock.now();
    if (held && now < renewAt(held.accessExpiresAt, held.accessLifetimeMs)) return held.access;
    const tokens = await this.credentials();
    return tokens === NO_AUTH ? null : tokens.access;
  }

  private credentials(): Promise<Tokens | typeof NO_AUTH> {
    this.signingIn ??= this.signIn().finally(() => {
      this.signingIn = null;
    });
    return this.signingIn;
  }

  /** Refreshes with the refresh token while it is good, and logs in with the password otherwise. */
  private async signIn(): Promise<Tokens | typeof NO_AUTH> {
    const held = this.tokens;
    if (held && held !== NO_AUTH && held.refresh && this.clock.now() < renewAt(held.refreshExpiresAt, held.refreshLifetimeMs)) {
      try {
        const refreshed = await this.refresh(held);
        this.tokens = refreshed;
        return refreshed;
      } catch (error) {
        // A refresh token the server no longer takes (restarted with a new secret, revoked): log in afresh.
        if (!(error instanceof GatewayError && error.failure === 'auth')) throw error;
        this.logger.info('ZoneMinder refused the refresh token; logging in again');
      }
    }
    this.tokens = null;
    const tokens = await this.passwordLogin();
    this.tokens = tokens;
    return tokens;
  }

  private async passwordLogin(): Promise<Tokens | typeof NO_AUTH> {
    if (this.user === '') {
      // No user configured: the server must answer without one, as it does with OPT_USE_AUTH off.
      await this.call('GET', 'api/host/getVersion.json', { token: null });
      return NO_AUTH;
    }
    this.stats.logins += 1;
    const form = new URLSearchParams({ user: this.user, pass: this.password });
    const answer = await this.call('POST', 'api/host/login.json', { token: null, form, what: 'signing in' });
    const login = this.parse(zmLoginSchema, answer.body, 'POST /api/host/login.json');
    // A server with authentication off answers the version and no token.
    if (login.access_token === undefined) return NO_AUTH;
    if (login.access_token_expires === undefined) throw this.protocolError('POST /api/host/login.json', 'gave a token without its lifetime');
    return this.tokensOf(login.access_token, login.access_token_expires, login.refresh_token ?? null, login.refresh_token_expires ?? 0);
  }

  private async refresh(held: Tokens): Promise<Tokens> {
    this.stats.refreshes += 1;
    const form = new URLSearchParams({ token: held.refresh ?? '' });
    const answer = await this.call('POST', 'api/host/login.json', { token: null, form, what: 'renewing its sign-in' });
    const login = this.parse(zmLoginSchema, answer.body, 'POST /api/host/login.json');
    if (login.access_token === undefined || login.access_token_expires === undefined) {
      throw this.protocolError('POST /api/host/login.json', 'gave no access token for the refresh token');
    }
    // ZoneMinder answers a refresh with an access token only; the refresh token stays good until it expires.
    const now = this.clock.now();
    const refreshExpires = login.refresh_token_expires ?? Math.max(0, Math.floor((held.refreshExpiresAt - now) / 1000));
    return this.tokensOf(login.access_token, login.access_token_expires, login.refresh_token ?? held.refresh, refreshExpires);
  }

  private tokensOf(access: string, accessSeconds: number, refresh: string | null, refreshSeconds: number): Tokens {
    const now = this.clock.now();
    return {
      access,
      accessLifetimeMs: accessSeconds * 1000,
      accessExpiresAt: now + accessSeconds * 1000,
      refresh,
      refreshLifetimeMs: refreshSeconds * 1000,
      refreshExpiresAt: now + refreshSeconds * 1000,
    };
  }

  // ---- API ----

  /** GET /api/host/getVersion.json: resolves when the server answers with these credentials. */
  async getVersion(): Promise<ZmVersion> {
    const body = await this.get('api/host/getVersion.json');
    return this.parse(zmVersionSchema, body, 'GET /api/host/getVersion.json');
  }

  /** The server's zone (GET /api/host/getTimeZone.json), asked once per client. */
  serverTimeZone(): Promise<string> {
    this.zone ??= this.get('api/host/getTimeZone.json').then(
      (body) => this.parse(zmTimeZoneSchema, body, 'GET /api/host/getTimeZone.json').tz,
      (error: unknown) => {
        this.zone = null;
        throw error;
      },
    );
    return this.zone;
  }

  /** GET /api/monitors.json: each monitor that could be read, and why the others could not. */
  async getMonitors(): Promise<ZmMonitorListing> {
    const what = 'GET /api/monitors.json';
    const body = await this.get('api/monitors.json');
    const rows = (body as { monitors?: unknown }).monitors;
    if (!Array.isArray(rows)) throw this.protocolError(what, 'did not list monitors');
    const listing: ZmMonitorListing = { monitors: [], unreadable: [] };
    const seen = new Set<number>();
    for (const [index, item] of rows.entries()) {
      const row = unwrapRow(item, 'Monitor');
      if (index >= ZM_PROTOCOL.maxMonitors) {
        listing.unreadable.push({ id: rowId(row), reason: `beyond the first ${ZM_PROTOCOL.maxMonitors} monitors` });
        continue;
      }
      const parsed = zmMonitorSchema.safeParse(row);
      if (!parsed.success) {
        listing.unreadable.push({ id: rowId(row), reason: summariseIssues(parsed.error) });
        continue;
      }
      if (seen.has(parsed.data.id)) throw this.protocolError(what, `listed monitor ${parsed.data.id} more than once`);
      seen.add(parsed.data.id);
      listing.monitors.push(parsed.data);
    }
    return listing;
  }

  /** GET /api/states.json: the run states, one of them active. */
  async getRunStates(): Promise<ZmRunState[]> {
    const what = 'GET /api/states.json';
    const body = await this.get('api/states.json');
    const rows = (body as { states?: unknown }).states;
    if (!Array.isArray(rows)) throw this.protocolError(what, 'did not list run states');
    if (rows.length > ZM_PROTOCOL.maxRunStates) throw this.protocolError(what, `listed more than ${ZM_PROTOCOL.maxRunStates} run states`);
    return rows.map((item, index) => {
      const parsed = zmRunStateSchema.safeParse(unwrapRow(item, 'State'));
      if (!parsed.success) throw this.protocolError(what, `run state ${index}: ${summariseIssues(parsed.error)}`);
      return parsed.data;
    });
  }

  /** POST /api/states/change/<name>.json: switches ZoneMinder to that run state (or start / stop / restart). */
  async changeRunState(name: string): Promise<void> {
    if (!RUN_STATE_NAME.test(name)) throw new GatewayError('refused', `"${clipText(name, 64)}" is not a ZoneMinder run state name.`);
    await this.send('POST', `api/states/change/${encodeURIComponent(name)}.json`, new URLSearchParams());
  }

  /** Sets a monitor's function; on 1.37 and later through the Capturing / Analysing / Recording it stands for. */
  async setMonitorFunction(monitor: Pick<ZmMonitor, 'id' | 'splitFunction'>, fn: ZmFunction): Promise<void> {
    checkWholeNumber(monitor.id, 'A monitor id');
    const form = new URLSearchParams({ 'Monitor[Function]': fn });
    if (monitor.splitFunction) {
      for (const [column, value] of Object.entries(FUNCTION_COLUMNS[fn])) form.set(`Monitor[${column}]`, value);
    }
    const body = await this.send('POST', `api/monitors/${monitor.id}.json`, form);
    // CakePHP answers a failed save with 200 and "Error ..." as the message.
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string' && message !== 'Saved') {
      throw new GatewayError('refused', `ZoneMinder did not save monitor ${monitor.id}: ${snippet(message)}`, { reason: snippet(message) });
    }
  }

  /**
   * One page (from 1) of GET /api/events/index/<filters>.json, with times as UTC instants. `startFloor` is the latest
   * start of the events numbered before these (say, the last one seen), which places starts in a repeated hour.
   */
  async getEventsPage(query: ZmEventQuery, page: number, options: { perPage?: number; startFloor?: number } = {}): Promise<ZmEventPage> {
    const zone = await this.serverTimeZone();
    const raw = await this.rawEventsPage(query, page, options.perPage ?? ZM_PROTOCOL.eventsPerPage, zone);
    const { events, unreadable } = resolveEvents(raw.rows, query, zone, options.startFloor);
    return { events, unreadable: [...raw.unreadable, ...unreadable], pagination: raw.pagination };
  }

  /** Every page of a query, up to `maxPages`; stops at the last page the server reports. */
  async listEvents(query: ZmEventQuery, options: { maxPages?: number; perPage?: number; startFloor?: number } = {}): Promise<ZmEventListing> {
    const maxPages = options.maxPages ?? ZM_PROTOCOL.maxEventPages;
    const zone = await this.serverTimeZone();
    const rows = new Map<number, ZmEventRow>();
    const unreadableRows: ZmUnreadable[] = [];
    let total = 0;
    let complete = false;
    for (let page = 1; page <= maxPages; page++) {
      const answer = await this.rawEventsPage(query, page, options.perPage ?? ZM_PROTOCOL.eventsPerPage, zone);
      total = answer.pagination.count;
      unreadableRows.push(...answer.unreadable);
      // An event that opens while paging shifts later pages by one: the same event may come twice.
      for (const row of answer.rows) if (!rows.has(row.id)) rows.set(row.id, row);
      if (page >= answer.pagination.pageCount) {
        complete = true;
        break;
      }
    }
    const { events, unreadable } = resolveEvents([...rows.values()], query, zone, options.startFloor);
    return { events, unreadable: [...unreadableRows, ...unreadable], total, complete };
  }

  private async rawEventsPage(query: ZmEventQuery, page: number, limit: number, zone: string): Promise<{ rows: ZmEventRow[]; unreadable: ZmUnreadable[]; pagination: ZmPagination }> {
    if (!(Number.isInteger(page) && page >= 1)) throw new RangeError(`A page number must be 1 or more, not ${page}`);
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= ZM_PROTOCOL.eventsPerPage)) throw new RangeError(`perPage must be 1 to ${ZM_PROTOCOL.eventsPerPage}`);
    const what = 'GET /api/events/index.json';
    const search = new URLSearchParams({ sort: query.sort ?? 'StartTime', direction: query.direction ?? 'asc', page: String(page), limit: String(limit) });
    const body = await this.get(`${eventsPath(query, zone)}?${search.toString()}`);
    const items = (body as { events?: unknown }).events;
    if (!Array.isArray(items)) throw this.protocolError(what, 'did not list events');
    if (items.length > limit) throw this.protocolError(what, `listed ${items.length} events on a page of ${limit}`);
    const pagination = zmPaginationSchema.safeParse((body as { pagination?: unknown }).pagination);
    if (!pagination.success) throw this.protocolError(what, `answered a pagination block that cannot be read (${summariseIssues(pagination.error)})`);
    const rows: ZmEventRow[] = [];
    const unreadable: ZmUnreadable[] = [];
    for (const item of items) {
      const row = unwrapRow(item, 'Event');
      const parsed = zmEventSchema.safeParse(row);
      if (parsed.success) rows.push(parsed.data);
      else unreadable.push({ id: rowId(row), reason: summariseIssues(parsed.error) });
    }
    return { rows, unreadable, pagination: pagination.data };
  }

  /** GET /api/events/<id>.json: the monitor an event was recorded by, or null when the server has no such event. */
  async getEventMonitorId(eventId: number): Promise<number | null> {
    checkWholeNumber(eventId, 'An event id');
    const what = `GET /api/events/${eventId}.json`;
    const answer = await this.authorised('GET', `api/events/${eventId}.json`, undefined, true);
    if (answer.status === 404) return null;
    const parsed = zmEventOwnerSchema.safeParse(unwrapRow((answer.body as { event?: unknown }).event, 'Event'));
    if (!parsed.success) throw this.protocolError(what, `answered an event that cannot be read (${summariseIssues(parsed.error)})`);
    if (parsed.data.Id !== eventId) throw this.protocolError(what, `answered event ${parsed.data.Id}`);
    return parsed.data.MonitorId;
  }

  // ---- streams ----

  /** The live MJPEG stream of a monitor (nph-zms mode=jpeg), with a token good for opening it now. */
  async liveStreamUrl(monitorId: number, options: StreamOptions = {}): Promise<string> {
    return this.streamUrl({ mode: 'jpeg', monitor: monitorId }, options);
  }

  /** One JPEG of a monitor's current picture (nph-zms mode=single). */
  async snapshotUrl(monitorId: number, options: StreamOptions = {}): Promise<string> {
    return this.streamUrl({ mode: 'single', monitor: monitorId }, options);
  }

  /** A recorded event played back as MJPEG (nph-zms source=event). */
  async eventStreamUrl(eventId: number, options: StreamOptions = {}): Promise<string> {
    return this.streamUrl({ mode: 'jpeg', source: 'event', event: eventId }, options);
  }

  /** One JPEG of a recorded event (nph-zms mode=single source=event), for a thumbnail. */
  async eventThumbnailUrl(eventId: number, options: StreamOptions = {}): Promise<string> {
    return this.streamUrl({ mode: 'single', source: 'event', event: eventId }, options);
  }

  private async streamUrl(params: Record<string, string | number>, options: StreamOptions): Promise<string> {
    for (const [key, value] of Object.entries(params)) if (typeof value === 'number') checkWholeNumber(value, key);
    const scale = options.scale ?? 100;
    if (!(Number.isInteger(scale) && scale >= 1 && scale <= 100)) throw new RangeError(`scale must be 1 to 100, not ${scale}`);
    const url = new URL('cgi-bin/nph-zms', this.base);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
    url.searchParams.set('scale', String(scale));
    if (options.maxFps !== undefined) {
      if (!(options.maxFps > 0 && options.maxFps <= 30)) throw new RangeError(`maxFps must be above 0 and at most 30, not ${options.maxFps}`);
      url.searchParams.set('maxfps', String(options.maxFps));
    }
    const token = await this.accessToken();
    if (token !== null) url.searchParams.set('token', token);
    return url.toString();
  }

  // ---- transport ----

  private async get(path: string): Promise<unknown> {
    return (await this.authorised('GET', path)).body;
  }

  private async send(method: Method, path: string, form: URLSearchParams): Promise<unknown> {
    return (await this.authorised(method, path, form)).body;
  }

  /**
   * A call with the current token; a 401 drops the tokens and the call is made once more after a fresh login. With
   * `notFound`, a 404 is an answer (status 404, no body) rather than a refusal.
   */
  private async authorised(method: Method, path: string, form?: URLSearchParams, notFound = false): Promise<Answer> {
    const token = await this.accessToken();
    try {
      return await this.call(method, path, { token, form, notFound });
    } catch (error) {
      if (!(error instanceof GatewayError && error.failure === 'auth')) throw error;
      // Without a user there is nothing to sign in with.
      if (token === null && this.user === '') throw error;
      this.logger.info(`ZoneMinder refused the call ${method} ${path.split('?')[0]}; signing in again`);
      // Only the sign-in this call used is dropped: a concurrent call may already have signed in afresh.
      const held = this.tokens;
      if (held === NO_AUTH ? token === null : held?.access === token) this.tokens = null;
      const fresh = await this.accessToken();
      return this.call(method, path, { token: fresh, form, notFound });
    }
  }

  private async call(method: Method, path: string, options: { token: string | null; form?: URLSearchParams; what?: string; notFound?: boolean }): Promise<Answer> {
    const url = new URL(path, this.base);
    if (options.token !== null) url.searchParams.set('token', options.token);
    // Never the query: it carries the token.
    const label = `${method} /${path.split('?')[0]}`;
    const { response, text } = await this.exchange(url, method, options.form, label);
    const { status } = response;
    const reply = replyOf(text);
    if (status === 401 || status === 403) {
      const detail = reply ? ` (${reply})` : '';
      const message =
        options.token === null && this.user === ''
          ? `ZoneMinder asks for a user name and password${detail}. Enter those of a ZoneMinder user with API access.`
          : `ZoneMinder refused the sign-in${detail}. Check the user name and password, and that the user may use the API.`;
      throw new GatewayError('auth', message, { reason: reply });
    }
    if (status >= 500) {
      throw new GatewayError('unreachable', `ZoneMinder is unreachable: it answered ${label} with a server error (${status}). Check its logs, or try again later.`, { reason: reply });
    }
    if (status >= 300 && status < 400) {
      throw new GatewayError('protocol', `ZoneMinder's address redirects (${status}); enter the address it redirects to, e.g. the one ending in /zm.`);
    }
    if (status === 404 && options.notFound) return { status, body: null };
    if (status >= 400) {
      const what = options.what ?? label;
      throw new GatewayError('refused', `ZoneMinder refused ${what} (${status})${reply ? `: ${reply}` : '.'}`, { reason: reply });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      const type = response.headers.get('content-type') ?? 'no content type';
      throw new GatewayError('protocol', `ZoneMinder answered ${label} with something that is not JSON (${type}): ${snippet(text)}. Check that the address is ZoneMinder's and that its API is enabled.`, {
        cause: error,
      });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw this.protocolError(label, 'did not answer a JSON object');
    if (nestsDeeperThan(body, UPSTREAM_LIMITS.maxDocumentDepth)) throw this.protocolError(label, `answered JSON nested deeper than ${UPSTREAM_LIMITS.maxDocumentDepth} levels`);
    return { status, body };
  }

  /**
   * One HTTP exchange. A connection the server cut before answering is tried once more on a new one: a pooled
   * keep-alive connection is cut when ZoneMinder restarts, and every call this client makes may safely be repeated.
   */
  private async exchange(url: URL, method: Method, form: URLSearchParams | undefined, label: string): Promise<{ response: Response; text: string }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(url, {
          method,
          headers: { Accept: 'application/json', ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
          body: form?.toString(),
          redirect: 'manual',
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        });
        const max = ZM_PROTOCOL.maxResponseBytes;
        const tooLarge = () => new GatewayError('protocol', `ZoneMinder answered ${label} with more than ${max} bytes, more than any answer of its API.`);
        return { response, text: await readBodyBounded(response, max, tooLarge) };
      } catch (error) {
        if (error instanceof GatewayError) throw error;
        const reason = isTimeout(error) ? 'timeout' : unreachableReason(error);
        if (reason === 'connection_lost' && attempt < CONNECTION_ATTEMPTS) continue;
        throw new GatewayError('unreachable', `ZoneMinder is unreachable: ${UNREACHABLE_WORDS[reason]}.`, { cause: error });
      }
    }
  }

  private parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw this.protocolError(what, `answered an unexpected shape (${summariseIssues(parsed.error)})`);
    return parsed.data;
  }

  private protocolError(what: string, problem: string): GatewayError {
    return new GatewayError('protocol', `ZoneMinder ${problem} to ${what}. Check that the address is ZoneMinder's and that it is version 1.34 or later.`);
  }
}

/** When a token of this lifetime, expiring at `expiresAt`, should be renewed. */
function renewAt(expiresAt: number, lifetimeMs: number): number {
  return expiresAt - Math.min(lifetimeMs * ZM_PROTOCOL.renewAtFraction, ZM_PROTOCOL.renewAheadMaxMs);
}

/**
 * Event rows as events with UTC times, in the order given. Starts are resolved in id order, each knowing the latest
 * start before it (see eventInstants); the server compared wall times, so the filters are checked again exactly.
 */
function resolveEvents(rows: readonly ZmEventRow[], query: ZmEventQuery, zone: string, startFloor?: number): { events: ZmEvent[]; unreadable: ZmUnreadable[] } {
  const resolved = new Map<number, ZmEvent>();
  const unreadable: ZmUnreadable[] = [];
  let floor = startFloor ?? Number.NEGATIVE_INFINITY;
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    const { startWall, endWall, ...event } = row;
    const { start, end } = eventInstants(startWall, endWall, event.lengthSeconds, zone, floor);
    if (start === null) {
      unreadable.push({ id: String(event.id), reason: `its start ${startWall} is not a time in ${zone}` });
      continue;
    }
    floor = Math.max(floor, start);
    resolved.set(event.id, { ...event, start, end });
  }
  const events = rows.flatMap((row) => {
    const event = resolved.get(row.id);
    if (!event) return [];
    if (query.startFrom !== undefined && event.start < query.startFrom) return [];
    if (query.startBefore !== undefined && event.start >= query.startBefore) return [];
    if (query.endUntil !== undefined && (event.end === null || event.end > query.endUntil)) return [];
    return [event];
  });
  return { events, unreadable };
}

/**
 * The wall time to send as an upper bound for `until`. In the second pass of a repeated hour, events of the first
 * pass show later wall times yet ended earlier: the bound then reaches past the hour (no DST shift is over an hour),
 * and the exact check is made on the converted times.
 */
function endBound(until: number, zone: string): string {
  const wall = utcToWallTime(until, zone);
  const instants = instantsOfWallTime(wall, zone);
  return instants?.kind === 'repeated' && until >= instants.later ? utcToWallTime(until + 3_600_000, zone) : wall;
}

/** The path of an events query, its filters as CakePHP named parameters with times as the server's wall times. */
export function eventsPath(query: ZmEventQuery, zone: string): string {
  const params: string[] = [];
  if (query.monitorId !== undefined) {
    checkWholeNumber(query.monitorId, 'A monitor id');
    params.push(namedParam('MonitorId', '', query.monitorId));
  }
  if (query.startFrom !== undefined) params.push(namedParam('StartTime', '>=', utcToWallTime(query.startFrom, zone)));
  if (query.startBefore !== undefined) params.push(namedParam('StartTime', '<=', endBound(query.startBefore, zone)));
  if (query.endUntil !== undefined) params.push(namedParam('EndTime', '<=', endBound(query.endUntil, zone)));
  if (query.minAlarmFrames !== undefined) {
    checkWholeNumber(query.minAlarmFrames, 'minAlarmFrames');
    params.push(namedParam('AlarmFrames', '>=', query.minAlarmFrames));
  }
  if (query.afterId !== undefined) {
    checkWholeNumber(query.afterId, 'afterId');
    params.push(namedParam('Id', '>', query.afterId));
  }
  return params.length === 0 ? 'api/events/index.json' : `api/events/index/${params.join('/')}.json`;
}

/** ZoneMinder's own words in an error body, when it is JSON and has them. */
function replyOf(text: string): string | null {
  if (text.length === 0 || text.length > 64 * 1024) return null;
  try {
    const parsed = zmErrorSchema.safeParse(JSON.parse(text));
    return parsed.success ? snippet(parsed.data) || null : null;
  } catch {
    return null;
  }
}

