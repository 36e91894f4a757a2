import { z } from 'zod';
import { enumSchema } from '../enums/enum-schema';
import { SettingType } from '../enums';

export const settingValueSchema = z.union([z.string(), z.number(), z.boolean()]);
export type SettingValue = z.infer<typeof settingValueSchema>;

export const settingOptionSchema = z.object({ value: z.string(), label: z.string() });

/** The declaration of one setting, shared so that the dialog can validate as the user types. */
export const settingDescriptorSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string(),
  description: z.string(),
  type: enumSchema(SettingType),
  defaultValue: settingValueSchema,
  options: z.array(settingOptionSchema).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().int().positive().optional(),
});
export type SettingDescriptor = z.infer<typeof settingDescriptorSchema>;

/** A setting as the renderer sees it: secrets carry only whether they are set. */
export const settingViewSchema = settingDescriptorSchema.omit({ defaultValue: true }).extend({
  subsystem: z.string(),
  value: settingValueSchema.nullable(),
  defaultValue: settingValueSchema.nullable(),
  hasValue: z.boolean(),
  isDefault: z.boolean(),
  updatedAt: z.number(),
});
export type SettingView = z.infer<typeof settingViewSchema>;

export const settingSectionSchema = z.object({
  subsystem: z.string(),
  label: z.string(),
  description: z.string(),
  settings: z.array(settingViewSchema),
});
export type SettingSection = z.infer<typeof settingSectionSchema>;

export const settingHistoryEntrySchema = z.object({
  id: z.number().int(),
  value: settingValueSchema.nullable(),
  changedAt: z.number(),
});
export type SettingHistoryEntry = z.infer<typeof settingHistoryEntrySchema>;

/** The parts of a descriptor that validation needs; a SettingView has them too. */
export type SettingRules = Pick<SettingDescriptor, 'type' | 'options' | 'min' | 'max' | 'maxLength'>;

export type ParsedSetting = { ok: true; value: SettingValue } | { ok: false; message: string };

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const DEFAULT_TEXT_MAX_LENGTH = 1000;

function parseNumber(input: SettingValue): number | null {
  if (typeof input === 'number') return Number.isFinite(input) ? input : null;
  if (typeof input !== 'string' || input.trim() === '') return null;
  const n = Number(input.trim());
  return Number.isFinite(n) ? n : null;
}

function checkRange(n: number, min: number | undefined, max: number | undefined): string | null {
  if (min !== undefined && n < min) return `Must be at least ${min}.`;
  if (max !== undefined && n > max) return `Must be at most ${max}.`;
  return null;
}

export const MAX_EMAIL_ADDRESSES = 20;
/** The longest address SMTP carries (RFC 5321's path limit less its angle brackets). */
const MAX_EMAIL_ADDRESS_LENGTH = 254;
/** A plain `local@domain` (no display names or comments): what a mail server accepts in an envelope. */
const EMAIL_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isValidEmailAddress(address: string): boolean {
  return address.length <= MAX_EMAIL_ADDRESS_LENGTH && EMAIL_ADDRESS.test(address);
}

/** `a@x.org, b@y.org` (commas, semicolons or spaces between): the addresses, trimmed, each once. */
export function splitEmailAddresses(text: string): string[] {
  const addresses: string[] = [];
  for (const part of text.split(/[,;\s]+/)) {
    if (part !== '' && !addresses.some((a) => a.toLowerCase() === part.toLowerCase())) addresses.push(part);
  }
  return addresses;
}

const checkedTimezones = new Map<string, boolean>();
const MAX_CHECKED_TIMEZONES = 64;

/** Cached: building a formatter to find out costs about a millisecond, and every snapshot checks the home's zone. */
export function isValidTimezone(name: string): boolean {
  const known = checkedTimezones.get(name);
  if (known !== undefined) return known;
  let valid = name.includes('/') || name === 'UTC';
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
    } catch {
      valid = false;
    }
  }
  if (checkedTimezones.size >= MAX_CHECKED_TIMEZONES) checkedTimezones.clear();
  checkedTimezones.set(name, valid);
  return valid;
}

/**
 * Turns what the user entered (a string from a text field, or an already-typed value) into the setting's value,
 * or a message that says what is wrong. Main runs it on every write; the dialog runs it as the user types.
 */
export function parseSettingInput(descriptor: SettingRules, input: SettingValue): ParsedSetting {
  const type = SettingType.fromName(descriptor.type);
  const fail = (message: string): ParsedSetting => ({ ok: false, message });
  switch (type) {
    case SettingType.TEXT:
    case SettingType.SECRET: {
      if (typeof input !== 'string') return fail('Must be text.');
      const text = type === SettingType.TEXT ? input.trim() : input;
      const maxLength = descriptor.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
      if (text.length > maxLength) return fail(`Must be at most ${maxLength} characters.`);
      return { ok: true, value: text };
    }
    case SettingType.INTEGER:
    case SettingType.NUMBER:
    case SettingType.LATITUDE:
    case SettingType.LONGITUDE: {
      const n = parseNumber(input);
      if (n === null) return fail('Must be a number.');
      if (type === SettingType.INTEGER && !Number.isInteger(n)) return fail('Must be a whole number.');
      const [min, max] =
        type === SettingType.LATITUDE ? [-90, 90] : type === SettingType.LONGITUDE ? [-180, 180] : [descriptor.min, descriptor.max];
      const rangeError = checkRange(n, min, max);
      return rangeError ? fail(rangeError) : { ok: true, value: n };
    }
    case SettingType.BOOLEAN: {
      if (typeof input === 'boolean') return { ok: true, value: input };
      if (input === 'true' || input === 'false') return { ok: true, value: input === 'true' };
      return fail('Must be on or off.');
    }
    case SettingType.ENUM: {
      const options = descriptor.options ?? [];
      const match = typeof input === 'string' ? options.find((o) => o.value === input.trim().toLowerCase()) : undefined;
      return match ? { ok: true, value: match.value } : fail(`Must be one of: ${options.map((o) => o.label).join(', ')}.`);
    }
    case SettingType.TIME_OF_DAY: {
      const text = typeof input === 'string' ? input.trim() : '';
      return TIME_OF_DAY.test(text) ? { ok: true, value: text } : fail('Must be a 24-hour time such as 07:30.');
    }
    case SettingType.TIMEZONE: {
      const text = typeof input === 'string' ? input.trim() : '';
      return isValidTimezone(text) ? { ok: true, value: text } : fail('Must be a time zone such as America/Chicago.');
    }
    case SettingType.EMAIL_ADDRESS:
    case SettingType.EMAIL_ADDRESS_LIST: {
      if (typeof input !== 'string') return fail('Must be text.');
      const maxLength = descriptor.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
      if (input.length > maxLength) return fail(`Must be at most ${maxLength} characters.`);
      const addresses = splitEmailAddresses(input);
      const invalid = addresses.find((a) => !isValidEmailAddress(a));
      if (invalid !== undefined) return fail(`'${invalid.slice(0, 60)}' is not an e-mail address such as home@example.com.`);
      const maxCount = type === SettingType.EMAIL_ADDRESS ? 1 : MAX_EMAIL_ADDRESSES;
      if (addresses.length > maxCount) return fail(maxCount === 1 ? 'Must be one e-mail address.' : `Must be at most ${maxCount} addresses.`);
      return { ok: true, value: addresses.join(', ') };
    }
  }
  return fail(`Unsupported setting type ${descriptor.type}.`);
}

/** Stored form: text in the database; `parseSettingInput` reads it back. */
export function encodeSettingValue(value: SettingValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
