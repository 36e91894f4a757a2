/**
 * When the day and night security modes start, in the home's time zone. Pure functions of an instant, so the
 * switch is right across midnight and both DST changes and can be recomputed after the hub was down.
 */

import { DAY_MS, instantOfWallTime, localMidnightOf } from '../../util/zoned-time';

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
