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
});
