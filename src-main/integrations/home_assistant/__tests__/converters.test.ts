import { describe, expect, it } from 'vitest';
import {
  CONTROLLABLE_STATE_TYPES,
  ENTITY_STATE_VALUES,
  EntityStateType,
  EntityType,
  UNAVAILABLE_STATE_VALUES,
  type DiscreteStateTypeValue,
} from '../../../../src-shared/enums/entity';
import { buildProfile, PROFILE_NAMES } from '../../../simulator/profiles';
import type { UpstreamState } from '../../upstream';
import { convertHaState, HaControlValueError, IMPORTED_DOMAINS, serviceCallFor, valuesFromHaState } from '../converters';
import { haStateSchema, type HaState } from '../ha-types';

const CHANGED = '2025-03-01T10:00:00.000000+00:00';
const UPDATED = '2025-03-01T10:05:00.123000+00:00';

function ha(entityId: string, state: string, attributes: Record<string, unknown> = {}): HaState {
  return haStateSchema.parse({
    entity_id: entityId,
    state,
    attributes,
    last_changed: CHANGED,
    last_updated: UPDATED,
    context: { id: '01JABCDEF', parent_id: null, user_id: null },
  });
}

type Expected = Partial<UpstreamState> & Pick<UpstreamState, 'key'>;

interface Row {
  what: string;
  state: HaState;
  entityType: string;
  states: Expected[];
  name?: string;
  hasVideoStream?: boolean;
}

const ctLight = (state: string, extra: Record<string, unknown> = {}) =>
  ha('light.kitchen', state, {
    supported_color_modes: ['color_temp'],
    min_color_temp_kelvin: 2000,
    max_color_temp_kelvin: 6535,
    color_mode: state === 'on' ? 'color_temp' : null,
    brightness: state === 'on' ? 200 : null,
    color_temp_kelvin: state === 'on' ? 3000 : null,
    friendly_name: 'Kitchen',
    supported_features: 32,
    ...extra,
  });

const ROWS: Row[] = [
  // ---- lights ----
  {
    what: 'colour-temperature light, on',
    state: ctLight('on'),
    entityType: 'light',
    name: 'Kitchen',
    states: [
      { key: 'on_off', stateType: 'on_off', value: 'on', controllable: true, units: null, name: 'On / off' },
      { key: 'brightness', stateType: 'light_dimmer', value: '78', units: '%', controllable: true, name: 'Brightness' },
      { key: 'color_temp', stateType: 'light_color_temperature', value: '3000', units: 'K', controllable: true },
    ],
  },
  {
    what: 'colour-temperature light, off: brightness 0, no colour temperature',
    state: ctLight('off'),
    entityType: 'light',
    states: [
      { key: 'on_off', value: 'off' },
      { key: 'brightness', value: '0' },
      { key: 'color_temp', value: null },
    ],
  },
  {
    what: 'light at full and at minimum brightness',
    state: ctLight('on', { brightness: 255, color_temp_kelvin: 2702.6 }),
    entityType: 'light',
    states: [{ key: 'on_off', value: 'on' }, { key: 'brightness', value: '100' }, { key: 'color_temp', value: '2703' }],
  },
  {
    what: 'a light on at brightness 1 reads 1 %, never 0',
    state: ha('light.dim', 'on', { supported_color_modes: ['brightness'], color_mode: 'brightness', brightness: 1 }),
    entityType: 'light',
    states: [{ key: 'on_off', value: 'on' }, { key: 'brightness', value: '1' }],
  },
  {
    what: 'an on/off light has no brightness',
    state: ha('light.porch', 'on', { supported_color_modes: ['onoff'], color_mode: 'onoff', friendly_name: 'Porch' }),
    entityType: 'light',
    states: [{ key: 'on_off', value: 'on' }],
  },
  {
    what: 'an hs colour light: brightness, no colour temperature',
    state: ha('light.strip', 'on', { supported_color_modes: ['hs'], color_mode: 'hs', brightness: 128, hs_color: [30, 50] }),
    entityType: 'light',
    states: [{ key: 'on_off', value: 'on' }, { key: 'brightness', value: '50' }],
  },
  {
    what: 'an rgbww light that also does colour temperature, in hs mode',
    state: ha('light.bulb', 'on', { supported_color_modes: ['color_temp', 'hs'], color_mode: 'hs', brightness: 64, color_temp_kelvin: null }),
    entityType: 'light',
    states: [{ key: 'on_off', value: 'on' }, { key: 'brightness', value: '25' }, { key: 'color_temp', value: null }],
  },
  {
    what: 'a light without supported_color_modes falls back to its attributes',
    state: ha('light.legacy', 'on', { brightness: 'bright' }),
    entityType: 'light',
    states: [{ key: 'on_off', value: 'on' }, { key: 'brightness', value: null }],
  },
  {
    what: 'an unavailable light: every state unavailable, never off or 0',
    state: ha('light.kitchen', 'unavailable', { supported_color_modes: ['color_temp'], friendly_name: 'Kitchen', restored: true }),
    entityType: 'light',
    states: [
      { key: 'on_off', value: 'unavailable' },
      { key: 'brightness', value: 'unavailable' },
      { key: 'color_temp', value: 'unavailable' },
    ],
  },
  {
    what: 'a light in state unknown',
    state: ha('light.kitchen', 'unknown', { supported_color_modes: ['brightness'] }),
    entityType: 'light',
    states: [
      { key: 'on_off', value: 'unknown' },
      { key: 'brightness', value: 'unknown' },
    ],
  },
  // ---- switches, fans, sirens ----
  { what: 'switch', state: ha('switch.heater', 'on', { friendly_name: 'Heater' }), entityType: 'switch', states: [{ key: 'on_off', stateType: 'on_off', value: 'on', controllable: true }] },
  { what: 'outlet switch', state: ha('switch.plug', 'off', { device_class: 'outlet' }), entityType: 'outlet', states: [{ key: 'on_off', value: 'off', controllable: true }] },
  { what: 'input_boolean', state: ha('input_boolean.guest_mode', 'on', { editable: true }), entityType: 'switch', states: [{ key: 'on_off', value: 'on', controllable: true }] },
  { what: 'fan', state: ha('fan.ceiling', 'on', { percentage: 33, supported_features: 49 }), entityType: 'ceiling_fan', states: [{ key: 'on_off', value: 'on', controllable: true }] },
  { what: 'siren', state: ha('siren.hall', 'off'), entityType: 'siren', states: [{ key: 'on_off', value: 'off', controllable: true }] },
  { what: 'switch with an odd state', state: ha('switch.weird', 'ON-ish'), entityType: 'switch', states: [{ key: 'on_off', value: 'unknown' }] },
  { what: 'switch with an upper-case state', state: ha('switch.shouty', ' ON '), entityType: 'switch', states: [{ key: 'on_off', value: 'on' }] },
  { what: 'unavailable switch', state: ha('switch.gone', 'unavailable', { restored: true }), entityType: 'switch', states: [{ key: 'on_off', value: 'unavailable' }] },
  { what: 'a switch with an empty state reads unknown', state: ha('switch.blank', ''), entityType: 'switch', states: [{ key: 'on_off', value: 'unknown' }] },
  // ---- covers ----
  {
    what: 'garage door without position',
    state: ha('cover.garage', 'closed', { device_class: 'garage', supported_features: 3, friendly_name: 'Garage Door' }),
    entityType: 'garage_door',
    states: [{ key: 'open_close', stateType: 'open_close', value: 'closed', controllable: true }],
  },
  {
    what: 'blind with position',
    state: ha('cover.blind', 'open', { device_class: 'blind', current_position: 60, supported_features: 15 }),
    entityType: 'blinds',
    states: [
      { key: 'open_close', value: 'open', controllable: true },
      { key: 'position', stateType: 'cover_position', value: '60', units: '%', controllable: true },
    ],
  },
  {
    what: 'a closing shade is still open',
    state: ha('cover.shade', 'closing', { device_class: 'shade', current_position: 40, supported_features: 15 }),
    entityType: 'blinds',
    states: [{ key: 'open_close', value: 'open' }, { key: 'position', value: '40' }],
  },
  {
    what: 'an opening curtain is open',
    state: ha('cover.curtain', 'opening', { device_class: 'curtain', supported_features: 3 }),
    entityType: 'blinds',
    states: [{ key: 'open_close', value: 'open' }],
  },
  {
    what: 'a cover that reports a position it cannot set',
    state: ha('cover.awning', 'open', { device_class: 'awning', current_position: 100, supported_features: 3 }),
    entityType: 'blinds',
    states: [{ key: 'open_close', value: 'open', controllable: true }, { key: 'position', value: '100', controllable: false }],
  },
  {
    what: 'a read-only cover',
    state: ha('cover.readonly', 'closed', { device_class: 'door', supported_features: 0 }),
    entityType: 'door',
    states: [{ key: 'open_close', value: 'closed', controllable: false }],
  },
  { what: 'window opener', state: ha('cover.skylight', 'open', { device_class: 'window', supported_features: 3 }), entityType: 'window', states: [{ key: 'open_close', value: 'open' }] },
  { what: 'gate', state: ha('cover.gate', 'closed', { device_class: 'gate', supported_features: 3 }), entityType: 'fence_gate', states: [{ key: 'open_close', value: 'closed' }] },
  { what: 'cover without a device class', state: ha('cover.thing', 'closed', {}), entityType: 'blinds', states: [{ key: 'open_close', value: 'closed', controllable: true }] },
  {
    what: 'a position out of range is clamped',
    state: ha('cover.bad', 'open', { device_class: 'blind', current_position: 140, supported_features: 4 }),
    entityType: 'blinds',
    states: [{ key: 'open_close', value: 'open', controllable: false }, { key: 'position', value: '100', controllable: true }],
  },
  {
    what: 'unavailable blind',
    state: ha('cover.blind', 'unavailable', { device_class: 'blind', current_position: 60, supported_features: 15 }),
    entityType: 'blinds',
    states: [{ key: 'open_close', value: 'unavailable' }, { key: 'position', value: 'unavailable' }],
  },
  // ---- locks ----
  { what: 'locked lock', state: ha('lock.front', 'locked', { supported_features: 0 }), entityType: 'lock', states: [{ key: 'lock_state', stateType: 'lock_state', value: 'locked', controllable: true }] },
  { what: 'unlocked lock', state: ha('lock.front', 'unlocked'), entityType: 'lock', states: [{ key: 'lock_state', value: 'unlocked' }] },
  { what: 'jammed lock', state: ha('lock.front', 'jammed'), entityType: 'lock', states: [{ key: 'lock_state', value: 'jammed' }] },
  { what: 'a locking lock is not locked yet', state: ha('lock.front', 'locking'), entityType: 'lock', states: [{ key: 'lock_state', value: 'unlocked' }] },
  { what: 'an open (unlatched) lock', state: ha('lock.front', 'open'), entityType: 'lock', states: [{ key: 'lock_state', value: 'unlocked' }] },
  { what: 'a lock with a made-up state', state: ha('lock.front', 'secured'), entityType: 'lock', states: [{ key: 'lock_state', value: 'unknown' }] },
  // ---- climate ----
  {
    what: 'thermostat heating',
    state: ha('climate.hall', 'heat', {
      hvac_modes: ['off', 'heat', 'cool', 'heat_cool'],
      current_temperature: 20.5,
      temperature: 21,
      hvac_action: 'heating',
      supported_features: 385,
      friendly_name: 'Hallway Thermostat',
    }),
    entityType: 'thermostat',
    name: 'Hallway Thermostat',
    states: [
      { key: 'current_temperature', stateType: 'temperature', value: '20.5', controllable: false, units: null, choices: null },
      { key: 'target_temperature', stateType: 'target_temperature', value: '21', controllable: true, choices: null, range: null },
      { key: 'hvac_mode', stateType: 'hvac_mode', value: 'heat', controllable: true, choices: ['off', 'heat', 'cool', 'heat_cool'] },
    ],
  },
  {
    what: 'thermostat with limits of its own',
    state: ha('climate.bedroom', 'cool', { hvac_modes: ['off', 'cool'], temperature: 24, min_temp: 16, max_temp: 30, target_temp_step: 1, supported_features: 1 }),
    entityType: 'thermostat',
    states: [{ key: 'current_temperature' }, { key: 'target_temperature', value: '24', range: { min: 16, max: 30, step: 1 } }, { key: 'hvac_mode' }],
  },
  {
    what: 'thermostat limits without a step, and limits that make no range',
    state: ha('climate.study', 'heat', { hvac_modes: ['heat'], temperature: 20, min_temp: 5, max_temp: 25, target_temp_step: 0, supported_features: 1 }),
    entityType: 'thermostat',
    states: [{ key: 'current_temperature' }, { key: 'target_temperature', range: { min: 5, max: 25, step: null } }, { key: 'hvac_mode' }],
  },
  {
    what: 'thermostat whose minimum is above its maximum',
    state: ha('climate.odd', 'heat', { hvac_modes: ['heat'], temperature: 20, min_temp: 30, max_temp: 10, supported_features: 1 }),
    entityType: 'thermostat',
    states: [{ key: 'current_temperature' }, { key: 'target_temperature', range: null }, { key: 'hvac_mode' }],
  },
  {
    what: 'thermostat in a heat_cool range has no single target',
    state: ha('climate.range', 'heat_cool', { hvac_modes: ['heat_cool', 'off'], current_temperature: '19.0', target_temp_low: 18, target_temp_high: 24, supported_features: 2 }),
    entityType: 'thermostat',
    states: [
      { key: 'current_temperature', value: '19' },
      { key: 'target_temperature', value: null, controllable: false },
      { key: 'hvac_mode', value: 'heat_cool' },
    ],
  },
  {
    what: 'thermostat with missing attributes',
    state: ha('climate.bare', 'off'),
    entityType: 'thermostat',
    states: [
      { key: 'current_temperature', value: null },
      { key: 'target_temperature', value: null, controllable: false },
      { key: 'hvac_mode', value: 'off', controllable: false, choices: [] },
    ],
  },
  {
    what: 'thermostat with an unknown mode: no mode to offer, so not controllable',
    state: ha('climate.odd', 'eco', { hvac_modes: ['eco'], current_temperature: 'n/a', temperature: 20 }),
    entityType: 'thermostat',
    states: [
      { key: 'current_temperature', value: null },
      { key: 'target_temperature', value: '20', controllable: true },
      { key: 'hvac_mode', value: 'unknown', controllable: false, choices: [] },
    ],
  },
  {
    what: 'thermostat offers the known modes of hvac_modes, in Home Assistant\u2019s order',
    state: ha('climate.den', 'cool', { hvac_modes: ['cool', 'eco', 42, 'off', null, 'fan_only'] }),
    entityType: 'thermostat',
    states: [{ key: 'current_temperature' }, { key: 'target_temperature' }, { key: 'hvac_mode', value: 'cool', controllable: true, choices: ['cool', 'off', 'fan_only'] }],
  },
  {
    what: 'unavailable thermostat',
    state: ha('climate.hall', 'unavailable', { hvac_modes: ['off', 'heat'], current_temperature: 20.5, temperature: 21 }),
    entityType: 'thermostat',
    states: [
      { key: 'current_temperature', value: 'unavailable' },
      { key: 'target_temperature', value: 'unavailable' },
      { key: 'hvac_mode', value: 'unavailable' },
    ],
  },
  // ---- binary sensors ----
  ...(
    [
      ['door', 'on', 'door', 'open_close', 'open_close', 'open'],
      ['door', 'off', 'door', 'open_close', 'open_close', 'closed'],
      ['garage_door', 'on', 'garage_door', 'open_close', 'open_close', 'open'],
      ['window', 'off', 'window', 'open_close', 'open_close', 'closed'],
      ['opening', 'on', 'door', 'open_close', 'open_close', 'open'],
      ['motion', 'on', 'motion_sensor', 'movement', 'movement', 'active'],
      ['motion', 'off', 'motion_sensor', 'movement', 'movement', 'idle'],
      ['vibration', 'on', 'other', 'movement', 'movement', 'active'],
      ['occupancy', 'on', 'presence_sensor', 'presence', 'presence', 'present'],
      ['presence', 'off', 'presence_sensor', 'presence', 'presence', 'away'],
      ['smoke', 'on', 'smoke_detector', 'smoke', 'smoke', 'detected'],
      ['smoke', 'off', 'smoke_detector', 'smoke', 'smoke', 'clear'],
      ['carbon_monoxide', 'on', 'co_detector', 'co', 'co', 'detected'],
      ['gas', 'off', 'other', 'gas', 'gas', 'clear'],
      ['moisture', 'on', 'water_leak_sensor', 'moisture', 'moisture', 'detected'],
      ['battery', 'on', 'other', 'battery_low', 'problem', 'detected'],
      ['battery', 'off', 'other', 'battery_low', 'problem', 'clear'],
      ['connectivity', 'on', 'other', 'connectivity', 'connectivity', 'connected'],
      ['connectivity', 'off', 'other', 'connectivity', 'connectivity', 'disconnected'],
      ['problem', 'on', 'other', 'problem', 'problem', 'detected'],
      ['tamper', 'off', 'other', 'problem', 'problem', 'clear'],
      ['lock', 'on', 'lock', 'lock_state', 'lock_state', 'unlocked'],
      ['lock', 'off', 'lock', 'lock_state', 'lock_state', 'locked'],
      ['plug', 'on', 'other', 'on_off', 'on_off', 'on'],
      [null, 'off', 'other', 'on_off', 'on_off', 'off'],
    ] as const
  ).map(
    ([deviceClass, state, entityType, key, stateType, value]): Row => ({
      what: `binary_sensor ${deviceClass ?? '(no class)'} ${state}`,
      state: ha(`binary_sensor.${deviceClass ?? 'generic'}`, state, deviceClass ? { device_class: deviceClass } : {}),
      entityType,
      states: [{ key, stateType, value, controllable: false }],
    }),
  ),
  { what: 'binary_sensor battery is named for what on means', state: ha('binary_sensor.remote_battery', 'on', { device_class: 'battery' }), entityType: 'other', states: [{ key: 'battery_low', name: 'Low battery' }] },
  { what: 'binary_sensor unknown', state: ha('binary_sensor.zoo_unknown', 'unknown', { device_class: 'motion' }), entityType: 'motion_sensor', states: [{ key: 'movement', value: 'unknown' }] },
  { what: 'binary_sensor unavailable smoke', state: ha('binary_sensor.smoke', 'unavailable', { device_class: 'smoke' }), entityType: 'smoke_detector', states: [{ key: 'smoke', value: 'unavailable' }] },
  { what: 'binary_sensor with an upper-case device class', state: ha('binary_sensor.d', 'on', { device_class: 'Door' }), entityType: 'door', states: [{ key: 'open_close', value: 'open' }] },
  // ---- sensors ----
  ...(
    [
      ['temperature', '21.40', '°C', 'temperature_sensor', 'temperature', '21.4'],
      ['temperature', '-3.5', '°F', 'temperature_sensor', 'temperature', '-3.5'],
      ['humidity', '44', '%', 'humidity_sensor', 'humidity', '44'],
      ['power', '742.5', 'W', 'electric_meter', 'power', '742.5'],
      ['energy', '18234.56', 'kWh', 'electric_meter', 'energy', '18234.56'],
      ['battery', '087', '%', 'other', 'battery', '87'],
      ['illuminance', '310', 'lx', 'other', 'illuminance', '310'],
      ['volume_flow_rate', '6.2', 'L/min', 'other', 'flow_rate', '6.2'],
    ] as const
  ).map(
    ([deviceClass, state, unit, entityType, stateType, value]): Row => ({
      what: `sensor ${deviceClass}`,
      state: ha(`sensor.${deviceClass}`, state, { device_class: deviceClass, unit_of_measurement: unit, state_class: 'measurement' }),
      entityType,
      states: [{ key: 'value', stateType, value, units: unit, controllable: false }],
    }),
  ),
  { what: 'a numeric sensor with a non-numeric reading', state: ha('sensor.t', 'warm', { device_class: 'temperature', unit_of_measurement: '°C' }), entityType: 'temperature_sensor', states: [{ key: 'value', value: 'unknown', units: '°C' }] },
  { what: 'a numeric sensor without a unit', state: ha('sensor.h', '50', { device_class: 'humidity' }), entityType: 'humidity_sensor', states: [{ key: 'value', value: '50', units: null }] },
  {
    what: 'restored, unavailable temperature sensor',
    state: ha('sensor.zoo_unavailable', 'unavailable', { restored: true, unit_of_measurement: '°C', device_class: 'temperature', supported_features: 0 }),
    entityType: 'temperature_sensor',
    states: [{ key: 'value', value: 'unavailable', units: '°C' }],
  },
  { what: 'a sensor of another class keeps its text', state: ha('sensor.washer', 'Rinse Cycle', { device_class: 'enum', options: ['Rinse Cycle'] }), entityType: 'other', states: [{ key: 'value', stateType: 'discrete', value: 'Rinse Cycle', units: null }] },
  { what: 'a voltage sensor is discrete with its unit', state: ha('sensor.mains', '231.2', { device_class: 'voltage', unit_of_measurement: 'V' }), entityType: 'other', states: [{ key: 'value', stateType: 'discrete', value: '231.2', units: 'V' }] },
  // ---- cameras, media, alarms, presence ----
  {
    what: 'camera',
    state: ha('camera.front', 'idle', { access_token: 'secret', entity_picture: '/api/camera_proxy/camera.front?token=secret', frontend_stream_type: 'hls', supported_features: 2 }),
    entityType: 'camera',
    hasVideoStream: true,
    states: [{ key: 'video_stream', stateType: 'video_stream', value: 'idle', controllable: false }],
  },
  { what: 'recording camera', state: ha('camera.back', 'recording'), entityType: 'camera', hasVideoStream: true, states: [{ key: 'video_stream', value: 'recording' }] },
  {
    what: 'tv, off',
    state: ha('media_player.tv', 'off', { device_class: 'tv', supported_features: 21945 }),
    entityType: 'television',
    states: [
      { key: 'on_off', stateType: 'on_off', value: 'off', controllable: true },
      { key: 'media_state', stateType: 'media_state', value: 'off', controllable: false },
    ],
  },
  {
    what: 'speaker, playing',
    state: ha('media_player.speaker', 'playing', { device_class: 'speaker', volume_level: 0.35, supported_features: 21945 }),
    entityType: 'speaker',
    states: [{ key: 'on_off', value: 'on' }, { key: 'media_state', value: 'playing' }],
  },
  {
    what: 'receiver on (no media)',
    state: ha('media_player.receiver', 'on', { device_class: 'receiver', supported_features: 0 }),
    entityType: 'media_player',
    states: [{ key: 'on_off', value: 'on', controllable: false }, { key: 'media_state', value: 'idle' }],
  },
  { what: 'media player in standby', state: ha('media_player.box', 'standby'), entityType: 'media_player', states: [{ key: 'on_off', value: 'off' }, { key: 'media_state', value: 'off' }] },
  { what: 'media player buffering', state: ha('media_player.box', 'buffering'), entityType: 'media_player', states: [{ key: 'on_off', value: 'on' }, { key: 'media_state', value: 'playing' }] },
  { what: 'unavailable tv', state: ha('media_player.tv', 'unavailable', { device_class: 'tv' }), entityType: 'television', states: [{ key: 'on_off', value: 'unavailable' }, { key: 'media_state', value: 'unavailable' }] },
  ...(
    [
      ['disarmed', 'disarmed'],
      ['armed_home', 'armed_home'],
      ['armed_away', 'armed_away'],
      ['armed_night', 'armed_night'],
      ['arming', 'arming'],
      ['pending', 'pending'],
      ['triggered', 'triggered'],
      ['armed_vacation', 'armed_away'],
      ['armed_custom_bypass', 'armed_home'],
      ['disarming', 'disarmed'],
      ['exploded', 'unknown'],
    ] as const
  ).map(
    ([state, value]): Row => ({
      what: `alarm panel ${state}`,
      state: ha('alarm_control_panel.home', state, { code_format: null, supported_features: 15 }),
      entityType: 'alarm_panel',
      states: [{ key: 'alarm_state', stateType: 'alarm_state', value, controllable: false }],
    }),
  ),
  { what: 'person at home', state: ha('person.ann', 'home', { friendly_name: 'Ann' }), entityType: 'presence_sensor', name: 'Ann', states: [{ key: 'presence', stateType: 'presence', value: 'present' }] },
  { what: 'person away', state: ha('person.ann', 'not_home'), entityType: 'presence_sensor', states: [{ key: 'presence', value: 'away' }] },
  { what: 'person in another zone is away from home', state: ha('person.ann', 'Work'), entityType: 'presence_sensor', states: [{ key: 'presence', value: 'away' }] },
  { what: 'person unknown', state: ha('person.ann', 'unknown'), entityType: 'presence_sensor', states: [{ key: 'presence', value: 'unknown' }] },
  { what: 'device tracker', state: ha('device_tracker.phone', 'home', { source_type: 'router' }), entityType: 'presence_sensor', states: [{ key: 'presence', value: 'present' }] },
];

describe('convertHaState', () => {
  it.each(ROWS.map((row) => [row.what, row] as const))('%s', (_what, row) => {
    const entity = convertHaState(row.state);
    expect(entity).not.toBeNull();
    expect(entity!.upstreamId).toBe(row.state.entity_id);
    expect(entity!.domain).toBe(row.state.entity_id.split('.')[0]);
    expect(entity!.entityType).toBe(row.entityType);
    expect(entity!.hasVideoStream).toBe(row.hasVideoStream ?? false);
    if (row.name) expect(entity!.name).toBe(row.name);
    expect(entity!.states.map((s) => s.key)).toEqual(row.states.map((s) => s.key));
    row.states.forEach((expected, i) => expect(entity!.states[i]).toMatchObject(expected));
  });

  it('names an entity by its friendly name, else by its entity id', () => {
    expect(convertHaState(ha('switch.a', 'on', { friendly_name: '  Coffee Maker ' }))!.name).toBe('Coffee Maker');
    expect(convertHaState(ha('switch.a', 'on', { friendly_name: '' }))!.name).toBe('switch.a');
    expect(convertHaState(ha('switch.a', 'on', { friendly_name: 42 }))!.name).toBe('switch.a');
    expect(convertHaState(ha('switch.a', 'on'))!.name).toBe('switch.a');
  });

  it.each(['automation.morning', 'script.bedtime', 'scene.movie', 'zone.home', 'sun.sun', 'update.core', 'button.restart', 'weather.home', 'input_number.level', 'number.x', 'select.y', 'group.all'])(
    'does not import %s',
    (entityId) => {
      expect(convertHaState(ha(entityId, 'on'))).toBeNull();
      expect(valuesFromHaState(ha(entityId, 'on')).values).toEqual([]);
    },
  );

  it('imports exactly the documented domains', () => {
    expect([...IMPORTED_DOMAINS].sort()).toEqual(
      ['alarm_control_panel', 'binary_sensor', 'camera', 'climate', 'cover', 'device_tracker', 'fan', 'input_boolean', 'light', 'lock', 'media_player', 'person', 'sensor', 'siren', 'switch'].sort(),
    );
  });

  it('keeps the raw attributes as the payload, without camera tokens', () => {
    const camera = convertHaState(
      ha('camera.front', 'idle', { access_token: 'abc', entity_picture: '/api/camera_proxy/camera.front?token=abc', brand: 'Reolink' }),
    )!;
    expect(camera.payload).toEqual({ entity_picture: '/api/camera_proxy/camera.front', brand: 'Reolink' });
    const other = convertHaState(ha('camera.back', 'idle', { entity_picture: '/api/camera_proxy/camera.back?size=2&token=abc&x=1' }))!;
    expect(other.payload.entity_picture).toBe('/api/camera_proxy/camera.back?size=2&x=1');
    const light = ctLight('on');
    expect(convertHaState(light)!.payload).toEqual(light.attributes);
  });

  it('takes the climate temperature unit from the options', () => {
    const entity = convertHaState(ha('climate.hall', 'heat', { current_temperature: 20, temperature: 21 }), { temperatureUnit: '°C' })!;
    expect(entity.states.filter((s) => s.stateType !== 'hvac_mode').map((s) => s.units)).toEqual(['°C', '°C']);
  });

  it('keeps the state keys stable across on, off and unavailable', () => {
    for (const make of [ctLight, (s: string) => ha('cover.b', s, { current_position: 50, supported_features: 15 })]) {
      const keys = ['on', 'off', 'open', 'closed', 'unavailable', 'unknown'].map((s) => convertHaState(make(s))!.states.map((x) => x.key).join());
      expect(new Set(keys).size).toBe(1);
    }
  });

  describe.each(PROFILE_NAMES.filter((p) => p !== 'volume'))('every entity of the %s profile', (profile) => {
    const states = buildProfile(profile).map((e) => ha(e.entityId, e.state, e.attributes));

    it('converts, with known types and values the app understands', () => {
      const discrete = ENTITY_STATE_VALUES as Record<string, readonly string[]>;
      for (const state of states) {
        const entity = convertHaState(state);
        expect(entity, state.entity_id).not.toBeNull();
        expect(EntityType.isName(entity!.entityType)).toBe(true);
        expect(entity!.states.length, state.entity_id).toBeGreaterThan(0);
        expect(new Set(entity!.states.map((s) => s.key)).size).toBe(entity!.states.length);
        for (const s of entity!.states) {
          expect(EntityStateType.isName(s.stateType)).toBe(true);
          if (s.value === null || (UNAVAILABLE_STATE_VALUES as readonly string[]).includes(s.value)) continue;
          if (s.stateType in discrete) expect(discrete[s.stateType as DiscreteStateTypeValue], `${state.entity_id} ${s.key}`).toContain(s.value);
          else if (s.stateType !== 'discrete' && s.stateType !== 'video_stream') expect(Number.isFinite(Number(s.value)), `${state.entity_id} ${s.key}=${s.value}`).toBe(true);
          // Controllable states are the panel's control types, plus a cover's open/close.
          if (s.controllable && s.stateType !== 'open_close') expect(CONTROLLABLE_STATE_TYPES).toContain(s.stateType);
        }
      }
    });

    it('gives valuesFromHaState the same keys and values', () => {
      for (const state of states) {
        const entity = convertHaState(state)!;
        const values = valuesFromHaState(state);
        expect(values.upstreamId).toBe(state.entity_id);
        expect(values.values).toEqual(entity.states.map((s) => ({ key: s.key, value: s.value })));
      }
    });
  });
});

describe('valuesFromHaState', () => {
  it('stamps the values with last_updated', () => {
    const values = valuesFromHaState(ctLight('on'));
    expect(values).toEqual({
      upstreamId: 'light.kitchen',
      values: [
        { key: 'on_off', value: 'on' },
        { key: 'brightness', value: '78' },
        { key: 'color_temp', value: '3000' },
      ],
      ts: Date.parse(UPDATED),
    });
  });

  it('falls back to last_changed, then to the given time', () => {
    const bad = { ...ha('switch.a', 'on'), last_updated: 'yesterday' };
    expect(valuesFromHaState(bad).ts).toBe(Date.parse(CHANGED));
    expect(valuesFromHaState({ ...bad, last_changed: 'never' }, { fallbackTs: 1234 }).ts).toBe(1234);
  });

  it('reports unavailable for every key', () => {
    expect(valuesFromHaState(ha('climate.x', 'unavailable', { temperature: 20 })).values.map((v) => v.value)).toEqual(['unavailable', 'unavailable', 'unavailable']);
  });
});

describe('serviceCallFor', () => {
  const light = convertHaState(ctLight('on'))!;
  const onOffLight = convertHaState(ha('light.porch', 'off', { supported_color_modes: ['onoff'] }))!;
  const blind = convertHaState(ha('cover.blind', 'open', { device_class: 'blind', current_position: 60, supported_features: 15 }))!;
  const garage = convertHaState(ha('cover.garage', 'closed', { device_class: 'garage', supported_features: 3 }))!;
  const readOnlyCover = convertHaState(ha('cover.ro', 'closed', { supported_features: 0 }))!;
  const thermostat = convertHaState(ha('climate.hall', 'heat', { hvac_modes: ['off', 'heat'], temperature: 21, supported_features: 1 }))!;
  const tv = convertHaState(ha('media_player.tv', 'off', { device_class: 'tv', supported_features: 384 }))!;
  const receiver = convertHaState(ha('media_player.rx', 'on', { supported_features: 0 }))!;

  it.each([
    ['light on', light, 'on_off', 'on', 'light', 'turn_on', {}],
    ['light off (boolean)', light, 'on_off', false, 'light', 'turn_off', {}],
    ['light off (upper case)', light, 'on_off', 'OFF', 'light', 'turn_off', {}],
    ['light brightness', light, 'brightness', '55', 'light', 'turn_on', { brightness_pct: 55 }],
    ['light brightness rounds', light, 'brightness', 33.4, 'light', 'turn_on', { brightness_pct: 33 }],
    ['light brightness 0 turns it off', light, 'brightness', 0, 'light', 'turn_off', {}],
    ['light colour temperature', light, 'color_temp', '2700', 'light', 'turn_on', { color_temp_kelvin: 2700 }],
    ['switch', { upstreamId: 'switch.plug', domain: 'switch' }, 'on_off', 'on', 'switch', 'turn_on', {}],
    ['input_boolean', { upstreamId: 'input_boolean.guest', domain: 'input_boolean' }, 'on_off', 'off', 'input_boolean', 'turn_off', {}],
    ['fan', { upstreamId: 'fan.ceiling', domain: 'fan' }, 'on_off', true, 'fan', 'turn_on', {}],
    ['siren', { upstreamId: 'siren.hall', domain: 'siren' }, 'on_off', 'off', 'siren', 'turn_off', {}],
    ['cover open', garage, 'open_close', 'open', 'cover', 'open_cover', {}],
    ['cover close', garage, 'open_close', 'closed', 'cover', 'close_cover', {}],
    ['cover stop', garage, 'open_close', 'stop', 'cover', 'stop_cover', {}],
    ['cover position', blind, 'position', '25', 'cover', 'set_cover_position', { position: 25 }],
    ['lock', { upstreamId: 'lock.front', domain: 'lock' }, 'lock_state', 'locked', 'lock', 'lock', {}],
    ['unlock', { upstreamId: 'lock.front', domain: 'lock' }, 'lock_state', 'unlocked', 'lock', 'unlock', {}],
    ['target temperature', thermostat, 'target_temperature', '21.5', 'climate', 'set_temperature', { temperature: 21.5 }],
    ['hvac mode', thermostat, 'hvac_mode', 'off', 'climate', 'set_hvac_mode', { hvac_mode: 'off' }],
    ['hvac mode, choices unknown', { upstreamId: 'climate.hall', domain: 'climate' }, 'hvac_mode', 'dry', 'climate', 'set_hvac_mode', { hvac_mode: 'dry' }],
    ['tv on', tv, 'on_off', 'on', 'media_player', 'turn_on', {}],
  ] as const)('%s', (_what, upstream, key, value, domain, service, data) => {
    expect(serviceCallFor(upstream, key, value)).toEqual({ domain, service, serviceData: { entity_id: upstream.upstreamId, ...data } });
  });

  it.each([
    ['a sensor', { upstreamId: 'sensor.t', domain: 'sensor' }, 'value', '20'],
    ['a binary sensor', { upstreamId: 'binary_sensor.door', domain: 'binary_sensor' }, 'open_close', 'open'],
    ['a current temperature', thermostat, 'current_temperature', '20'],
    ['an alarm panel', { upstreamId: 'alarm_control_panel.home', domain: 'alarm_control_panel' }, 'alarm_state', 'armed_away'],
    ['playback', tv, 'media_state', 'playing'],
    ['the brightness of an on/off light', onOffLight, 'brightness', '50'],
    ['a cover without open/close', readOnlyCover, 'open_close', 'open'],
    ['a blind position on a garage door', garage, 'position', '50'],
    ['a receiver without power features', receiver, 'on_off', 'off'],
    ['an unknown key', light, 'sparkle', 'on'],
    ['a domain that is not imported', { upstreamId: 'script.x', domain: 'script' }, 'on_off', 'on'],
  ] as const)('answers null for %s', (_what, upstream, key, value) => {
    expect(serviceCallFor(upstream, key, value)).toBeNull();
  });

  it.each([
    [light, 'on_off', 'maybe'],
    [light, 'on_off', 1],
    [light, 'brightness', '101'],
    [light, 'brightness', -1],
    [light, 'brightness', 'bright'],
    [light, 'brightness', true],
    [light, 'color_temp', 50],
    [blind, 'position', 'half'],
    [garage, 'open_close', 'ajar'],
    [thermostat, 'hvac_mode', 'warp'],
    [thermostat, 'target_temperature', 'NaN'],
    [{ upstreamId: 'lock.front', domain: 'lock' }, 'lock_state', 'jammed'],
  ] as const)('throws for %#: %s %s', (upstream, key, value) => {
    expect(() => serviceCallFor(upstream, key, value)).toThrow(HaControlValueError);
    expect(() => serviceCallFor(upstream, key, value)).toThrow(new RegExp(`${upstream.upstreamId} ${key}`));
  });
});
