import type { Kysely } from 'kysely';

/** Paired panels get a name the owner chooses on the hub; SQLite may add a NOT NULL column to a STRICT table when it has a default. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('paired_client')
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
