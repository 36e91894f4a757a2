import { FEATURES } from './ha-state-store';

export interface ProfileEntity {
  readonly entityId: string;
  readonly state: string;
  readonly attributes: Record<string, unknown>;
}

export const PROFILE_NAMES = ['small_house', 'zoo', 'volume'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const VOLUME_ENTITY_COUNT = 5000;

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

/** mulberry32: a small seeded generator, so generated homes and churn are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stableHex(text: string, length: number): string {
  let seed = 0;
  for (const char of text) seed = (Math.imul(seed, 31) + char.charCodeAt(0)) >>> 0;
  const random = seededRandom(seed);
  return Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
}

// ---- entity builders: attribute sets as the Home Assistant integrations write them ----

type LightKind = 'onoff' | 'brightness' | 'color_temp';
const MIN_KELVIN = 2000;
const MAX_KELVIN = 6535;

function light(entityId: string, name: string, kind: LightKind, on: boolean, brightness = 180, kelvin = 2700): ProfileEntity {
  const attributes: Record<string, unknown> = { supported_color_modes: [kind] };
  if (kind === 'color_temp') Object.assign(attributes, { min_color_temp_kelvin: MIN_KELVIN, max_color_temp_kelvin: MAX_KELVIN });
  attributes.color_mode = on ? kind : null;
  if (kind !== 'onoff') attributes.brightness = on ? brightness : null;
  if (kind === 'color_temp') attributes.color_temp_kelvin = on ? kelvin : null;
  Object.assign(attributes, { friendly_name: name, supported_features: kind === 'onoff' ? 0 : FEATURES.light.TRANSITION });
  return { entityId, state: on ? 'on' : 'off', attributes };
}

function onOffEntity(entityId: string, name: string, on: boolean, extra: Record<string, unknown> = {}): ProfileEntity {
  return { entityId, state: on ? 'on' : 'off', attributes: { ...extra, friendly_name: name } };
}

function binarySensor(entityId: string, name: string, deviceClass: string, on: boolean): ProfileEntity {
  return onOffEntity(entityId, name, on, { device_class: deviceClass });
}

interface SensorKind {
  unit: string | null;
  stateClass: 'measurement' | 'total_increasing';
  decimals: number;
}

const SENSOR_KINDS: Record<string, SensorKind> = {
  temperature: { unit: '°C', stateClass: 'measurement', decimals: 1 },
  humidity: { unit: '%', stateClass: 'measurement', decimals: 0 },
  power: { unit: 'W', stateClass: 'measurement', decimals: 1 },
  energy: { unit: 'kWh', stateClass: 'total_increasing', decimals: 2 },
  battery: { unit: '%', stateClass: 'measurement', decimals: 0 },
  illuminance: { unit: 'lx', stateClass: 'measurement', decimals: 0 },
};

function sensor(entityId: string, name: string, deviceClass: keyof typeof SENSOR_KINDS, value: number): ProfileEntity {
  const kind = SENSOR_KINDS[deviceClass]!;
  return {
    entityId,
    state: value.toFixed(kind.decimals),
    attributes: { state_class: kind.stateClass, unit_of_measurement: kind.unit, device_class: deviceClass, friendly_name: name },
  };
}

function climate(entityId: string, name: string): ProfileEntity {
  const { TARGET_TEMPERATURE, TURN_OFF, TURN_ON } = FEATURES.climate;
  return {
    entityId,
    state: 'heat',
    attributes: {
      hvac_modes: ['off', 'heat', 'cool', 'heat_cool'],
      min_temp: 7,
      max_temp: 35,
      target_temp_step: 0.5,
      current_temperature: 20.5,
      temperature: 21,
      hvac_action: 'heating',
      friendly_name: name,
      supported_features: TARGET_TEMPERATURE | TURN_OFF | TURN_ON,
    },
  };
}

function garageDoor(entityId: string, name: string): ProfileEntity {
  const { OPEN, CLOSE } = FEATURES.cover;
  return { entityId, state: 'closed', attributes: { device_class: 'garage', friendly_name: name, supported_features: OPEN | CLOSE } };
}

function blind(entityId: string, name: string, position: number): ProfileEntity {
  const { OPEN, CLOSE, SET_POSITION, STOP } = FEATURES.cover;
  return {
    entityId,
    state: position > 0 ? 'open' : 'closed',
    attributes: { current_position: position, device_class: 'blind', friendly_name: name, supported_features: OPEN | CLOSE | SET_POSITION | STOP },
  };
}

function lock(entityId: string, name: string): ProfileEntity {
  return { entityId, state: 'locked', attributes: { friendly_name: name, supported_features: 0 } };
}

function camera(entityId: string, name: string): ProfileEntity {
  const token = stableHex(entityId, 64);
  return {
    entityId,
    state: 'idle',
    attributes: {
      access_token: token,
      model_name: 'RLC-810A',
      brand: 'Reolink',
      frontend_stream_type: 'hls',
      entity_picture: `/api/camera_proxy/${entityId}?token=${token}`,
      friendly_name: name,
      supported_features: FEATURES.camera.STREAM,
    },
  };
}

function mediaPlayer(entityId: string, name: string, deviceClass: 'tv' | 'speaker', playing: boolean): ProfileEntity {
  const { PAUSE, VOLUME_SET, VOLUME_MUTE, TURN_ON, TURN_OFF, STOP, PLAY } = FEATURES.mediaPlayer;
  const supported_features = PAUSE | VOLUME_SET | VOLUME_MUTE | TURN_ON | TURN_OFF | STOP | PLAY;
  if (!playing) return { entityId, state: 'off', attributes: { device_class: deviceClass, friendly_name: name, supported_features } };
  return {
    entityId,
    state: 'playing',
    attributes: {
      volume_level: 0.35,
      is_volume_muted: false,
      media_content_type: 'music',
      media_title: 'Morning Jazz',
      device_class: deviceClass,
      friendly_name: name,
      supported_features,
    },
  };
}

function alarmPanel(entityId: string, name: string): ProfileEntity {
  const { ARM_HOME, ARM_AWAY, ARM_NIGHT, TRIGGER } = FEATURES.alarm;
  return {
    entityId,
    state: 'disarmed',
    attributes: {
      code_format: null,
      changed_by: null,
      code_arm_required: false,
      friendly_name: name,
      supported_features: ARM_HOME | ARM_AWAY | ARM_NIGHT | TRIGGER,
    },
  };
}

function fan(entityId: string, name: string): ProfileEntity {
  const { SET_SPEED, TURN_OFF, TURN_ON } = FEATURES.fan;
  return {
    entityId,
    state: 'off',
    attributes: {
      percentage: 0,
      percentage_step: 100 / 3,
      preset_mode: null,
      preset_modes: null,
      friendly_name: name,
      supported_features: SET_SPEED | TURN_OFF | TURN_ON,
    },
  };
}

// ---- profiles ----

function smallHouse(): ProfileEntity[] {
  return [
    light('light.living_room_ceiling', 'Living Room Ceiling', 'color_temp', true, 200, 3000),
    light('light.living_room_floor_lamp', 'Living Room Floor Lamp', 'brightness', false),
    light('light.kitchen_ceiling', 'Kitchen Ceiling', 'color_temp', true, 255, 4000),
    light('light.kitchen_under_cabinet', 'Kitchen Under Cabinet', 'brightness', false),
    light('light.dining_room_pendant', 'Dining Room Pendant', 'brightness', false),
    light('light.bedroom_ceiling', 'Bedroom Ceiling', 'color_temp', false),
    light('light.bedroom_bedside', 'Bedroom Bedside Lamp', 'brightness', true, 90),
    light('light.office_desk', 'Office Desk Lamp', 'color_temp', true, 230, 5000),
    light('light.hallway', 'Hallway', 'brightness', false),
    light('light.bathroom', 'Bathroom', 'brightness', false),
    light('light.porch', 'Porch Light', 'onoff', false),
    onOffEntity('switch.coffee_maker', 'Coffee Maker', false, { device_class: 'outlet' }),
    onOffEntity('switch.garden_irrigation', 'Garden Irrigation', false, { device_class: 'switch' }),
    onOffEntity('switch.office_heater', 'Office Heater', true, { device_class: 'outlet' }),
    climate('climate.thermostat', 'Hallway Thermostat'),
    binarySensor('binary_sensor.front_door', 'Front Door', 'door', false),
    binarySensor('binary_sensor.back_door', 'Back Door', 'door', false),
    binarySensor('binary_sensor.kitchen_window', 'Kitchen Window', 'window', true),
    binarySensor('binary_sensor.bedroom_window', 'Bedroom Window', 'window', false),
    binarySensor('binary_sensor.garage_door_contact', 'Garage Door Contact', 'garage_door', false),
    binarySensor('binary_sensor.hallway_motion', 'Hallway Motion', 'motion', false),
    binarySensor('binary_sensor.living_room_occupancy', 'Living Room Occupancy', 'occupancy', true),
    binarySensor('binary_sensor.kitchen_smoke', 'Kitchen Smoke Detector', 'smoke', false),
    binarySensor('binary_sensor.hallway_carbon_monoxide', 'Hallway CO Detector', 'carbon_monoxide', false),
    binarySensor('binary_sensor.basement_water_leak', 'Basement Water Leak', 'moisture', false),
    sensor('sensor.living_room_temperature', 'Living Room Temperature', 'temperature', 21.4),
    sensor('sensor.bedroom_temperature', 'Bedroom Temperature', 'temperature', 19.2),
    sensor('sensor.kitchen_temperature', 'Kitchen Temperature', 'temperature', 22.3),
    sensor('sensor.outdoor_temperature', 'Outdoor Temperature', 'temperature', 8.7),
    sensor('sensor.living_room_humidity', 'Living Room Humidity', 'humidity', 44),
    sensor('sensor.bathroom_humidity', 'Bathroom Humidity', 'humidity', 61),
    sensor('sensor.house_power', 'House Power', 'power', 742.5),
    sensor('sensor.house_energy', 'House Energy', 'energy', 18234.56),
    sensor('sensor.front_door_lock_battery', 'Front Door Lock Battery', 'battery', 87),
    sensor('sensor.hallway_motion_battery', 'Hallway Motion Sensor Battery', 'battery', 23),
    lock('lock.front_door', 'Front Door Lock'),
    garageDoor('cover.garage_door', 'Garage Door'),
    camera('camera.front_door', 'Front Door Camera'),
    mediaPlayer('media_player.living_room_tv', 'Living Room TV', 'tv', false),
    alarmPanel('alarm_control_panel.home_alarm', 'Home Alarm'),
  ];
}

const ZOO_BINARY_CLASSES = [
  'door', 'window', 'garage_door', 'motion', 'occupancy', 'presence', 'smoke', 'carbon_monoxide', 'gas', 'moisture',
  'battery', 'connectivity', 'problem',
];

function titleCase(snake: string): string {
  return snake.split('_').map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ');
}

function zoo(): ProfileEntity[] {
  return [
    light('light.zoo_color_temp_light', 'Zoo Color Temperature Light', 'color_temp', true, 150, 3500),
    light('light.zoo_dimmable_light', 'Zoo Dimmable Light', 'brightness', false),
    light('light.zoo_onoff_light', 'Zoo On/Off Light', 'onoff', true),
    onOffEntity('switch.zoo_outlet', 'Zoo Outlet', true, { device_class: 'outlet' }),
    onOffEntity('input_boolean.zoo_guest_mode', 'Zoo Guest Mode', false, { editable: true, icon: 'mdi:account-multiple' }),
    fan('fan.zoo_ceiling_fan', 'Zoo Ceiling Fan'),
    garageDoor('cover.zoo_garage_door', 'Zoo Garage Door'),
    blind('cover.zoo_blind', 'Zoo Blind', 60),
    lock('lock.zoo_lock', 'Zoo Lock'),
    climate('climate.zoo_thermostat', 'Zoo Thermostat'),
    ...ZOO_BINARY_CLASSES.map((dc, i) => binarySensor(`binary_sensor.zoo_${dc}`, `Zoo ${titleCase(dc)}`, dc, i % 3 === 0)),
    sensor('sensor.zoo_temperature', 'Zoo Temperature', 'temperature', 22.1),
    sensor('sensor.zoo_humidity', 'Zoo Humidity', 'humidity', 48),
    sensor('sensor.zoo_power', 'Zoo Power', 'power', 120.3),
    sensor('sensor.zoo_energy', 'Zoo Energy', 'energy', 512.07),
    sensor('sensor.zoo_battery', 'Zoo Battery', 'battery', 64),
    sensor('sensor.zoo_illuminance', 'Zoo Illuminance', 'illuminance', 310),
    camera('camera.zoo_camera', 'Zoo Camera'),
    mediaPlayer('media_player.zoo_speaker', 'Zoo Speaker', 'speaker', true),
    alarmPanel('alarm_control_panel.zoo_alarm', 'Zoo Alarm'),
    // What Home Assistant shows for an entity whose integration is down: restored, unavailable.
    {
      entityId: 'sensor.zoo_unavailable',
      state: 'unavailable',
      attributes: { restored: true, unit_of_measurement: '°C', device_class: 'temperature', friendly_name: 'Zoo Unavailable', supported_features: 0 },
    },
    { entityId: 'binary_sensor.zoo_unknown', state: 'unknown', attributes: { device_class: 'motion', friendly_name: 'Zoo Unknown' } },
  ];
}

const VOLUME_SENSOR_CLASSES = Object.keys(SENSOR_KINDS);
const VOLUME_BINARY_CLASSES = ['door', 'window', 'motion', 'occupancy', 'moisture'];
const VOLUME_SENSOR_RANGES: Record<string, [number, number]> = {
  temperature: [16, 26],
  humidity: [30, 70],
  power: [0, 2500],
  energy: [0, 50_000],
  battery: [5, 100],
  illuminance: [0, 1200],
};

/** 5,000 entities: 3,000 sensors, 1,250 lights, 500 binary sensors and 250 switches, the same on every run. */
function volume(): ProfileEntity[] {
  const random = seededRandom(5000);
  const entities: ProfileEntity[] = [];
  for (let i = 1; i <= VOLUME_ENTITY_COUNT; i++) {
    const n = String(i).padStart(4, '0');
    const zone = `Zone ${String(Math.ceil(i / 50)).padStart(3, '0')}`;
    const slot = i % 20;
    if (slot < 12) {
      const deviceClass = VOLUME_SENSOR_CLASSES[i % VOLUME_SENSOR_CLASSES.length]!;
      const [min, max] = VOLUME_SENSOR_RANGES[deviceClass]!;
      entities.push(sensor(`sensor.volume_${deviceClass}_${n}`, `${zone} ${titleCase(deviceClass)} ${n}`, deviceClass, min + random() * (max - min)));
    } else if (slot < 17) {
      const kind: LightKind = i % 3 === 0 ? 'color_temp' : 'brightness';
      entities.push(light(`light.volume_light_${n}`, `${zone} Light ${n}`, kind, random() < 0.4, 1 + Math.floor(random() * 255)));
    } else if (slot < 19) {
      const deviceClass = VOLUME_BINARY_CLASSES[i % VOLUME_BINARY_CLASSES.length]!;
      entities.push(binarySensor(`binary_sensor.volume_${deviceClass}_${n}`, `${zone} ${titleCase(deviceClass)} ${n}`, deviceClass, random() < 0.2));
    } else {
      entities.push(onOffEntity(`switch.volume_switch_${n}`, `${zone} Switch ${n}`, random() < 0.5, { device_class: 'outlet' }));
    }
  }
  return entities;
}

export function buildProfile(name: ProfileName): ProfileEntity[] {
  switch (name) {
    case 'small_house':
      return smallHouse();
    case 'zoo':
      return zoo();
    case 'volume':
      return volume();
  }
}
