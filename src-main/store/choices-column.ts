import { numericRangeSchema, type NumericRange } from '../../src-shared/model/location';

/**
 * Reads a `value_range_str` column: the JSON list of values an attribute or a state may take. Anything but a list of
 * strings reads as null (no list), so a hand-edited or foreign row never breaks a read.
 */
export function parseChoices(text: string | null): string[] | null {
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((c) => typeof c === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

/** Reads a `value_range_str` column holding a numeric range (`{"min":7,"max":35,"step":0.5}`); anything else reads as null. */
export function parseNumericRange(text: string | null): NumericRange | null {
  if (!text) return null;
  try {
    const parsed = numericRangeSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.min <= parsed.data.max ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What a state's `value_range_str` holds: its choices, else its numeric range, else nothing. */
export function valueRangeText(state: { choices?: readonly string[] | null; range?: NumericRange | null }): string | null {
  if (state.choices) return JSON.stringify(state.choices);
  return state.range ? JSON.stringify(state.range) : null;
}
