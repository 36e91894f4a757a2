import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, Migrator, SqliteDialect, type CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, Hub } from '../../hub';
import { listHistory } from '../../modules/config/models';
import { SETTING_HISTORY_PAGE } from '../../modules/config/settings-manager';
import { readRuntimeConfig } from '../../runtime-config';
import { makeTempDir } from '../../test-support/test-hub';
import { openStore, type Store } from '../database';
import type { Database } from '../schema';
import { DatabaseNewerThanCodeError, migrateToLatest, migrations } from '../migrations';

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');
const TABLES = ['subsystem', 'subsystem_attribute', 'subsystem_attribute_history', 'paired_client'];

let dir: string;
let store: Store | null;

beforeEach(() => {
  dir = makeTempDir('hi-migrations-');
  store = openStore(path.join(dir, DATABASE_FILE));
});

afterEach(async () => {
  await store?.close();
  store = null;
  rmSync(dir, { recursive: true, force: true });
});

const open = (): Store => {
  if (!store) throw new Error('store closed');
  return store;
};

/** Everything that defines the database: schema text and the migration bookkeeping. */
function fingerprint(s: Store): unknown {
  return {
    schema: s.sqlite.prepare(`select type, name, sql from sqlite_master where name not like 'sqlite_%' order by name`).all(),
    migrations: s.sqlite.prepare('select name, timestamp from kysely_migration order by name').all(),
    attributes: s.sqlite.prepare('select count(*) as n from subsystem_attribute').get(),
  };
}

describe('migrations', () => {
  it('migrate an empty database to the full schema', async () => {
    const applied = await migrateToLatest(open().db);
    expect(applied).toEqual(Object.keys(migrations));

    const tables = open()
      .sqlite.prepare(`select name, strict from pragma_table_list where schema = 'main' and type = 'table'`)
      .all() as Array<{ name: string; strict: number }>;
    for (const table of TABLES) {
      const row = tables.find((t) => t.name === table);
      expect(row, `table ${table}`).toBeDefined();
      expect(row?.strict, `${table} is STRICT`).toBe(1);
      const ddl = open().sqlite.prepare(`select sql from sqlite_master where type = 'table' and name = ?`).get(table) as { sql: string };
      expect(ddl.sql.toLowerCase()).toMatch(/\)\s*strict\s*$/);
    }
  });

  it('opens the database with foreign keys on and WAL journaling', async () => {
    await migrateToLatest(open().db);
    expect(open().sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(open().sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(open().sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    // Foreign keys really are enforced: an attribute of a subsystem that does not exist is refused.
    expect(() =>
      open()
        .sqlite.prepare(
          `insert into subsystem_attribute (subsystem_id, setting_key, value_type_str, value, created_at, updated_at) values (999, 'k', 'text', 'v', 0, 0)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('enforces STRICT column types', async () => {
    await migrateToLatest(open().db);
    expect(() => open().sqlite.prepare(`insert into subsystem (subsystem_key, name, created_at) values ('x', 'X', 'not a number')`).run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
  });

  it('running migrateToLatest again is a no-op', async () => {
    await migrateToLatest(open().db);
    const before = fingerprint(open());
    expect(await migrateToLatest(open().db)).toEqual([]);
    expect(fingerprint(open())).toEqual(before);
  });

  it('reads only its own bookkeeping when the database is up to date, as at most starts', async () => {
    await migrateToLatest(open().db);
    const captured: CompiledQuery[] = [];
    const recording = new Kysely<Database>({ dialect: new SqliteDialect({ database: open().sqlite }), log: (event) => void captured.push(event.query) });
    expect(await migrateToLatest(recording)).toEqual([]);
    expect(captured.map((q) => q.sql)).toEqual([
      `select name from sqlite_master where type = 'table' and name = 'kysely_migration'`,
      'select name from kysely_migration',
    ]);
  });

  it('applies only the migrations a database has not had yet', async () => {
    const names = Object.keys(migrations);
    const result = await new Migrator({ db: open().db, provider: { getMigrations: async () => ({ ...migrations }) } }).migrateTo(names.at(-2)!);
    expect(result.error).toBeUndefined();
    expect(await migrateToLatest(open().db)).toEqual([names.at(-1)]);
    expect(open().sqlite.prepare('select name from kysely_migration order by name').pluck().all()).toEqual(names);
  });

  it('replaces the old home zone and unit defaults nobody changed, and keeps the ones someone chose', async () => {
    const result = await new Migrator({ db: open().db, provider: { getMigrations: async () => ({ ...migrations }) } }).migrateTo('0011_history_rollup');
    expect(result.error).toBeUndefined();
    const { sqlite } = open();
    sqlite.prepare(`insert into subsystem (subsystem_key, name, created_at) values ('console', 'Console', 1)`).run();
    const addSetting = sqlite.prepare(
      `insert into subsystem_attribute (subsystem_id, setting_key, value_type_str, value, created_at, updated_at) values (1, ?, ?, ?, 1, ?)`,
    );
    addSetting.run('timezone', 'timezone', 'America/Chicago', 1);
    const chosenUnits = addSetting.run('units', 'enum', 'imperial', 5).lastInsertRowid;
    sqlite.prepare(`insert into subsystem_attribute_history (attribute_id, value, changed_at) values (?, 'imperial', 5)`).run(chosenUnits);
    await open().close();
    store = null;

    const runtime = { ...readRuntimeConfig([], {}, { dataDir: dir, version: 'test' }), suppressMonitors: true };
    const hub = await Hub.open({ runtime, systemTimezone: 'Europe/Berlin' });
    try {
      await hub.start();
      const consoleSettings = Object.fromEntries(hub.settings.sections().find((s) => s.subsystem === 'console')!.settings.map((s) => [s.key, s.value]));
      expect(consoleSettings.timezone).toBe('Europe/Berlin');
      expect(consoleSettings.units).toBe('imperial');
    } finally {
      await hub.stop();
    }
  });

  it('adds a nullable correlation to sensor history, leaving the rows written before it without one', async () => {
    const result = await new Migrator({ db: open().db, provider: { getMigrations: async () => ({ ...migrations }) } }).migrateTo('0012_settled_old_defaults');
    expect(result.error).toBeUndefined();
    const { sqlite } = open();
    const insertId = (text: string, ...args: unknown[]) => Number(sqlite.prepare(text).run(...args).lastInsertRowid);
    const entityId = insertId(`insert into entity (name, entity_type_str, created_at, updated_at) values ('Porch camera', 'camera', 1, 1)`);
    const stateId = insertId(`insert into entity_state (entity_id, entity_state_type_str, name, created_at) values (?, 'movement', 'Motion', 1)`, entityId);
    const sensorId = insertId(`insert into sensor (entity_state_id, name, created_at) values (?, 'motion', 1)`, stateId);
    sqlite.prepare(`insert into sensor_history (sensor_id, value, ts) values (?, 'idle', 1)`).run(sensorId);

    expect(await migrateToLatest(open().db)).toEqual(['0013_history_correlation']);
    sqlite.prepare(`insert into sensor_history (sensor_id, value, ts, correlation) values (?, 'active', 2, '4711')`).run(sensorId);
    expect(sqlite.prepare('select value, correlation from sensor_history order by ts').all()).toEqual([
      { value: 'idle', correlation: null },
      { value: 'active', correlation: '4711' },
    ]);
    // sensor_history is STRICT: the column takes text only.
    expect(() => sqlite.prepare(`insert into sensor_history (sensor_id, value, ts, correlation) values (?, 'idle', 3, x'00')`).run(sensorId)).toThrow(/cannot store BLOB/);
  });

  it('refuses a database written by a newer version and leaves it unchanged', async () => {
    await migrateToLatest(open().db);
    open().sqlite.prepare(`insert into kysely_migration (name, timestamp) values ('9999_future', ?)`).run(new Date(0).toISOString());
    const before = fingerprint(open());

    await expect(migrateToLatest(open().db)).rejects.toThrow(DatabaseNewerThanCodeError);
    const error = await migrateToLatest(open().db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseNewerThanCodeError);
    expect((error as DatabaseNewerThanCodeError).message).toContain('9999_future');
    expect((error as DatabaseNewerThanCodeError).unknownMigrations).toEqual(['9999_future']);
    expect(fingerprint(open())).toEqual(before);
  });

  it('Hub.open refuses a newer database and leaves it unchanged', async () => {
    await migrateToLatest(open().db);
    open().sqlite.prepare(`insert into kysely_migration (name, timestamp) values ('9999_future', ?)`).run(new Date(0).toISOString());
    const before = fingerprint(open());
    await open().close();
    store = null;

    const runtime = { ...readRuntimeConfig([], {}, { dataDir: dir, version: 'test' }), suppressMonitors: true };
    const error = await Hub.open({ runtime }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseNewerThanCodeError);
    expect(String((error as Error).message)).toContain('9999_future');

    store = openStore(path.join(dir, DATABASE_FILE));
    expect(fingerprint(open())).toEqual(before);
  });

  it('refuses a newer database before migrating an older one', async () => {
    // Only 0001 applied, plus a migration from the future: nothing may run, not even 0002.
    await open().db.schema.createTable('kysely_migration').addColumn('name', 'varchar(255)', (c) => c.primaryKey()).addColumn('timestamp', 'varchar(255)', (c) => c.notNull()).execute();
    open().sqlite.prepare(`insert into kysely_migration (name, timestamp) values ('9999_future', 'x')`).run();
    await expect(migrateToLatest(open().db)).rejects.toBeInstanceOf(DatabaseNewerThanCodeError);
    const tables = open().sqlite.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`).all();
    expect(tables).toEqual([{ name: 'kysely_migration' }]);
  });

  it('lists every file in /migrations in the static provider', () => {
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /\.[cm]?[jt]s$/.test(f))
      .map((f) => f.replace(/\.[cm]?[jt]s$/, ''))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(migrations).sort()).toEqual(files);
    // Numbered, so the runner's alphabetical order is the order they were written in.
    for (const name of files) expect(name).toMatch(/^\d{4}_[a-z0-9_]+$/);
  });

  it('answers the settings history query from the (attribute_id, changed_at) index', async () => {
    await migrateToLatest(open().db);
    const plan = open()
      .sqlite.prepare(
        'explain query plan select * from subsystem_attribute_history where attribute_id = ? order by changed_at desc limit 50',
      )
      .all(1) as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toMatch(/SEARCH subsystem_attribute_history USING INDEX subsystem_attribute_history_attribute_changed \(attribute_id=\?\)/);
    expect(details).not.toMatch(/TEMP B-TREE/);
  });

  it('uses the same index for the query the settings manager really runs', async () => {
    await migrateToLatest(open().db);
    // A second Kysely over the same connection that records the SQL of listHistory (never destroyed: it would close it).
    const captured: CompiledQuery[] = [];
    const recording = new Kysely<Database>({ dialect: new SqliteDialect({ database: open().sqlite }), log: (event) => void captured.push(event.query) });
    expect(await listHistory(recording, 1, SETTING_HISTORY_PAGE)).toEqual([]);
    expect(captured).toHaveLength(1);
    const query = captured[0]!;
    const plan = open()
      .sqlite.prepare(`explain query plan ${query.sql}`)
      .all(...(query.parameters as unknown[])) as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toMatch(/SEARCH subsystem_attribute_history USING INDEX subsystem_attribute_history_attribute_changed \(attribute_id=\?\)/);
    expect(details).not.toMatch(/TEMP B-TREE/);
  });
});
