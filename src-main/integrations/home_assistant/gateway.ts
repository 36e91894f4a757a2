import { IntegrationHealth } from '../../../src-shared/enums';
import type { UpstreamHomeConfig } from '../../../src-shared/model/home-config';
import { isValidTimezone } from '../../../src-shared/model/settings';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import {
  GatewayError,
  type GatewayContext,
  type IntegrationConfig,
  type IntegrationConfigField,
  type IntegrationGateway,
  type UnreadableEntry,
  type UpstreamListing,
} from '../gateway';
import { clipText } from '../upstream-limits';
import {
  HaAuthError,
  HaProtocolError,
  HaRequestError,
  HaServerError,
  HaUnreachableError,
  HomeAssistantClient,
  UNREACHABLE_WORDS,
  type HaUnreachableReason,
  type LiveIssue,
  type LiveTiming,
} from './client';
import { convertHaState, domainOf, HaControlValueError, IMPORTED_DOMAINS, serviceCallFor, valuesFromHaState, type ConvertOptions } from './converters';
import type { HaConfig, HaState } from './ha-types';

export const HOME_ASSISTANT_KEY = 'home_assistant';

const log = createLogger('home-assistant');

const CONFIG_FIELDS: readonly IntegrationConfigField[] = [
  {
    key: 'url',
    label: 'Address',
    description: 'Where Home Assistant answers, e.g. homeassistant.local:8123 or 192.168.1.20:8123; http:// is assumed unless you write https://.',
    type: 'url',
    required: true,
  },
  {
    key: 'token',
    label: 'Long-lived access token',
    description: 'Create one in Home Assistant under your profile → Security → Long-lived access tokens.',
    type: 'secret',
    required: true,
  },
];

const AUTH_MESSAGE = 'Home Assistant refused the token. Create a new long-lived access token and enter it again.';


const unreachableMessage = (reason: HaUnreachableReason): string => `Home Assistant is unreachable: ${UNREACHABLE_WORDS[reason]}.`;

/** Any failure of the client as a GatewayError with a message a person can act on; the original is its cause. */
export function gatewayErrorOf(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const options = { cause: error };
  if (error instanceof HaAuthError) return new GatewayError('auth', AUTH_MESSAGE, options);
  if (error instanceof HaUnreachableError) return new GatewayError('unreachable', unreachableMessage(error.reason), options);
  // A 5xx (often a proxy in front of a Home Assistant that is down): worth trying again later.
  if (error instanceof HaServerError) {
    return new GatewayError('unreachable', `Home Assistant is unreachable: it answered with a server error${error.status ? ` (${error.status})` : ''}.`, options);
  }
  if (error instanceof HaProtocolError) {
    return new GatewayError('protocol', `Home Assistant answered something this app cannot read (${error.message}). Check that the address is Home Assistant's.`, options);
  }
  if (error instanceof HaRequestError) return new GatewayError('refused', `Home Assistant refused the request${error.reply ? `: ${error.reply}` : '.'}`, { ...options, reason: error.reply });
  if (error instanceof HaControlValueError) return new GatewayError('refused', error.message, { ...options, reason: error.message });
  const text = error instanceof Error ? error.message : String(error);
  return new GatewayError('protocol', `Home Assistant could not be used: ${clipText(text, 200)}`, options);
}

const ISSUE_WORDS: Record<LiveIssue['kind'], (count: number) => string> = {
  unreadable_entity: (n) => `${n} unreadable entity ${n === 1 ? 'state' : 'states'}`,
  dropped_attributes: (n) => `oversized attributes left out ${n === 1 ? 'once' : `${n} times`}`,
  too_many_entities: (n) => `${n} ${n === 1 ? 'entity' : 'entities'} beyond the limit`,
  unreadable_message: (n) => `${n} unreadable ${n === 1 ? 'message' : 'messages'}`,
  unexpected_message: (n) => `${n} unexpected ${n === 1 ? 'message' : 'messages'}`,
};

/** A bounded summary for health: counts per kind and a few entity ids. */
export function describeIssues(issues: readonly LiveIssue[]): string {
  const parts = issues.map(({ kind, count, examples }) => {
    const ids = examples.map((id) => clipText(id, 64)).join(', ');
    return `${ISSUE_WORDS[kind](count)}${ids ? ` (${ids})` : ''}`;
  });
  return `Home Assistant sent data that was left out: ${parts.join('; ')}.`;
}

const IMPORTED: ReadonlySet<string> = new Set(IMPORTED_DOMAINS);

/** IANA zone names are far shorter; a longer one is not worth asking Intl about. */
const MAX_ZONE_NAME = 64;

/** Home Assistant's zone and unit system, each null when it is not one this app can use. */
export function homeConfigOf(config: HaConfig): Pick<UpstreamHomeConfig, 'timeZone' | 'unitSystem'> {
  const zone = config.time_zone;
  const temperature = config.unit_system?.temperature;
  return {
    timeZone: zone !== undefined && zone.length <= MAX_ZONE_NAME && isValidTimezone(zone) ? zone : null,
    unitSystem: temperature === '°C' ? 'metric' : temperature === '°F' ? 'imperial' : null,
  };
}

/** Converts each state; one that fails to convert is listed as unreadable, never lost silently. */
function convertAll(states: readonly HaState[], options: ConvertOptions = {}): UpstreamListing {
  const listing: UpstreamListing = { entities: [], unreadable: [] };
  for (const state of states) {
    try {
      const entity = convertHaState(state, options);
      if (entity) listing.entities.push(entity);
    } catch (error) {
      listing.unreadable.push({ upstreamId: state.entity_id, reason: `could not be converted: ${clipText(error instanceof Error ? error.message : String(error), 200)}` });
    }
  }
  return listing;
}

/** Home Assistant over its REST API (tests, imports, controls) and its WebSocket API (live states). */
export class HomeAssistantGateway implements IntegrationGateway {
  readonly key = HOME_ASSISTANT_KEY;
  readonly label = 'Home Assistant';
  readonly description = 'Lights, switches, sensors, locks, covers, climate and cameras from a Home Assistant server.';
  readonly configFields = CONFIG_FIELDS;
  private live: HomeAssistantClient | null = null;
  /** State keys of each live entity, so that one removed upstream can be shown as unavailable. */
  private readonly stateKeys = new Map<string, string[]>();
  /** get_config on the live connection, asked after each connect; null when it failed. */
  private home: Promise<Pick<UpstreamHomeConfig, 'timeZone' | 'unitSystem'> | null> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly liveTiming?: Partial<LiveTiming>,
  ) {}

  async testConnection(config: IntegrationConfig): Promise<void> {
    try {
      await this.client(config).checkApi();
    } catch (error) {
      throw gatewayErrorOf(error);
    }
  }

  async fetchUpstream(config: IntegrationConfig): Promise<UpstreamListing> {
    try {
      const client = this.client(config);
      // Climate attributes carry bare numbers: the server's unit system says what they are in.
      const [states, haConfig] = await Promise.all([client.getStates(), client.getConfig()]);
      const listing = convertAll(states.states, { temperatureUnit: haConfig.unit_system?.temperature ?? null });
      // An unreadable entry of a domain that is never imported says nothing about imported items.
      const unreadable: UnreadableEntry[] = states.unreadable
        .filter((entry) => entry.entityId === null || IMPORTED.has(domainOf(entry.entityId)))
        .map((entry) => ({ upstreamId: entry.entityId, reason: entry.reason }));
      return { entities: listing.entities, unreadable: [...unreadable, ...listing.unreadable] };
    } catch (error) {
      throw gatewayErrorOf(error);
    }
  }

  start(context: GatewayContext): void {
    let client: HomeAssistantClient;
    try {
      client = this.client(context.config);
    } catch (error) {
      context.onHealth(IntegrationHealth.UNREACHABLE, gatewayErrorOf(error).message);
      return;
    }
    this.live = client;
    let everConnected = false;
    let connected = false;
    // Until a connection is accepted again, a retry of the refused token is still "sign-in failed", not news.
    let tokenRefused = false;
    let issues: readonly LiveIssue[] | null = null;
    let lastUnreachable = unreachableMessage('other');
    // While connected: DEGRADED as long as something was left out since the last snapshot, else OK.
    const reportConnected = (): void => {
      if (issues) context.onHealth(IntegrationHealth.DEGRADED, describeIssues(issues));
      else context.onHealth(IntegrationHealth.OK, null);
    };
    client.startLive({
      onSnapshot: (states) => {
        const { entities, unreadable } = convertAll(states);
        for (const entry of unreadable) log.warn(`Left ${entry.upstreamId ?? '?'} out of the snapshot: ${entry.reason}`);
        this.stateKeys.clear();
        for (const entity of entities) this.stateKeys.set(entity.upstreamId, entity.states.map((s) => s.key));
        context.onSnapshot(entities);
      },
      onChanges: (changed, removed) => {
        const values = changed.map((state) => valuesFromHaState(state, { fallbackTs: this.clock.now() }));
        const now = this.clock.now();
        for (const upstreamId of removed) {
          const keys = this.stateKeys.get(upstreamId) ?? [];
          this.stateKeys.delete(upstreamId);
          values.push({ upstreamId, values: keys.map((key) => ({ key, value: 'unavailable' })), ts: now });
        }
        context.onValues(values);
      },
      onConnection: (status, _detail, reason) => {
        connected = status === 'connected';
        if (connected) {
          everConnected = true;
          tokenRefused = false;
          reportConnected();
          this.home = this.askHomeConfig(client);
        } else if (status === 'auth_failed') {
          tokenRefused = true;
          context.onHealth(IntegrationHealth.AUTH_FAILED, AUTH_MESSAGE);
        } else if (status === 'connecting' && tokenRefused) {
          return;
        } else if (status === 'disconnected') {
          lastUnreachable = unreachableMessage(reason ?? 'other');
          context.onHealth(IntegrationHealth.UNREACHABLE, lastUnreachable);
        } else if (everConnected) {
          // A reconnect attempt: still unreachable, for the reason last seen.
          context.onHealth(IntegrationHealth.UNREACHABLE, lastUnreachable);
        } else {
          context.onHealth(IntegrationHealth.CONNECTING, null);
        }
      },
      onIssues: (summary) => {
        issues = summary;
        if (connected) reportConnected();
      },
    });
  }

  /** Tries the live connection again now, with the stored token: after "Sync now" found the server accepting it. */
  reconnectNow(): void {
    this.live?.reconnectNow();
  }

  async stop(): Promise<void> {
    const client = this.live;
    this.live = null;
    this.home = null;
    this.stateKeys.clear();
    await client?.stopLive();
  }

  homeConfig(): Promise<Pick<UpstreamHomeConfig, 'timeZone' | 'unitSystem'> | null> {
    return (this.live?.liveStatus() === 'connected' && this.home) || Promise.resolve(null);
  }

  private askHomeConfig(client: HomeAssistantClient): Promise<Pick<UpstreamHomeConfig, 'timeZone' | 'unitSystem'> | null> {
    return client.getConfigWs().then(homeConfigOf, (error: unknown) => {
      // Only the settings dialog's offer depends on it; the next connect asks again.
      log.warn(`get_config failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    });
  }

  async control(config: IntegrationConfig, target: { upstreamId: string; domain: string }, stateKey: string, value: string): Promise<void> {
    try {
      const call = serviceCallFor(target, stateKey, value);
      if (!call) throw new GatewayError('refused', `${target.upstreamId} cannot be controlled that way.`, { reason: `${target.upstreamId} cannot be controlled that way.` });
      // The live socket when it is up (no new connection per tap), REST otherwise.
      if (this.live?.liveStatus() === 'connected') await this.live.callServiceWs(call.domain, call.service, call.serviceData);
      else await this.client(config).callService(call.domain, call.service, call.serviceData);
    } catch (error) {
      throw gatewayErrorOf(error);
    }
  }

  /** Home Assistant's camera proxy: MJPEG from camera_proxy_stream, one JPEG from camera_proxy, with the token. */
  async videoSource(config: IntegrationConfig, upstreamId: string, kind: 'live' | 'snapshot'): Promise<{ url: string; headers: Record<string, string> }> {
    if (!/^camera\.[a-z0-9_]+$/.test(upstreamId)) throw new GatewayError('refused', `${clipText(upstreamId, 100)} is not a Home Assistant camera.`);
    let base: URL;
    try {
      base = new URL(config.url ?? '');
    } catch (error) {
      throw new GatewayError('unreachable', `Home Assistant cannot be reached at "${clipText(config.url ?? '', 200)}": that is not an http:// or https:// address.`, { cause: error });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new GatewayError('unreachable', `Home Assistant cannot be reached at "${clipText(config.url ?? '', 200)}": that is not an http:// or https:// address.`);
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    const path = kind === 'live' ? 'api/camera_proxy_stream/' : 'api/camera_proxy/';
    return { url: new URL(path + upstreamId, base).href, headers: { Authorization: `Bearer ${config.token ?? ''}` } };
  }

  private client(config: IntegrationConfig): HomeAssistantClient {
    try {
      return new HomeAssistantClient({ baseUrl: config.url ?? '', token: config.token ?? '', clock: this.clock, live: this.liveTiming });
    } catch (error) {
      throw new GatewayError('unreachable', `Home Assistant cannot be reached at "${clipText(config.url ?? '', 200)}": that is not an http:// or https:// address.`, { cause: error });
    }
  }
}
