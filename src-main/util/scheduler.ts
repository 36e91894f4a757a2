import schedule from 'node-schedule';
import type { Clock } from './clock';

/** Runs a task once at an instant; calendar jobs (day/night switches) go through it so tests can drive time. */
export interface Scheduler {
  /** Returns a function that cancels the task if it has not run. */
  at(when: number, task: () => void): () => void;
}

/**
 * Runs tasks at instants of `clock` (which may be set to another time of day than the machine's), with node-schedule
 * underneath: it re-arms long waits itself, so a switch weeks away still fires on time.
 */
export function clockScheduler(clock: Clock): Scheduler {
  return {
    at(when, task) {
      const wait = when - clock.now();
      if (wait <= 0) {
        const immediate = setImmediate(task);
        return () => clearImmediate(immediate);
      }
      const job = schedule.scheduleJob(new Date(Date.now() + wait), task);
      return () => job?.cancel();
    },
  };
}

/** A scheduler for tests: tasks run when the test moves its clock past them, in time order. */
export class ManualScheduler implements Scheduler {
  private readonly pending = new Set<{ when: number; task: () => void }>();

  constructor(private readonly clock: Clock & { set(ms: number): number }) {}

  at(when: number, task: () => void): () => void {
    const entry = { when, task };
    this.pending.add(entry);
    return () => this.pending.delete(entry);
  }

  /** Moves the clock to `until`, running each due task at its own time; bounded so a task that re-arms at once cannot loop. */
  runUntil(until: number, maxTasks = 10_000): number {
    let ran = 0;
    for (; ran < maxTasks; ran += 1) {
      const next = [...this.pending].filter((e) => e.when <= until).sort((a, b) => a.when - b.when)[0];
      if (!next) break;
      this.pending.delete(next);
      if (next.when > this.clock.now()) this.clock.set(next.when);
      next.task();
    }
    if (until > this.clock.now()) this.clock.set(until);
    return ran;
  }

  get size(): number {
    return this.pending.size;
  }
}
