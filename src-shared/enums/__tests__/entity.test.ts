import { describe, expect, it } from 'vitest';
import {
  CONTROLLABLE_STATE_TYPES,
  DEFAULT_STATE_TYPES,
  ENTITY_STATE_VALUES,
  ENTITY_TYPE_SHAPE,
  EntityStateType,
  EntityType,
  PathStyle,
  STATE_STYLE,
  styleTokenFor,
  UNAVAILABLE_STATE_VALUES,
} from '../entity';

const stateTypeValues = new Set<string>(EntityStateType.members.map((m) => m.value));

describe('EntityType', () => {
  it('has at least 40 members, each labelled and described, defaulting to OTHER', () => {
    expect(EntityType.members.length).toBeGreaterThanOrEqual(40);
    for (const m of EntityType.members) {
      expect(m.label, m.name).not.toBe('');
      expect(m.description, m.name).toMatch(/\.$/);
    }
    expect(EntityType.fromNameSafe('hovercraft')).toBe(EntityType.OTHER);
  });

  it('gives every member a shape, exactly', () => {
    expect(Object.keys(ENTITY_TYPE_SHAPE).sort()).toEqual(EntityType.members.map((m) => m.value).sort());
    expect(ENTITY_TYPE_SHAPE.light).toBe('icon');
    expect(ENTITY_TYPE_SHAPE.gas_line).toBe(PathStyle.LINE.value);
    expect(ENTITY_TYPE_SHAPE.room_area).toBe(PathStyle.AREA.value);
  });

  it('gives every member default states that are real state types', () => {
    expect(Object.keys(DEFAULT_STATE_TYPES).sort()).toEqual(EntityType.members.map((m) => m.value).sort());
    for (const [type, stateTypes] of Object.entries(DEFAULT_STATE_TYPES)) {
      for (const stateType of stateTypes) expect(stateTypeValues.has(stateType), `${type}: ${stateType}`).toBe(true);
      expect(new Set(stateTypes).size, type).toBe(stateTypes.length);
    }
    expect(DEFAULT_STATE_TYPES.light).toEqual(['on_off', 'light_dimmer']);
    expect(DEFAULT_STATE_TYPES.camera).toEqual(['video_stream', 'movement']);
    expect(DEFAULT_STATE_TYPES.thermostat).toEqual(['temperature', 'target_temperature', 'hvac_mode']);
    expect(DEFAULT_STATE_TYPES.yard_area).toEqual([]);
  });
});

describe('EntityStateType', () => {
  it('has the required members, defaulting to DISCRETE', () => {
    const required = [
      'ON_OFF', 'OPEN_CLOSE', 'MOVEMENT', 'PRESENCE', 'TEMPERATURE', 'HUMIDITY', 'LIGHT_DIMMER', 'SMOKE', 'CO',
      'MOISTURE', 'BATTERY', 'CONNECTIVITY', 'POWER', 'ENERGY', 'VIDEO_STREAM', 'DISCRETE', 'MULTIVALUED', 'BLOB',
    ];
    for (const name of required) expect(EntityStateType.isName(name), name).toBe(true);
    expect(EntityStateType.default).toBe(EntityStateType.DISCRETE);
  });

  it('keys values, styles and controls by real state types', () => {
    for (const key of [...Object.keys(ENTITY_STATE_VALUES), ...Object.keys(STATE_STYLE), ...CONTROLLABLE_STATE_TYPES]) {
      expect(stateTypeValues.has(key), key).toBe(true);
    }
  });

  it('styles every discrete value and nothing else', () => {
    expect(Object.keys(STATE_STYLE).sort()).toEqual(Object.keys(ENTITY_STATE_VALUES).sort());
    for (const [stateType, values] of Object.entries(ENTITY_STATE_VALUES)) {
      expect(Object.keys(STATE_STYLE[stateType as keyof typeof STATE_STYLE]).sort(), stateType).toEqual([...values].sort());
      for (const reserved of UNAVAILABLE_STATE_VALUES) expect(values, stateType).not.toContain(reserved);
    }
  });
});

describe('styleTokenFor', () => {
  it('styles discrete values by their meaning', () => {
    expect(styleTokenFor('on_off', 'on')).toBe('active');
    expect(styleTokenFor('on_off', 'off')).toBe('inactive');
    expect(styleTokenFor('open_close', 'open')).toBe('alert');
    expect(styleTokenFor('open_close', 'closed')).toBe('ok');
    expect(styleTokenFor('smoke', 'detected')).toBe('alarm');
    expect(styleTokenFor('lock_state', 'unlocked')).toBe('warning');
  });

  it('accepts state types and values in any case', () => {
    expect(styleTokenFor('ON_OFF', ' On ')).toBe('active');
    expect(styleTokenFor(String(EntityStateType.MOVEMENT), 'IDLE')).toBe('inactive');
  });

  it('answers unavailable for unavailable and unknown, whatever the type', () => {
    expect(styleTokenFor('on_off', 'unavailable')).toBe('unavailable');
    expect(styleTokenFor('temperature', 'Unknown')).toBe('unavailable');
    expect(styleTokenFor('no_such_type', 'unavailable')).toBe('unavailable');
  });

  it('answers neutral for null, numbers, free-form values and unrecognised input', () => {
    expect(styleTokenFor('on_off', null)).toBe('neutral');
    expect(styleTokenFor('temperature', '21.5')).toBe('neutral');
    expect(styleTokenFor('light_dimmer', '40')).toBe('neutral');
    expect(styleTokenFor('discrete', 'eco')).toBe('neutral');
    expect(styleTokenFor('on_off', 'banana')).toBe('neutral');
    expect(styleTokenFor('on_off', 'constructor')).toBe('neutral');
    expect(styleTokenFor('no_such_type', 'on')).toBe('neutral');
  });
});
