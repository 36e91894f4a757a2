import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MINUTE_MS, SECOND_MS, startTicker } from '../use-now';

const NOON = Date.UTC(2026, 2, 2, 12, 0, 0);

describe('startTicker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks first at the next minute boundary, then once a minute, with one timer at a time', () => {
    vi.setSystemTime(NOON + 30_500);
    const ticks: number[] = [];
    const stop = startTicker({ unitMs: MINUTE_MS, shownAt: Date.now() }, (now) => ticks.push(now));
    expect(vi.getTimerCount()).toBe(1);

    vi.advanceTimersByTime(29_499);
    expect(ticks).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ticks).toEqual([NOON + MINUTE_MS]);

    vi.advanceTimersByTime(60 * MINUTE_MS);
    expect(ticks).toHaveLength(61);
    expect(ticks.every((at) => at % MINUTE_MS === 0)).toBe(true);
    expect(vi.getTimerCount()).toBe(1);

    stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ticks at the minute of the hub clock when the panel clock is off by a clock offset', () => {
    vi.setSystemTime(NOON);
    const offset = 20_000;
    const ticks: number[] = [];
    startTicker({ unitMs: MINUTE_MS, shiftMs: offset, shownAt: Date.now() }, (now) => ticks.push(now));
    vi.advanceTimersByTime(2 * MINUTE_MS);
    expect(ticks.map((at) => at + offset)).toEqual([NOON + MINUTE_MS, NOON + 2 * MINUTE_MS]);
  });

  it('ticks at once when the minute turned since the time last shown', () => {
    vi.setSystemTime(NOON + 5_000);
    const ticks: number[] = [];
    startTicker({ unitMs: MINUTE_MS, shownAt: NOON - 1_000 }, (now) => ticks.push(now));
    expect(ticks).toEqual([NOON + 5_000]);
  });

  it('does not tick when its timer fires before the boundary by the wall clock, and waits for what is left', () => {
    vi.setSystemTime(NOON + 59_000);
    const ticks: number[] = [];
    startTicker({ unitMs: MINUTE_MS, shownAt: Date.now() }, (now) => ticks.push(now));
    // The wall clock steps back 300 ms while the timer waits (an NTP correction): it fires at 59.7 s wall time.
    vi.setSystemTime(NOON + 58_700);
    vi.advanceTimersByTime(1_000);
    expect(ticks).toEqual([]);
    vi.advanceTimersByTime(300);
    expect(ticks).toEqual([NOON + MINUTE_MS]);
  });

  it('counts a countdown down in step with its end and stops at zero', () => {
    vi.setSystemTime(NOON);
    const offset = -1_234;
    // The hub's clock says the hold ends 2.4 s from now: the shown seconds read 3, 2, 1, 0.
    const until = NOON + offset + 2_400;
    const shown = (now: number) => Math.max(0, Math.ceil((until - now - offset) / SECOND_MS));
    const seen = [shown(Date.now())];
    startTicker({ unitMs: SECOND_MS, shiftMs: offset - until, stopAt: until - offset, shownAt: Date.now() }, (now) => seen.push(shown(now)));
    vi.advanceTimersByTime(10_000);
    expect(seen).toEqual([3, 2, 1, 0]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
