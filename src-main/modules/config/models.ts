import type { Generated, Insertable, Kysely, Selectable } from 'kysely';

export interface SubsystemTable {
  id: Generated<number>;
  subsystem_key: string;
  name: string;
  created_at: number;
}

export interface SubsystemAttributeTable {
  id: Generated<number>;
  subsystem_id: number;
  setting_key: string;
  /** The SettingType the value was written as; read through `settingTypeColumn`. */
  value_type_str: string;
  /** Encoded value; secrets hold ciphertext. */
  value: string;
  created_at: number;
  updated_at: number;
}

export interface SubsystemAttributeHistoryTable {
  id: Generated<number>;
  attribute_id: number;
  value: string;
  changed_at: number;
}

export interface ConfigTables {
  subsystem: SubsystemTable;
  subsystem_attribute: SubsystemAttributeTable;
  subsystem_attribute_history: SubsystemAttributeHistoryTable;
}

export type Subsystem = Selectable<SubsystemTable>;
export type SubsystemAttribute = Selectable<SubsystemAttributeTable>;
export type NewSubsystemAttribute = Insertable<SubsystemAttributeTable>;
export type SubsystemAttributeHistory = Selectable<SubsystemAttributeHistoryTable>;

export type AttributeWithSubsystem = SubsystemAttribute & { subsystem_key: string };

export function listAttributes(db: Kysely<ConfigTables>): Promise<AttributeWithSubsystem[]> {
  return db
    .selectFrom('subsystem_attribute')
    .innerJoin('subsystem', 'subsystem.id', 'subsystem_attribute.subsystem_id')
    .selectAll('subsystem_attribute')
    .select('subsystem.subsystem_key')
    .execute();
}

export function listSubsystems(db: Kysely<ConfigTables>): Promise<Subsystem[]> {
  return db.selectFrom('subsystem').selectAll().execute();
}

export function listHistory(db: Kysely<ConfigTables>, attributeId: number, limit: number): Promise<SubsystemAttributeHistory[]> {
  return db
    .selectFrom('subsystem_attribute_history')
    .selectAll()
    .where('attribute_id', '=', attributeId)
    .orderBy('changed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export function findHistoryEntry(db: Kysely<ConfigTables>, historyId: number): Promise<SubsystemAttributeHistory | undefined> {
  return db.selectFrom('subsystem_attribute_history').selectAll().where('id', '=', historyId).executeTakeFirst();
}

/** Keeps the newest `keep` history rows of every attribute; answers how many were removed. */
export async function pruneHistory(db: Kysely<ConfigTables>, keep: number): Promise<number> {
  const result = await db
    .deleteFrom('subsystem_attribute_history')
    .where('id', 'in', (qb) =>
      qb
        .selectFrom((inner) =>
          inner
            .selectFrom('subsystem_attribute_history')
            .select((eb) => [
              'id',
              eb.fn.agg<number>('row_number').over((o) => o.partitionBy('attribute_id').orderBy('changed_at', 'desc').orderBy('id', 'desc')).as('rank'),
            ])
            .as('ranked'),
        )
        .select('ranked.id')
        .where('ranked.rank', '>', keep),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
