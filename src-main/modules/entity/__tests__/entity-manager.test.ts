import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_STATE_TYPES, ENTITY_TYPE_SHAPE, EntityType } from '../../../../src-shared/enums/entity';
import type { LocationSummary } from '../../../../src-shared/model/location';
import { call, callFails, countRows, rows } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { defaultShape } from '../entity-manager';

describe('EntityManager through a hub', () => {
  let t: TestHub;
  let home: LocationSummary;
  let viewId: number;

  beforeEach(async () => {
    t = await createTestHub();
    await call(t, 'edit.begin', {});
    home = await call(t, 'location.create', { name: 'Home' });
    viewId = home.views[0]!.id;
  });
  afterEach(async () => {
    await t.close();
  });

  const create = (name: string, type: string, placement?: unknown) =>
    call(t, 'entity.create', { name, type: type as 'light', locationViewId: viewId, ...(placement ? { placement: placement as never } : {}) });
  const viewEntities = async (id = viewId) => (await call(t, 'location.view.get', { locationViewId: id })).entities;
  const placementRows = (entityId: number) => ({ positions: rows(t, 'entity_position', { entity_id: entityId }), paths: rows(t, 'entity_path', { entity_id: entityId }) });

  it('creates an entity with its type’s default states', async () => {
    const light = await create('Kitchen light', 'light');
    expect(light.type).toBe('light');
    expect(light.states.map((s) => s.type)).toEqual(['on_off', 'light_dimmer']);
    expect(light.states.map((s) => s.name)).toEqual(['On / off', 'Brightness']);
    const thermostat = await create('Thermostat', 'thermostat');
    expect(thermostat.states.map((s) => s.type)).toEqual([...DEFAULT_STATE_TYPES.thermostat]);
    const filter = await create('Filter', 'air_filter');
    expect(filter.states).toEqual([]);
    expect(countRows(t, 'entity_state', { entity_id: light.id })).toBe(2);
    expect(rows(t, 'entity_view', { entity_id: light.id })).toMatchObject([{ location_view_id: viewId }]);
  });

  it('places icon types as icons in the middle of the view, and areas and lines as paths', async () => {
    const light = await create('Light', 'light');
    expect(light.placement).toEqual({ kind: 'icon', x: 600, y: 400, scale: 1, rotate: 0 });
    const room = await create('Kitchen', 'room_area');
    expect(room.placement).toMatchObject({ kind: 'path', style: 'area' });
    expect(room.placement.kind === 'path' && room.placement.svgPath).toMatch(/^M [\d.]+ [\d.]+ L .* Z$/);
    const cable = await create('Cable', 'network_cable');
    expect(cable.placement).toMatchObject({ kind: 'path', style: 'line' });
    expect(cable.placement.kind === 'path' && cable.placement.svgPath).not.toMatch(/Z$/);
    // Exactly one placement row each, in the right table.
    expect(placementRows(light.id)).toMatchObject({ positions: [{ svg_x: 600, svg_y: 400 }], paths: [] });
    expect(placementRows(room.id)).toMatchObject({ positions: [], paths: [{ path_style_str: 'area' }] });
    expect(placementRows(cable.id)).toMatchObject({ positions: [], paths: [{ path_style_str: 'line' }] });
  });

  it('gives every area and line type a default shape, and leaves icons to a free spot', () => {
    const box = { x: 0, y: 0, width: 800, height: 600 };
    for (const type of EntityType.members) {
      const placement = defaultShape(type, box);
      const shape = ENTITY_TYPE_SHAPE[type.value];
      if (shape === 'icon') expect(placement, type.value).toBeNull();
      else expect(placement, type.value).toMatchObject({ kind: 'path', style: shape });
    }
  });

  it('honours an explicit placement', async () => {
    const light = await create('Light', 'light', { kind: 'icon', x: 10, y: 20, scale: 2, rotate: 45 });
    expect(light.placement).toEqual({ kind: 'icon', x: 10, y: 20, scale: 2, rotate: 45 });
    const room = await create('Den', 'room_area', { kind: 'path', svgPath: 'M 0 0 L 10 0 L 10 10 Z', style: 'area' });
    expect(room.placement).toEqual({ kind: 'path', svgPath: 'M 0 0 L 10 0 L 10 10 Z', style: 'area' });
    // An icon type may still be drawn as a path when the user says so.
    const fence = await create('Fence', 'fence_gate', { kind: 'path', svgPath: 'M 0 0 L 50 0', style: 'line' });
    expect(fence.placement).toEqual({ kind: 'path', svgPath: 'M 0 0 L 50 0', style: 'line' });
    expect(placementRows(fence.id).positions).toEqual([]);
  });

  it('refuses an unknown type, a bad placement or a missing view', async () => {
    expect((await callFails(t, 'entity.create', { name: 'X', type: 'flux_capacitor', locationViewId: viewId })).code).toBe('invalid_argument');
    expect((await callFails(t, 'entity.create', { name: 'X', type: 'light', locationViewId: viewId, placement: { kind: 'icon', x: 1, y: 1, scale: 0, rotate: 0 } })).code).toBe(
      'invalid_argument',
    );
    expect((await callFails(t, 'entity.create', { name: 'X', type: 'light', locationViewId: 9999 })).code).toBe('not_found');
    expect(countRows(t, 'entity')).toBe(0);
  });

  it('entity.place switches between icon and path, never keeping both', async () => {
    const light = await create('Light', 'light');
    await call(t, 'entity.place', { entityId: light.id, locationId: home.id, placement: { kind: 'path', svgPath: 'M 1 1 L 2 2', style: 'line' } });
    expect(placementRows(light.id)).toMatchObject({ positions: [], paths: [{ svg_path: 'M 1 1 L 2 2', path_style_str: 'line' }] });
    await call(t, 'entity.place', { entityId: light.id, locationId: home.id, placement: { kind: 'path', svgPath: 'M 3 3 L 4 4 Z', style: 'area' } });
    expect(placementRows(light.id)).toMatchObject({ positions: [], paths: [{ svg_path: 'M 3 3 L 4 4 Z', path_style_str: 'area' }] });
    await call(t, 'entity.place', { entityId: light.id, locationId: home.id, placement: { kind: 'icon', x: 5, y: 6, scale: 1, rotate: 0 } });
    expect(placementRows(light.id)).toMatchObject({ positions: [{ svg_x: 5, svg_y: 6 }], paths: [] });
    await call(t, 'entity.place', { entityId: light.id, locationId: home.id, placement: { kind: 'icon', x: 7, y: 8, scale: 0.5, rotate: 90 } });
    expect(placementRows(light.id)).toMatchObject({ positions: [{ svg_x: 7, svg_y: 8, svg_scale: 0.5, svg_rotate: 90 }], paths: [] });
    expect((await viewEntities())[0]!.placement).toEqual({ kind: 'icon', x: 7, y: 8, scale: 0.5, rotate: 90 });
    expect((await callFails(t, 'entity.place', { entityId: 9999, locationId: home.id, placement: { kind: 'icon', x: 1, y: 1, scale: 1, rotate: 0 } })).code).toBe(
      'not_found',
    );
  });

  it('entity.place on an unknown location is not found and changes nothing', async () => {
    const light = await create('Light', 'light');
    const before = placementRows(light.id);
    const error = await callFails(t, 'entity.place', { entityId: light.id, locationId: 9999, placement: { kind: 'icon', x: 1, y: 1, scale: 1, rotate: 0 } });
    expect(error.code).toBe('not_found');
    expect(placementRows(light.id)).toEqual(before);
  });

  it('places an entity on several locations independently', async () => {
    const light = await create('Light', 'light');
    const upper = await call(t, 'location.create', { name: 'Upper' });
    await call(t, 'entity.view.set', { entityId: light.id, locationViewId: upper.views[0]!.id, inView: true });
    await call(t, 'entity.place', { entityId: light.id, locationId: upper.id, placement: { kind: 'path', svgPath: 'M 0 0 L 9 9', style: 'line' } });
    expect((await viewEntities())[0]!.placement.kind).toBe('icon');
    expect((await viewEntities(upper.views[0]!.id))[0]!.placement.kind).toBe('path');
    expect((await call(t, 'entity.detail.get', { entityId: light.id })).locationIds.sort()).toEqual([home.id, upper.id].sort());
  });

  it('entity.view.set adds to and removes from a view', async () => {
    const door = await create('Door', 'door');
    const security = await call(t, 'location.view.create', { locationId: home.id, name: 'Security', type: 'security' });
    expect(await viewEntities(security.id)).toEqual([]);
    await call(t, 'entity.view.set', { entityId: door.id, locationViewId: security.id, inView: true });
    // Adding twice is harmless.
    await call(t, 'entity.view.set', { entityId: door.id, locationViewId: security.id, inView: true });
    expect((await viewEntities(security.id)).map((e) => e.id)).toEqual([door.id]);
    expect(countRows(t, 'entity_view', { entity_id: door.id })).toBe(2);
    // Same location: it keeps its one placement.
    expect(placementRows(door.id).positions).toHaveLength(1);

    await call(t, 'entity.view.set', { entityId: door.id, locationViewId: viewId, inView: false });
    expect(await viewEntities()).toEqual([]);
    expect((await viewEntities(security.id)).map((e) => e.id)).toEqual([door.id]);
    expect(placementRows(door.id).positions).toHaveLength(1);
    expect((await callFails(t, 'entity.view.set', { entityId: door.id, locationViewId: 9999, inView: true })).code).toBe('not_found');
  });

  it('archives an entity: hidden from views and detail, listed as archived; restore brings it back whole', async () => {
    const fridge = await create('Refrigerator', 'refrigerator', { kind: 'icon', x: 30, y: 40, scale: 1, rotate: 0 });
    const attribute = await call(t, 'attribute.create', { owner: { kind: 'entity', id: fridge.id }, name: 'Model', valueType: 'text', value: 'FR-900' });
    const collection = await call(t, 'collection.create', { name: 'Appliances', type: 'appliances', viewType: 'grid' });
    await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [fridge.id] });
    t.clock.advance(5_000);

    await call(t, 'entity.archive', { entityId: fridge.id });
    expect(await viewEntities()).toEqual([]);
    expect((await callFails(t, 'entity.detail.get', { entityId: fridge.id })).code).toBe('not_found');
    expect(await call(t, 'entity.archived.list', {})).toEqual([{ id: fridge.id, name: 'Refrigerator', type: 'refrigerator', archivedAt: t.clock.now() }]);
    expect((await call(t, 'collection.get', { collectionId: collection.id })).collection.entityIds).toEqual([]);
    // Archiving twice, or restoring what is not archived, is not found.
    expect((await callFails(t, 'entity.archive', { entityId: fridge.id })).code).toBe('not_found');

    await call(t, 'entity.restore', { entityId: fridge.id });
    expect(await call(t, 'entity.archived.list', {})).toEqual([]);
    const [back] = await viewEntities();
    expect(back).toMatchObject({ id: fridge.id, placement: { kind: 'icon', x: 30, y: 40 } });
    const detail = await call(t, 'entity.detail.get', { entityId: fridge.id });
    expect(detail.attributes.map((a) => [a.id, a.value])).toEqual([[attribute.id, 'FR-900']]);
    expect(detail.collectionIds).toEqual([collection.id]);
    expect((await callFails(t, 'entity.restore', { entityId: fridge.id })).code).toBe('not_found');
  });

  it('entity.detail.get answers states, attributes, locations, collections and the latest sensor values', async () => {
    const light = await create('Kitchen light', 'light');
    await call(t, 'attribute.create', { owner: { kind: 'entity', id: light.id }, name: 'Bulb', valueType: 'text', value: 'E27 LED' });
    const collection = await call(t, 'collection.create', { name: 'Lights', type: 'devices', viewType: 'list' });
    await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [light.id] });

    const empty = await call(t, 'entity.detail.get', { entityId: light.id });
    expect(empty).toMatchObject({ id: light.id, name: 'Kitchen light', type: 'light', integration: null, locationIds: [home.id], collectionIds: [collection.id] });
    expect(empty.attributes.map((a) => a.name)).toEqual(['Bulb']);
    expect(empty.states.every((s) => s.value === null)).toBe(true);
    expect(empty.recentHistory).toEqual([]);

    // A sensor on the on/off state and a controller on the brightness, with history written the way the batcher does.
    const [onOff, dimmer] = rows<{ id: number }>(t, 'entity_state', { entity_id: light.id });
    const db = t.hub.store.sqlite;
    const sensorId = Number(db.prepare(`insert into sensor (entity_state_id, name, integration_name, integration_id, created_at) values (?, 'on', 'hass', 'light.kitchen', 1)`).run(onOff!.id).lastInsertRowid);
    db.prepare(`insert into controller (entity_state_id, name, created_at) values (?, 'dim', 1)`).run(dimmer!.id);
    const history = db.prepare('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)');
    // Out of order on purpose: the latest is the newest ts, not the last row.
    for (const [value, ts] of [['off', 1_000], ['on', 3_000], ['off', 2_000]] as const) history.run(sensorId, value, ts);
    // Latest values live in the status pipeline, which reads them from history when it starts.
    await t.hub.statuses.start();

    const detail = await call(t, 'entity.detail.get', { entityId: light.id });
    const state = (type: string) => detail.states.find((s) => s.type === type)!;
    // A sensor without a controller only displays; a controller on a controllable type makes it controllable.
    expect(state('on_off')).toMatchObject({ id: onOff!.id, value: 'on', controllable: false });
    expect(state('light_dimmer')).toMatchObject({ id: dimmer!.id, value: null, controllable: true });
    expect(detail.recentHistory.map((h) => [h.value, h.ts])).toEqual([
      ['on', 3_000],
      ['off', 2_000],
      ['off', 1_000],
    ]);
    expect(detail.recentHistory.every((h) => h.stateId === onOff!.id && h.stateName === 'On / off')).toBe(true);
    // The view shows the same latest value.
    expect((await viewEntities())[0]!.states.find((s) => s.type === 'on_off')!.value).toBe('on');
    expect((await callFails(t, 'entity.detail.get', { entityId: 9999 })).code).toBe('not_found');
  });

  it('gives each state the choices stored for it, and none for a malformed list', async () => {
    const thermostat = await create('Thermostat', 'thermostat');
    const [temperature, target, mode] = rows<{ id: number }>(t, 'entity_state', { entity_id: thermostat.id });
    const setValueRange = (stateId: number, text: string) => t.hub.store.sqlite.prepare('update entity_state set value_range_str = ? where id = ?').run(text, stateId);
    setValueRange(mode!.id, '["off","heat"]');
    setValueRange(target!.id, '["off",');
    setValueRange(temperature!.id, '[18, 21]');

    const detail = await call(t, 'entity.detail.get', { entityId: thermostat.id });
    expect(detail.states.map((s) => [s.type, s.choices])).toEqual([
      ['temperature', null],
      ['target_temperature', null],
      ['hvac_mode', ['off', 'heat']],
    ]);
    // The plan shows the same states.
    expect((await viewEntities())[0]!.states.map((s) => s.choices)).toEqual([null, null, ['off', 'heat']]);
  });

  it('limits the recent history in the detail to the newest rows', async () => {
    const sensorEntity = await create('Outside', 'temperature_sensor');
    const [stateRow] = rows<{ id: number }>(t, 'entity_state', { entity_id: sensorEntity.id });
    const db = t.hub.store.sqlite;
    const sensorId = Number(
      db.prepare(`insert into sensor (entity_state_id, name, integration_name, integration_id, created_at) values (?, 't', 'hass', 'sensor.outside#value', 1)`).run(stateRow!.id)
        .lastInsertRowid,
    );
    const insert = db.prepare('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 100; i += 1) insert.run(sensorId, String(i), i * 1_000);
    })();
    await t.hub.statuses.start();
    const detail = await call(t, 'entity.detail.get', { entityId: sensorEntity.id });
    expect(detail.states[0]!.value).toBe('100');
    expect(detail.recentHistory.length).toBeGreaterThan(0);
    expect(detail.recentHistory.length).toBeLessThan(100);
    expect(detail.recentHistory[0]).toMatchObject({ value: '100', ts: 100_000 });
    const times = detail.recentHistory.map((h) => h.ts);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('updates name and type', async () => {
    const light = await create('Light', 'light');
    await call(t, 'entity.update', { entityId: light.id, name: 'Porch light', type: 'outlet' });
    const detail = await call(t, 'entity.detail.get', { entityId: light.id });
    expect(detail).toMatchObject({ name: 'Porch light', type: 'outlet' });
    expect((await callFails(t, 'entity.update', { entityId: 9999, name: 'x' })).code).toBe('not_found');
  });
});

describe('defaultShape', () => {
  it('draws areas and lines as shapes in the middle', () => {
    const box = { x: 0, y: 0, width: 1600, height: 1000 };
    expect(defaultShape(EntityType.ROOM_AREA, box)).toMatchObject({ kind: 'path', style: 'area' });
    expect(defaultShape(EntityType.PLUMBING_LINE, box)).toMatchObject({ kind: 'path', style: 'line' });
  });
});
