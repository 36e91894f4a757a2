import { describe, expect, it } from 'vitest';
import { clockStartingAt, systemClock } from '../clock';
import { clockScheduler, ManualScheduler } from '../scheduler';
import { TestClock } from '../../test-support/test-hub';

describe('schedulers', () => {
  it('run a task at an instant of a clock set to another time of day', async () => {
    const clock = clockStartingAt(Date.UTC(2030, 0, 1, 21, 59, 59, 900));
    expect(Math.abs(clock.now() - Date.UTC(2030, 0, 1, 21, 59, 59, 900))).toBeLessThan(1_000);
    const ranAt = await new Promise<number>((resolve) => clockScheduler(clock).at(Date.UTC(2030, 0, 1, 22), () => resolve(clock.now())));
    expect(ranAt).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1, 22) - 5);
  });

  it('run a past task at once, and never a cancelled one', async () => {
    const scheduler = clockScheduler(systemClock);
    let cancelledRan = false;
    scheduler.at(Date.now() + 20, () => (cancelledRan = true))();
    await new Promise<void>((resolve) => scheduler.at(Date.now() - 1_000, resolve));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(cancelledRan).toBe(false);
  });

  it('in tests, run due tasks in time order with the clock set to each', () => {
    const clock = new TestClock(1_000);
    const scheduler = new ManualScheduler(clock);
    const seen: Array<[string, number]> = [];
    scheduler.at(3_000, () => seen.push(['b', clock.now()]));
    scheduler.at(2_000, () => {
      seen.push(['a', clock.now()]);
      scheduler.at(2_500, () => seen.push(['a2', clock.now()]));
    });
    const cancel = scheduler.at(2_200, () => seen.push(['never', clock.now()]));
    cancel();
    expect(scheduler.runUntil(2_800)).toBe(2);
    expect(seen).toEqual([
      ['a', 2_000],
      ['a2', 2_500],
    ]);
    expect(clock.now()).toBe(2_800);
    expect(scheduler.size).toBe(1);
  });
});
