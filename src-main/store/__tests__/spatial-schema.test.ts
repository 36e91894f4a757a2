import { rmSync } from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../hub';
import { AttributeManager } from '../../modules/attribute/attribute-manager';
import { FileStore } from '../../modules/attribute/file-store';
import { LINKS_WITH_LATEST_SQL } from '../../modules/status/sensor-response-manager';
import { makeTempDir, TestClock } from '../../test-support/test-hub';
import { testCpuWorkerScript } from '../../test-support/worker-bundles';
import { CpuWorkers } from '../../workers/cpu-workers';
import { openStore, type Store } from '../database';
import { migrateToLatest } from '../migrations';
import type { Database } from '../schema';
import { KeyFileCipher } from '../secret-cipher';

const SPATIAL_TABLES = [
  'location',
  'location_view',
  'entity',
  'entity_state',
  'sensor',
  'sensor_history',
  'controller',
  'controller_history',
  'entity_position',
  'entity_path',
  'entity_view',
  'collection',
  'collection_position',
  'collection_path',
  'collection_view',
  'collection_entity',
  'entity_attribute',
  'entity_attribute_history',
  'location_attribute',
  'location_attribute_history',
];

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = makeTempDir('hi-spatial-schema-');
  store = openStore(path.join(dir, DATABASE_FILE));
  await migrateToLatest(store.db);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (sql: string, ...params: unknown[]) => store.sqlite.prepare(sql).run(...params);
const insert = (sql: string, ...params: unknown[]) => Number(run(sql, ...params).lastInsertRowid);
const count = (table: string, where = '1 = 1', ...params: unknown[]) =>
  (store.sqlite.prepare(`select count(*) as n from ${table} where ${where}`).get(...params) as { n: number }).n;
const plan = (sql: string, ...params: unknown[]) =>
  (store.sqlite.prepare(`explain query plan ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail).join('\n');

interface Home {
  locationId: number;
  otherLocationId: number;
  viewId: number;
  securityViewId: number;
  entityId: number;
  otherEntityId: number;
  stateId: number;
  sensorId: number;
  controllerId: number;
  collectionId: number;
  entityAttributeId: number;
  locationAttributeId: number;
}

/** One of everything, wired together, plus a second location and entity that must survive every delete. */
function buildHome(): Home {
  const locationId = insert(`insert into location (name, svg_filename, svg_view_box_str, created_at, updated_at) values ('Ground', null, '0 0 100 100', 1, 1)`);
  const otherLocationId = insert(`insert into location (name, svg_filename, svg_view_box_str, created_at, updated_at) values ('Upper', null, '0 0 100 100', 1, 1)`);
  const view = (locId: number, type: string) =>
    insert(
      `insert into location_view (location_id, location_view_type_str, name, svg_view_box_str, svg_style_name_str, created_at, updated_at) values (?, ?, ?, '0 0 100 100', 'color', 1, 1)`,
      locId,
      type,
      type,
    );
  const viewId = view(locationId, 'default');
  const securityViewId = view(locationId, 'security');
  const otherViewId = view(otherLocationId, 'default');
  const entity = (name: string) => insert(`insert into entity (name, entity_type_str, created_at, updated_at) values (?, 'light', 1, 1)`, name);
  const entityId = entity('Kitchen light');
  const otherEntityId = entity('Hall light');
  const stateId = insert(`insert into entity_state (entity_id, entity_state_type_str, name, created_at) values (?, 'on_off', 'On / off', 1)`, entityId);
  const dimmerStateId = insert(`insert into entity_state (entity_id, entity_state_type_str, name, created_at) values (?, 'light_dimmer', 'Brightness', 1)`, entityId);
  const sensorId = insert(`insert into sensor (entity_state_id, name, created_at) values (?, 'on', 1)`, stateId);
  const controllerId = insert(`insert into controller (entity_state_id, name, created_at) values (?, 'dim', 1)`, dimmerStateId);
  for (let ts = 1; ts <= 3; ts += 1) {
    run(`insert into sensor_history (sensor_id, value, ts) values (?, 'on', ?)`, sensorId, ts);
    run(`insert into controller_history (controller_id, value, ts) values (?, '50', ?)`, controllerId, ts);
  }
  for (const [entId, locId] of [
    [entityId, locationId],
    [otherEntityId, locationId],
    [entityId, otherLocationId],
  ] as const) {
    run(`insert into entity_position (location_id, entity_id, svg_x, svg_y) values (?, ?, 10, 10)`, locId, entId);
  }
  run(`insert into entity_path (location_id, entity_id, svg_path, path_style_str) values (?, ?, 'M 0 0 L 10 10', 'line')`, otherLocationId, otherEntityId);
  for (const [entId, vId] of [
    [entityId, viewId],
    [entityId, securityViewId],
    [otherEntityId, viewId],
    [entityId, otherViewId],
    [otherEntityId, otherViewId],
  ] as const) {
    run(`insert into entity_view (entity_id, location_view_id) values (?, ?)`, entId, vId);
  }
  const collectionId = insert(`insert into collection (name, collection_type_str, collection_view_type_str, created_at, updated_at) values ('Appliances', 'appliances', 'grid', 1, 1)`);
  run(`insert into collection_entity (collection_id, entity_id) values (?, ?)`, collectionId, entityId);
  run(`insert into collection_entity (collection_id, entity_id) values (?, ?)`, collectionId, otherEntityId);
  run(`insert into collection_position (location_id, collection_id, svg_x, svg_y) values (?, ?, 5, 5)`, locationId, collectionId);
  run(`insert into collection_path (location_id, collection_id, svg_path, path_style_str) values (?, ?, 'M 0 0 Z', 'area')`, otherLocationId, collectionId);
  run(`insert into collection_view (collection_id, location_view_id) values (?, ?)`, collectionId, viewId);
  run(`insert into collection_view (collection_id, location_view_id) values (?, ?)`, collectionId, otherViewId);
  const attribute = (table: string, owner: string, ownerId: number) =>
    insert(`insert into ${table} (${owner}, name, value_type_str, value, created_at, updated_at) values (?, 'Model', 'text', 'X1', 1, 1)`, ownerId);
  const entityAttributeId = attribute('entity_attribute', 'entity_id', entityId);
  attribute('entity_attribute', 'entity_id', otherEntityId);
  const locationAttributeId = attribute('location_attribute', 'location_id', locationId);
  attribute('location_attribute', 'location_id', otherLocationId);
  run(`insert into entity_attribute_history (attribute_id, value, changed_at) values (?, 'X0', 1)`, entityAttributeId);
  run(`insert into location_attribute_history (attribute_id, value, changed_at) values (?, 'X0', 1)`, locationAttributeId);
  return { locationId, otherLocationId, viewId, securityViewId, entityId, otherEntityId, stateId, sensorId, controllerId, collectionId, entityAttributeId, locationAttributeId };
}

describe('spatial schema (migration 0003)', () => {
  it('creates every spatial table as STRICT', () => {
    const tables = store.sqlite.prepare(`select name, strict from pragma_table_list where schema = 'main' and type = 'table'`).all() as Array<{
      name: string;
      strict: number;
    }>;
    for (const table of SPATIAL_TABLES) {
      const row = tables.find((t) => t.name === table);
      expect(row, `table ${table}`).toBeDefined();
      expect(row?.strict, `${table} is STRICT`).toBe(1);
    }
    // STRICT really is enforced on the new tables.
    expect(() => run(`insert into location (name, svg_view_box_str, created_at, updated_at) values ('x', '0 0 1 1', 'yesterday', 1)`)).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
  });

  it('enforces foreign keys on the new tables', () => {
    expect(() => run(`insert into entity_state (entity_id, entity_state_type_str, name, created_at) values (999, 'on_off', 'x', 1)`)).toThrow(/FOREIGN KEY/);
    expect(() => run(`insert into location_view (location_id, location_view_type_str, name, svg_view_box_str, svg_style_name_str, created_at, updated_at) values (999, 'default', 'x', '0 0 1 1', 'color', 1, 1)`)).toThrow(
      /FOREIGN KEY/,
    );
  });

  it('keeps the entity integration key unique, but allows any number of unlinked entities', () => {
    const entity = (name: string | null, id: string | null) =>
      run(`insert into entity (name, entity_type_str, integration_name, integration_id, created_at, updated_at) values ('e', 'light', ?, ?, 1, 1)`, name, id);
    entity('hass', 'light.kitchen');
    expect(() => entity('hass', 'light.kitchen')).toThrow(/UNIQUE constraint failed: entity.integration_name, entity.integration_id/);
    entity('hass', 'light.hall');
    entity('zoneminder', 'light.kitchen');
    entity(null, null);
    entity(null, null);
    expect(count('entity')).toBe(5);
    const index = store.sqlite.prepare(`select "unique" from pragma_index_list('entity') where name = 'entity_integration_key'`).get() as { unique: number };
    expect(index.unique).toBe(1);
  });

  it.each(['sensor', 'controller'])('keeps the %s integration key unique, but allows unlinked ones', (table) => {
    const entityId = insert(`insert into entity (name, entity_type_str, created_at, updated_at) values ('Thermostat', 'thermostat', 1, 1)`);
    const state = (n: number) => insert(`insert into entity_state (entity_id, entity_state_type_str, name, created_at) values (?, 'temperature', ?, 1)`, entityId, `t${n}`);
    const link = (stateId: number, name: string | null, id: string | null) =>
      run(`insert into ${table} (entity_state_id, name, integration_name, integration_id, created_at) values (?, 'x', ?, ?, 1)`, stateId, name, id);
    link(state(1), 'hass', 'sensor.t');
    expect(() => link(state(2), 'hass', 'sensor.t')).toThrow(new RegExp(`UNIQUE constraint failed: ${table}.integration_name, ${table}.integration_id`));
    link(state(3), null, null);
    link(state(4), null, null);
    expect(count(table)).toBe(3);
    // One sensor (or controller) per state.
    const taken = state(5);
    link(taken, 'hass', 'sensor.u');
    expect(() => link(taken, 'hass', 'sensor.v')).toThrow(new RegExp(`UNIQUE constraint failed: ${table}.entity_state_id`));
  });

  it('deleting an entity removes everything that belongs to it, and only that', () => {
    const home = buildHome();
    run(`delete from entity where id = ?`, home.entityId);
    const mine = (table: string, column = 'entity_id') => count(table, `${column} = ?`, home.entityId);
    expect(mine('entity_state')).toBe(0);
    expect(count('sensor')).toBe(0);
    expect(count('controller')).toBe(0);
    expect(count('sensor_history')).toBe(0);
    expect(count('controller_history')).toBe(0);
    expect(mine('entity_position')).toBe(0);
    expect(mine('entity_path')).toBe(0);
    expect(mine('entity_view')).toBe(0);
    expect(mine('entity_attribute')).toBe(0);
    expect(count('entity_attribute_history', 'attribute_id = ?', home.entityAttributeId)).toBe(0);
    expect(mine('collection_entity')).toBe(0);
    // The other entity, the locations, views and the collection stay.
    expect(count('entity')).toBe(1);
    expect(count('entity_position', 'entity_id = ?', home.otherEntityId)).toBe(1);
    expect(count('entity_path', 'entity_id = ?', home.otherEntityId)).toBe(1);
    expect(count('entity_view', 'entity_id = ?', home.otherEntityId)).toBe(2);
    expect(count('entity_attribute')).toBe(1);
    expect(count('collection_entity')).toBe(1);
    expect(count('collection')).toBe(1);
    expect(count('location')).toBe(2);
    expect(count('location_view')).toBe(3);
  });

  it('deleting a location removes its views, placements and view memberships, but not the entities', () => {
    const home = buildHome();
    run(`delete from location where id = ?`, home.locationId);
    const here = (table: string) => count(table, 'location_id = ?', home.locationId);
    expect(here('location_view')).toBe(0);
    expect(here('entity_position')).toBe(0);
    expect(here('entity_path')).toBe(0);
    expect(here('collection_position')).toBe(0);
    expect(here('collection_path')).toBe(0);
    expect(here('location_attribute')).toBe(0);
    expect(count('location_attribute_history', 'attribute_id = ?', home.locationAttributeId)).toBe(0);
    expect(count('entity_view', 'location_view_id in (?, ?)', home.viewId, home.securityViewId)).toBe(0);
    expect(count('collection_view', 'location_view_id = ?', home.viewId)).toBe(0);
    // Entities, their states and history, the collection and the other location's placements stay.
    expect(count('entity')).toBe(2);
    expect(count('entity_state')).toBe(2);
    expect(count('sensor_history')).toBe(3);
    expect(count('collection_entity')).toBe(2);
    expect(count('entity_attribute')).toBe(2);
    expect(count('location')).toBe(1);
    expect(count('location_view')).toBe(1);
    expect(count('entity_position', 'location_id = ?', home.otherLocationId)).toBe(1);
    expect(count('entity_path', 'location_id = ?', home.otherLocationId)).toBe(1);
    expect(count('collection_path', 'location_id = ?', home.otherLocationId)).toBe(1);
    expect(count('entity_view')).toBe(2);
    expect(count('collection_view')).toBe(1);
    expect(count('location_attribute')).toBe(1);
  });

  it('deleting a view removes its memberships only', () => {
    const home = buildHome();
    const before = { positions: count('entity_position'), paths: count('entity_path'), collectionPositions: count('collection_position') };
    run(`delete from location_view where id = ?`, home.viewId);
    expect(count('entity_view', 'location_view_id = ?', home.viewId)).toBe(0);
    expect(count('collection_view', 'location_view_id = ?', home.viewId)).toBe(0);
    expect(count('entity_view', 'location_view_id = ?', home.securityViewId)).toBe(1);
    expect(count('entity_view')).toBe(3);
    expect(count('collection_view')).toBe(1);
    expect(count('entity_position')).toBe(before.positions);
    expect(count('entity_path')).toBe(before.paths);
    expect(count('collection_position')).toBe(before.collectionPositions);
    expect(count('entity')).toBe(2);
    expect(count('location')).toBe(2);
    expect(count('collection')).toBe(1);
  });

  it('deleting a collection removes its memberships and placements, but not the entities', () => {
    const home = buildHome();
    run(`delete from collection where id = ?`, home.collectionId);
    for (const table of ['collection_entity', 'collection_position', 'collection_path', 'collection_view']) expect(count(table), table).toBe(0);
    expect(count('entity')).toBe(2);
  });

  describe('query plans', () => {
    it.each(['sensor', 'controller'])('answers the latest %s history rows from the (id, ts desc) index without sorting', (kind) => {
      const latest = plan(`select value, ts from ${kind}_history where ${kind}_id = ? order by ts desc limit 100`, 1);
      expect(latest).toMatch(new RegExp(`SEARCH ${kind}_history USING INDEX ${kind}_history_recent \\(${kind}_id=\\?\\)`));
      expect(latest).not.toMatch(/TEMP B-TREE/);
    });

    it.each(['sensor', 'controller'])('answers a %s history time range from the ts index', (kind) => {
      const range = plan(`select ${kind}_id, value, ts from ${kind}_history where ts between ? and ?`, 0, 1);
      expect(range).toMatch(new RegExp(`SEARCH ${kind}_history USING INDEX ${kind}_history_ts \\(ts>\\? AND ts<\\?\\)`));
      const ordered = plan(`select ${kind}_id, value, ts from ${kind}_history where ts between ? and ? order by ts`, 0, 1);
      expect(ordered).toMatch(new RegExp(`USING INDEX ${kind}_history_ts`));
      expect(ordered).not.toMatch(/TEMP B-TREE/);
    });

    it.each(['entity', 'location'])('answers %s attribute history newest first from its index without sorting', (owner) => {
      const history = plan(`select * from ${owner}_attribute_history where attribute_id = ? order by changed_at desc, id desc limit 50`, 1);
      expect(history).toMatch(new RegExp(`SEARCH ${owner}_attribute_history USING INDEX ${owner}_attribute_history_recent \\(attribute_id=\\?\\)`));
      expect(history).not.toMatch(/TEMP B-TREE/);
    });

    /** Runs `work` on a Kysely over the same connection that records every query, then plans each matching one. */
    async function plansOf(work: (db: Kysely<Database>) => Promise<unknown>, table: string): Promise<string[]> {
      const captured: CompiledQuery[] = [];
      // Never destroyed: that would close the shared connection.
      const recording = new Kysely<Database>({ dialect: new SqliteDialect({ database: store.sqlite }), log: (event) => void captured.push(event.query) });
      await work(recording);
      const matching = captured.filter((q) => q.sql.includes(`from "${table}"`));
      expect(matching.length, `a query on ${table} was run`).toBeGreaterThan(0);
      return matching.map((q) => plan(q.sql, ...(q.parameters as unknown[])));
    }

    it('uses the attribute history index for the query the attribute manager really runs', async () => {
      const home = buildHome();
      // The history query needs no worker: none starts until a job asks for one.
      const files = new FileStore(dir, new CpuWorkers(testCpuWorkerScript()));
      const cipher = new KeyFileCipher(path.join(dir, 'secret.key'));
      const plans = await plansOf(
        (db) => new AttributeManager(db, files, cipher, new TestClock()).history({ kind: 'entity', id: home.entityId }, home.entityAttributeId),
        'entity_attribute_history',
      );
      for (const detail of plans) {
        expect(detail).toMatch(/SEARCH entity_attribute_history USING INDEX entity_attribute_history_recent \(attribute_id=\?\)/);
        expect(detail).not.toMatch(/TEMP B-TREE/);
      }
    });

    it('finds the latest value of each sensor from the history index', () => {
      const detail = plan(LINKS_WITH_LATEST_SQL);
      expect(detail).toMatch(/SEARCH sensor_history USING (COVERING )?INDEX sensor_history_recent \(sensor_id=\?\)/);
      expect(detail).toMatch(/SEARCH h USING INTEGER PRIMARY KEY/);
      expect(detail).not.toMatch(/TEMP B-TREE|SCAN sensor_history|SCAN h/);
    });
  });
});
