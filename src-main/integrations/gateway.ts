import type { IntegrationHealth } from '../../src-shared/enums';
import type { UpstreamHomeConfig } from '../../src-shared/model/home-config';
import type { Clock } from '../util/clock';
import type { UpstreamEntity, UpstreamValues } from './upstream';

/**
 * Why a call to an upstream failed, in terms the hub can act on: the integration manager maps each kind to a typed
 * IPC error so the panel can say "Home Assistant is unreachable" rather than show a socket code.
 */
export type GatewayFailure =
  /** The credentials were refused. */
  | 'auth'
  /** The server could not be reached or did not answer in time. */
  | 'unreachable'
  /** The server answered and refused this request (a bad service call, a 4xx). */
  | 'refused'
  /** The server answered with something that does not follow its own protocol. */
  | 'protocol';

export class GatewayError extends Error {
  /** For a refusal: the upstream's own words, without the sentence around them (by default the message); null when it gave none. */
  readonly reason: string | null;

  constructor(
    readonly failure: GatewayFailure,
    /** A sentence a person can act on. */
    message: string,
    options?: ErrorOptions & { reason?: string | null },
  ) {
    super(message, options);
    this.name = 'GatewayError';
    this.reason = options && 'reason' in options ? (options.reason ?? null) : failure === 'refused' ? message : null;
  }
}

/** The upstream has no such thing to hand out (an id it does not know, a recording of another camera): not found. */
export class GatewayNotFoundError extends GatewayError {
  constructor(message: string) {
    super('refused', message);
    this.name = 'GatewayNotFoundError';
  }
}

/** An entry of an upstream list that could not be read: it says nothing about whether that device still exists. */
export interface UnreadableEntry {
  /** The upstream id when one could be read at all. */
  upstreamId: string | null;
  reason: string;
}

/** Everything the upstream lists, split into what could be read and what could not. */
export interface UpstreamListing {
  entities: UpstreamEntity[];
  unreadable: UnreadableEntry[];
}

export interface IntegrationConfigField {
  key: string;
  label: string;
  description: string;
  type: 'url' | 'text' | 'secret';
  required: boolean;
}

/** Configuration as the gateway sees it: every field by key, secrets decrypted. */
export type IntegrationConfig = Readonly<Record<string, string>>;

/** Which recorded events to list: of these cameras, starting in [from, to), at most `limit` of them. */
export interface VideoEventQuery {
  upstreamIds: readonly string[];
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  limit: number;
}

/** One recorded event as the upstream has it. */
export interface UpstreamVideoEvent {
  upstreamId: string;
  /** The upstream's own id of the event, digits only. */
  eventId: string;
  /** Epoch ms. */
  start: number;
  /** Epoch ms; null while the event is still being recorded. */
  end: number | null;
  alarmFrames: number;
}

export interface VideoEventListing {
  events: UpstreamVideoEvent[];
  /** False when there were more than `limit` (the newest are kept) or some could not be read. */
  complete: boolean;
}

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
  /** Resolves when the configuration reaches the server and is accepted; rejects with a GatewayError. */
  testConnection(config: IntegrationConfig): Promise<void>;
  /** Rejects with a GatewayError; entries it cannot read are listed as unreadable, never silently left out. */
  fetchUpstream(config: IntegrationConfig): Promise<UpstreamListing>;
  start(context: GatewayContext): void;
  /** Ends a wait between reconnect attempts of the running connection and tries again now, if it has such waits. */
  reconnectNow?(): void;
  /** The home's zone and units as the upstream has them, while it is connected; null otherwise. Never rejects. */
  homeConfig?(): Promise<Pick<UpstreamHomeConfig, 'timeZone' | 'unitSystem'> | null>;
  stop(): Promise<void>;
  /** Sends a control; rejects with a GatewayError when the upstream refuses it or cannot be reached. */
  control(config: IntegrationConfig, target: { upstreamId: string; domain: string }, stateKey: string, value: string): Promise<void>;
  /** Where the hub fetches a camera's video; the URL and headers carry credentials and never leave the hub. */
  videoSource?(config: IntegrationConfig, upstreamId: string, kind: 'live' | 'snapshot'): Promise<{ url: string; headers: Record<string, string> }>;
  /** The recorded events of these cameras in a span, newest first; rejects with a GatewayError. */
  listVideoEvents?(config: IntegrationConfig, query: VideoEventQuery): Promise<VideoEventListing>;
  /** Where the hub fetches one recorded event's playback (MJPEG) or thumbnail (one JPEG); like videoSource, never for a panel. */
  eventVideoSource?(config: IntegrationConfig, upstreamId: string, eventId: string, kind: 'play' | 'thumbnail'): Promise<{ url: string; headers: Record<string, string> }>;
}
