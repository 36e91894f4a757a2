import type { Kysely, Selectable } from 'kysely';

export interface SecurityStatusTable {
  /** Always 1: the home has one mode. */
  id: number;
  security_state_str: string;
  changed_at: number;
  /** 'user', 'schedule' (a day/night switch) or 'start' (a switch applied when the hub came back). */
  changed_by: string;
  hold_until: number | null;
  /** 'away' or 'snooze' while alarms are held. */
  hold_reason: string | null;
}

export interface SecurityTables {
  security_status: SecurityStatusTable;
}

export type SecurityStatusRow = Selectable<SecurityStatusTable>;

export function readSecurityStatus(db: Kysely<SecurityTables>): Promise<SecurityStatusRow | undefined> {
  return db.selectFrom('security_status').selectAll().where('id', '=', 1).executeTakeFirst();
}

export async function writeSecurityStatus(db: Kysely<SecurityTables>, row: Omit<SecurityStatusRow, 'id'>): Promise<void> {
  await db
    .insertInto('security_status')
    .values({ id: 1, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}
