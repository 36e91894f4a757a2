import { MonitorHealth } from '../../../src-shared/enums';
import type { MonitorManager } from '../../monitor/monitor-manager';
import type { PeriodicMonitor } from '../../monitor/periodic-monitor';
import type { NotifyManager } from './notify-manager';

export const NOTIFY_MONITOR_NAME = 'notify.mail';
/** Runs of the monitor per change at most, to catch up with a change that lands during a run. */
const MAX_RUNS_PER_CHANGE = 3;

/**
 * E-mail health as a monitor, shown where every other health is (the System tab, `monitor.health`): it runs at
 * once when mail starts or stops failing, and again every minute.
 */
export function registerNotifyMonitor(monitors: MonitorManager, notify: NotifyManager): () => void {
  const monitor = monitors.register({
    name: NOTIFY_MONITOR_NAME,
    label: 'E-mail',
    schedule: { kind: 'interval', intervalMs: 60_000 },
    timeoutMs: 5_000,
    doWork: async () => {
      const problem = notify.healthProblem();
      if (problem !== null) throw new Error(problem);
    },
  });
  return notify.onHealthChanged(() => void showHealth(monitor, notify));
}

async function showHealth(monitor: PeriodicMonitor, notify: NotifyManager): Promise<void> {
  for (let run = 0; run < MAX_RUNS_PER_CHANGE && !shown(monitor, notify.healthProblem()); run += 1) await monitor.tick();
}

function shown(monitor: PeriodicMonitor, problem: string | null): boolean {
  const status = monitor.status();
  return problem === null ? status.health === MonitorHealth.OK.value : status.health === MonitorHealth.ERROR.value && status.lastError === problem;
}
