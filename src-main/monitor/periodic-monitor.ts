import schedule from 'node-schedule';
import { MonitorHealth } from '../../src-shared/enums';
import type { MonitorStatus } from '../../src-shared/model/system';
import type { Clock } from '../util/clock';
import { createLogger } from '../util/log';

const log = createLogger('monitor');

/**
 * A run that changes nothing but the heartbeat tells the panels at most this often: a monitor running every 10 s
 * would otherwise wake every panel six times a minute to move a timestamp on the System tab.
 */
export const HEARTBEAT_REPORT_MS = 60_000;

export type MonitorSchedule =
  | { kind: 'interval'; intervalMs: number }
  /** A node-schedule cron rule, e.g. '15 3 * * *', evaluated in the given time zone. */
  | { kind: 'calendar'; rule: string; timezone: () => string };

export interface MonitorSpec {
  name: string;
  label: string;
  schedule: MonitorSchedule;
  timeoutMs: number;
  /** The work of one run; it should stop early when the signal aborts (timeout or shutdown). */
  doWork(signal: AbortSignal): Promise<void>;
}

export class MonitorTimeoutError extends Error {
  constructor(name: string, timeoutMs: number) {
    super(`${name} took longer than ${timeoutMs} ms`);
    this.name = 'MonitorTimeoutError';
  }
}

/**
 * Runs one piece of periodic work: never two runs at once (a tick during a run is counted and skipped), each run
 * bounded by a timeout, with a heartbeat and health that the System tab shows.
 */
export class PeriodicMonitor {
  private health: MonitorHealth = MonitorHealth.PENDING;
  private lastHeartbeat: number | null = null;
  private lastRunMs: number | null = null;
  private lastError: string | null = null;
  private runCount = 0;
  private skippedOverlaps = 0;
  private running: Promise<void> | null = null;
  private runAbort: AbortController | null = null;
  private startTimer: NodeJS.Timeout | null = null;
  private intervalTimer: NodeJS.Timeout | null = null;
  private calendarJob: schedule.Job | null = null;
  private stopped = false;
  private lastReportedAt: number | null = null;

  constructor(
    readonly spec: MonitorSpec,
    private readonly clock: Clock,
    private readonly onStatus: (status: MonitorStatus) => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  start(startDelayMs: number): void {
    this.stopped = false;
    const { schedule: when } = this.spec;
    if (when.kind === 'interval') {
      this.startTimer = setTimeout(() => {
        this.startTimer = null;
        void this.tick();
        this.intervalTimer = setInterval(() => void this.tick(), when.intervalMs);
        this.intervalTimer.unref();
      }, startDelayMs);
      this.startTimer.unref();
    } else {
      // Staggered too: planning a zoned calendar job costs tens of milliseconds, which a hub starting up (and a
      // panel waiting for it) should not pay; the daily jobs this is for run in the small hours.
      this.startTimer = setTimeout(() => {
        this.startTimer = null;
        this.calendarJob = schedule.scheduleJob({ rule: when.rule, tz: when.timezone() }, () => void this.tick());
      }, startDelayMs);
      this.startTimer.unref();
    }
  }

  /** Marks the monitor as switched off by HI_SUPPRESS_MONITORS. */
  suppress(): void {
    this.setHealth(MonitorHealth.SUPPRESSED);
  }

  /** Runs now unless a run is under way; resolves when this tick's run (or the one under way) ends. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.skippedOverlaps += 1;
      return this.running;
    }
    this.running = this.runOnce().finally(() => {
      this.running = null;
      this.runAbort = null;
    });
    return this.running;
  }

  /** Stops scheduling, aborts the run under way and waits for it at most `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    if (this.startTimer) clearTimeout(this.startTimer);
    if (this.intervalTimer) clearInterval(this.intervalTimer);
    this.calendarJob?.cancel();
    this.startTimer = this.intervalTimer = null;
    this.calendarJob = null;
    this.runAbort?.abort(new Error('shutting down'));
    if (this.running) {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([this.running, gaveUp]);
      clearTimeout(timer);
    }
    this.setHealth(MonitorHealth.STOPPED);
  }

  status(): MonitorStatus {
    const { schedule: when } = this.spec;
    return {
      name: this.spec.name,
      label: this.spec.label,
      schedule: when.kind === 'interval' ? `every ${formatInterval(when.intervalMs)}` : `cron ${when.rule}`,
      health: this.health.value,
      lastHeartbeat: this.lastHeartbeat,
      lastRunMs: this.lastRunMs,
      lastError: this.lastError,
      runCount: this.runCount,
      skippedOverlaps: this.skippedOverlaps,
    };
  }

  private async runOnce(): Promise<void> {
    const abort = new AbortController();
    this.runAbort = abort;
    const started = this.clock.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new MonitorTimeoutError(this.spec.name, this.spec.timeoutMs);
        // Reject before aborting: work that stops on abort must not win the race and read as a success.
        reject(error);
        abort.abort(error);
      }, this.spec.timeoutMs);
    });
    let work: Promise<void>;
    try {
      work = Promise.resolve(this.spec.doWork(abort.signal));
    } catch (error) {
      work = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    let outcome: { health: MonitorHealth; error: string | null };
    try {
      await Promise.race([work, timeout]);
      outcome = { health: MonitorHealth.OK, error: null };
    } catch (error) {
      outcome = {
        health: error instanceof MonitorTimeoutError ? MonitorHealth.TIMED_OUT : MonitorHealth.ERROR,
        error: error instanceof Error ? error.message : String(error),
      };
      log.warn(`${this.spec.name} failed`, error);
    } finally {
      clearTimeout(timer);
    }
    // A run that ignored its timeout still occupies the slot until it really ends: no overlap.
    await work.catch(() => undefined);
    this.runCount += 1;
    this.lastRunMs = this.clock.now() - started;
    this.lastHeartbeat = this.clock.now();
    // After stop() the monitor stays 'stopped', whatever an abandoned run ends with.
    if (this.stopped) return;
    const changed = outcome.health !== this.health || outcome.error !== this.lastError;
    this.health = outcome.health;
    this.lastError = outcome.error;
    if (changed || this.lastReportedAt === null || this.clock.now() - this.lastReportedAt >= HEARTBEAT_REPORT_MS) this.report();
  }

  private setHealth(health: MonitorHealth): void {
    this.health = health;
    this.report();
  }

  private report(): void {
    this.lastReportedAt = this.clock.now();
    this.onStatus(this.status());
  }
}

function formatInterval(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
