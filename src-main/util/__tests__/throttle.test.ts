import { afterEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from '../throttle';

describe('Throttle', () => {
  afterEach(() => vi.useRealTimers());

  it('runs the first request at once and a burst once at the end of the window', () => {
    vi.useFakeTimers();
    let runs = 0;
    const throttle = new Throttle(100, () => (runs += 1));
    throttle.request();
    expect(runs).toBe(1);
    for (let i = 0; i < 50; i += 1) throttle.request();
    expect(runs).toBe(1);
    vi.advanceTimersByTime(100);
    expect(runs).toBe(2);
    vi.advanceTimersByTime(1_000);
    expect(runs).toBe(2);
    throttle.request();
    expect(runs).toBe(3);
  });

  it('flushes a pending run at once and cancels one that is not wanted', () => {
    vi.useFakeTimers();
    let runs = 0;
    const throttle = new Throttle(100, () => (runs += 1));
    throttle.request();
    throttle.request();
    throttle.flush();
    expect(runs).toBe(2);
    throttle.request();
    throttle.cancel();
    vi.advanceTimersByTime(1_000);
    expect(runs).toBe(2);
  });

  it('lets a few requests close together through at once, then holds a storm to one a window', () => {
    vi.useFakeTimers();
    let runs = 0;
    const throttle = new Throttle(100, () => (runs += 1), 3);
    for (let i = 0; i < 3; i += 1) throttle.request();
    expect(runs).toBe(3);
    for (let i = 0; i < 20; i += 1) throttle.request();
    expect(runs).toBe(3);
    vi.advanceTimersByTime(100);
    expect(runs).toBe(4);
    // A steady storm: one run a window, never more.
    for (let ms = 0; ms < 1_000; ms += 10) {
      throttle.request();
      vi.advanceTimersByTime(10);
    }
    expect(runs).toBeGreaterThanOrEqual(13);
    expect(runs).toBeLessThanOrEqual(15);
    // After a quiet second the spare runs are back.
    vi.advanceTimersByTime(1_000);
    const quiet = runs;
    for (let i = 0; i < 3; i += 1) throttle.request();
    expect(runs).toBe(quiet + 3);
    const before = runs;
    throttle.request();
    expect(runs).toBe(before);
  });
});
