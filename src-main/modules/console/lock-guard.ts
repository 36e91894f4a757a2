import type { RequestName } from '../../../src-shared/ipc/contract';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { PanelSession } from '../../ipc/panel-sessions';
import type { Handler, HandlerMap } from '../../ipc/router';

/**
 * What a locked panel may still ask: its snapshot (on every reconnect), the lock screen's own requests, the mode
 * and alerts it shows read-only, and the integration names the shell loads with the snapshot. Everything else,
 * acknowledging an alert and changing the mode included, waits for the PIN.
 */
export const ALLOWED_WHILE_LOCKED: ReadonlySet<RequestName> = new Set<RequestName>([
  'hub.snapshot',
  'console.status.get',
  'console.unlock',
  'security.status.get',
  'alert.list',
  'alert.recent.list',
  'integration.list',
]);

/** The same handlers, each refusing a locked panel unless the lock screen needs it: the lock holds in main, not only on screen. */
export function refuseWhileLocked(handlers: HandlerMap, isLocked: (panel: PanelSession) => boolean): HandlerMap {
  const guarded: Partial<Record<RequestName, Handler<RequestName>>> = {};
  for (const [name, handler] of Object.entries(handlers) as Array<[RequestName, Handler<RequestName>]>) {
    guarded[name] = ALLOWED_WHILE_LOCKED.has(name)
      ? handler
      : (arg, ctx) => {
          if (isLocked(ctx.panel)) throw IpcError.forbidden('This panel is locked: unlock it with the PIN first.');
          return handler(arg, ctx);
        };
  }
  return guarded as HandlerMap;
}
