import { LRUCache } from 'lru-cache';
import { IntegrationHealth } from '../../../src-shared/enums';
import type { UpstreamHomeConfig } from '../../../src-shared/model/home-config';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import {
  GatewayError,
  GatewayNotFoundError,
  type GatewayContext,
  type IntegrationConfig,
  type IntegrationConfigField,
  type IntegrationGateway,
  type UpstreamListing,
  type UpstreamVideoEvent,
  type VideoEventListing,
  type VideoEventQuery,
} from '../gateway';
import type { UpstreamEntity, UpstreamValues } from '../upstream';
import { ZM_PROTOCOL, ZoneMinderClient, type ZmEvent } from './client';
import { ZM_FUNCTIONS, isZmFunction, type ZmMonitor, type ZmRunState } from './zm-types';

export const ZONEMINDER_KEY = 'zoneminder';

/** The import allowlist's domains: every monitor is a camera, the run state is the system's. */
export const ZM_DOMAINS = ['camera', 'system'] as const;

export const RUN_STATE_ID = 'run_state';
const MONITOR_PREFIX = 'monitor.';
const STATE_KEYS = { video: 'video_stream', motion: 'motion', function: 'function', runState: 'run_state' } as const;

/** Timing and bounds of the poll that keeps states live. */
export interface ZmPollTiming {
  /** New and closed events are asked for this often. */
  eventsIntervalMs: number;
  /** Monitors (their function) and the run state, this often. */
  statusIntervalMs: number;
  /** After a failed poll, the wait doubles from eventsIntervalMs up to this. */
  backoffMaxMs: number;
  /** Pages of events read per poll; a burst beyond is read by the next polls. */
  maxEventPagesPerPoll: number;
  /** Events kept open at once, across monitors: beyond, the oldest are treated as closed. */
  maxOpenEvents: number;
  /**
   * An event open longer than this is treated as closed: ZoneMinder leaves the events of a crashed capture daemon
   * open for ever, and each poll would otherwise read every event since.
   */
  maxOpenEventMs: number;
}

export const ZM_POLL: ZmPollTiming = {
  eventsIntervalMs: 3_000,
  statusIntervalMs: 30_000,
  backoffMaxMs: 60_000,
  maxEventPagesPerPoll: 5,
  maxOpenEvents: 1_000,
  maxOpenEventMs: 2 * 60 * 60_000,
};

/** Events this old are not worth reading when the gateway starts: only whether one is still open matters. */
const START_LOOKBACK_MS = 60 * 60_000;

const log = createLogger('zoneminder');

/** Thumbnails of recorded events are read at this percent of the monitor's size. */
const THUMBNAIL_SCALE = 50;

/**
 * Which monitor recorded an event, as verified before its playback or thumbnail is handed out: at least one browse's
 * worth of events (every thumbnail of a listing is asked for at once). An event never changes monitor; the TTL only
 * lets a pair of a server that was reset be asked again.
 */
const EVENT_OWNERS = { max: 2_000, ttlMs: 60 * 60_000 } as const;

const CONFIG_FIELDS: readonly IntegrationConfigField[] = [
  {
    key: 'url',
    label: 'Address',
    description: 'Where ZoneMinder answers, with its path, e.g. nvr.local/zm or 192.168.1.30/zm; http:// is assumed unless you write https://.',
    type: 'url',
    required: true,
  },
  {
    key: 'user',
    label: 'User name',
    description: 'A ZoneMinder user allowed to use the API. Leave empty if ZoneMinder runs without sign-in (OPT_USE_AUTH off).',
    type: 'text',
    required: false,
  },
  {
    key: 'password',
    label: 'Password',
    description: 'The password of that user.',
    type: 'secret',
    required: false,
  },
];

const eventOwnerKey = (config: IntegrationConfig, eventId: number): string => `${config.url ?? ''}#${eventId}`;

export const monitorUpstreamId = (monitorId: number): string => `${MONITOR_PREFIX}${monitorId}`;

function monitorIdOf(upstreamId: string): number | null {
  if (!upstreamId.startsWith(MONITOR_PREFIX)) return null;
  const id = Number(upstreamId.slice(MONITOR_PREFIX.length));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** What the camera's video is doing: idle when switched off, recording when it records all the time. */
function videoValue(monitor: ZmMonitor): string {
  if (!monitor.enabled || monitor.function === 'None') return 'idle';
  return monitor.function === 'Record' || monitor.function === 'Mocord' ? 'recording' : 'streaming';
}

/** `openEventId`: the newest event of the monitor still open (motion now), if any. */
function monitorEntity(monitor: ZmMonitor, openEventId: number | undefined): UpstreamEntity {
  return {
    upstreamId: monitorUpstreamId(monitor.id),
    domain: 'camera',
    name: monitor.name,
    entityType: 'camera',
    hasVideoStream: true,
    states: [
      { key: STATE_KEYS.video, stateType: 'video_stream', name: 'Video', value: videoValue(monitor), units: null, controllable: false },
      {
        key: STATE_KEYS.motion,
        stateType: 'movement',
        name: 'Motion',
        value: openEventId === undefined ? 'idle' : 'active',
        units: null,
        controllable: false,
        ...(openEventId === undefined ? {} : { correlation: String(openEventId) }),
      },
      { key: STATE_KEYS.function, stateType: 'discrete', name: 'Function', value: monitor.function, units: null, controllable: true, choices: ZM_FUNCTIONS },
    ],
    payload: { monitorId: monitor.id, function: monitor.function, enabled: monitor.enabled, width: monitor.width, height: monitor.height },
  };
}

function runStateEntity(states: readonly ZmRunState[]): UpstreamEntity {
  const active = states.find((s) => s.active)?.name ?? null;
  return {
    upstreamId: RUN_STATE_ID,
    domain: 'system',
    name: 'ZoneMinder run state',
    entityType: 'other',
    hasVideoStream: false,
    states: [{ key: STATE_KEYS.runState, stateType: 'discrete', name: 'Run state', value: active ?? 'unknown', units: null, controllable: true, choices: states.map((s) => s.name) }],
    payload: { runStates: states.map((s) => s.name) },
  };
}

const HEALTH_OF_FAILURE: Record<GatewayError['failure'], IntegrationHealth> = {
  auth: IntegrationHealth.AUTH_FAILED,
  unreachable: IntegrationHealth.UNREACHABLE,
  refused: IntegrationHealth.DEGRADED,
  protocol: IntegrationHealth.DEGRADED,
};

function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof RangeError) return new GatewayError('refused', error.message, { cause: error });
  return new GatewayError('protocol', `ZoneMinder could not be used: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** The poll of one running gateway: what it has seen, so that each poll asks only for what is new. */
class ZmPoller {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private lastEventId = 0;
  private lastEventStart = Number.NEGATIVE_INFINITY;
  /** Open events by id. */
  private readonly open = new Map<number, { monitorId: number; start: number }>();
  private lastStatusAt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private started = false;
  monitors = new Map<number, ZmMonitor>();
  runStates: ZmRunState[] = [];

  constructor(
    readonly client: ZoneMinderClient,
    private readonly context: GatewayContext,
    private readonly timing: ZmPollTiming,
  ) {}

  start(): void {
    this.context.onHealth(IntegrationHealth.CONNECTING, null);
    this.schedule(0);
  }

  /** Ends the poll; resolves when a poll in progress has finished. No handler is called after this resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Polls now instead of at the end of the wait. */
  pollNow(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.poll().finally(() => {
        if (!this.stopped && !this.timer) this.schedule(this.nextDelay());
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private nextDelay(): number {
    if (this.failures === 0) return this.timing.eventsIntervalMs;
    return Math.min(this.timing.backoffMaxMs, this.timing.eventsIntervalMs * 2 ** Math.min(this.failures, 16));
  }

  private async poll(): Promise<void> {
    try {
      if (!this.started) await this.first();
      else {
        if (this.context.clock.now() - this.lastStatusAt >= this.timing.statusIntervalMs) await this.status();
        await this.events();
      }
      if (this.stopped) return;
      this.failures = 0;
      this.context.onHealth(IntegrationHealth.OK, null);
    } catch (error) {
      if (this.stopped) return;
      this.failures += 1;
      const failure = asGatewayError(error);
      log.warn(`poll failed: ${failure.message}`);
      this.context.onHealth(HEALTH_OF_FAILURE[failure.failure], failure.message);
    }
  }

  /** The snapshot after (re)connecting: monitors, run state, and which events are open now. */
  private async first(): Promise<void> {
    const [listing, runStates, recent] = await Promise.all([
      this.client.getMonitors(),
      this.client.getRunStates(),
      this.client.listEvents({ startFrom: this.context.clock.now() - START_LOOKBACK_MS, sort: 'Id' }, { maxPages: this.timing.maxEventPagesPerPoll }),
    ]);
    if (this.stopped) return;
    for (const entry of listing.unreadable) log.warn(`Left monitor ${entry.id ?? '?'} out: ${entry.reason}`);
    this.monitors = new Map(listing.monitors.map((m) => [m.id, m]));
    this.runStates = runStates;
    for (const event of recent.events) {
      if (event.end === null) this.track(event);
      this.seen(event);
    }
    // Events older than the look-back are not replayed, but new ones are numbered after them.
    if (!recent.complete || recent.events.length === 0) await this.skipToNewest();
    const openEvents = this.openEventOfMonitor();
    this.context.onSnapshot([...listing.monitors.map((m) => monitorEntity(m, openEvents.get(m.id))), runStateEntity(runStates)]);
    this.lastStatusAt = this.context.clock.now();
    this.started = true;
  }

  private async skipToNewest(): Promise<void> {
    const newest = await this.client.getEventsPage({ sort: 'Id', direction: 'desc' }, 1, { perPage: 1 });
    for (const event of newest.events) this.seen(event);
  }

  private async status(): Promise<void> {
    const [listing, runStates] = await Promise.all([this.client.getMonitors(), this.client.getRunStates()]);
    if (this.stopped) return;
    const now = this.context.clock.now();
    const values: UpstreamValues[] = [];
    for (const monitor of listing.monitors) {
      this.monitors.set(monitor.id, monitor);
      values.push({
        upstreamId: monitorUpstreamId(monitor.id),
        values: [
          { key: STATE_KEYS.video, value: videoValue(monitor) },
          { key: STATE_KEYS.function, value: monitor.function },
        ],
        ts: now,
      });
    }
    this.runStates = runStates;
    values.push({ upstreamId: RUN_STATE_ID, values: [{ key: STATE_KEYS.runState, value: runStates.find((s) => s.active)?.name ?? 'unknown' }], ts: now });
    this.lastStatusAt = now;
    this.context.onValues(values);
  }

  /** Events after the last seen, and the open ones again, as motion values in the order they happened. */
  private async events(): Promise<void> {
    const now = this.context.clock.now();
    const expired: UpstreamValues[] = [];
    for (const [id, event] of this.open) {
      if (!this.tooOld(event.start)) continue;
      this.open.delete(id);
      if (!this.moving(event.monitorId)) expired.push({ upstreamId: monitorUpstreamId(event.monitorId), values: [{ key: STATE_KEYS.motion, value: 'idle', correlation: String(id) }], ts: now });
    }
    if (expired.length > 0) this.context.onValues(expired);
    const openIds = [...this.open.keys()];
    const afterId = openIds.length > 0 ? Math.min(this.lastEventId, ...openIds) - 1 : this.lastEventId;
    const listing = await this.client.listEvents({ afterId, sort: 'Id' }, { maxPages: this.timing.maxEventPagesPerPoll, startFloor: this.lastEventStart });
    if (this.stopped) return;
    // Each value names the event that opened or closed it: an alert raised by it can then open that recording.
    const changes: Array<{ monitorId: number; value: 'active' | 'idle'; ts: number; eventId: number }> = [];
    for (const event of listing.events) {
      const isNew = event.id > this.lastEventId;
      const wasOpen = this.open.has(event.id);
      // An event found open long after it started is one ZoneMinder never closed, not motion now.
      if (isNew && !(event.end === null && this.tooOld(event.start))) {
        changes.push({ monitorId: event.monitorId, value: 'active', ts: event.start, eventId: event.id });
        if (event.end === null) this.track(event);
      }
      if (event.end !== null && (isNew || wasOpen)) {
        this.open.delete(event.id);
        // Still active while another event of the monitor is open.
        if (!this.moving(event.monitorId)) changes.push({ monitorId: event.monitorId, value: 'idle', ts: event.end, eventId: event.id });
      }
      this.seen(event);
    }
    if (changes.length === 0) return;
    changes.sort((a, b) => a.ts - b.ts);
    this.context.onValues(
      changes.map((c) => ({ upstreamId: monitorUpstreamId(c.monitorId), values: [{ key: STATE_KEYS.motion, value: c.value, correlation: String(c.eventId) }], ts: c.ts })),
    );
  }

  private tooOld(start: number): boolean {
    return start < this.context.clock.now() - this.timing.maxOpenEventMs;
  }

  private track(event: ZmEvent): void {
    if (this.tooOld(event.start)) return;
    if (this.open.size >= this.timing.maxOpenEvents) {
      const oldest = this.open.keys().next().value!;
      this.open.delete(oldest);
    }
    this.open.set(event.id, { monitorId: event.monitorId, start: event.start });
  }

  /** The newest open event of each monitor that has one. */
  private openEventOfMonitor(): Map<number, number> {
    const newest = new Map<number, number>();
    for (const [id, event] of this.open) if (id > (newest.get(event.monitorId) ?? 0)) newest.set(event.monitorId, id);
    return newest;
  }

  private moving(monitorId: number): boolean {
    for (const event of this.open.values()) if (event.monitorId === monitorId) return true;
    return false;
  }

  private seen(event: ZmEvent): void {
    this.lastEventId = Math.max(this.lastEventId, event.id);
    this.lastEventStart = Math.max(this.lastEventStart, event.start);
  }
}

/**
 * ZoneMinder over its JSON API: each monitor a camera (video, motion from its events, its function as a control), the
 * run state as a system entity. States stay live by polling: new and closed events every few seconds, monitors and
 * the run state less often. Streams are served to the hub's proxy with the token in the URL, never to a panel.
 */
export class ZoneMinderGateway implements IntegrationGateway {
  readonly key = ZONEMINDER_KEY;
  readonly label = 'ZoneMinder';
  readonly description = 'Cameras, motion events and run states from a ZoneMinder video recorder.';
  readonly configFields = CONFIG_FIELDS;
  private poller: ZmPoller | null = null;
  private pollerConfig: IntegrationConfig | null = null;
  /** The monitor of each event known to the gateway, keyed by server address and event id. */
  private readonly eventOwners = new LRUCache<string, number>({ max: EVENT_OWNERS.max, ttl: EVENT_OWNERS.ttlMs });

  constructor(
    private readonly clock: Clock,
    private readonly timing: ZmPollTiming = ZM_POLL,
  ) {}

  async testConnection(config: IntegrationConfig): Promise<void> {
    try {
      await this.client(config).getVersion();
    } catch (error) {
      throw asGatewayError(error);
    }
  }

  async fetchUpstream(config: IntegrationConfig): Promise<UpstreamListing> {
    try {
      const client = this.client(config);
      const [listing, runStates, recent] = await Promise.all([
        client.getMonitors(),
        client.getRunStates(),
        // Motion only sets the first value; a user without access to events can still import the cameras.
        client.listEvents({ startFrom: this.clock.now() - START_LOOKBACK_MS }, { maxPages: this.timing.maxEventPagesPerPoll }).catch((error: unknown) => {
          log.warn(`events could not be read for the listing: ${asGatewayError(error).message}`);
          return null;
        }),
      ]);
      const openEvents = new Map<number, number>();
      for (const e of recent?.events ?? []) if (e.end === null && e.id > (openEvents.get(e.monitorId) ?? 0)) openEvents.set(e.monitorId, e.id);
      return {
        entities: [...listing.monitors.map((m) => monitorEntity(m, openEvents.get(m.id))), runStateEntity(runStates)],
        unreadable: listing.unreadable.map((u) => ({ upstreamId: u.id === null ? null : monitorUpstreamId(Number(u.id)), reason: u.reason })),
      };
    } catch (error) {
      throw asGatewayError(error);
    }
  }

  start(context: GatewayContext): void {
    let client: ZoneMinderClient;
    try {
      client = this.client(context.config, false);
    } catch (error) {
      context.onHealth(IntegrationHealth.UNREACHABLE, asGatewayError(error).message);
      return;
    }
    this.poller = new ZmPoller(client, context, this.timing);
    this.pollerConfig = context.config;
    this.poller.start();
  }

  reconnectNow(): void {
    this.poller?.pollNow();
  }

  async stop(): Promise<void> {
    const poller = this.poller;
    this.poller = null;
    this.pollerConfig = null;
    await poller?.stop();
  }

  /** The server's zone, while running; ZoneMinder has no unit system. */
  async homeConfig(): Promise<Pick<UpstreamHomeConfig, 'timeZone' | 'unitSystem'> | null> {
    const poller = this.poller;
    if (!poller) return null;
    try {
      return { timeZone: await poller.client.serverTimeZone(), unitSystem: null };
    } catch {
      return null;
    }
  }

  async control(config: IntegrationConfig, target: { upstreamId: string; domain: string }, stateKey: string, value: string): Promise<void> {
    try {
      const client = this.client(config);
      if (target.upstreamId === RUN_STATE_ID && stateKey === STATE_KEYS.runState) {
        const states = await client.getRunStates();
        if (!states.some((s) => s.name === value)) throw new GatewayError('refused', `ZoneMinder has no run state "${value}".`, { reason: `no run state ${value}` });
        await client.changeRunState(value);
      } else {
        const monitorId = monitorIdOf(target.upstreamId);
        if (monitorId === null || stateKey !== STATE_KEYS.function) throw new GatewayError('refused', `${target.upstreamId} cannot be controlled that way.`);
        if (!isZmFunction(value)) throw new GatewayError('refused', `"${value}" is not a ZoneMinder function; use one of ${ZM_FUNCTIONS.join(', ')}.`);
        const monitor = (await client.getMonitors()).monitors.find((m) => m.id === monitorId);
        if (!monitor) throw new GatewayError('refused', `ZoneMinder has no monitor ${monitorId} any more.`, { reason: `no monitor ${monitorId}` });
        await client.setMonitorFunction(monitor, value);
      }
      // The new function or run state shows at once rather than at the next status poll.
      this.poller?.pollNow();
    } catch (error) {
      throw asGatewayError(error);
    }
  }

  /** The hub's proxy opens this URL itself; the token in it never reaches a panel. */
  async videoSource(config: IntegrationConfig, upstreamId: string, kind: 'live' | 'snapshot'): Promise<{ url: string; headers: Record<string, string> }> {
    const monitorId = monitorIdOf(upstreamId);
    if (monitorId === null) throw new GatewayError('refused', `${upstreamId} is not a ZoneMinder camera.`);
    try {
      const client = this.client(config);
      const url = kind === 'live' ? await client.liveStreamUrl(monitorId) : await client.snapshotUrl(monitorId);
      return { url, headers: {} };
    } catch (error) {
      throw asGatewayError(error);
    }
  }

  /** Each camera's events in the span, read per monitor with StartTime filters, newest first and at most `limit`. */
  async listVideoEvents(config: IntegrationConfig, query: VideoEventQuery): Promise<VideoEventListing> {
    if (!(Number.isSafeInteger(query.limit) && query.limit >= 1)) throw new GatewayError('refused', `A limit of ${query.limit} events cannot be listed.`);
    const monitors = [...new Set(query.upstreamIds.map(monitorIdOf).filter((id): id is number => id !== null))];
    const maxPages = Math.min(ZM_PROTOCOL.maxEventPages, Math.ceil(query.limit / ZM_PROTOCOL.eventsPerPage));
    try {
      const client = this.client(config);
      const listings = await Promise.all(
        monitors.map((monitorId) =>
          client.listEvents({ monitorId, startFrom: query.from, startBefore: query.to, sort: 'StartTime', direction: 'desc' }, { maxPages }),
        ),
      );
      const listed = listings.flatMap((listing) => listing.events);
      // The browser asks for these events' thumbnails next: their monitors are known without asking again.
      for (const e of listed) this.eventOwners.set(eventOwnerKey(config, e.id), e.monitorId);
      const events: UpstreamVideoEvent[] = listed
        .map((e) => ({ upstreamId: monitorUpstreamId(e.monitorId), eventId: String(e.id), start: e.start, end: e.end, alarmFrames: e.alarmFrames ?? 0 }))
        .sort((a, b) => b.start - a.start || Number(b.eventId) - Number(a.eventId));
      for (const listing of listings) for (const entry of listing.unreadable) log.warn(`Left event ${entry.id ?? '?'} out of the browser: ${entry.reason}`);
      const complete = events.length <= query.limit && listings.every((l) => l.complete && l.unreadable.length === 0);
      return { events: events.slice(0, query.limit), complete };
    } catch (error) {
      throw asGatewayError(error);
    }
  }

  /** A recorded event's replay or one picture of it, with the token in the URL; for the hub's proxy only. */
  async eventVideoSource(config: IntegrationConfig, upstreamId: string, eventId: string, kind: 'play' | 'thumbnail'): Promise<{ url: string; headers: Record<string, string> }> {
    const monitorId = monitorIdOf(upstreamId);
    if (monitorId === null) throw new GatewayError('refused', `${upstreamId} is not a ZoneMinder camera.`);
    const id = /^[1-9]\d{0,14}$/.test(eventId) ? Number(eventId) : null;
    if (id === null || !Number.isSafeInteger(id)) throw new GatewayError('refused', `"${eventId.slice(0, 20)}" is not a ZoneMinder event id.`);
    try {
      const client = this.client(config);
      const key = eventOwnerKey(config, id);
      let owner = this.eventOwners.get(key);
      if (owner === undefined) {
        const found = await client.getEventMonitorId(id);
        if (found === null) throw new GatewayNotFoundError(`ZoneMinder has no recording ${id}.`);
        owner = found;
        this.eventOwners.set(key, owner);
      }
      // A path naming another camera must not play this one's recording: the panel may only see what it asked for.
      if (owner !== monitorId) throw new GatewayNotFoundError(`Recording ${id} was not made by this camera.`);
      const url = kind === 'play' ? await client.eventStreamUrl(id) : await client.eventThumbnailUrl(id, { scale: THUMBNAIL_SCALE });
      return { url, headers: {} };
    } catch (error) {
      throw asGatewayError(error);
    }
  }

  /** The running poll's client when the configuration is the same (its tokens are reused), else a new one. */
  private client(config: IntegrationConfig, reuse = true): ZoneMinderClient {
    const same = (a: IntegrationConfig, b: IntegrationConfig) => a.url === b.url && a.user === b.user && a.password === b.password;
    if (reuse && this.poller && this.pollerConfig && same(this.pollerConfig, config)) return this.poller.client;
    return new ZoneMinderClient({ baseUrl: config.url ?? '', user: config.user ?? '', password: config.password ?? '', clock: this.clock });
  }
}
