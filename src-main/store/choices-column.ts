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
