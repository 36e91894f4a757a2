import { numericRangeSchema, type NumericRange } from '../../src-shared/model/location';

/** The JSON a `value_range_str` column holds; undefined when it is empty or not JSON (a hand-edited or foreign row). */
function jsonOf(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const choicesIn = (parsed: unknown): string[] | null =>
  Array.isArray(parsed) && parsed.every((c) => typeof c === 'string') ? (parsed as string[]) : null;

function rangeIn(parsed: unknown): NumericRange | null {
  if (parsed === undefined || Array.isArray(parsed)) return null;
  const range = numericRangeSchema.safeParse(parsed);
  return range.success && range.data.min <= range.data.max ? range.data : null;
}

/**
 * Reads a `value_range_str` column: the JSON list of values an attribute or a state may take. Anything but a list of
 * strings reads as null (no list), so a hand-edited or foreign row never breaks a read.
 */
export function parseChoices(text: string | null): string[] | null {
  return choicesIn(jsonOf(text));
}

/**
 * Reads a state's `value_range_str` once: its list of choices, or its numeric range (`{"min":7,"max":35,"step":0.5}`).
 * Anything else reads as neither.
 */
export function readValueRange(text: string | null): { choices: string[] | null; range: NumericRange | null } {
  const parsed = jsonOf(text);
  return { choices: choicesIn(parsed), range: rangeIn(parsed) };
}

/** What a state's `value_range_str` holds: its choices, else its numeric range, else nothing. */
export function valueRangeText(state: { choices?: readonly string[] | null; range?: NumericRange | null }): string | null {
  if (state.choices) return JSON.stringify(state.choices);
  return state.range ? JSON.stringify(state.range) : null;
}
