import type { Generated } from 'kysely';

/** One sensor's numeric readings in one minute or hour, rolled up from sensor_history (see HistoryRollup). */
export interface SensorHistoryRollupTable {
  sensor_id: number;
  /** Epoch ms of the minute's or hour's start. */
  bucket_ts: number;
  numeric_count: number;
  min_value: number | null;
  max_value: number | null;
  sum_value: number | null;
  last_ts: number;
  last_value: string | null;
}

/** How far sensor_history has been rolled up: every row with an id up to last_history_id is counted. */
export interface SensorHistoryRollupMarkTable {
  id: Generated<number>;
  last_history_id: number;
}

export interface HistoryTables {
  sensor_history_minute: SensorHistoryRollupTable;
  sensor_history_hour: SensorHistoryRollupTable;
  sensor_history_rollup_mark: SensorHistoryRollupMarkTable;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** The rollup levels, finest first: a chart reads the coarsest whose step divides its bucket width. */
export const ROLLUP_LEVELS = [
  { table: 'sensor_history_minute', stepMs: MINUTE_MS },
  { table: 'sensor_history_hour', stepMs: HOUR_MS },
] as const;
export type RollupLevel = (typeof ROLLUP_LEVELS)[number];
