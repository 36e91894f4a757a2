import type { HandlerMap } from '../../ipc/router';
import type { AlertManager } from './alert-manager';

export function alertHandlers(alerts: AlertManager): HandlerMap<'alert.list' | 'alert.recent.list' | 'alert.acknowledge' | 'alert.acknowledgeAll'> {
  return {
    'alert.list': () => alerts.list(),
    'alert.recent.list': () => alerts.recentList(),
    'alert.acknowledge': ({ alertId }) => alerts.acknowledge(alertId),
    'alert.acknowledgeAll': () => ({ count: alerts.acknowledgeAll() }),
  };
}
