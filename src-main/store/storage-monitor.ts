import { MonitorHealth } from '../../src-shared/enums';
import { STORAGE_MONITOR_NAME } from '../../src-shared/model/system';
import type { MonitorManager } from '../monitor/monitor-manager';
import type { PeriodicMonitor } from '../monitor/periodic-monitor';
import type { StorageHealth } from './storage-errors';

/** Runs of the monitor per change at most, to catch up with changes that arrive during a run. */
const MAX_RUNS_PER_CHANGE = 5;

/**
 * Storage health shown as a monitor, so panels see it where they see every other health (the System tab, the
 * header, `monitor.health`): it runs at once on each change between full and ok, and again every minute.
 */
export class StorageMonitor {
  private readonly monitor: PeriodicMonitor;
  private readonly unsubscribe: () => void;
  private busy = false;
  private changed = false;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly health: StorageHealth,
    monitors: MonitorManager,
  ) {
    this.monitor = monitors.register({
      name: STORAGE_MONITOR_NAME,
      label: 'Storage',
      schedule: { kind: 'interval', intervalMs: 60_000 },
      timeoutMs: 5_000,
      doWork: async () => {
        const problem = health.problem;
        if (problem !== null) throw new Error(problem);
      },
    });
    this.unsubscribe = health.onChange(() => this.refresh());
  }

  /** Resolves when the monitor shows the storage health of the last change (or gave up after a few runs). */
  settled(): Promise<void> {
    return this.done;
  }

  stop(): void {
    this.unsubscribe();
  }

  private refresh(): void {
    this.changed = true;
    if (!this.busy) this.done = this.runUntilShown();
  }

  private async runUntilShown(): Promise<void> {
    this.busy = true;
    try {
      // A tick during a scheduled run joins that run, which may have read the health before it changed.
      for (let run = 0; run < MAX_RUNS_PER_CHANGE && (this.changed || !this.shown()); run += 1) {
        this.changed = false;
        await this.monitor.tick();
      }
    } finally {
      this.busy = false;
    }
  }

  private shown(): boolean {
    const status = this.monitor.status();
    const problem = this.health.problem;
    return problem === null ? status.health === MonitorHealth.OK.value : status.health === MonitorHealth.ERROR.value && status.lastError === problem;
  }
}
