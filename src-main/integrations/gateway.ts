import type { IntegrationHealth } from '../../src-shared/enums';
import type { Clock } from '../util/clock';
import type { UpstreamEntity, UpstreamValues } from './upstream';

export interface IntegrationConfigField {
  key: string;
  label: string;
  description: string;
  type: 'url' | 'text' | 'secret';
  required: boolean;
}

/** Configuration as the gateway sees it: every field by key, secrets decrypted. */
export type IntegrationConfig = Readonly<Record<string, string>>;

/** What a running gateway reports back to the hub. */
export interface GatewayContext {
  readonly config: IntegrationConfig;
  readonly clock: Clock;
  /** Live values of upstream states, as they change. */
  onValues(values: readonly UpstreamValues[]): void;
  /** The full current upstream set, after each (re)connect: values and the entity list for sync. */
  onSnapshot(entities: readonly UpstreamEntity[]): void;
  onHealth(health: IntegrationHealth, message: string | null): void;
}

/**
 * One kind of integration (Home Assistant, ZoneMinder, ...). The integration manager discovers gateways from the
 * registry; each knows how to test its configuration, list what it has upstream, stay live and send controls.
 */
export interface IntegrationGateway {
  readonly key: string;
  readonly label: string;
  readonly description: string;
  readonly configFields: readonly IntegrationConfigField[];
  /** Resolves when the configuration reaches the server and is accepted; rejects with a message a person can act on. */
  testConnection(config: IntegrationConfig): Promise<void>;
  fetchUpstream(config: IntegrationConfig): Promise<UpstreamEntity[]>;
  start(context: GatewayContext): void;
  stop(): Promise<void>;
  /** Sends a control; rejects with a message when the upstream refuses it. */
  control(config: IntegrationConfig, target: { upstreamId: string; domain: string }, stateKey: string, value: string): Promise<void>;
}
