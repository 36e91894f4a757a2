import { randomBytes } from 'node:crypto';
import { closeNow, listenOn, readBody } from './listen';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { utcToWallTime } from '../integrations/zoneminder/zone-time';
import { FUNCTION_COLUMNS, isZmFunction, ZM_FUNCTIONS, type ZmFunction } from '../integrations/zoneminder/zm-types';
import { AsyncMutex } from '../util/async-mutex';
import { systemClock, type Clock } from '../util/clock';
import { createLogger } from '../util/log';
import { renderCameraFrame, serveMjpegStream } from './mjpeg-source';

const log = createLogger('zm-simulator');

const MAX_BODY_BYTES = 64 * 1024;
/** Tokens remembered; the oldest are forgotten first, as if they had expired. */
const MAX_TOKENS = 1_000;
const MAX_EVENTS = 100_000;
/** CakePHP's paginator: 20 a page unless asked, never more than 100. */
const DEFAULT_PAGE_LIMIT = 20;
const MAX_PAGE_LIMIT = 100;
/** A replayed event is this many frames at most, whatever its length. */
const MAX_REPLAY_FRAMES = 100;
const MAX_MOTION_SECONDS = 3_600;
const MAX_MOTION_TIMERS = 100;
const DEFAULT_STREAM_FPS = 5;
const EVENT_FPS = 5;

/** The two cameras a fresh simulator has. */
export const DEFAULT_ZM_MONITORS: readonly ZmSimMonitorSpec[] = [
  { name: 'Front door', function: 'Modect' },
  { name: 'Back yard', function: 'Mocord' },
];

export interface ZmSimMonitorSpec {
  name: string;
  function?: ZmFunction;
  enabled?: boolean;
  width?: number;
  height?: number;
}

export type ZmFault =
  | { kind: 'auth_failure' }
  | { kind: 'server_error' }
  | { kind: 'slow'; delayMs: number }
  /** JSON cut off half way, served as application/json. */
  | { kind: 'malformed_json' }
  /** An HTML page where JSON belongs, as a captive portal or a wrong address gives. */
  | { kind: 'non_json' }
  /** Streams opened from now on end after this many whole frames. */
  | { kind: 'drop_stream'; afterFrames: number }
  /** Streams opened from now on send this many whole frames, then half of one, then close. */
  | { kind: 'truncate_stream'; afterFrames: number };

export interface ZmSimulatorOptions {
  host?: string;
  /** 0 picks a free port; `restart()` keeps whichever port was bound. */
  port?: number;
  clock?: Clock;
  /** False runs with OPT_USE_AUTH off: every call answers without a token. True by default. */
  auth?: boolean;
  user?: string;
  password?: string;
  /** Lifetimes of the tokens login hands out; ZoneMinder's defaults are 2 hours and 1 day. */
  accessTokenSeconds?: number;
  refreshTokenSeconds?: number;
  /** The server's zone: event times are written as wall times in it. America/New_York by default. */
  timeZone?: string;
  /** '1.36' reports each monitor's Function; '1.37' Capturing / Analysing / Recording instead. */
  apiGeneration?: '1.36' | '1.37';
  /** Numbers as JSON text ("12"), as older PHP MySQL drivers give them; true by default. */
  numbersAsText?: boolean;
  monitors?: readonly ZmSimMonitorSpec[];
  runStates?: readonly string[];
}

interface SimMonitor {
  id: number;
  name: string;
  function: ZmFunction;
  enabled: boolean;
  width: number;
  height: number;
}

export interface ZmSimEvent {
  id: number;
  monitorId: number;
  cause: string;
  /** Epoch ms. */
  start: number;
  /** Epoch ms, or null while open. */
  end: number | null;
  alarmFrames: number;
  maxScore: number;
}

export interface NewEvent {
  monitorId: number;
  /** Epoch ms; now by default. */
  start?: number;
  /** Epoch ms; absent leaves the event open. */
  end?: number;
  cause?: string;
  alarmFrames?: number;
  maxScore?: number;
}

interface IssuedToken {
  type: 'access' | 'refresh';
  user: string;
  expiresAt: number;
}

type Json = Record<string, unknown>;

/** CakePHP's error body for an exception, as ZoneMinder's API sends it. */
function cakeError(res: ServerResponse, status: number, name: string, url: string): void {
  sendJson(res, status, { success: false, data: { name, message: name, url } });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}


const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A named-parameter filter of an events URL: `Field op:value`. */
interface EventFilter {
  field: 'Id' | 'MonitorId' | 'StartTime' | 'EndTime' | 'AlarmFrames';
  operator: '=' | '!=' | '>' | '>=' | '<' | '<=';
  value: string;
}

const FILTER_FIELDS: Readonly<Record<string, EventFilter['field']>> = {
  Id: 'Id',
  MonitorId: 'MonitorId',
  StartTime: 'StartTime',
  StartDateTime: 'StartTime',
  EndTime: 'EndTime',
  EndDateTime: 'EndTime',
  AlarmFrames: 'AlarmFrames',
};
const FILTER_OPERATORS: ReadonlySet<string> = new Set(['=', '!=', '>', '>=', '<', '<=']);
const SORT_FIELDS: ReadonlySet<string> = new Set(['Id', 'MonitorId', 'StartTime', 'StartDateTime', 'EndTime', 'EndDateTime', 'AlarmFrames']);

/** Parses the path segments after /api/events/index/, as CakePHP parses named parameters. */
function parseEventFilters(segments: readonly string[]): EventFilter[] {
  return segments.map((segment) => {
    const decoded = decodeURIComponent(segment);
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new RangeError(`Invalid argument: ${decoded}`);
    const match = /^([A-Za-z0-9.]+)\s*(.*)$/.exec(decoded.slice(0, colon).trim());
    const field = match ? FILTER_FIELDS[match[1]!.replace(/^Event\./, '')] : undefined;
    const operator = match?.[2]?.trim() || '=';
    if (!field) throw new RangeError(`Invalid argument before \`:\`: ${decoded.slice(0, colon)}`);
    if (!FILTER_OPERATORS.has(operator)) throw new RangeError(`Invalid operator: ${operator}`);
    return { field, operator: operator as EventFilter['operator'], value: decoded.slice(colon + 1) };
  });
}

function compare(left: string | number | null, operator: EventFilter['operator'], right: string | number): boolean {
  // SQL: a comparison with NULL is never true.
  if (left === null) return false;
  switch (operator) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
  }
}

/**
 * A ZoneMinder stand-in on a real HTTP server: its JSON API (token login with refresh, getVersion, getTimeZone,
 * monitors with their function, run states, events with CakePHP's filters, sort and paging, times as wall times in
 * the server's zone), nph-zms MJPEG streams that check the token, fault injection, and a control API under /sim/.
 */
export class ZmSimulator {
  private readonly host: string;
  private port: number;
  private readonly clock: Clock;
  private readonly auth: boolean;
  private readonly user: string;
  private readonly password: string;
  private readonly accessSeconds: number;
  private readonly refreshSeconds: number;
  readonly timeZone: string;
  private readonly generation: '1.36' | '1.37';
  private readonly numbersAsText: boolean;
  private readonly monitors: SimMonitor[];
  private readonly runStates: string[];
  private activeRunState: string;
  private readonly events: ZmSimEvent[] = [];
  private nextEventId = 1;
  private readonly tokens = new Map<string, IssuedToken>();
  private server: Server | null = null;
  private readonly streams = new Set<ServerResponse>();
  private readonly motionTimers = new Set<NodeJS.Timeout>();
  private readonly lifecycle = new AsyncMutex();
  private fault: ZmFault | null = null;
  /** Requests to the API, by path without query: tests count logins and refreshes with it. */
  private readonly hits = new Map<string, number>();

  constructor(options: ZmSimulatorOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.clock = options.clock ?? systemClock;
    this.auth = options.auth ?? true;
    this.user = options.user ?? 'admin';
    this.password = options.password ?? 'admin';
    this.accessSeconds = options.accessTokenSeconds ?? 7_200;
    this.refreshSeconds = options.refreshTokenSeconds ?? 86_400;
    this.timeZone = options.timeZone ?? 'America/New_York';
    // Throws now for a zone Intl does not know, not on the first event.
    utcToWallTime(0, this.timeZone);
    this.generation = options.apiGeneration ?? '1.36';
    this.numbersAsText = options.numbersAsText ?? true;
    this.monitors = (options.monitors ?? DEFAULT_ZM_MONITORS).map((spec, index) => ({
      id: index + 1,
      name: spec.name,
      function: spec.function ?? 'Modect',
      enabled: spec.enabled ?? true,
      width: spec.width ?? 640,
      height: spec.height ?? 360,
    }));
    this.runStates = [...(options.runStates ?? ['default', 'Home', 'Away'])];
    this.activeRunState = this.runStates[0] ?? 'default';
  }

  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  start(): Promise<{ url: string }> {
    return this.lifecycle.runExclusive(() => this.listen());
  }

  stop(): Promise<void> {
    return this.lifecycle.runExclusive(async () => {
      for (const timer of this.motionTimers) clearTimeout(timer);
      this.motionTimers.clear();
      await this.close();
    });
  }

  /** Drops every connection and serves again on the same port; `forgetTokens` as if its auth secret had changed. */
  restart(options: { forgetTokens?: boolean } = {}): Promise<{ url: string }> {
    return this.lifecycle.runExclusive(async () => {
      await this.close();
      if (options.forgetTokens) this.tokens.clear();
      return this.listen();
    });
  }

  setFault(fault: ZmFault | null): void {
    this.fault = fault;
  }

  /** Ends every open stream now, as a network drop would. */
  dropStreams(): number {
    const count = this.streams.size;
    for (const res of this.streams) res.destroy();
    this.streams.clear();
    return count;
  }

  openStreams(): number {
    return this.streams.size;
  }

  /** How often a path of the API was asked for (the query is not part of it). */
  hitCount(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  monitorFunction(monitorId: number): ZmFunction | null {
    return this.monitors.find((m) => m.id === monitorId)?.function ?? null;
  }

  runState(): string {
    return this.activeRunState;
  }

  // ---- events ----

  /** Adds an event (open when it has no end); answers it. */
  addEvent(event: NewEvent): ZmSimEvent {
    if (!this.monitors.some((m) => m.id === event.monitorId)) throw new RangeError(`No monitor ${event.monitorId}`);
    if (this.events.length >= MAX_EVENTS) throw new RangeError(`The simulator keeps at most ${MAX_EVENTS} events`);
    const start = event.start ?? this.clock.now();
    if (event.end !== undefined && event.end < start) throw new RangeError('An event cannot end before it starts');
    const added: ZmSimEvent = {
      id: this.nextEventId++,
      monitorId: event.monitorId,
      cause: event.cause ?? 'Motion',
      start,
      end: event.end ?? null,
      alarmFrames: event.alarmFrames ?? 3,
      maxScore: event.maxScore ?? 40,
    };
    this.events.push(added);
    return added;
  }

  /** Closes an open event (now by default). */
  closeEvent(eventId: number, end: number = this.clock.now()): ZmSimEvent {
    const event = this.events.find((e) => e.id === eventId);
    if (!event) throw new RangeError(`No event ${eventId}`);
    if (event.end !== null) throw new RangeError(`Event ${eventId} is already closed`);
    if (end < event.start) throw new RangeError('An event cannot end before it starts');
    event.end = end;
    return event;
  }

  /** Motion on a monitor: an open event now, closed `seconds` later (by a real timer). */
  motion(monitorId: number, seconds: number): ZmSimEvent {
    if (!(seconds > 0 && seconds <= MAX_MOTION_SECONDS)) throw new RangeError(`seconds must be above 0 and at most ${MAX_MOTION_SECONDS}`);
    if (this.motionTimers.size >= MAX_MOTION_TIMERS) throw new RangeError(`At most ${MAX_MOTION_TIMERS} motions at once`);
    const event = this.addEvent({ monitorId });
    const timer = setTimeout(() => {
      this.motionTimers.delete(timer);
      if (event.end === null) this.closeEvent(event.id);
    }, seconds * 1000);
    timer.unref();
    this.motionTimers.add(timer);
    return event;
  }

  allEvents(): readonly ZmSimEvent[] {
    return this.events;
  }

  // ---- lifecycle ----

  private async listen(): Promise<{ url: string }> {
    if (this.server) return { url: this.url };
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        log.error(`${req.method} ${req.url?.split('?')[0]} failed`, error);
        if (!res.headersSent) cakeError(res, 500, 'Internal Error', req.url?.split('?')[0] ?? '');
        else res.destroy();
      });
    });
    this.port = await listenOn(server, this.port, this.host);
    this.server = server;
    return { url: this.url };
  }

  private async close(): Promise<void> {
    const { server } = this;
    if (!server) return;
    this.server = null;
    this.dropStreams();
    await closeNow(server);
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    if (url.pathname === '/sim' || url.pathname.startsWith('/sim/')) return this.handleControl(req, res, url.pathname);
    this.hits.set(url.pathname, (this.hits.get(url.pathname) ?? 0) + 1);
    const fault = this.fault;
    if (fault?.kind === 'slow') await sleep(fault.delayMs);
    if (url.pathname === '/cgi-bin/nph-zms') return this.handleStream(req, res, url);
    if (!url.pathname.startsWith('/api/')) return cakeError(res, 404, 'Not Found', url.pathname);
    if (fault?.kind === 'server_error') return cakeError(res, 500, 'Internal Error', url.pathname);
    if (fault?.kind === 'non_json') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
      res.end('<!doctype html><html><head><title>ZoneMinder</title></head><body><h1>Login</h1></body></html>');
      return;
    }
    if (fault?.kind === 'malformed_json') {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' });
      res.end('{"monitors":[{"Monitor":{"Id":"1","Name":"Fro');
      return;
    }
    const body = req.method === 'POST' || req.method === 'PUT' ? new URLSearchParams(await readBody(req, MAX_BODY_BYTES)) : new URLSearchParams();
    const param = (name: string) => url.searchParams.get(name) ?? body.get(name);
    const path = url.pathname.slice('/api/'.length);

    if (path === 'host/login.json') return this.handleLogin(res, url.pathname, param);
    if (path === 'host/logout.json') return sendJson(res, 200, { result: 'ok' });
    if (!this.authorised(param('token'), 'access')) return cakeError(res, 401, 'Not Authenticated', url.pathname);

    if (path === 'host/getVersion.json') return sendJson(res, 200, this.version());
    if (path === 'host/getTimeZone.json') return sendJson(res, 200, { tz: this.timeZone });
    if (path === 'monitors.json') return sendJson(res, 200, { monitors: this.monitors.map((m) => this.monitorRow(m)) });
    const monitorEdit = /^monitors\/(\d+)\.json$/.exec(path);
    if (monitorEdit) return this.handleMonitor(req, res, url.pathname, Number(monitorEdit[1]), body);
    if (path === 'states.json') {
      return sendJson(res, 200, {
        states: this.runStates.map((name, index) => ({ State: { Id: this.number(index + 1), Name: name, Definition: '', IsActive: this.number(name === this.activeRunState ? 1 : 0) } })),
      });
    }
    const change = /^states\/change\/([^/]+)\.json$/.exec(path);
    if (change) return this.handleRunState(res, url.pathname, decodeURIComponent(change[1]!));
    if (path === 'events.json' || path === 'events/index.json' || path.startsWith('events/index/')) return this.handleEvents(res, url, path);
    const eventView = /^events\/(\d+)\.json$/.exec(path);
    if (eventView && req.method === 'GET') {
      // EventsController::view: the event with its monitor, or CakePHP's NotFoundException.
      const event = this.events.find((e) => e.id === Number(eventView[1]));
      const monitor = event && this.monitors.find((m) => m.id === event.monitorId);
      if (!event || !monitor) return cakeError(res, 404, 'Invalid event', url.pathname);
      return sendJson(res, 200, { event: { Event: this.eventJson(this.eventRow(event)), Monitor: this.monitorRow(monitor).Monitor } });
    }
    cakeError(res, 404, 'Not Found', url.pathname);
  }

  private handleLogin(res: ServerResponse, pathname: string, param: (name: string) => string | null): void {
    const version = this.version();
    if (!this.auth) return sendJson(res, 200, version);
    const user = param('user') ?? param('username');
    const pass = param('pass') ?? param('password');
    const refresh = param('token');
    if (this.fault?.kind === 'auth_failure') return cakeError(res, 401, 'Unauthorized', pathname);
    if (user && pass) {
      if (user !== this.user || pass !== this.password) return cakeError(res, 401, 'Could not retrieve user details', pathname);
      return sendJson(res, 200, {
        ...version,
        access_token: this.issue('access', user),
        access_token_expires: this.accessSeconds,
        refresh_token: this.issue('refresh', user),
        refresh_token_expires: this.refreshSeconds,
      });
    }
    if (refresh) {
      if (!this.authorised(refresh, 'refresh')) return cakeError(res, 401, 'Token has expired', pathname);
      return sendJson(res, 200, { ...version, access_token: this.issue('access', this.user), access_token_expires: this.accessSeconds });
    }
    cakeError(res, 401, 'No identity provided', pathname);
  }

  private handleMonitor(req: IncomingMessage, res: ServerResponse, pathname: string, id: number, body: URLSearchParams): void {
    const monitor = this.monitors.find((m) => m.id === id);
    if (!monitor) return cakeError(res, 404, 'Invalid monitor', pathname);
    if (req.method === 'GET') return sendJson(res, 200, { monitor: this.monitorRow(monitor) });
    if (req.method !== 'POST' && req.method !== 'PUT') return cakeError(res, 405, 'Method Not Allowed', pathname);
    const enabled = body.get('Monitor[Enabled]');
    if (enabled !== null && enabled !== '0' && enabled !== '1') return sendJson(res, 200, { message: 'Error Array ( [Enabled] => invalid )' });
    const next = this.generation === '1.36' ? this.functionFromForm36(body, monitor) : this.functionFromForm37(body, monitor);
    if (next === null) return sendJson(res, 200, { message: 'Error Array ( [Function] => invalid )' });
    monitor.function = next;
    if (enabled !== null) monitor.enabled = enabled === '1';
    sendJson(res, 200, { message: 'Saved' });
  }

  private functionFromForm36(body: URLSearchParams, monitor: SimMonitor): ZmFunction | null {
    const fn = body.get('Monitor[Function]');
    if (fn === null) return monitor.function;
    return isZmFunction(fn) ? fn : null;
  }

  /** 1.37 keeps the three columns and ignores Function, as its Monitor model does. */
  private functionFromForm37(body: URLSearchParams, monitor: SimMonitor): ZmFunction | null {
    const current = FUNCTION_COLUMNS[monitor.function];
    const columns = {
      Capturing: body.get('Monitor[Capturing]') ?? current.Capturing,
      Analysing: body.get('Monitor[Analysing]') ?? current.Analysing,
      Recording: body.get('Monitor[Recording]') ?? current.Recording,
    };
    return ZM_FUNCTIONS.find((fn) => {
      const expected = FUNCTION_COLUMNS[fn];
      return expected.Capturing === columns.Capturing && expected.Analysing === columns.Analysing && expected.Recording === columns.Recording;
    }) ?? null;
  }

  private handleRunState(res: ServerResponse, pathname: string, name: string): void {
    if (name === 'start' || name === 'stop' || name === 'restart') return sendJson(res, 200, { blah: '' });
    if (!this.runStates.includes(name)) return cakeError(res, 404, 'Invalid state', pathname);
    this.activeRunState = name;
    sendJson(res, 200, { blah: '' });
  }

  private handleEvents(res: ServerResponse, url: URL, path: string): void {
    let filters: EventFilter[];
    try {
      const named = path.startsWith('events/index/') ? path.slice('events/index/'.length).replace(/\.json$/, '').split('/') : [];
      filters = parseEventFilters(named);
    } catch (error) {
      return cakeError(res, 500, error instanceof Error ? error.message : 'Invalid argument', url.pathname);
    }
    const sortParam = url.searchParams.get('sort') ?? 'StartTime';
    if (!SORT_FIELDS.has(sortParam)) return cakeError(res, 500, `Invalid sort field ${sortParam}`, url.pathname);
    const descending = (url.searchParams.get('direction') ?? 'asc').toLowerCase() === 'desc';
    const rows = this.events.map((event) => this.eventRow(event)).filter((row) => filters.every((f) => compare(this.filterValue(row, f.field), f.operator, this.filterOperand(f))));
    const sortKey = sortParam.replace('DateTime', 'Time') as keyof typeof rows[number];
    rows.sort((a, b) => {
      const left = a[sortKey] ?? '';
      const right = b[sortKey] ?? '';
      const order = left < right ? -1 : left > right ? 1 : a.Id - b.Id;
      return descending ? -order : order;
    });
    const paged = url.searchParams.has('limit') || url.searchParams.has('page');
    const limit = paged ? Math.min(MAX_PAGE_LIMIT, Math.max(1, Number(url.searchParams.get('limit')) || DEFAULT_PAGE_LIMIT)) : Math.max(1, rows.length);
    const page = paged ? Math.max(1, Math.floor(Number(url.searchParams.get('page')) || 1)) : 1;
    const pageCount = Math.max(1, Math.ceil(rows.length / limit));
    // CakePHP 2's paginator throws NotFoundException for a page past the last.
    if (page > pageCount) return cakeError(res, 404, 'Not Found', url.pathname);
    const slice = rows.slice((page - 1) * limit, page * limit);
    sendJson(res, 200, {
      events: slice.map((row) => ({ Event: this.eventJson(row) })),
      pagination: {
        page,
        current: slice.length,
        count: rows.length,
        prevPage: page > 1,
        nextPage: page < pageCount,
        pageCount,
        order: { [`Event.${sortParam}`]: descending ? 'desc' : 'asc' },
        limit,
        options: {},
        paramType: 'querystring',
        queryScope: null,
      },
    });
  }

  private handleStream(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    // zms answers a bad token with a 401 and a text line.
    if (this.fault?.kind === 'auth_failure' || !this.authorised(q.get('token'), 'access')) {
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('Unable to authenticate user\n');
      return;
    }
    const scale = Math.min(100, Math.max(1, Number(q.get('scale')) || 100));
    const maxFps = Math.min(30, Math.max(0.1, Number(q.get('maxfps')) || DEFAULT_STREAM_FPS));
    let label: string;
    let size: { width: number; height: number };
    let maxFrames: number | undefined;
    if (q.get('source') === 'event') {
      const event = this.events.find((e) => e.id === Number(q.get('event')));
      const monitor = event && this.monitors.find((m) => m.id === event.monitorId);
      if (!event || !monitor) return this.streamError(res, 'Unable to load event');
      label = `${monitor.name} · event ${event.id}`;
      size = monitor;
      const seconds = ((event.end ?? this.clock.now()) - event.start) / 1000;
      maxFrames = Math.min(MAX_REPLAY_FRAMES, Math.max(1, Math.round(seconds * EVENT_FPS)));
    } else {
      const monitor = this.monitors.find((m) => m.id === Number(q.get('monitor')));
      if (!monitor || !monitor.enabled || monitor.function === 'None') return this.streamError(res, 'Unable to load monitor');
      label = monitor.name;
      size = monitor;
    }
    const side = (value: number) => Math.min(1920, Math.max(16, Math.round((value * scale) / 100)));
    const width = side(size.width);
    const height = side(size.height);
    if (q.get('mode') === 'single') {
      void renderCameraFrame(label, new Date(this.clock.now()), { width, height }).then(
        (jpeg) => {
          res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': jpeg.length, 'Cache-Control': 'no-cache' });
          res.end(jpeg);
        },
        () => res.destroy(),
      );
      return;
    }
    const fault = this.fault;
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
    serveMjpegStream(req, res, {
      label,
      fps: maxFps,
      width,
      height,
      maxFrames,
      dropAfterFrames: fault?.kind === 'drop_stream' ? fault.afterFrames : undefined,
      truncateAfterFrames: fault?.kind === 'truncate_stream' ? fault.afterFrames : undefined,
    });
  }

  private streamError(res: ServerResponse, message: string): void {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end(`${message}\n`);
  }

  // ---- control API ----

  private async handleControl(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method === 'GET' && pathname === '/sim/events') return sendJson(res, 200, this.events.slice(-1000));
    if (req.method !== 'POST') return sendJson(res, 404, { message: 'Not found.' });
    // JSON only: a plain cross-site form post cannot send this content type without a CORS preflight.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return sendJson(res, 415, { message: 'Send application/json.' });
    let body: unknown;
    try {
      const text = await readBody(req, MAX_BODY_BYTES);
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return sendJson(res, 400, { message: 'Invalid JSON.' });
    }
    const input = isRecord(body) ? body : {};
    try {
      const close = /^\/sim\/events\/(\d+)\/close$/.exec(pathname);
      if (close) return sendJson(res, 200, this.closeEvent(Number(close[1])));
      switch (pathname) {
        case '/sim/events':
          return sendJson(res, 201, this.addEvent({ monitorId: Number(input.monitorId), cause: typeof input.cause === 'string' ? input.cause.slice(0, 64) : undefined }));
        case '/sim/motion':
          return sendJson(res, 201, this.motion(Number(input.monitorId), Number(input.seconds ?? 10)));
        case '/sim/fault':
          this.setFault(parseFault(input));
          return sendJson(res, 200, { fault: this.fault });
        case '/sim/drop-streams':
          return sendJson(res, 200, { dropped: this.dropStreams() });
        case '/sim/restart':
          // Answer first: the restart drops this very connection.
          res.once('finish', () => void this.restart({ forgetTokens: input.forgetTokens === true }).catch((error: unknown) => log.error('restart failed', error)));
          return sendJson(res, 202, { message: 'Restarting.' });
        default:
          return sendJson(res, 404, { message: 'Not found.' });
      }
    } catch (error) {
      if (error instanceof RangeError) return sendJson(res, 400, { message: error.message });
      throw error;
    }
  }

  // ---- rows ----

  private version(): { version: string; apiversion: string } {
    return { version: this.generation === '1.36' ? '1.36.33' : '1.37.61', apiversion: '2.0' };
  }

  private number(value: number): number | string {
    return this.numbersAsText ? String(value) : value;
  }

  private monitorRow(monitor: SimMonitor): Json {
    const fn = this.generation === '1.36' ? { Function: monitor.function } : FUNCTION_COLUMNS[monitor.function];
    return {
      Monitor: {
        Id: this.number(monitor.id),
        Name: monitor.name,
        Type: 'Ffmpeg',
        ...fn,
        Enabled: this.number(monitor.enabled ? 1 : 0),
        Width: this.number(monitor.width),
        Height: this.number(monitor.height),
        MaxFPS: null,
        ServerId: this.number(0),
        StorageId: this.number(0),
      },
      Monitor_Status: { MonitorId: this.number(monitor.id), Status: monitor.enabled && monitor.function !== 'None' ? 'Connected' : 'NotRunning', CaptureFPS: '5.00', AnalysisFPS: '5.00' },
      Group: [],
    };
  }

  private eventRow(event: ZmSimEvent) {
    const end = event.end ?? this.clock.now();
    const length = Math.max(0, (end - event.start) / 1000);
    return {
      Id: event.id,
      MonitorId: event.monitorId,
      StartTime: utcToWallTime(event.start, this.timeZone),
      EndTime: event.end === null ? null : utcToWallTime(event.end, this.timeZone),
      AlarmFrames: event.alarmFrames,
      event,
      length,
    };
  }

  private filterValue(row: ReturnType<ZmSimulator['eventRow']>, field: EventFilter['field']): string | number | null {
    return row[field];
  }

  /** Numeric fields compare as numbers, times as MySQL compares DATETIME text. */
  private filterOperand(filter: EventFilter): string | number {
    return filter.field === 'StartTime' || filter.field === 'EndTime' ? filter.value : Number(filter.value);
  }

  private eventJson(row: ReturnType<ZmSimulator['eventRow']>): Json {
    const { event, length } = row;
    const monitor = this.monitors.find((m) => m.id === event.monitorId);
    const frames = Math.round(length * EVENT_FPS);
    return {
      Id: this.number(event.id),
      MonitorId: this.number(event.monitorId),
      StorageId: this.number(0),
      Name: `Event-${event.id}`,
      Cause: event.cause,
      StartDateTime: row.StartTime,
      EndDateTime: row.EndTime,
      StartTime: row.StartTime,
      EndTime: row.EndTime,
      Width: this.number(monitor?.width ?? 0),
      Height: this.number(monitor?.height ?? 0),
      Length: length.toFixed(2),
      Frames: this.number(frames),
      AlarmFrames: this.number(event.alarmFrames),
      TotScore: this.number(event.maxScore * event.alarmFrames),
      AvgScore: this.number(event.maxScore),
      MaxScore: this.number(event.maxScore),
      Archived: this.number(0),
      Notes: `Motion: ${monitor?.name ?? ''}`,
      Orientation: 'ROTATE_0',
      Scheme: 'Medium',
    };
  }

  // ---- tokens ----

  private issue(type: IssuedToken['type'], user: string): string {
    if (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value!);
    const token = randomBytes(24).toString('base64url');
    const seconds = type === 'access' ? this.accessSeconds : this.refreshSeconds;
    this.tokens.set(token, { type, user, expiresAt: this.clock.now() + seconds * 1000 });
    return token;
  }

  private authorised(token: string | null, type: IssuedToken['type']): boolean {
    if (!this.auth) return true;
    if (this.fault?.kind === 'auth_failure' || token === null) return false;
    const issued = this.tokens.get(token);
    return issued !== undefined && issued.type === type && this.clock.now() < issued.expiresAt;
  }
}

/** Parses a control-API fault: `{kind: null}` clears it. */
function parseFault(body: Json): ZmFault | null {
  const frames = (): number => {
    const value = body.afterFrames;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100_000) throw new RangeError('afterFrames must be a whole number from 0 to 100000');
    return value;
  };
  switch (body.kind) {
    case null:
      return null;
    case 'auth_failure':
    case 'server_error':
    case 'malformed_json':
    case 'non_json':
      return { kind: body.kind };
    case 'slow':
      if (typeof body.delayMs !== 'number' || !(body.delayMs >= 0) || body.delayMs > 600_000) throw new RangeError('slow needs delayMs between 0 and 600000');
      return { kind: 'slow', delayMs: body.delayMs };
    case 'drop_stream':
    case 'truncate_stream':
      return { kind: body.kind, afterFrames: frames() };
    default:
      throw new RangeError('kind must be auth_failure, server_error, slow, malformed_json, non_json, drop_stream, truncate_stream or null');
  }
}
