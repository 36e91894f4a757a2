import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from '../../migrations/0001_init';
import * as m0002 from '../../migrations/0002_paired_clients';
import * as m0003 from '../../migrations/0003_spatial_home';
import * as m0004 from '../../migrations/0004_integrations';
import * as m0005 from '../../migrations/0005_paired_panel_names';
import * as m0006 from '../../migrations/0006_security';
import * as m0007 from '../../migrations/0007_alerts';
import * as m0008 from '../../migrations/0008_events';
import * as m0009 from '../../migrations/0009_notify';
import * as m0010 from '../../migrations/0010_console';
import * as m0011 from '../../migrations/0011_history_rollup';
import * as m0012 from '../../migrations/0012_settled_old_defaults';
import * as m0013 from '../../migrations/0013_history_correlation';

/** Static imports, so the migrations travel inside the bundle; a test checks that every file is listed. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_init': m0001,
  '0002_paired_clients': m0002,
  '0003_spatial_home': m0003,
  '0004_integrations': m0004,
  '0005_paired_panel_names': m0005,
  '0006_security': m0006,
  '0007_alerts': m0007,
  '0008_events': m0008,
  '0009_notify': m0009,
  '0010_console': m0010,
  '0011_history_rollup': m0011,
  '0012_settled_old_defaults': m0012,
  '0013_history_correlation': m0013,
};

const staticProvider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };

export class DatabaseNewerThanCodeError extends Error {
  constructor(readonly unknownMigrations: string[]) {
    super(
      `This database was written by a newer version of Home Information (it has migrations ${unknownMigrations.join(', ')} ` +
        'that this version does not know). Install the newer version, or point the app at another data directory.',
    );
    this.name = 'DatabaseNewerThanCodeError';
  }
}

async function executedMigrationNames<DB>(db: Kysely<DB>): Promise<string[]> {
  const table = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db);
  if (table.rows.length === 0) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Brings the schema up to date; refuses a database that a newer version has migrated. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const executed = await executedMigrationNames(db);
  const unknown = executed.filter((name) => !Object.hasOwn(migrations, name));
  if (unknown.length > 0) throw new DatabaseNewerThanCodeError(unknown);
  // Most starts find nothing to do; kysely's Migrator would still read every table's columns and write its lock.
  const done = new Set(executed);
  if (Object.keys(migrations).every((name) => done.has(name))) return [];
  const migrator = new Migrator({ db, provider: staticProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
