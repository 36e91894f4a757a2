import type { MonitorSpec } from '../../monitor/periodic-monitor';
import type { AlertManager } from '../alert/alert-manager';
import type { EventManager } from './event-manager';

/** Nightly: firings and closed alerts older than their keeping time go, so neither table grows for ever. */
export function eventMonitors(rules: EventManager, alerts: AlertManager, timezone: () => string): MonitorSpec[] {
  return [
    {
      name: 'events.history_cleanup',
      label: 'Nightly rule and alert history clean-up',
      schedule: { kind: 'calendar', rule: '30 3 * * *', timezone },
      timeoutMs: 5 * 60_000,
      doWork: async () => {
        await rules.pruneHistory();
        await alerts.pruneClosed();
      },
    },
  ];
}
