import type { EntityStateTypeValue, EntityTypeValue } from '../../src-shared/enums/entity';
import type { NumericRange } from '../../src-shared/model/location';

/** One state of an upstream device after conversion, e.g. a light's on/off or its brightness. */
export interface UpstreamState {
  /** Unique within the device and stable across syncs: it becomes part of the sensor's integration key. */
  key: string;
  stateType: EntityStateTypeValue;
  name: string;
  /** Normalised text: 'on'/'off', 'open'/'closed', numbers as decimal strings, 'unavailable' or 'unknown'; null when absent. */
  value: string | null;
  units: string | null;
  controllable: boolean;
  /** The values the state may be set to (a thermostat's modes), when the integration says; absent or null when any of its type's values goes. */
  choices?: readonly string[] | null;
  /** The numbers it may be set to (a thermostat's min_temp to max_temp), in its units, when the integration says. */
  range?: NumericRange | null;
  /** The upstream's id of the recorded event this value belongs to (see UpstreamValue.correlation). */
  correlation?: string;
}

/** A device as an integration reports it, already mapped to this app's entity types and states. */
export interface UpstreamEntity {
  /** The integration's own id for it (Home Assistant's entity_id). */
  upstreamId: string;
  /** Grouping for the import allowlist (Home Assistant's domain: light, sensor, ...). */
  domain: string;
  name: string;
  entityType: EntityTypeValue;
  states: UpstreamState[];
  hasVideoStream: boolean;
  /** The raw upstream attributes, kept for display and diagnosis. */
  payload: Record<string, unknown>;
}

/** One new value of one state. */
export interface UpstreamValue {
  key: string;
  value: string | null;
  /**
   * The upstream's id of the recorded event this value opens or closes (ZoneMinder's event id on a motion value), so
   * that an alert raised by it can open its recording; absent when the value belongs to none.
   */
  correlation?: string;
}

/** New values for some states of one upstream device. */
export interface UpstreamValues {
  upstreamId: string;
  values: UpstreamValue[];
  /** Epoch ms of the change upstream, when known. */
  ts: number;
}

/** The sensor / controller integration id of one state of one upstream device. */
export function stateIntegrationId(upstreamId: string, stateKey: string): string {
  return `${upstreamId}#${stateKey}`;
}
