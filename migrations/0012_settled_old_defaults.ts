import { sql, type Kysely } from 'kysely';

/**
 * Versions before this one wrote every default into the database at first start, among them a home zone of
 * America/Chicago and imperial units. The defaults are now the hub's own zone and metric. A value nobody ever
 * changed (no history row, never updated) was such a default, not a choice: it is removed, and the next start writes
 * today's default. A value someone set is kept.
 */
const OLD_DEFAULTS: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'timezone', value: 'America/Chicago' },
  { key: 'units', value: 'imperial' },
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const { key, value } of OLD_DEFAULTS) {
    await sql`
      delete from subsystem_attribute
      where setting_key = ${key} and value = ${value} and updated_at = created_at
        and subsystem_id = (select id from subsystem where subsystem_key = 'console')
        and not exists (select 1 from subsystem_attribute_history h where h.attribute_id = subsystem_attribute.id)
    `.execute(db);
  }
}
