import type { Generated, Insertable, Kysely, Selectable } from 'kysely';

export interface AlertTable {
  id: Generated<number>;
  signature: string;
  alarm_source_str: string;
  alarm_type: string;
  alarm_level_str: string;
  title: string;
  alarm_count: number;
  first_at: number;
  last_at: number;
  ends_at: number | null;
  /** The newest alarms (bounded), as the panel shows them. */
  alarms_json: string;
  entity_ids_json: string;
  closed_at: number | null;
  closed_by: string | null;
}

export interface AlertTables {
  alert: AlertTable;
}

export type AlertRow = Selectable<AlertTable>;
export type NewAlertRow = Insertable<AlertTable>;

export function openAlertRows(db: Kysely<AlertTables>): Promise<AlertRow[]> {
  return db.selectFrom('alert').selectAll().where('closed_at', 'is', null).orderBy('id').execute();
}

export function recentlyClosedAlertRows(db: Kysely<AlertTables>, limit: number): Promise<AlertRow[]> {
  return db.selectFrom('alert').selectAll().where('closed_at', 'is not', null).orderBy('closed_at', 'desc').limit(limit).execute();
}
