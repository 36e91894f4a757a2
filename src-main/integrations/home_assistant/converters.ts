import {
  EntityStateType,
  UNAVAILABLE_STATE_VALUES,
  type EntityStateTypeValue,
  type EntityTypeValue,
} from '../../../src-shared/enums/entity';
import type { NumericRange } from '../../../src-shared/model/location';
import type { UpstreamEntity, UpstreamState, UpstreamValues } from '../upstream';
import { shortText } from '../upstream-limits';
import type { HaState } from './ha-types';

/*
 * Home Assistant states -> this app's entities and states.
 *
 * Decisions (the table below is the authority; the tests walk it):
 * - Imported domains: light, switch, input_boolean, fan, siren, cover, lock, climate, binary_sensor, sensor, camera,
 *   media_player, alarm_control_panel, person, device_tracker. Everything else (automation, script, scene, zone,
 *   sun, update, button, number, select, weather, group, ...) converts to null: those are not things on a floor plan.
 * - A state of `unavailable` or `unknown` (and an empty state, read as `unknown`) becomes that value for EVERY state
 *   of the entity, so a dead light never reads as `off` nor its brightness as 0.
 * - Values are the normalised texts of ENTITY_STATE_VALUES; numbers are canonical decimal strings. A value Home
 *   Assistant documents but the app has no word for maps to the nearest safe word (a cover that is closing is still
 *   `open`, a lock that is locking is still `unlocked`); anything undocumented becomes `unknown`.
 * - light: on_off; brightness (LIGHT_DIMMER, percent 0..100, 0 while off, at least 1 while on) when a colour mode
 *   other than onoff is supported; color_temp (kelvin, null while off or in a colour mode) when color_temp is.
 * - switch: SWITCH, or OUTLET for device_class outlet. input_boolean: SWITCH. fan: CEILING_FAN. siren: SIREN.
 * - cover: garage -> GARAGE_DOOR, gate -> FENCE_GATE, door -> DOOR, window -> WINDOW (Home Assistant's `window`
 *   class is a window opener, not a covering), blind/shade/curtain/shutter/awning/none -> BLINDS. States open_close
 *   (opening and closing read `open`: not yet closed) and position (0..100) when the cover reports or sets one.
 *   open_close is controllable on a cover (open_cover / close_cover) although CONTROLLABLE_STATE_TYPES lacks it.
 * - lock: LOCK, lock_state locked / jammed / unlocked (unlocked, locking, unlocking, open, opening).
 * - climate: THERMOSTAT with current_temperature (TEMPERATURE), target_temperature (TARGET_TEMPERATURE, null in
 *   heat_cool ranges) and hvac_mode, whose choices are the known modes of hvac_modes in Home Assistant's order (a
 *   device refuses any other). Climate states carry no unit: pass `temperatureUnit` from /api/config.
 * - binary_sensor by device class (on -> the first word): door/garage_door/window/opening -> OPEN_CLOSE, motion ->
 *   MOVEMENT (vibration and moving too, on OTHER), occupancy/presence -> PRESENCE, smoke -> SMOKE, carbon_monoxide
 *   -> CO, gas -> GAS, moisture -> MOISTURE, connectivity -> CONNECTIVITY, problem/tamper/safety -> PROBLEM,
 *   battery -> PROBLEM under the key `battery_low` (Home Assistant's on means "battery low"; BATTERY is a percentage,
 *   so a yes/no does not fit it), lock -> LOCK_STATE (on means unlocked), anything else -> ON_OFF on OTHER.
 * - sensor by device class, key `value`: temperature, humidity, power, energy, battery, illuminance,
 *   volume_flow_rate -> the numeric state type with unit_of_measurement (a non-numeric reading becomes `unknown`);
 *   any other sensor -> DISCRETE with the text as Home Assistant gives it.
 * - camera: CAMERA, video_stream (idle / recording / streaming), hasVideoStream true.
 * - media_player: tv -> TELEVISION, speaker -> SPEAKER, others -> MEDIA_PLAYER; on_off (standby reads off) and
 *   media_state (buffering reads playing, on reads idle, standby reads off).
 * - alarm_control_panel: ALARM_PANEL, alarm_state; armed_vacation reads armed_away, armed_custom_bypass armed_home,
 *   disarming disarmed. Not controllable: arming needs a code the panel must not keep.
 * - person / device_tracker: PRESENCE_SENSOR, presence `present` at home, `away` anywhere else (a named zone too).
 * - payload: the raw attributes minus camera access tokens (they grant access to the stream).
 * - Texts taken from attributes (name, unit, device class) longer than UPSTREAM_LIMITS.maxTextChars are ignored: the
 *   name falls back to the entity id, the unit to none. The client has already bounded the attributes as a whole.
 */

export interface ConvertOptions {
  /** The home's temperature unit (Home Assistant's unit_system.temperature), for climate states, which carry none. */
  temperatureUnit?: string | null;
}

/** Home Assistant's supported_features bits that decide what can be controlled. */
const FEATURE = {
  cover: { OPEN: 1, CLOSE: 2, SET_POSITION: 4 },
  climate: { TARGET_TEMPERATURE: 1 },
  mediaPlayer: { TURN_ON: 128, TURN_OFF: 256 },
} as const;

const UNAVAILABLE: ReadonlySet<string> = new Set(UNAVAILABLE_STATE_VALUES);
const HVAC_MODES: ReadonlySet<string> = new Set(['off', 'heat', 'cool', 'heat_cool', 'auto', 'dry', 'fan_only']);

// ---- small readers ----

type Attributes = Record<string, unknown>;

interface Input {
  entityId: string;
  domain: string;
  /** The state, trimmed and lower-cased. */
  state: string;
  /** The state, trimmed, as Home Assistant wrote it (for free-form values). */
  rawState: string;
  attributes: Attributes;
  deviceClass: string | null;
  /** supported_features, or null when the entity does not say. */
  features: number | null;
  options: ConvertOptions;
}

const finiteNumber = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value.trim());
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
};

/** A canonical decimal string (no exponent for ordinary magnitudes, no trailing zeros), or null. */
const decimal = (value: unknown): string | null => {
  const number = finiteNumber(value);
  if (number === null) return null;
  return String(Object.is(number, -0) ? 0 : number);
};

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** A text attribute (a name, a unit, a device class), trimmed; null when absent, empty or longer than a short text. */
const stringAttribute = (attributes: Attributes, key: string): string | null => (Object.hasOwn(attributes, key) ? shortText(attributes[key]) : null);

function supports(input: Input, bit: number, whenUnknown: boolean): boolean {
  return input.features === null ? whenUnknown : (input.features & bit) !== 0;
}

function colorModes(attributes: Attributes): string[] | null {
  const modes = attributes.supported_color_modes;
  return Array.isArray(modes) ? modes.filter((m): m is string => typeof m === 'string') : null;
}

/** A two-word state from Home Assistant's on/off: `on` -> the first word, `off` -> the second. */
const fromOnOff = (state: string, [on, off]: readonly [string, string]): string => (state === 'on' ? on : state === 'off' ? off : 'unknown');

// ---- state specs ----

interface Spec {
  key: string;
  stateType: EntityStateTypeValue;
  value: string | null;
  units?: string | null;
  controllable?: boolean;
  /** The values the device accepts, when it says; otherwise any value of the state type. */
  choices?: readonly string[];
  /** The numbers the device accepts, when it says. */
  range?: NumericRange;
  name?: string;
}

interface Description {
  entityType: EntityTypeValue;
  states: Spec[];
  hasVideoStream?: boolean;
}

type Converter = (input: Input) => Description;

const onOffSpec = (input: Input, controllable: boolean): Spec => ({
  key: 'on_off',
  stateType: 'on_off',
  value: fromOnOff(input.state, ['on', 'off']),
  controllable,
});

function lightStates(input: Input): Spec[] {
  const { attributes, state } = input;
  const modes = colorModes(attributes);
  const on = state === 'on';
  const states: Spec[] = [onOffSpec(input, true)];
  const hasBrightness = modes ? modes.some((m) => m !== 'onoff') : 'brightness' in attributes;
  if (hasBrightness) {
    const brightness = finiteNumber(attributes.brightness);
    let value: string | null = null;
    if (state === 'off') value = '0';
    else if (on && brightness !== null) value = String(clamp(Math.round((clamp(brightness, 0, 255) * 100) / 255), brightness > 0 ? 1 : 0, 100));
    states.push({ key: 'brightness', stateType: 'light_dimmer', value, units: '%', controllable: true });
  }
  const hasColorTemp = modes ? modes.includes('color_temp') : 'color_temp_kelvin' in attributes || 'min_color_temp_kelvin' in attributes;
  if (hasColorTemp) {
    const kelvin = finiteNumber(attributes.color_temp_kelvin);
    const value = on && kelvin !== null && kelvin > 0 ? String(Math.round(kelvin)) : null;
    states.push({ key: 'color_temp', stateType: 'light_color_temperature', value, units: 'K', controllable: true });
  }
  return states;
}

const COVER_TYPES: Record<string, EntityTypeValue> = {
  garage: 'garage_door',
  gate: 'fence_gate',
  door: 'door',
  window: 'window',
  blind: 'blinds',
  shade: 'blinds',
  curtain: 'blinds',
  shutter: 'blinds',
  awning: 'blinds',
};

function coverOpenClose(state: string): string {
  if (state === 'closed') return 'closed';
  if (state === 'open' || state === 'opening' || state === 'closing') return 'open';
  return 'unknown';
}

function coverStates(input: Input): Spec[] {
  const { OPEN, CLOSE, SET_POSITION } = FEATURE.cover;
  const states: Spec[] = [
    {
      key: 'open_close',
      stateType: 'open_close',
      value: coverOpenClose(input.state),
      controllable: supports(input, OPEN | CLOSE, true),
    },
  ];
  const reportsPosition = 'current_position' in input.attributes;
  const setsPosition = supports(input, SET_POSITION, reportsPosition);
  if (reportsPosition || setsPosition) {
    const position = finiteNumber(input.attributes.current_position);
    states.push({
      key: 'position',
      stateType: 'cover_position',
      value: position === null ? null : String(Math.round(clamp(position, 0, 100))),
      units: '%',
      controllable: setsPosition,
    });
  }
  return states;
}

function lockState(state: string): string {
  switch (state) {
    case 'locked':
    case 'jammed':
      return state;
    case 'unlocked':
    case 'locking':
    case 'unlocking':
    case 'open':
    case 'opening':
      return 'unlocked';
    default:
      return 'unknown';
  }
}

/** The target temperatures a thermostat takes, from its own min_temp, max_temp and target_temp_step, when it gives both ends. */
function targetRange(attributes: Attributes): NumericRange | undefined {
  const [min, max, step] = [finiteNumber(attributes.min_temp), finiteNumber(attributes.max_temp), finiteNumber(attributes.target_temp_step)];
  if (min === null || max === null || min > max) return undefined;
  return { min, max, step: step !== null && step > 0 ? step : null };
}

function climateStates(input: Input): Spec[] {
  const { attributes } = input;
  const unit = shortText(input.options.temperatureUnit);
  const hvacModes = Array.isArray(attributes.hvac_modes) ? attributes.hvac_modes.filter((m): m is string => typeof m === 'string' && HVAC_MODES.has(m)) : [];
  return [
    { key: 'current_temperature', stateType: 'temperature', name: 'Current temperature', value: decimal(attributes.current_temperature), units: unit },
    {
      key: 'target_temperature',
      stateType: 'target_temperature',
      value: decimal(attributes.temperature),
      units: unit,
      controllable: supports(input, FEATURE.climate.TARGET_TEMPERATURE, 'temperature' in attributes),
      range: targetRange(attributes),
    },
    {
      key: 'hvac_mode',
      stateType: 'hvac_mode',
      value: HVAC_MODES.has(input.state) ? input.state : 'unknown',
      controllable: hvacModes.length > 0,
      choices: hvacModes,
    },
  ];
}

interface BinaryClass {
  entityType: EntityTypeValue;
  key: string;
  stateType: EntityStateTypeValue;
  /** The words for on and off. */
  words: readonly [string, string];
  name?: string;
}

const openClose = (entityType: EntityTypeValue): BinaryClass => ({ entityType, key: 'open_close', stateType: 'open_close', words: ['open', 'closed'] });
const movement = (entityType: EntityTypeValue): BinaryClass => ({ entityType, key: 'movement', stateType: 'movement', words: ['active', 'idle'] });
const detected = (entityType: EntityTypeValue, stateType: EntityStateTypeValue, key: string = stateType): BinaryClass => ({
  entityType,
  key,
  stateType,
  words: ['detected', 'clear'],
});

const BINARY_CLASSES: Record<string, BinaryClass> = {
  door: openClose('door'),
  garage_door: openClose('garage_door'),
  window: openClose('window'),
  opening: openClose('door'),
  motion: movement('motion_sensor'),
  moving: movement('other'),
  vibration: movement('other'),
  occupancy: { entityType: 'presence_sensor', key: 'presence', stateType: 'presence', words: ['present', 'away'] },
  presence: { entityType: 'presence_sensor', key: 'presence', stateType: 'presence', words: ['present', 'away'] },
  smoke: detected('smoke_detector', 'smoke'),
  carbon_monoxide: detected('co_detector', 'co'),
  gas: detected('other', 'gas'),
  moisture: detected('water_leak_sensor', 'moisture'),
  problem: detected('other', 'problem'),
  tamper: detected('other', 'problem'),
  safety: detected('other', 'problem'),
  battery: { ...detected('other', 'problem', 'battery_low'), name: 'Low battery' },
  connectivity: { entityType: 'other', key: 'connectivity', stateType: 'connectivity', words: ['connected', 'disconnected'] },
  lock: { entityType: 'lock', key: 'lock_state', stateType: 'lock_state', words: ['unlocked', 'locked'] },
};
const BINARY_DEFAULT: BinaryClass = { entityType: 'other', key: 'on_off', stateType: 'on_off', words: ['on', 'off'] };

interface SensorClass {
  entityType: EntityTypeValue;
  stateType: EntityStateTypeValue;
}

const SENSOR_CLASSES: Record<string, SensorClass> = {
  temperature: { entityType: 'temperature_sensor', stateType: 'temperature' },
  humidity: { entityType: 'humidity_sensor', stateType: 'humidity' },
  power: { entityType: 'electric_meter', stateType: 'power' },
  energy: { entityType: 'electric_meter', stateType: 'energy' },
  battery: { entityType: 'other', stateType: 'battery' },
  illuminance: { entityType: 'other', stateType: 'illuminance' },
  volume_flow_rate: { entityType: 'other', stateType: 'flow_rate' },
};

function sensor(input: Input): Description {
  const units = stringAttribute(input.attributes, 'unit_of_measurement');
  const known = input.deviceClass ? SENSOR_CLASSES[input.deviceClass] : undefined;
  if (!known) return { entityType: 'other', states: [{ key: 'value', stateType: 'discrete', value: input.rawState, units }] };
  return { entityType: known.entityType, states: [{ key: 'value', stateType: known.stateType, value: decimal(input.state) ?? 'unknown', units }] };
}

function mediaState(state: string): string {
  switch (state) {
    case 'playing':
    case 'buffering':
      return 'playing';
    case 'paused':
      return 'paused';
    case 'idle':
    case 'on':
      return 'idle';
    case 'off':
    case 'standby':
      return 'off';
    default:
      return 'unknown';
  }
}

const MEDIA_TYPES: Record<string, EntityTypeValue> = { tv: 'television', speaker: 'speaker' };

function alarmState(state: string): string {
  switch (state) {
    case 'disarmed':
    case 'armed_home':
    case 'armed_away':
    case 'armed_night':
    case 'arming':
    case 'pending':
    case 'triggered':
      return state;
    case 'armed_vacation':
      return 'armed_away';
    case 'armed_custom_bypass':
      return 'armed_home';
    case 'disarming':
      return 'disarmed';
    default:
      return 'unknown';
  }
}

const presence: Converter = (input) => ({
  entityType: 'presence_sensor',
  states: [{ key: 'presence', stateType: 'presence', value: input.state === 'home' ? 'present' : 'away' }],
});

/** One converter per imported domain; a domain not listed here is not imported. */
const CONVERTERS: Record<string, Converter> = {
  light: (input) => ({ entityType: 'light', states: lightStates(input) }),
  switch: (input) => ({ entityType: input.deviceClass === 'outlet' ? 'outlet' : 'switch', states: [onOffSpec(input, true)] }),
  input_boolean: (input) => ({ entityType: 'switch', states: [onOffSpec(input, true)] }),
  fan: (input) => ({ entityType: 'ceiling_fan', states: [onOffSpec(input, true)] }),
  siren: (input) => ({ entityType: 'siren', states: [onOffSpec(input, true)] }),
  cover: (input) => ({ entityType: (input.deviceClass && COVER_TYPES[input.deviceClass]) || 'blinds', states: coverStates(input) }),
  lock: (input) => ({ entityType: 'lock', states: [{ key: 'lock_state', stateType: 'lock_state', value: lockState(input.state), controllable: true }] }),
  climate: (input) => ({ entityType: 'thermostat', states: climateStates(input) }),
  binary_sensor: (input) => {
    const kind = (input.deviceClass && BINARY_CLASSES[input.deviceClass]) || BINARY_DEFAULT;
    return { entityType: kind.entityType, states: [{ key: kind.key, stateType: kind.stateType, value: fromOnOff(input.state, kind.words), name: kind.name }] };
  },
  sensor,
  camera: (input) => ({
    entityType: 'camera',
    hasVideoStream: true,
    states: [{ key: 'video_stream', stateType: 'video_stream', value: input.state === '' ? 'unknown' : input.state }],
  }),
  media_player: (input) => {
    const { TURN_ON, TURN_OFF } = FEATURE.mediaPlayer;
    const media = mediaState(input.state);
    return {
      entityType: (input.deviceClass && MEDIA_TYPES[input.deviceClass]) || 'media_player',
      states: [
        { key: 'on_off', stateType: 'on_off', value: media === 'unknown' ? 'unknown' : media === 'off' ? 'off' : 'on', controllable: supports(input, TURN_ON | TURN_OFF, true) },
        { key: 'media_state', stateType: 'media_state', value: media },
      ],
    };
  },
  alarm_control_panel: (input) => ({ entityType: 'alarm_panel', states: [{ key: 'alarm_state', stateType: 'alarm_state', value: alarmState(input.state) }] }),
  person: presence,
  device_tracker: presence,
};

/** The Home Assistant domains this integration imports. */
export const IMPORTED_DOMAINS: readonly string[] = Object.freeze(Object.keys(CONVERTERS));

export function domainOf(entityId: string): string {
  const dot = entityId.indexOf('.');
  return dot < 0 ? '' : entityId.slice(0, dot);
}

function inputOf(state: HaState, options: ConvertOptions): Input {
  const attributes: Attributes = state.attributes ?? {};
  const deviceClass = stringAttribute(attributes, 'device_class');
  const features = finiteNumber(attributes.supported_features);
  return {
    entityId: state.entity_id,
    domain: domainOf(state.entity_id),
    state: state.state.trim().toLowerCase(),
    rawState: state.state.trim(),
    attributes,
    deviceClass: deviceClass && deviceClass.toLowerCase(),
    features: features === null ? null : Math.trunc(features),
    options,
  };
}

/** The shared core of convertHaState and valuesFromHaState: null for a domain that is not imported. */
function describe(state: HaState, options: ConvertOptions): Description | null {
  const input = inputOf(state, options);
  const converter = CONVERTERS[input.domain];
  if (!converter) return null;
  const description = converter(input);
  const unavailable = input.state === '' ? 'unknown' : UNAVAILABLE.has(input.state) ? input.state : null;
  if (unavailable !== null) {
    for (const spec of description.states) spec.value = unavailable;
  }
  return description;
}

export function entityName(state: HaState): string {
  return stringAttribute(state.attributes ?? {}, 'friendly_name') ?? state.entity_id;
}

/** Attributes that must not leave the hub: camera access tokens, also inside the picture URL. */
function redactedPayload(attributes: Attributes): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...attributes };
  delete payload.access_token;
  if (typeof payload.entity_picture === 'string') {
    payload.entity_picture = payload.entity_picture.replace(/([?&])token=[^&#]*(&?)/, (_m, lead: string, tail: string) => (tail ? lead : '')).replace(/[?&]$/, '');
  }
  return payload;
}

/** One Home Assistant state as this app's entity, or null for a domain that is not imported. */
export function convertHaState(state: HaState, options: ConvertOptions = {}): UpstreamEntity | null {
  const description = describe(state, options);
  if (!description) return null;
  const states: UpstreamState[] = description.states.map((spec) => ({
    key: spec.key,
    stateType: spec.stateType,
    name: spec.name ?? EntityStateType.fromName(spec.stateType).label,
    value: spec.value,
    units: spec.units ?? null,
    controllable: spec.controllable ?? false,
    choices: spec.choices ?? null,
    range: spec.range ?? null,
  }));
  return {
    upstreamId: state.entity_id,
    domain: domainOf(state.entity_id),
    name: entityName(state),
    entityType: description.entityType,
    states,
    hasVideoStream: description.hasVideoStream ?? false,
    payload: redactedPayload(state.attributes ?? {}),
  };
}

function epochMs(iso: string | undefined): number | null {
  if (iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The values only, for the live path: the same mapping as convertHaState. A domain that is not imported answers no
 * values. `ts` is Home Assistant's last_updated (else last_changed, else `fallbackTs`).
 */
export function valuesFromHaState(state: HaState, options: ConvertOptions & { fallbackTs?: number } = {}): UpstreamValues {
  const description = describe(state, options);
  return {
    upstreamId: state.entity_id,
    values: (description?.states ?? []).map(({ key, value }) => ({ key, value })),
    ts: epochMs(state.last_updated) ?? epochMs(state.last_changed) ?? options.fallbackTs ?? Date.now(),
  };
}

// ---- control ----

export interface HaServiceCall {
  domain: string;
  service: string;
  /** Carries the target as `entity_id`, which both the REST and the WebSocket call accept. */
  serviceData: Record<string, unknown>;
}

export type ControlValue = string | number | boolean;

/** A control value that does not fit the state it is meant for. */
export class HaControlValueError extends Error {
  constructor(upstreamId: string, key: string, value: unknown, expectation: string) {
    super(`Cannot set ${upstreamId} ${key} to ${JSON.stringify(value)}: expected ${expectation}`);
    this.name = 'HaControlValueError';
  }
}

interface Target {
  upstreamId: string;
  key: string;
  value: ControlValue;
}

type ServiceBuilder = (target: Target) => { service: string; data?: Record<string, unknown> };

function expectOnOff({ upstreamId, key, value }: Target): boolean {
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : null;
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new HaControlValueError(upstreamId, key, value, "'on' or 'off'");
}

function expectNumber({ upstreamId, key, value }: Target, min: number, max: number, unit: string): number {
  const number = typeof value === 'boolean' ? null : finiteNumber(value);
  if (number === null || number < min || number > max) throw new HaControlValueError(upstreamId, key, value, `a number from ${min} to ${max}${unit}`);
  return number;
}

function expectOneOf(target: Target, allowed: readonly string[]): string {
  const text = typeof target.value === 'string' ? target.value.trim().toLowerCase() : null;
  if (text === null || !allowed.includes(text)) throw new HaControlValueError(target.upstreamId, target.key, target.value, `one of ${allowed.join(', ')}`);
  return text;
}

const turnOnOff: ServiceBuilder = (target) => ({ service: expectOnOff(target) ? 'turn_on' : 'turn_off' });

/** Lowest and highest kelvin a light.turn_on call is accepted with here; the light clamps to its own range. */
const KELVIN_RANGE = [1000, 20_000] as const;

const SERVICES: Record<string, Record<string, ServiceBuilder>> = {
  light: {
    on_off: turnOnOff,
    brightness: (target) => {
      const pct = Math.round(expectNumber(target, 0, 100, ' %'));
      return pct === 0 ? { service: 'turn_off' } : { service: 'turn_on', data: { brightness_pct: pct } };
    },
    color_temp: (target) => ({ service: 'turn_on', data: { color_temp_kelvin: Math.round(expectNumber(target, ...KELVIN_RANGE, ' K')) } }),
  },
  switch: { on_off: turnOnOff },
  input_boolean: { on_off: turnOnOff },
  fan: { on_off: turnOnOff },
  siren: { on_off: turnOnOff },
  media_player: { on_off: turnOnOff },
  cover: {
    // 'stop' is a command rather than a state: the panel's Stop button halts a travelling cover.
    open_close: (target) => {
      const wanted = expectOneOf(target, ['open', 'closed', 'close', 'stop']);
      return { service: wanted === 'open' ? 'open_cover' : wanted === 'stop' ? 'stop_cover' : 'close_cover' };
    },
    position: (target) => ({ service: 'set_cover_position', data: { position: Math.round(expectNumber(target, 0, 100, ' %')) } }),
  },
  lock: {
    lock_state: (target) => ({ service: expectOneOf(target, ['locked', 'unlocked']) === 'locked' ? 'lock' : 'unlock' }),
  },
  climate: {
    target_temperature: (target) => ({ service: 'set_temperature', data: { temperature: expectNumber(target, -100, 1000, '') } }),
    hvac_mode: (target) => ({ service: 'set_hvac_mode', data: { hvac_mode: expectOneOf(target, [...HVAC_MODES]) } }),
  },
};

/**
 * The Home Assistant service call that sets one state to `value`, or null when that state cannot be controlled (a
 * sensor, a state the domain has no service for, or one the converted entity marks as not controllable). Throws
 * HaControlValueError for a value that does not fit the state.
 */
export function serviceCallFor(
  upstream: UpstreamEntity | { upstreamId: string; domain: string },
  stateKey: string,
  value: ControlValue,
): HaServiceCall | null {
  if ('states' in upstream) {
    const state = upstream.states.find((s) => s.key === stateKey);
    if (!state?.controllable) return null;
  }
  const builder = SERVICES[upstream.domain]?.[stateKey];
  if (!builder) return null;
  const { service, data } = builder({ upstreamId: upstream.upstreamId, key: stateKey, value });
  return { domain: upstream.domain, service, serviceData: { entity_id: upstream.upstreamId, ...data } };
}
