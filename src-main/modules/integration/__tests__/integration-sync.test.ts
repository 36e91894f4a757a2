import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamEntity } from '../../../integrations/upstream';
import { call, countRows, rows } from '../../../test-support/home-helpers';
import {
  ALLOW_SMALL_HOME,
  allowlist,
  duplicateIntegrationKeys,
  entityFor,
  FRONT_DOOR,
  KITCHEN_LIGHT,
  LIVING_TEMPERATURE,
  smallHome,
  statesOf,
  syncInto,
  upstreamDoor,
  upstreamLight,
  upstreamTemperature,
  upstreamThermostat,
  type EntityRow,
} from '../../../test-support/integration-fixtures';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { isAllowed, type SyncOptions } from '../integration-sync';

const KEY = 'hass';

describe('syncIntegration', () => {
  let t: TestHub;
  let locationId: number;

  beforeEach(async () => {
    t = await createTestHub();
    // Edit mode stays on: the user's work (placing, renaming) goes through the same calls as on a panel.
    await call(t, 'edit.begin', {});
    locationId = (await call(t, 'location.create', { name: 'Ground floor' })).id;
  });
  afterEach(async () => {
    await t.close();
  });

  const sync = (upstream: readonly UpstreamEntity[], allow = ALLOW_SMALL_HOME, options: SyncOptions = {}) => syncInto(t, KEY, upstream, allow, options);
  const entity = (upstreamId: string): EntityRow => {
    const row = entityFor(t, KEY, upstreamId);
    if (!row) throw new Error(`no entity for ${upstreamId}`);
    return row;
  };
  const place = (entityId: number) => call(t, 'entity.place', { entityId, locationId, placement: { kind: 'icon', x: 120, y: 80, scale: 1, rotate: 0 } });
  const annotate = (entityId: number) => call(t, 'attribute.create', { owner: { kind: 'entity', id: entityId }, name: 'Bulb', valueType: 'text', value: 'E27 LED, 2700 K' });
  const rename = (entityId: number, name: string) => call(t, 'entity.update', { entityId, name });

  describe('create', () => {
    it('creates an entity per upstream device with a state and a sensor per upstream state', async () => {
      const report = await sync(smallHome());

      expect(report.created.map((c) => c.name).sort()).toEqual(['Front door', 'Kitchen light', 'Living room temperature']);
      expect(report).toMatchObject({ updated: 0, reconnected: [], detached: [], removed: [] });
      expect(countRows(t, 'entity')).toBe(3);

      const light = entity(KITCHEN_LIGHT);
      expect(report.created).toContainEqual({ entityId: light.id, name: 'Kitchen light' });
      expect(light).toMatchObject({ name: 'Kitchen light', entity_type_str: 'light', integration_name: KEY, integration_id: KITCHEN_LIGHT, previous_integration_name: null, is_disabled: 0, archived_at: null });
      expect(JSON.parse(light.integration_payload!)).toEqual({ domain: 'light', name: 'Kitchen light', attributes: { friendly_name: 'Kitchen light', supported_color_modes: ['brightness'], brightness: 204 } });
      expect(entity(FRONT_DOOR)).toMatchObject({ entity_type_str: 'door', integration_id: FRONT_DOOR });
      expect(entity(LIVING_TEMPERATURE)).toMatchObject({ entity_type_str: 'temperature_sensor', integration_id: LIVING_TEMPERATURE });

      const lightStates = statesOf(t, light.id);
      expect(lightStates.map((s) => [s.type, s.stateName, s.units, s.sensorIntegrationName, s.sensorIntegrationId])).toEqual([
        ['on_off', 'On / off', null, KEY, 'light.kitchen#on_off'],
        ['light_dimmer', 'Brightness', '%', KEY, 'light.kitchen#brightness'],
      ]);
      expect(statesOf(t, entity(LIVING_TEMPERATURE).id).map((s) => [s.type, s.units, s.sensorIntegrationId])).toEqual([['temperature', '°C', 'sensor.living_room_temperature#value']]);
      expect(countRows(t, 'entity_state')).toBe(4);
      expect(countRows(t, 'sensor')).toBe(4);
    });

    it('makes a controller only for controllable states of controllable types', async () => {
      // A temperature marked controllable upstream is still only a reading here: TEMPERATURE is not controllable.
      const thermometer = upstreamTemperature('sensor.attic', 'Attic');
      thermometer.states[0]!.controllable = true;
      // A light whose brightness upstream cannot set.
      const fixed = upstreamLight('light.porch', 'Porch');
      fixed.states[1]!.controllable = false;
      await sync([...smallHome(), thermometer, fixed]);

      const controllers = (upstreamId: string) => statesOf(t, entity(upstreamId).id).map((s) => [s.type, s.controllerIntegrationName, s.controllerIntegrationId]);
      expect(controllers(KITCHEN_LIGHT)).toEqual([
        ['on_off', KEY, 'light.kitchen#on_off'],
        ['light_dimmer', KEY, 'light.kitchen#brightness'],
      ]);
      expect(controllers('light.porch')).toEqual([
        ['on_off', KEY, 'light.porch#on_off'],
        ['light_dimmer', null, null],
      ]);
      expect(controllers(FRONT_DOOR)).toEqual([['open_close', null, null]]);
      expect(controllers('sensor.attic')).toEqual([['temperature', null, null]]);
      expect(countRows(t, 'controller')).toBe(3);
    });

    it('reports every imported entity not placed yet as unplaced, sorted by name', async () => {
      const first = await sync(smallHome());
      expect(first.unplaced).toEqual([
        { entityId: entity(FRONT_DOOR).id, name: 'Front door', type: 'door' },
        { entityId: entity(KITCHEN_LIGHT).id, name: 'Kitchen light', type: 'light' },
        { entityId: entity(LIVING_TEMPERATURE).id, name: 'Living room temperature', type: 'temperature_sensor' },
      ]);

      await place(entity(KITCHEN_LIGHT).id);
      await call(t, 'entity.place', { entityId: entity(FRONT_DOOR).id, locationId, placement: { kind: 'path', svgPath: 'M 0 0 L 10 0', style: 'line' } });
      const second = await sync(smallHome());
      expect(second.unplaced.map((u) => u.name)).toEqual(['Living room temperature']);
      // Entities of another integration or made by hand are not this integration's to place.
      const view = (await call(t, 'location.list', {})).find((l) => l.id === locationId)!.views[0]!.id;
      await call(t, 'entity.create', { name: 'Hand-made lamp', type: 'light', locationViewId: view });
      await syncInto(t, 'zm', [upstreamDoor('binary_sensor.back_door', 'Back door')], ALLOW_SMALL_HOME);
      expect((await sync(smallHome())).unplaced.map((u) => u.name)).toEqual(['Living room temperature']);
    });

    it('leaves an unchanged upstream exactly as it was on a second sync', async () => {
      await sync(smallHome());
      const snapshot = () => ({
        entity: rows(t, 'entity').map(({ updated_at: _u, ...rest }) => rest),
        entity_state: rows(t, 'entity_state'),
        sensor: rows(t, 'sensor'),
        controller: rows(t, 'controller'),
      });
      const before = snapshot();
      t.clock.advance(60_000);
      const report = await sync(smallHome());
      // Regression: every item of every sync counted as updated.
      expect(report).toMatchObject({ created: [], updated: 0, reconnected: [], detached: [], removed: [] });
      expect(snapshot()).toEqual(before);
      expect(rows<{ updated_at: number }>(t, 'entity').every((e) => e.updated_at < t.clock.now())).toBe(true);
    });

    it('counts as updated only the items whose attributes, states or controls changed', async () => {
      const thermostat = () => upstreamThermostat('climate.hall', 'Hall thermostat', ['off', 'heat']);
      await sync([...smallHome(), thermostat()], allowlist(['light', 'binary_sensor', 'sensor', 'climate']));
      const door = upstreamDoor(FRONT_DOOR, 'Front door');
      door.payload = { ...door.payload, device_class: 'garage_door' };
      const moreModes = upstreamThermostat('climate.hall', 'Hall thermostat', ['off', 'heat', 'cool']);
      const report = await sync([smallHome()[0]!, door, smallHome()[2]!, moreModes], allowlist(['light', 'binary_sensor', 'sensor', 'climate']));
      expect(report.updated).toBe(2);
      // Only its controls go.
      const readOnly = upstreamThermostat('climate.hall', 'Hall thermostat', ['off', 'heat', 'cool']);
      readOnly.states = readOnly.states.map((state) => ({ ...state, controllable: false }));
      expect((await sync([smallHome()[0]!, door, smallHome()[2]!, readOnly], allowlist(['light', 'binary_sensor', 'sensor', 'climate']))).updated).toBe(1);
    });
  });

  describe('update', () => {
    it('follows a changed upstream name, entity type, units and a new state key, keeping ids', async () => {
      await sync(smallHome());
      const light = entity(KITCHEN_LIGHT);
      const temperature = entity(LIVING_TEMPERATURE);
      const sensorIds = statesOf(t, light.id).map((s) => s.sensorId);
      const createdAt = rows<{ created_at: number }>(t, 'entity', { id: light.id })[0]!.created_at;
      t.clock.advance(60_000);

      const renamed = upstreamLight(KITCHEN_LIGHT, 'Kitchen ceiling light', { colorTemp: 2700 });
      renamed.entityType = 'dimmer';
      const report = await sync([renamed, upstreamDoor(FRONT_DOOR, 'Front door'), upstreamTemperature(LIVING_TEMPERATURE, 'Living room temperature', '70.7', '°F')]);

      // The door is as it was.
      expect(report).toMatchObject({ created: [], updated: 2, reconnected: [], detached: [], removed: [] });
      expect(entity(KITCHEN_LIGHT)).toMatchObject({ id: light.id, name: 'Kitchen ceiling light', entity_type_str: 'dimmer', integration_name: KEY });
      const stored = rows<{ created_at: number; updated_at: number; integration_payload: string }>(t, 'entity', { id: light.id })[0]!;
      expect(stored.created_at).toBe(createdAt);
      expect(stored.updated_at).toBe(t.clock.now());
      expect(JSON.parse(stored.integration_payload)).toMatchObject({ domain: 'light', attributes: { friendly_name: 'Kitchen ceiling light' } });

      const states = statesOf(t, light.id);
      expect(states.map((s) => [s.type, s.sensorIntegrationId, s.controllerIntegrationId])).toEqual([
        ['on_off', 'light.kitchen#on_off', 'light.kitchen#on_off'],
        ['light_dimmer', 'light.kitchen#brightness', 'light.kitchen#brightness'],
        ['light_color_temperature', 'light.kitchen#color_temp', 'light.kitchen#color_temp'],
      ]);
      // The states that were there keep their sensors (and so their history).
      expect(states.slice(0, 2).map((s) => s.sensorId)).toEqual(sensorIds);
      expect(statesOf(t, temperature.id).map((s) => [s.units, s.sensorIntegrationName])).toEqual([['°F', KEY]]);
    });

    it('drops the controller of a state that is no longer controllable', async () => {
      await sync(smallHome());
      const light = entity(KITCHEN_LIGHT);
      expect(countRows(t, 'controller')).toBe(2);
      const readOnly = upstreamLight(KITCHEN_LIGHT, 'Kitchen light');
      readOnly.states[1]!.controllable = false;
      await sync([readOnly, upstreamDoor(FRONT_DOOR, 'Front door'), upstreamTemperature(LIVING_TEMPERATURE, 'Living room temperature')]);
      expect(statesOf(t, light.id).map((s) => [s.type, s.sensorIntegrationId, s.controllerIntegrationId])).toEqual([
        ['on_off', 'light.kitchen#on_off', 'light.kitchen#on_off'],
        ['light_dimmer', 'light.kitchen#brightness', null],
      ]);
      expect(countRows(t, 'controller')).toBe(1);
    });

    it('stores a state\u2019s choices and follows them when they change upstream', async () => {
      const climate = allowlist(['climate']);
      await sync([upstreamThermostat('climate.hall', 'Hallway', ['off', 'heat'])], climate);
      const thermostat = entity('climate.hall');
      const valueRanges = () => rows<{ value_range_str: string | null }>(t, 'entity_state', { entity_id: thermostat.id }).map((s) => s.value_range_str);
      // Only the mode has choices; the temperatures take any number.
      expect(valueRanges()).toEqual([null, null, '["off","heat"]']);

      await sync([upstreamThermostat('climate.hall', 'Hallway', ['off', 'heat', 'cool'])], climate);
      expect(valueRanges()).toEqual([null, null, '["off","heat","cool"]']);
    });

    it('does not replace a name the user changed with the upstream name', async () => {
      await sync(smallHome());
      const light = entity(KITCHEN_LIGHT);
      const door = entity(FRONT_DOOR);
      await rename(light.id, 'Pendant over the island');

      await sync([upstreamLight(KITCHEN_LIGHT, 'Kitchen ceiling light'), upstreamDoor(FRONT_DOOR, 'Entrance door'), upstreamTemperature(LIVING_TEMPERATURE, 'Living room temperature')]);
      expect(entity(KITCHEN_LIGHT).name).toBe('Pendant over the island');
      // The one the user left alone follows upstream.
      expect(entity(FRONT_DOOR)).toMatchObject({ id: door.id, name: 'Entrance door' });

      // Nor on any later sync, whatever upstream is called by then.
      await sync([upstreamLight(KITCHEN_LIGHT, 'Island pendant'), upstreamDoor(FRONT_DOOR, 'Entrance door'), upstreamTemperature(LIVING_TEMPERATURE, 'Living room temperature')]);
      expect(entity(KITCHEN_LIGHT).name).toBe('Pendant over the island');
      expect(entity(FRONT_DOOR).name).toBe('Entrance door');
    });

    it('does not replace a name the user changed when the upstream payload has no friendly_name', async () => {
      // Home Assistant names an entity without friendly_name by its entity_id; other gateways have no friendly_name at all.
      const unnamed: UpstreamEntity = { ...upstreamTemperature('sensor.garage_temperature', 'sensor.garage_temperature'), payload: { device_class: 'temperature', unit_of_measurement: '°C' } };
      await sync([unnamed]);
      const garage = entity('sensor.garage_temperature');
      await rename(garage.id, 'Garage');
      await sync([unnamed]);
      // Regression (fixed): integration-sync.ts updateEntity reads the previous upstream name from payload.attributes.friendly_name;
      // without one it always takes the upstream name and the user's name is lost.
      expect(entity('sensor.garage_temperature').name).toBe('Garage');
    });

    it('keeps two upstream states of one type and name apart across syncs', async () => {
      // A weather station reporting two temperatures: their keys tell their names apart.
      const station: UpstreamEntity = {
        ...upstreamTemperature('sensor.weather_station', 'Weather station'),
        states: [
          { key: 'indoor', stateType: 'temperature', name: 'Temperature', value: '21', units: '°C', controllable: false },
          { key: 'outdoor', stateType: 'temperature', name: 'Temperature', value: '4', units: '°C', controllable: false },
        ],
      };
      await sync([station]);
      expect(statesOf(t, entity('sensor.weather_station').id).map((s) => s.stateName)).toEqual(['Temperature (indoor)', 'Temperature (outdoor)']);
      // Regression (fixed): the update path renames both states to 'Temperature' and trips the unique (entity, type, name).
      await expect(sync([station])).resolves.toMatchObject({ updated: 0 });
      expect(statesOf(t, entity('sensor.weather_station').id).map((s) => s.sensorIntegrationId)).toEqual(['sensor.weather_station#indoor', 'sensor.weather_station#outdoor']);
    });
  });

  describe('allowlist', () => {
    it('answers isAllowed by domain or by entity id', () => {
      const allow = allowlist(['light'], ['sensor.living_room_temperature']);
      expect(isAllowed({ domain: 'light', upstreamId: 'light.anything' }, allow)).toBe(true);
      expect(isAllowed({ domain: 'sensor', upstreamId: 'sensor.living_room_temperature' }, allow)).toBe(true);
      expect(isAllowed({ domain: 'sensor', upstreamId: 'sensor.other' }, allow)).toBe(false);
      expect(isAllowed({ domain: 'binary_sensor', upstreamId: 'binary_sensor.front_door' }, allowlist())).toBe(false);
    });

    it('imports by domain', async () => {
      const report = await sync(smallHome(), allowlist(['light']));
      expect(report.created.map((c) => c.name)).toEqual(['Kitchen light']);
      expect(rows<EntityRow>(t, 'entity').map((e) => e.integration_id)).toEqual([KITCHEN_LIGHT]);
    });

    it('imports single entities', async () => {
      const report = await sync(smallHome(), allowlist([], [FRONT_DOOR, 'binary_sensor.not_upstream']));
      expect(report.created.map((c) => c.name)).toEqual(['Front door']);
      expect(rows<EntityRow>(t, 'entity').map((e) => e.integration_id)).toEqual([FRONT_DOOR]);
    });

    it('imports nothing with an empty allowlist', async () => {
      const report = await sync(smallHome(), allowlist());
      expect(report).toEqual({ created: [], updated: 0, reconnected: [], detached: [], removed: [], unplaced: [], pendingRemovals: [], importedBefore: 0, unreadable: 0 });
      expect(countRows(t, 'entity')).toBe(0);
    });

    it('imports from a 3,000-entity upstream only what the allowlist picks', async () => {
      const upstream: UpstreamEntity[] = [];
      for (let i = 0; i < 1_000; i += 1) {
        upstream.push(upstreamLight(`light.l${i}`, `Light ${i}`), upstreamDoor(`binary_sensor.d${i}`, `Door ${i}`), upstreamTemperature(`sensor.t${i}`, `Temperature ${i}`));
      }
      // Three locks among them, taken by domain, and three single entities.
      for (const i of [17, 503, 998]) upstream[i * 3] = { ...upstream[i * 3]!, domain: 'lock', upstreamId: `lock.l${i}` };
      expect(upstream).toHaveLength(3_000);
      const picked = ['light.l4', 'binary_sensor.d999', 'sensor.t0'];

      const report = await sync(upstream, allowlist(['lock'], picked));

      const imported = rows<EntityRow>(t, 'entity').map((e) => e.integration_id!).sort();
      expect(imported).toEqual([...picked, 'lock.l17', 'lock.l503', 'lock.l998'].sort());
      expect(report.created).toHaveLength(6);
      expect(countRows(t, 'sensor')).toBe(3 * 2 + 1 + 1 + 2);
    });

    it('treats a device that leaves the allowlist like one that vanished upstream', async () => {
      await sync(smallHome());
      const light = entity(KITCHEN_LIGHT);
      await place(light.id);
      const report = await sync(smallHome(), allowlist(['sensor']));
      expect(report.detached).toEqual([{ entityId: light.id, name: 'Kitchen light' }]);
      expect(report.removed).toEqual(['Front door']);
      expect(report.updated).toBe(0);
    });
  });

  describe('vanished upstream', () => {
    it('detaches a device the user placed: unlinked, disabled, its previous key kept', async () => {
      await sync(smallHome());
      const light = entity(KITCHEN_LIGHT);
      await place(light.id);
      const before = statesOf(t, light.id);
      t.clock.advance(1_000);

      const report = await sync([upstreamDoor(FRONT_DOOR, 'Front door'), upstreamTemperature(LIVING_TEMPERATURE, 'Living room temperature')]);

      expect(report.detached).toEqual([{ entityId: light.id, name: 'Kitchen light' }]);
      expect(report.removed).toEqual([]);
      expect(report.updated).toBe(0);
      expect(rows<EntityRow>(t, 'entity', { id: light.id })[0]).toMatchObject({
        name: 'Kitchen light',
        integration_name: null,
        integration_id: null,
        previous_integration_name: KEY,
        previous_integration_id: KITCHEN_LIGHT,
        is_disabled: 1,
        updated_at: t.clock.now(),
      });
      const after = statesOf(t, light.id);
      // Same states and sensors, which keep their ids but lose the integration link.
      expect(after.map((s) => [s.stateId, s.sensorId, s.controllerId])).toEqual(before.map((s) => [s.stateId, s.sensorId, s.controllerId]));
      expect(after.map((s) => [s.sensorIntegrationName, s.sensorIntegrationId])).toEqual([
        [null, 'light.kitchen#on_off'],
        [null, 'light.kitchen#brightness'],
      ]);
      expect(after.every((s) => s.controllerIntegrationName === null)).toBe(true);
      expect(countRows(t, 'entity_position', { entity_id: light.id })).toBe(1);
      // A detached entity is not this integration's any more: not unplaced, not updated by the next sync.
      expect(report.unplaced.map((u) => u.entityId)).not.toContain(light.id);
      const again = await sync([upstreamDoor(FRONT_DOOR, 'Front door'), upstreamTemperature(LIVING_TEMPERATURE, 'Living room temperature')]);
      expect(again).toMatchObject({ updated: 0, detached: [], removed: [] });
    });

    it('detaches a device the user gave an attribute', async () => {
      await sync(smallHome());
      const door = entity(FRONT_DOOR);
      await annotate(door.id);
      const report = await sync([upstreamLight(KITCHEN_LIGHT, 'Kitchen light')]);
      expect(report.detached).toEqual([{ entityId: door.id, name: 'Front door' }]);
      expect(report.removed).toEqual(['Living room temperature']);
      expect(entity(FRONT_DOOR)).toMatchObject({ id: door.id, integration_name: null, previous_integration_id: FRONT_DOOR, is_disabled: 1 });
      expect(countRows(t, 'entity_attribute', { entity_id: door.id })).toBe(1);
    });

    it('deletes a device the user never touched, with its states, sensors, controllers and history', async () => {
      await sync(smallHome());
      const light = entity(KITCHEN_LIGHT);
      const sensorId = statesOf(t, light.id)[0]!.sensorId!;
      t.hub.store.sqlite.prepare('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)').run(sensorId, 'on', t.clock.now());

      const report = await sync([upstreamDoor(FRONT_DOOR, 'Front door'), upstreamTemperature(LIVING_TEMPERATURE, 'Living room temperature')]);

      expect(report.removed).toEqual(['Kitchen light']);
      expect(report.detached).toEqual([]);
      expect(entityFor(t, KEY, KITCHEN_LIGHT)).toBeUndefined();
      expect(countRows(t, 'entity_state', { entity_id: light.id })).toBe(0);
      expect(countRows(t, 'sensor', { id: sensorId })).toBe(0);
      expect(countRows(t, 'sensor_history', { sensor_id: sensorId })).toBe(0);
      expect(countRows(t, 'controller')).toBe(0);
      expect(countRows(t, 'entity')).toBe(2);
    });

    it('detaches every entity with detachAll, touched or not', async () => {
      await sync(smallHome());
      const ids = [KITCHEN_LIGHT, FRONT_DOOR, LIVING_TEMPERATURE].map((u) => entity(u).id);
      const report = await sync([], allowlist(), { detachAll: true });
      expect(report.detached.map((d) => d.entityId).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
      expect(report).toMatchObject({ created: [], updated: 0, removed: [], unplaced: [] });
      const stored = rows<EntityRow>(t, 'entity');
      expect(stored.every((e) => e.integration_name === null && e.integration_id === null && e.previous_integration_name === KEY && e.is_disabled === 1)).toBe(true);
      expect(rows<{ integration_name: string | null }>(t, 'sensor').every((s) => s.integration_name === null)).toBe(true);
      expect(rows<{ integration_name: string | null }>(t, 'controller').every((c) => c.integration_name === null)).toBe(true);
    });

    it('leaves the entities of other integrations alone', async () => {
      await sync(smallHome());
      await syncInto(t, 'zm', [upstreamDoor('binary_sensor.back_door', 'Back door')], ALLOW_SMALL_HOME);
      const report = await sync([], ALLOW_SMALL_HOME, { confirmRemovals: true });
      expect(report.removed.sort()).toEqual(['Front door', 'Kitchen light', 'Living room temperature']);
      expect(entityFor(t, 'zm', 'binary_sensor.back_door')).toMatchObject({ integration_name: 'zm', is_disabled: 0 });
    });
  });

  describe('what could not be read, and removals that need asking', () => {
    const unreadable = (...ids: Array<string | null>) => ids.map((upstreamId) => ({ upstreamId, reason: 'malformed' }));

    it('leaves an item whose entry could not be read exactly as it was, placed or not', async () => {
      await sync(smallHome());
      const light = entity(KITCHEN_LIGHT);
      await place(light.id);
      const report = await sync([upstreamDoor(FRONT_DOOR, 'Front door')], ALLOW_SMALL_HOME, { unreadable: unreadable(KITCHEN_LIGHT, LIVING_TEMPERATURE), confirmRemovals: true });
      expect(report).toMatchObject({ updated: 0, removed: [], detached: [], pendingRemovals: [], unreadable: 2, importedBefore: 3 });
      expect(entity(KITCHEN_LIGHT)).toMatchObject({ id: light.id, integration_name: KEY, is_disabled: 0 });
      expect(entity(LIVING_TEMPERATURE)).toMatchObject({ integration_name: KEY });
    });

    it('removes nothing, even what the allowlist dropped, when an entry without an id could not be read', async () => {
      await sync(smallHome());
      const report = await sync([upstreamDoor(FRONT_DOOR, 'Front door')], allowlist(['sensor']), { unreadable: unreadable(null), confirmRemovals: true });
      expect(report).toMatchObject({ removed: [], detached: [], pendingRemovals: [], unreadable: 1 });
      expect(countRows(t, 'entity', { integration_name: KEY })).toBe(3);
    });

    it('leaves a mass removal pending, detaching nothing either, until confirmed', async () => {
      await sync(smallHome());
      await place(entity(KITCHEN_LIGHT).id);
      const pending = await sync([]);
      expect(pending).toMatchObject({ removed: [], detached: [], importedBefore: 3 });
      expect(pending.pendingRemovals.map((p) => p.entityId).sort((a, b) => a - b)).toEqual([KITCHEN_LIGHT, FRONT_DOOR, LIVING_TEMPERATURE].map((u) => entity(u).id).sort((a, b) => a - b));
      expect(entity(KITCHEN_LIGHT).integration_name).toBe(KEY);

      const confirmed = await sync([], ALLOW_SMALL_HOME, { confirmRemovals: true });
      expect(confirmed.detached.map((d) => d.name)).toEqual(['Kitchen light']);
      expect(confirmed.removed.sort()).toEqual(['Front door', 'Living room temperature']);
    });

    it('detachAll (disabling, the user\u2019s own request) never waits for a confirmation', async () => {
      await sync(smallHome());
      const report = await sync([], allowlist(), { detachAll: true, unreadable: unreadable(null) });
      expect(report.detached).toHaveLength(3);
      expect(report.pendingRemovals).toEqual([]);
    });
  });

  describe('reconnect', () => {
    it('reconnects a detached entity when its device reappears: same id, work kept, sensors relinked', async () => {
      await sync(smallHome());
      const light = entity(KITCHEN_LIGHT);
      await place(light.id);
      await annotate(light.id);
      await rename(light.id, 'Island pendant');
      const before = statesOf(t, light.id);
      await sync([upstreamDoor(FRONT_DOOR, 'Front door')]);
      expect(entity(KITCHEN_LIGHT).integration_name).toBeNull();

      const report = await sync(smallHome());

      expect(report.reconnected).toEqual([{ entityId: light.id, name: 'Island pendant' }]);
      expect(report.created.map((c) => c.name)).toEqual(['Living room temperature']);
      expect(countRows(t, 'entity', { integration_id: KITCHEN_LIGHT })).toBe(1);
      expect(entity(KITCHEN_LIGHT)).toMatchObject({
        id: light.id,
        name: 'Island pendant',
        integration_name: KEY,
        integration_id: KITCHEN_LIGHT,
        previous_integration_name: null,
        previous_integration_id: null,
        is_disabled: 0,
      });
      const after = statesOf(t, light.id);
      expect(after.map((s) => [s.stateId, s.sensorId, s.controllerId])).toEqual(before.map((s) => [s.stateId, s.sensorId, s.controllerId]));
      expect(after.map((s) => [s.sensorIntegrationName, s.sensorIntegrationId, s.controllerIntegrationName])).toEqual([
        [KEY, 'light.kitchen#on_off', KEY],
        [KEY, 'light.kitchen#brightness', KEY],
      ]);
      expect(countRows(t, 'entity_position', { entity_id: light.id })).toBe(1);
      expect(countRows(t, 'entity_attribute', { entity_id: light.id })).toBe(1);
      // Placed, so not offered for placement.
      expect(report.unplaced.map((u) => u.entityId)).not.toContain(light.id);
    });

    it('reconnects what detachAll detached, and brings the reappearing device up to date', async () => {
      await sync(smallHome());
      const ids = new Map([KITCHEN_LIGHT, FRONT_DOOR, LIVING_TEMPERATURE].map((u) => [u, entity(u).id]));
      await sync([], allowlist(), { detachAll: true });
      const report = await sync([upstreamLight(KITCHEN_LIGHT, 'Kitchen light', { colorTemp: 3000 }), upstreamDoor(FRONT_DOOR, 'Front door'), upstreamTemperature(LIVING_TEMPERATURE, 'Living room temperature')]);
      expect(report.reconnected.map((r) => r.entityId).sort((a, b) => a - b)).toEqual([...ids.values()].sort((a, b) => a - b));
      expect(report.created).toEqual([]);
      for (const [upstreamId, id] of ids) expect(entity(upstreamId)).toMatchObject({ id, integration_name: KEY, is_disabled: 0 });
      expect(statesOf(t, ids.get(KITCHEN_LIGHT)!).map((s) => s.sensorIntegrationId)).toContain('light.kitchen#color_temp');
    });

    it('keeps integration keys unique through detaching, reconnecting and re-importing', async () => {
      const steps: Array<[string, () => Promise<unknown>]> = [
        ['import', () => sync(smallHome())],
        ['place the light', () => place(entity(KITCHEN_LIGHT).id)],
        ['light vanishes', () => sync([upstreamDoor(FRONT_DOOR, 'Front door'), upstreamTemperature(LIVING_TEMPERATURE, 'Living room temperature')])],
        ['light reappears', () => sync(smallHome())],
        ['detach all', () => sync([], allowlist(), { detachAll: true })],
        ['detach all again', () => sync([], allowlist(), { detachAll: true })],
        ['re-import only the door', () => sync(smallHome(), allowlist(['binary_sensor']))],
        ['re-import all', () => sync(smallHome())],
        ['everything vanishes', () => sync([], ALLOW_SMALL_HOME, { confirmRemovals: true })],
        ['import again', () => sync(smallHome())],
      ];
      for (const [label, step] of steps) {
        await step().catch((error: unknown) => {
          throw new Error(`${label}: ${String(error)}`);
        });
        expect(duplicateIntegrationKeys(t), label).toEqual([]);
      }
      // The placed light survived everything as one entity; the untouched ones were deleted and imported anew.
      expect(countRows(t, 'entity')).toBe(3);
      expect(entity(KITCHEN_LIGHT)).toMatchObject({ integration_name: KEY, is_disabled: 0 });
      expect(countRows(t, 'entity_position', { entity_id: entity(KITCHEN_LIGHT).id })).toBe(1);
      expect(countRows(t, 'sensor')).toBe(4);
    });
  });
});
