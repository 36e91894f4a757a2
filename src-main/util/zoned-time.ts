/**
 * Arithmetic on wall-clock time in an IANA zone, with Intl as the only source of offsets: right across midnight and
 * both DST changes. A "wall" time is the local reading written as if it were UTC, so that plain arithmetic works on it.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time at `instant` in `timeZone`, written as if it were UTC (so plain arithmetic works on it). */
export function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  // Formatting drops milliseconds; keep them so that wallClock(t) - t is exactly the zone's offset.
  return wall + (((instant % 1000) + 1000) % 1000);
}

/**
 * The first instant at which the wall clock in `timeZone` reads `minutes` on the local date `localMidnight` (a
 * UTC-written midnight). A time skipped by a spring-forward change maps to the moment the clock jumps past it; a
 * time that happens twice in a fall-back change maps to its first occurrence.
 */
export function instantOfWallTime(localMidnight: number, minutes: number, timeZone: string): number {
  const target = localMidnight + minutes * MINUTE_MS;
  const candidates = [target - (wallClock(target - DAY_MS, timeZone) - (target - DAY_MS)), target - (wallClock(target + DAY_MS, timeZone) - (target + DAY_MS))].sort(
    (a, b) => a - b,
  );
  for (const candidate of candidates) {
    if (wallClock(candidate, timeZone) === target) return candidate;
  }
  // The wall time does not exist that day: find the first minute whose wall time is past it (bounded: ~11 steps).
  let before = candidates[0]!;
  let after = candidates[1]!;
  while (after - before > MINUTE_MS) {
    const middle = before + Math.floor((after - before) / 2 / MINUTE_MS) * MINUTE_MS;
    if (wallClock(middle, timeZone) >= target) after = middle;
    else before = middle;
  }
  return after;
}

/** The local midnight (a UTC-written wall time) of the date `instant` falls on in `timeZone`. */
export function localMidnightOf(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

