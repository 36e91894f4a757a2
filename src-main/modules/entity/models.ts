import type { Generated, Kysely, Selectable } from 'kysely';

export interface EntityTable {
  id: Generated<number>;
  name: string;
  entity_type_str: string;
  integration_name: string | null;
  integration_id: string | null;
  /** What the integration last said about it (JSON), for display and re-sync. */
  integration_payload: string | null;
  /** The link an entity had before it was detached, so a later sync can reconnect it. */
  previous_integration_name: string | null;
  previous_integration_id: string | null;
  is_disabled: Generated<number>;
  has_video_stream: Generated<number>;
  /** Set when the user deletes it: hidden everywhere, restorable with its attributes and placements. */
  archived_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface EntityStateTable {
  id: Generated<number>;
  entity_id: number;
  entity_state_type_str: string;
  name: string;
  value_range_str: string | null;
  units: string | null;
  created_at: number;
}

interface DeviceLinkTable {
  id: Generated<number>;
  entity_state_id: number;
  name: string;
  integration_name: string | null;
  integration_id: string | null;
  persist_history: Generated<number>;
  created_at: number;
}

export type SensorTable = DeviceLinkTable;
export type ControllerTable = DeviceLinkTable;

export interface SensorHistoryTable {
  id: Generated<number>;
  sensor_id: number;
  value: string | null;
  /** Epoch milliseconds. */
  ts: number;
  /** The upstream's id of the recorded event the value opens or closes (ZoneMinder's event id); null for most values. */
  correlation: string | null;
}

export interface ControllerHistoryTable {
  id: Generated<number>;
  controller_id: number;
  value: string | null;
  ts: number;
}

export interface PositionColumns {
  id: Generated<number>;
  location_id: number;
  svg_x: number;
  svg_y: number;
  svg_scale: Generated<number>;
  svg_rotate: Generated<number>;
}

export interface PathColumns {
  id: Generated<number>;
  location_id: number;
  svg_path: string;
  path_style_str: string;
}

export interface EntityTables {
  entity: EntityTable;
  entity_state: EntityStateTable;
  sensor: SensorTable;
  controller: ControllerTable;
  sensor_history: SensorHistoryTable;
  controller_history: ControllerHistoryTable;
  entity_position: PositionColumns & { entity_id: number };
  entity_path: PathColumns & { entity_id: number };
  entity_view: { id: Generated<number>; entity_id: number; location_view_id: number };
}

export type Entity = Selectable<EntityTable>;
export type EntityState = Selectable<EntityStateTable>;
export type Sensor = Selectable<SensorTable>;

/** The newest `limit` history rows of one sensor, from the (sensor_id, ts DESC) index. */
export function recentSensorHistory(db: Kysely<EntityTables>, sensorId: number, limit: number): Promise<Array<{ value: string | null; ts: number }>> {
  return db.selectFrom('sensor_history').select(['value', 'ts']).where('sensor_id', '=', sensorId).orderBy('ts', 'desc').limit(limit).execute();
}
