import { describe, expect, it } from 'vitest';
import { instantOfWallTime, wallClock } from '../../../util/zoned-time';
import { lastSwitch, minutesOfDay, nextSwitch } from '../day-night';

const CHICAGO = 'America/Chicago';
const day = minutesOfDay('07:00');
const night = minutesOfDay('22:30');
const iso = (ms: number) => new Date(ms).toISOString();

describe('day and night switch times', () => {
  it('reads HH:MM and refuses anything else', () => {
    expect(minutesOfDay('00:00')).toBe(0);
    expect(minutesOfDay('23:59')).toBe(1439);
    for (const bad of ['24:00', '7:00', '07:60', '', '07:00:00']) expect(() => minutesOfDay(bad), bad).toThrow(/HH:MM/);
  });

  it('knows the zone offset at an instant', () => {
    // 2026-01-15 12:00 UTC is 06:00 in Chicago (CST, UTC-6) and 07:00 in July is CDT (UTC-5).
    expect(iso(wallClock(Date.UTC(2026, 0, 15, 12), CHICAGO))).toBe('2026-01-15T06:00:00.000Z');
    expect(iso(wallClock(Date.UTC(2026, 6, 15, 12), CHICAGO))).toBe('2026-07-15T07:00:00.000Z');
    expect(iso(wallClock(Date.UTC(2026, 0, 15, 12), 'Asia/Kathmandu'))).toBe('2026-01-15T17:45:00.000Z');
  });

  it('maps a wall time that a spring-forward change skips to the moment the clock jumps', () => {
    // 2026-03-08 in Chicago: 02:00 CST becomes 03:00 CDT at 08:00 UTC; 02:30 does not exist.
    expect(iso(instantOfWallTime(Date.UTC(2026, 2, 8), minutesOfDay('02:30'), CHICAGO))).toBe('2026-03-08T08:00:00.000Z');
    expect(iso(instantOfWallTime(Date.UTC(2026, 2, 8), minutesOfDay('03:00'), CHICAGO))).toBe('2026-03-08T08:00:00.000Z');
    expect(iso(instantOfWallTime(Date.UTC(2026, 2, 8), minutesOfDay('01:59'), CHICAGO))).toBe('2026-03-08T07:59:00.000Z');
  });

  it('maps a wall time that a fall-back change repeats to its first occurrence', () => {
    // 2026-11-01 in Chicago: 01:30 happens at 06:30 UTC (CDT) and again at 07:30 UTC (CST).
    expect(iso(instantOfWallTime(Date.UTC(2026, 10, 1), minutesOfDay('01:30'), CHICAGO))).toBe('2026-11-01T06:30:00.000Z');
    expect(iso(instantOfWallTime(Date.UTC(2026, 10, 1), minutesOfDay('02:00'), CHICAGO))).toBe('2026-11-01T08:00:00.000Z');
  });

  it('says night after midnight until the day starts, and when it began', () => {
    const afterMidnight = Date.UTC(2026, 0, 16, 6, 30); // 00:30 CST on the 16th
    expect(lastSwitch(afterMidnight, day, night, CHICAGO)).toEqual({ period: 'night', at: Date.UTC(2026, 0, 16, 4, 30) });
    expect(nextSwitch(afterMidnight, day, night, CHICAGO)).toEqual({ period: 'day', at: Date.UTC(2026, 0, 16, 13, 0) });
  });

  it('switches exactly at the start time, not a minute later', () => {
    const dayStarts = Date.UTC(2026, 0, 16, 13, 0);
    expect(lastSwitch(dayStarts, day, night, CHICAGO)).toEqual({ period: 'day', at: dayStarts });
    expect(nextSwitch(dayStarts, day, night, CHICAGO)).toEqual({ period: 'night', at: Date.UTC(2026, 0, 17, 4, 30) });
  });

  it('keeps local times across both DST changes', () => {
    // The day before and after spring forward: 07:00 local is 13:00 UTC, then 12:00 UTC.
    expect(nextSwitch(Date.UTC(2026, 2, 7, 18), day, night, CHICAGO)).toEqual({ period: 'night', at: Date.UTC(2026, 2, 8, 4, 30) });
    expect(nextSwitch(Date.UTC(2026, 2, 8, 5), day, night, CHICAGO)).toEqual({ period: 'day', at: Date.UTC(2026, 2, 8, 12, 0) });
    // Fall back: 22:30 CDT on Oct 31 is 03:30 UTC; 07:00 CST on Nov 1 is 13:00 UTC.
    expect(nextSwitch(Date.UTC(2026, 9, 31, 20), day, night, CHICAGO)).toEqual({ period: 'night', at: Date.UTC(2026, 10, 1, 3, 30) });
    expect(nextSwitch(Date.UTC(2026, 10, 1, 4), day, night, CHICAGO)).toEqual({ period: 'day', at: Date.UTC(2026, 10, 1, 13, 0) });
  });

  it('finds every switch of a year in order, one day and one night per local date', () => {
    for (const zone of [CHICAGO, 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      let now = Date.UTC(2026, 0, 1);
      let previous = lastSwitch(now, day, night, zone);
      for (let i = 0; i < 730; i += 1) {
        const next = nextSwitch(now, day, night, zone);
        expect(next.at, zone).toBeGreaterThan(now);
        expect(next.period, zone).not.toBe(previous.period);
        expect(lastSwitch(next.at, day, night, zone), zone).toEqual(next);
        previous = next;
        now = next.at;
      }
      expect(now, zone).toBeGreaterThan(Date.UTC(2026, 11, 30));
    }
  });
});
