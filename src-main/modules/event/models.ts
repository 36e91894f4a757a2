import type { Generated, Kysely, Selectable } from 'kysely';

export interface EventDefinitionTable {
  id: Generated<number>;
  name: string;
  event_type_str: string;
  event_window_secs: number;
  dedupe_window_secs: number;
  enabled: number;
  /** Set on a rule made for a sensor: `<kind>:<entity_state_id>`. */
  default_key: string | null;
  /** A deleted default rule stays as a marker so that it is not made again. */
  deleted_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface EventClauseTable {
  id: Generated<number>;
  event_definition_id: number;
  entity_state_id: number;
  operator_str: string;
  value: string;
}

export interface AlarmActionTable {
  id: Generated<number>;
  event_definition_id: number;
  security_level_str: string;
  alarm_level_str: string;
  alarm_lifetime_secs: number | null;
}

export interface ControlActionTable {
  id: Generated<number>;
  event_definition_id: number;
  controller_id: number;
  value: string;
}

export interface EventHistoryTable {
  id: Generated<number>;
  event_definition_id: number;
  fired_at: number;
  security_level_str: string;
  details: string;
}

export interface EventTables {
  event_definition: EventDefinitionTable;
  event_clause: EventClauseTable;
  alarm_action: AlarmActionTable;
  control_action: ControlActionTable;
  event_history: EventHistoryTable;
}

export type EventDefinitionRow = Selectable<EventDefinitionTable>;

/** Firings kept per rule for the Triggers tab; older ones go with the nightly clean-up too. */
export const EVENT_HISTORY_DAYS = 90;

export async function pruneEventHistory(db: Kysely<EventTables>, before: number): Promise<number> {
  const result = await db.deleteFrom('event_history').where('fired_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
