import { describe, expect, it } from 'vitest';
import { SettingType, type EnumValue } from '../../enums';
import { encodeSettingValue, isValidTimezone, parseSettingInput, type SettingDescriptor, type SettingValue } from '../settings';

const descriptor = (type: EnumValue<typeof SettingType>, extra: Partial<SettingDescriptor> = {}): SettingDescriptor => ({
  key: 'k',
  label: 'K',
  description: 'A setting.',
  type,
  defaultValue: '',
  ...extra,
});

const ok = (d: SettingDescriptor, input: SettingValue) => {
  const parsed = parseSettingInput(d, input);
  if (!parsed.ok) throw new Error(`expected ${JSON.stringify(input)} to be valid for ${d.type}, got: ${parsed.message}`);
  return parsed.value;
};
const fails = (d: SettingDescriptor, input: SettingValue): string => {
  const parsed = parseSettingInput(d, input);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(input)} to be invalid for ${d.type}, got ${JSON.stringify(parsed.value)}`);
  expect(parsed.message.length).toBeGreaterThan(0);
  return parsed.message;
};

describe('parseSettingInput', () => {
  it('covers every SettingType', () => {
    // Every type must parse its own kind of value; a type that falls through to "unsupported" fails here.
    const samples: Record<EnumValue<typeof SettingType>, SettingValue> = {
      text: 'hello',
      integer: 3,
      number: 2.5,
      boolean: true,
      enum: 'a',
      secret: 's3cret',
      time_of_day: '07:30',
      timezone: 'Europe/Berlin',
      latitude: 45,
      longitude: -120,
      email_address: 'home@example.com',
      email_address_list: 'a@example.com, b@example.org',
    };
    for (const member of SettingType.members) {
      const d = descriptor(member.value, member === SettingType.ENUM ? { options: [{ value: 'a', label: 'A' }] } : {});
      expect(parseSettingInput(d, samples[member.value]).ok, member.value).toBe(true);
    }
  });

  describe('text', () => {
    const d = descriptor('text', { maxLength: 5 });
    it('trims and accepts text within maxLength', () => {
      expect(ok(d, ' abc ')).toBe('abc');
      expect(ok(d, 'abcde')).toBe('abcde');
    });
    it('rejects text over maxLength and non-text', () => {
      expect(fails(d, 'abcdef')).toMatch(/at most 5 characters/);
      fails(d, 12);
      fails(d, true);
    });
    it('has a default maximum length of 1000', () => {
      expect(ok(descriptor('text'), 'x'.repeat(1000))).toHaveLength(1000);
      fails(descriptor('text'), 'x'.repeat(1001));
    });
  });

  describe('secret', () => {
    it('keeps surrounding whitespace and honours maxLength', () => {
      const d = descriptor('secret', { maxLength: 8 });
      expect(ok(d, ' pw ')).toBe(' pw ');
      expect(ok(d, '')).toBe('');
      fails(d, '123456789');
      fails(d, 42);
    });
  });

  describe('integer', () => {
    const d = descriptor('integer', { min: 1, max: 10 });
    it('accepts whole numbers and number strings within range', () => {
      expect(ok(d, 5)).toBe(5);
      expect(ok(d, ' 7 ')).toBe(7);
      expect(ok(d, '1')).toBe(1);
      expect(ok(d, 10)).toBe(10);
    });
    it('rejects fractions, out-of-range values and non-numbers', () => {
      expect(fails(d, 2.5)).toMatch(/whole number/);
      expect(fails(d, '2.5')).toMatch(/whole number/);
      expect(fails(d, 0)).toMatch(/at least 1/);
      expect(fails(d, '11')).toMatch(/at most 10/);
      expect(fails(d, 'seven')).toMatch(/number/);
      fails(d, '');
      fails(d, '   ');
      fails(d, true);
    });
  });

  describe('number', () => {
    const d = descriptor('number', { min: 0, max: 1 });
    it('accepts decimals and decimal strings within range', () => {
      expect(ok(d, 0.5)).toBe(0.5);
      expect(ok(d, '0.25')).toBe(0.25);
      expect(ok(d, 0)).toBe(0);
      expect(ok(d, 1)).toBe(1);
    });
    it('rejects out-of-range, non-finite and non-numeric values', () => {
      fails(d, -0.01);
      fails(d, '1.5');
      fails(d, Number.NaN);
      fails(d, Number.POSITIVE_INFINITY);
      fails(d, 'Infinity');
      fails(d, 'abc');
      fails(d, false);
    });
    it('has no range when none is declared', () => {
      expect(ok(descriptor('number'), -1e6)).toBe(-1e6);
    });
  });

  describe('boolean', () => {
    const d = descriptor('boolean', { defaultValue: false });
    it('accepts booleans and the strings true and false', () => {
      expect(ok(d, true)).toBe(true);
      expect(ok(d, false)).toBe(false);
      expect(ok(d, 'true')).toBe(true);
      expect(ok(d, 'false')).toBe(false);
    });
    it('rejects anything else', () => {
      fails(d, 'yes');
      fails(d, 1);
      fails(d, 0);
      fails(d, '');
    });
  });

  describe('enum', () => {
    const d = descriptor('enum', {
      options: [
        { value: 'light', label: 'Light' },
        { value: 'dark', label: 'Dark' },
      ],
    });
    it('accepts an option, case- and space-insensitively, answering its value', () => {
      expect(ok(d, 'dark')).toBe('dark');
      expect(ok(d, ' Light ')).toBe('light');
    });
    it('rejects other values and lists the options', () => {
      expect(fails(d, 'blue')).toMatch(/Light, Dark/);
      fails(d, 1);
      fails(descriptor('enum'), 'anything');
    });
  });

  describe('time of day', () => {
    const d = descriptor('time_of_day');
    it('accepts 24-hour HH:MM', () => {
      expect(ok(d, '07:30')).toBe('07:30');
      expect(ok(d, '00:00')).toBe('00:00');
      expect(ok(d, '23:59')).toBe('23:59');
      expect(ok(d, ' 12:05 ')).toBe('12:05');
    });
    it('rejects impossible or malformed times', () => {
      fails(d, '24:00');
      fails(d, '12:60');
      fails(d, '7:30');
      fails(d, '07:30:00');
      fails(d, 730);
    });
  });

  describe('time zone', () => {
    const d = descriptor('timezone');
    it('accepts IANA zones and UTC', () => {
      expect(ok(d, 'Europe/Berlin')).toBe('Europe/Berlin');
      expect(ok(d, ' America/Chicago ')).toBe('America/Chicago');
      expect(ok(d, 'UTC')).toBe('UTC');
    });
    it('rejects unknown zones and non-text', () => {
      fails(d, 'Mars/Base');
      fails(d, 'Berlin');
      fails(d, '');
      fails(d, 1);
      expect(isValidTimezone('Mars/Base')).toBe(false);
    });
  });

  describe('e-mail addresses', () => {
    it('accepts one address, or an empty one for not set', () => {
      const d = descriptor('email_address');
      expect(ok(d, ' home@example.com ')).toBe('home@example.com');
      expect(ok(d, 'first.last+alerts@mail.example.co.uk')).toBe('first.last+alerts@mail.example.co.uk');
      expect(ok(d, '')).toBe('');
    });
    it('rejects what is not one plain address', () => {
      expect(fails(descriptor('email_address'), 'home@example.com, other@example.com')).toMatch(/one e-mail address/);
      expect(fails(descriptor('email_address'), 'home')).toMatch(/'home' is not an e-mail address/);
      fails(descriptor('email_address'), 'Home <home@example.com>');
      fails(descriptor('email_address'), 'home@-example.com');
      fails(descriptor('email_address'), `${'x'.repeat(65)}@example.com`);
      fails(descriptor('email_address'), 3);
    });
    it('normalises a list to comma-separated addresses, each once', () => {
      const d = descriptor('email_address_list');
      expect(ok(d, 'a@example.com;b@example.org  A@example.com,, c@example.net')).toBe('a@example.com, b@example.org, c@example.net');
      expect(ok(d, ' ')).toBe('');
    });
    it('names the first bad entry of a list and bounds its size', () => {
      const d = descriptor('email_address_list');
      expect(fails(d, 'a@example.com, not-an-address')).toMatch(/'not-an-address'/);
      expect(fails(d, Array.from({ length: 21 }, (_, i) => `u${i}@example.com`).join(','))).toMatch(/at most 20 addresses/);
      expect(fails(d, 'a'.repeat(1001))).toMatch(/at most 1000 characters/);
    });
  });

  describe('latitude and longitude', () => {
    it('limits latitude to -90..90', () => {
      const d = descriptor('latitude');
      expect(ok(d, 90)).toBe(90);
      expect(ok(d, '-90')).toBe(-90);
      expect(ok(d, '30.27')).toBe(30.27);
      fails(d, 91);
      fails(d, '-90.5');
      fails(d, 'north');
    });
    it('ignores a declared range that would widen latitude', () => {
      fails(descriptor('latitude', { min: -1000, max: 1000 }), 91);
    });
    it('limits longitude to -180..180', () => {
      const d = descriptor('longitude');
      expect(ok(d, -180)).toBe(-180);
      expect(ok(d, '179.9')).toBe(179.9);
      fails(d, 180.1);
      fails(d, '-181');
    });
  });
});

describe('encodeSettingValue', () => {
  it('stores text as is and other values as JSON, which parseSettingInput reads back', () => {
    expect(encodeSettingValue('a b')).toBe('a b');
    expect(encodeSettingValue(0.9)).toBe('0.9');
    expect(encodeSettingValue(true)).toBe('true');
    expect(ok(descriptor('number'), encodeSettingValue(0.9))).toBe(0.9);
    expect(ok(descriptor('boolean'), encodeSettingValue(false))).toBe(false);
    expect(ok(descriptor('integer'), encodeSettingValue(-12))).toBe(-12);
  });
});
