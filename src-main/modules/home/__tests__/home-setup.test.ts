import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../src-shared/ipc/contract';
import type { LocationSummary } from '../../../../src-shared/model/location';
import { call, callFails, countRows, rows } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';

/** What a Security view is for: doors, windows, locks, cameras, detectors and alarms (see LocationViewType.SECURITY). */
const SECURITY_TYPES = new Set([
  'door',
  'window',
  'garage_door',
  'lock',
  'doorbell',
  'camera',
  'motion_sensor',
  'presence_sensor',
  'smoke_detector',
  'co_detector',
  'water_leak_sensor',
  'alarm_panel',
  'siren',
]);
const APPLIANCE_TYPES = new Set(['dishwasher', 'refrigerator', 'freezer', 'clothes_washer', 'clothes_dryer', 'water_heater', 'oven', 'cooktop', 'microwave']);

const EXPECTED_FLOORS: Record<string, string[]> = {
  single_story: ['Main floor'],
  two_story: ['Ground floor', 'Upper floor'],
  apartment: ['Apartment'],
};

/** The tables home.setup writes; after a failed setup all must be empty. */
const SETUP_TABLES = ['location', 'location_view', 'entity', 'entity_state', 'entity_position', 'entity_path', 'entity_view', 'collection', 'collection_entity'];

describe('home setup through a hub', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await createTestHub();
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists the starter profiles', async () => {
    const profiles = await call(t, 'home.profiles.get', {});
    expect(profiles.map((p) => p.id)).toEqual(['single_story', 'two_story', 'apartment', 'empty']);
    for (const profile of profiles) {
      expect(profile.label, profile.id).not.toBe('');
      expect(profile.description, profile.id).not.toBe('');
      expect(profile.floors.length, profile.id).toBeGreaterThan(0);
    }
    expect(profiles.find((p) => p.id === 'two_story')!.floors).toEqual(['Ground floor', 'Upper floor']);
  });

  describe.each(Object.keys(EXPECTED_FLOORS))('the %s profile', (profile) => {
    let locations: LocationSummary[];
    beforeEach(async () => {
      locations = await call(t, 'home.setup', { profile });
    });

    const entityRows = () => rows<{ id: number; name: string; entity_type_str: string }>(t, 'entity');

    it('builds its floors, each with its sanitised plan and a default and a security view', async () => {
      expect(locations.map((l) => l.name)).toEqual(EXPECTED_FLOORS[profile]);
      expect(await call(t, 'location.list', {})).toEqual(locations);
      for (const location of locations) {
        expect(location.backgroundUrl, location.name).toMatch(/^data\/locations\/\d+-[0-9a-f]+\.svg$/);
        const file = path.join(t.dataDir, location.backgroundUrl!.replace(/^data\//, ''));
        expect(existsSync(file), file).toBe(true);
        expect(readFileSync(file, 'utf8')).toMatch(/^<svg /);
        expect(location.viewBox).toEqual({ x: 0, y: 0, width: 1200, height: 800 });
        expect(location.views.map((v) => v.type).sort(), location.name).toEqual(['default', 'security']);
      }
    });

    it('places at least a dozen items, every icon inside its plan', async () => {
      let placed = 0;
      for (const location of locations) {
        const everything = location.views.find((v) => v.type === 'default')!;
        const data = await call(t, 'location.view.get', { locationViewId: everything.id });
        placed += data.entities.length;
        const { x, y, width, height } = location.viewBox;
        for (const entity of data.entities) {
          expect(entity.placement.kind, entity.name).toBe('icon');
          if (entity.placement.kind !== 'icon') continue;
          expect(entity.placement.x, `${entity.name} x`).toBeGreaterThanOrEqual(x);
          expect(entity.placement.x, `${entity.name} x`).toBeLessThanOrEqual(x + width);
          expect(entity.placement.y, `${entity.name} y`).toBeGreaterThanOrEqual(y);
          expect(entity.placement.y, `${entity.name} y`).toBeLessThanOrEqual(y + height);
        }
      }
      expect(placed).toBeGreaterThanOrEqual(12);
      // Every entity made is on some view.
      expect(countRows(t, 'entity')).toBe(placed);
    });

    it('has a dishwasher and an Appliances collection holding the appliances', async () => {
      const entities = entityRows();
      const dishwasher = entities.find((e) => e.name === 'Dishwasher');
      expect(dishwasher?.entity_type_str).toBe('dishwasher');
      const collections = await call(t, 'collection.list', {});
      const appliances = collections.find((c) => c.name === 'Appliances');
      expect(appliances).toMatchObject({ type: 'appliances' });
      expect(appliances!.entityIds).toContain(dishwasher!.id);
      const types = new Map(entities.map((e) => [e.id, e.entity_type_str]));
      for (const id of appliances!.entityIds) expect(APPLIANCE_TYPES.has(types.get(id)!), types.get(id)).toBe(true);
    });

    it('puts only security items in the security views, and every security item in its floor’s', async () => {
      let secured = 0;
      for (const location of locations) {
        const security = location.views.find((v) => v.type === 'security')!;
        const everything = location.views.find((v) => v.type === 'default')!;
        const inSecurity = (await call(t, 'location.view.get', { locationViewId: security.id })).entities;
        const all = (await call(t, 'location.view.get', { locationViewId: everything.id })).entities;
        for (const entity of inSecurity) expect(SECURITY_TYPES.has(entity.type), `${entity.name} (${entity.type})`).toBe(true);
        expect(inSecurity.map((e) => e.id).sort()).toEqual(all.filter((e) => SECURITY_TYPES.has(e.type)).map((e) => e.id).sort());
        secured += inSecurity.length;
      }
      expect(secured).toBeGreaterThan(0);
    });

    it('refuses a second setup', async () => {
      const before = countRows(t, 'entity');
      const error = await callFails(t, 'home.setup', { profile: 'empty' });
      expect(error.code).toBe('conflict');
      expect(countRows(t, 'entity')).toBe(before);
      expect(countRows(t, 'location')).toBe(locations.length);
    });
  });

  it('sets up an empty home: one blank location', async () => {
    const locations = await call(t, 'home.setup', { profile: 'empty' });
    expect(locations).toHaveLength(1);
    expect(locations[0]).toMatchObject({ name: 'Home', backgroundUrl: null });
    expect(locations[0]!.views.map((v) => v.type)).toContain('default');
    expect(countRows(t, 'entity')).toBe(0);
    expect(await call(t, 'collection.list', {})).toEqual([]);
  });

  it('refuses an unknown profile, naming the choices', async () => {
    const error = await callFails(t, 'home.setup', { profile: 'castle' });
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain('castle');
    expect(error.message).toContain('single_story');
    expect(countRows(t, 'location')).toBe(0);
  });

  it('announces the new home once', async () => {
    const changes: Array<EventPayload<'home.changed'>> = [];
    const off = t.hub.events.on('home.changed', (payload) => changes.push(payload));
    await call(t, 'home.setup', { profile: 'apartment' });
    off();
    expect(changes).toEqual([{ reason: 'set up Apartment' }]);
  });

  it('builds the home in one transaction: a failure half-way leaves nothing behind', async () => {
    t.hub.store.sqlite.exec(`CREATE TRIGGER fail BEFORE INSERT ON entity WHEN NEW.name = 'Dishwasher' BEGIN SELECT RAISE(ABORT, 'boom'); END;`);
    const changes: unknown[] = [];
    const off = t.hub.events.on('home.changed', (payload) => changes.push(payload));
    const error = await callFails(t, 'home.setup', { profile: 'two_story' });
    off();
    expect(error.code).toBe('internal');
    for (const table of SETUP_TABLES) expect(countRows(t, table), table).toBe(0);
    expect(changes).toEqual([]);

    // Once the cause is gone the same setup succeeds.
    t.hub.store.sqlite.exec('DROP TRIGGER fail');
    const locations = await call(t, 'home.setup', { profile: 'two_story' });
    expect(locations.map((l) => l.name)).toEqual(['Ground floor', 'Upper floor']);
    expect(rows(t, 'entity').some((e) => e.name === 'Dishwasher')).toBe(true);
  });
});
