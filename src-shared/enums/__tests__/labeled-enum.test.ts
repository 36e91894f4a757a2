import { describe, expect, it } from 'vitest';
import { MonitorHealth, SettingType } from '..';
import { enumSchema } from '../enum-schema';
import { defineLabeledEnum, UnknownEnumNameError } from '../labeled-enum';

describe('defineLabeledEnum', () => {
  it('gives each member its name, lower-case value, label and description', () => {
    expect(SettingType.TIME_OF_DAY.name).toBe('TIME_OF_DAY');
    expect(SettingType.TIME_OF_DAY.value).toBe('time_of_day');
    expect(SettingType.TIME_OF_DAY.label).toBe('Time of day');
    expect(SettingType.TIME_OF_DAY.description).toBe('A 24-hour time, HH:MM.');
  });

  it('turns a member into its lower-case name with String() and in templates', () => {
    expect(String(SettingType.TIME_OF_DAY)).toBe('time_of_day');
    expect(`${MonitorHealth.TIMED_OUT}`).toBe('timed_out');
  });

  it('finds a member by name ignoring case and whitespace', () => {
    expect(SettingType.fromName('  Time_Of_Day ')).toBe(SettingType.TIME_OF_DAY);
    expect(SettingType.fromName('time_of_day')).toBe(SettingType.TIME_OF_DAY);
    expect(SettingType.fromName('TIME_OF_DAY')).toBe(SettingType.TIME_OF_DAY);
    expect(SettingType.fromName('\tsecret\n')).toBe(SettingType.SECRET);
  });

  it('throws UnknownEnumNameError on an unknown name', () => {
    expect(() => SettingType.fromName('colour')).toThrow(UnknownEnumNameError);
    expect(() => SettingType.fromName('')).toThrow(UnknownEnumNameError);
    expect(() => SettingType.fromName('colour')).toThrow(/'colour' is not a SettingType/);
  });

  it('fromNameSafe answers the default for unknown, null and undefined', () => {
    expect(SettingType.default).toBe(SettingType.TEXT);
    expect(SettingType.fromNameSafe('colour')).toBe(SettingType.TEXT);
    expect(SettingType.fromNameSafe(null)).toBe(SettingType.TEXT);
    expect(SettingType.fromNameSafe(undefined)).toBe(SettingType.TEXT);
    expect(SettingType.fromNameSafe('')).toBe(SettingType.TEXT);
    expect(SettingType.fromNameSafe(' Boolean ')).toBe(SettingType.BOOLEAN);
    expect(MonitorHealth.fromNameSafe('nope')).toBe(MonitorHealth.PENDING);
  });

  it('isName tells known names from unknown ones', () => {
    expect(SettingType.isName(' Enum')).toBe(true);
    expect(SettingType.isName('enumeration')).toBe(false);
  });

  it('its schema accepts the lower-case names only, and is built once', () => {
    expect(enumSchema(SettingType)).toBe(enumSchema(SettingType));
    expect(enumSchema(SettingType).safeParse('time_of_day').success).toBe(true);
    expect(enumSchema(SettingType).parse('secret')).toBe('secret');
    expect(enumSchema(SettingType).safeParse('TIME_OF_DAY').success).toBe(false);
    expect(enumSchema(SettingType).safeParse('Time_Of_Day').success).toBe(false);
    expect(enumSchema(SettingType).safeParse('colour').success).toBe(false);
    expect(enumSchema(SettingType).safeParse(3).success).toBe(false);
  });

  it('keeps members in declaration order', () => {
    expect(SettingType.members.map((m) => m.name)).toEqual([
      'TEXT',
      'INTEGER',
      'NUMBER',
      'BOOLEAN',
      'ENUM',
      'SECRET',
      'TIME_OF_DAY',
      'TIMEZONE',
      'LATITUDE',
      'LONGITUDE',
      'EMAIL_ADDRESS',
      'EMAIL_ADDRESS_LIST',
    ]);
    expect(SettingType.members[0]).toBe(SettingType.TEXT);
  });

  it('builds a fresh enum, and refuses one whose default is not a member', () => {
    const Colour = defineLabeledEnum(
      'Colour',
      { RED: { label: 'Red', description: 'Warm.' }, DEEP_BLUE: { label: 'Deep blue', description: 'Cold.' } },
      { default: 'DEEP_BLUE' },
    );
    expect(Colour.enumName).toBe('Colour');
    expect(Colour.default).toBe(Colour.DEEP_BLUE);
    expect(Colour.fromName('deep_blue')).toBe(Colour.DEEP_BLUE);
    expect(
      () =>
        defineLabeledEnum('Broken', { A: { label: 'A', description: 'a' } }, { default: 'B' as 'A' }),
    ).toThrow(UnknownEnumNameError);
  });

  it('freezes members and the enum object', () => {
    expect(Object.isFrozen(SettingType)).toBe(true);
    expect(Object.isFrozen(SettingType.TEXT)).toBe(true);
    expect(Object.isFrozen(SettingType.members)).toBe(true);
  });
});
