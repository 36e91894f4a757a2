/**
 * When the day and night security modes start, in the home's time zone. Pure functions of an instant, so the
 * switch is right across midnight and both DST changes and can be recomputed after the hub was down.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export type DayPeriod = 'day' | 'night';

export interface PeriodSwitch {
  /** Epoch ms of the switch. */
  at: number;
  /** The period that starts then. */
  period: DayPeriod;
}

/** Minutes after midnight of an "HH:MM" time of day; throws on anything else. */
export function minutesOfDay(timeOfDay: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(timeOfDay);
  if (!match) throw new Error(`Not a time of day (HH:MM): ${JSON.stringify(timeOfDay)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

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

function localMidnightOf(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

/** Day and night switches on the local dates from `firstDay` to `lastDay` days after the date of `instant`. */
function switchesAround(instant: number, dayStart: number, nightStart: number, timeZone: string, firstDay: number, lastDay: number): PeriodSwitch[] {
  const midnight = localMidnightOf(instant, timeZone);
  const switches: PeriodSwitch[] = [];
  for (let offset = firstDay; offset <= lastDay; offset += 1) {
    const date = midnight + offset * DAY_MS;
    switches.push({ at: instantOfWallTime(date, dayStart, timeZone), period: 'day' });
    switches.push({ at: instantOfWallTime(date, nightStart, timeZone), period: 'night' });
  }
  return switches.sort((a, b) => a.at - b.at);
}

/** The latest switch at or before `now`: which period it is now, and since when. */
export function lastSwitch(now: number, dayStart: number, nightStart: number, timeZone: string): PeriodSwitch {
  const past = switchesAround(now, dayStart, nightStart, timeZone, -1, 0).filter((s) => s.at <= now);
  return past[past.length - 1]!;
}

/** The first switch after `now`. */
export function nextSwitch(now: number, dayStart: number, nightStart: number, timeZone: string): PeriodSwitch {
  return switchesAround(now, dayStart, nightStart, timeZone, 0, 1).find((s) => s.at > now)!;
}
