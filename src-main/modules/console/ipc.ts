import type { Kysely } from 'kysely';
import type { HandlerMap } from '../../ipc/router';
import type { Database } from '../../store/schema';
import type { ConsoleManager } from './console-manager';
import { viewsShowing } from './models';

export function consoleHandlers(
  consoleManager: ConsoleManager,
  db: Kysely<Database>,
): HandlerMap<'console.status.get' | 'console.lock' | 'console.unlock' | 'console.pin.set' | 'console.views.showing'> {
  return {
    'console.status.get': (_, { panel }) => consoleManager.status(panel),
    'console.lock': (_, { panel }) => consoleManager.lock(panel),
    'console.unlock': ({ pin }, { panel }) => consoleManager.unlock(panel, pin),
    'console.pin.set': ({ currentPin, newPin }, { panel }) => consoleManager.setPin(panel, currentPin, newPin),
    'console.views.showing': ({ entityIds }) => viewsShowing(db, entityIds),
  };
}
