import type { HandlerMap } from '../../ipc/router';
import type { NotifyManager } from './notify-manager';

export function notifyHandlers(notify: NotifyManager): HandlerMap<'notify.test'> {
  return {
    'notify.test': () => notify.sendTest(),
  };
}
