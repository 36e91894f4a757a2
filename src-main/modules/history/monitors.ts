import type { MonitorSpec } from '../../monitor/periodic-monitor';
import type { HistoryRollup } from './history-rollup';

export const HISTORY_ROLLUP_MONITOR_NAME = 'history.rollup';

/** Rolls new history into per-minute and per-hour aggregates; a chart reads the few rows not rolled up yet from the raw table. */
export function historyMonitors(rollup: HistoryRollup): MonitorSpec[] {
  return [
    {
      name: HISTORY_ROLLUP_MONITOR_NAME,
      label: 'History for charts',
      schedule: { kind: 'interval', intervalMs: 10_000 },
      timeoutMs: 60_000,
      doWork: (signal) => rollup.run(signal),
    },
  ];
}
