import { IntegrationHealth } from '../../../src-shared/enums';
import type { Clock } from '../../util/clock';
import type { GatewayContext, IntegrationConfig, IntegrationConfigField, IntegrationGateway, UpstreamListing } from '../gateway';
import type { UpstreamEntity } from '../upstream';
import { HaAuthError, HaUnreachableError, HomeAssistantClient, type LiveTiming } from './client';
import { convertHaState, serviceCallFor, valuesFromHaState, type ConvertOptions } from './converters';
import type { HaState } from './ha-types';

export const HOME_ASSISTANT_KEY = 'home_assistant';

const CONFIG_FIELDS: readonly IntegrationConfigField[] = [
  { key: 'url', label: 'Address', description: 'Where Home Assistant answers, e.g. http://homeassistant.local:8123.', type: 'url', required: true },
  {
    key: 'token',
    label: 'Long-lived access token',
    description: 'Create one in Home Assistant under your profile → Security → Long-lived access tokens.',
    type: 'secret',
    required: true,
  },
];

/** A message a person can act on, for the Integrations tab. */
function explain(error: unknown): Error {
  if (error instanceof HaAuthError) return new Error('Home Assistant refused the token. Create a new long-lived access token and enter it again.');
  if (error instanceof HaUnreachableError) return new Error(`Home Assistant cannot be reached: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

function convertAll(states: readonly HaState[], options: ConvertOptions = {}): UpstreamEntity[] {
  return states.map((state) => convertHaState(state, options)).filter((entity): entity is UpstreamEntity => entity !== null);
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

  constructor(
    private readonly clock: Clock,
    private readonly liveTiming?: Partial<LiveTiming>,
  ) {}

  async testConnection(config: IntegrationConfig): Promise<void> {
    try {
      await this.client(config).checkApi();
    } catch (error) {
      throw explain(error);
    }
  }

  async fetchUpstream(config: IntegrationConfig): Promise<UpstreamListing> {
    try {
      const client = this.client(config);
      // Climate attributes carry bare numbers: the server's unit system says what they are in.
      const [states, haConfig] = await Promise.all([client.getStates(), client.getConfig()]);
      return { entities: convertAll(states, { temperatureUnit: haConfig.unit_system?.temperature ?? null }), unreadable: [] };
    } catch (error) {
      throw explain(error);
    }
  }

  start(context: GatewayContext): void {
    const client = this.client(context.config);
    this.live = client;
    let everConnected = false;
    client.startLive({
      onSnapshot: (states) => {
        const entities = convertAll(states);
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
      onConnection: (status, detail) => {
        if (status === 'connected') {
          everConnected = true;
          context.onHealth(IntegrationHealth.OK, null);
        } else if (status === 'auth_failed') {
          context.onHealth(IntegrationHealth.AUTH_FAILED, explain(new HaAuthError(detail ?? 'auth_invalid')).message);
        } else if (status === 'disconnected' || everConnected) {
          context.onHealth(IntegrationHealth.UNREACHABLE, detail ?? null);
        } else {
          context.onHealth(IntegrationHealth.CONNECTING, detail ?? null);
        }
      },
    });
  }

  async stop(): Promise<void> {
    const client = this.live;
    this.live = null;
    this.stateKeys.clear();
    await client?.stopLive();
  }

  async control(config: IntegrationConfig, target: { upstreamId: string; domain: string }, stateKey: string, value: string): Promise<void> {
    const call = serviceCallFor(target, stateKey, value);
    if (!call) throw new Error(`${target.upstreamId} cannot be controlled that way.`);
    try {
      // The live socket when it is up (no new connection per tap), REST otherwise.
      if (this.live?.liveStatus() === 'connected') await this.live.callServiceWs(call.domain, call.service, call.serviceData);
      else await this.client(config).callService(call.domain, call.service, call.serviceData);
    } catch (error) {
      throw explain(error);
    }
  }

  private client(config: IntegrationConfig): HomeAssistantClient {
    return new HomeAssistantClient({ baseUrl: config.url ?? '', token: config.token ?? '', clock: this.clock, live: this.liveTiming });
  }
}
