import { describe, expect, it } from 'vitest';
import { eventInstants, instantsOfWallTime, parseWallTime, utcToWallTime, wallTimeToUtc, zoneOffsetMs } from '../zone-time';

const NY = 'America/New_York';
const HOUR = 3_600_000;

describe('wallTimeToUtc', () => {
  it('reads an ordinary wall time with the offset in force then', () => {
    expect(wallTimeToUtc('2026-01-15 09:00:00', NY)).toBe(Date.UTC(2026, 0, 15, 14, 0, 0));
    expect(wallTimeToUtc('2026-07-15 09:00:00', NY)).toBe(Date.UTC(2026, 6, 15, 13, 0, 0));
    expect(wallTimeToUtc('2026-07-15 09:00:00', 'UTC')).toBe(Date.UTC(2026, 6, 15, 9, 0, 0));
    expect(wallTimeToUtc('2026-07-15T09:00:00.250', 'Asia/Kolkata')).toBe(Date.UTC(2026, 6, 15, 3, 30, 0));
  });

  it('on either side of spring forward, an hour of wall time is an hour less of real time', () => {
    // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT.
    const before = wallTimeToUtc('2026-03-08 01:59:59', NY)!;
    const after = wallTimeToUtc('2026-03-08 03:00:00', NY)!;
    expect(before).toBe(Date.UTC(2026, 2, 8, 6, 59, 59));
    expect(after).toBe(Date.UTC(2026, 2, 8, 7, 0, 0));
    expect(after - before).toBe(1000);
  });

  it('reads a wall time in the spring-forward gap as the time the clocks jumped to', () => {
    expect(instantsOfWallTime('2026-03-08 02:30:00', NY)!.kind).toBe('skipped');
    // 02:30 read as EST is 07:30Z, which New York clocks show as 03:30 EDT.
    const instant = wallTimeToUtc('2026-03-08 02:30:00', NY)!;
    expect(instant).toBe(Date.UTC(2026, 2, 8, 7, 30, 0));
    expect(utcToWallTime(instant, NY)).toBe('2026-03-08 03:30:00');
  });

  it('gives both instants of the repeated hour at fall back, the earlier by default', () => {
    // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST, so 01:30 happens at 05:30Z and again at 06:30Z.
    const instants = instantsOfWallTime('2026-11-01 01:30:00', NY)!;
    expect(instants).toEqual({ kind: 'repeated', earlier: Date.UTC(2026, 10, 1, 5, 30), later: Date.UTC(2026, 10, 1, 6, 30) });
    expect(wallTimeToUtc('2026-11-01 01:30:00', NY)).toBe(instants.earlier);
    expect(wallTimeToUtc('2026-11-01 01:30:00', NY, 'later')).toBe(instants.later);
    expect(instantsOfWallTime('2026-11-01 02:00:00', NY)!.kind).toBe('exact');
  });

  it('handles the southern hemisphere and half-hour zones', () => {
    // Sydney falls back on 2026-04-05 at 03:00 AEDT to 02:00 AEST.
    expect(instantsOfWallTime('2026-04-05 02:30:00', 'Australia/Sydney')!.kind).toBe('repeated');
    // Lord Howe moves by half an hour.
    const lordHowe = instantsOfWallTime('2026-04-05 01:45:00', 'Australia/Lord_Howe')!;
    expect(lordHowe.kind).toBe('repeated');
    expect(lordHowe.later - lordHowe.earlier).toBe(HOUR / 2);
  });

  it('refuses text that is not a real wall time', () => {
    for (const text of ['', '2026-02-30 10:00:00', '2026-13-01 10:00:00', '2026-01-01 24:00:00', '2026-01-01 10:60:00', '2026-01-01', 'now', '2026-01-01 10:00:00Z', `2026-01-01 10:00:00${'0'.repeat(40)}`]) {
      expect(parseWallTime(text), text).toBeNull();
      expect(wallTimeToUtc(text, NY), text).toBeNull();
    }
  });
});

describe('utcToWallTime', () => {
  it('writes the wall time of an instant, round-tripping outside the repeated hour', () => {
    for (let instant = Date.UTC(2026, 2, 8, 4); instant < Date.UTC(2026, 2, 8, 10); instant += 15 * 60_000) {
      expect(wallTimeToUtc(utcToWallTime(instant, NY), NY)).toBe(instant);
    }
    expect(utcToWallTime(Date.UTC(2026, 10, 1, 5, 30), NY)).toBe('2026-11-01 01:30:00');
    expect(utcToWallTime(Date.UTC(2026, 10, 1, 6, 30), NY)).toBe('2026-11-01 01:30:00');
    expect(utcToWallTime(Date.UTC(2026, 0, 1, 0, 0, 0, 999), NY)).toBe('2025-12-31 19:00:00');
  });

  it('knows the offsets', () => {
    expect(zoneOffsetMs(Date.UTC(2026, 0, 1), NY)).toBe(-5 * HOUR);
    expect(zoneOffsetMs(Date.UTC(2026, 6, 1), NY)).toBe(-4 * HOUR);
  });
});

describe('eventInstants', () => {
  it('places an event that runs across fall back by its length', () => {
    // Starts 01:50 EDT, lasts 20 minutes: ends 01:10 EST, which as a wall time looks earlier than its start.
    const { start, end } = eventInstants('2026-11-01 01:50:00', '2026-11-01 01:10:00', 1200, NY);
    expect(start).toBe(Date.UTC(2026, 10, 1, 5, 50));
    expect(end).toBe(Date.UTC(2026, 10, 1, 6, 10));
  });

  it('ends an event inside the repeated hour at the candidate nearest its length', () => {
    const short = eventInstants('2026-11-01 01:20:00', '2026-11-01 01:30:00', 600, NY);
    expect(short.end! - short.start!).toBe(600_000);
    const long = eventInstants('2026-11-01 01:20:00', '2026-11-01 01:30:00', 4200, NY);
    expect(long.end! - long.start!).toBe(4_200_000);
  });

  it('keeps an open event open and an unreadable end unknown', () => {
    expect(eventInstants('2026-06-01 12:00:00', null, 3, NY)).toEqual({ start: Date.UTC(2026, 5, 1, 16), end: null });
    expect(eventInstants('2026-06-01 12:00:00', '0000-00-00 00:00:00', 3, NY).end).toBeNull();
  });
});

describe('eventInstants in the second pass of a repeated hour', () => {
  it('reads a start as the later instant when an event numbered before it started after the earlier one', () => {
    // The event before it started at 01:50 EDT (05:50Z); this one says 01:10, which can only be 01:10 EST (06:10Z).
    const previousStart = Date.UTC(2026, 10, 1, 5, 50);
    expect(eventInstants('2026-11-01 01:10:00', '2026-11-01 01:12:00', 120, NY, previousStart)).toEqual({
      start: Date.UTC(2026, 10, 1, 6, 10),
      end: Date.UTC(2026, 10, 1, 6, 12),
    });
    // Without that knowledge, or when the earlier event is close enough to have been numbered either way: the earlier.
    expect(eventInstants('2026-11-01 01:10:00', null, null, NY).start).toBe(Date.UTC(2026, 10, 1, 5, 10));
    expect(eventInstants('2026-11-01 01:10:00', null, null, NY, Date.UTC(2026, 10, 1, 5, 10, 30)).start).toBe(Date.UTC(2026, 10, 1, 5, 10));
  });
});
