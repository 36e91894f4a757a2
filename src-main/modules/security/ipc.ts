import { SecurityState } from '../../../src-shared/enums/security';
import type { HandlerMap } from '../../ipc/router';
import type { SecurityManager } from './security-manager';

export function securityHandlers(security: SecurityManager): HandlerMap<'security.status.get' | 'security.set' | 'security.snooze'> {
  return {
    'security.status.get': () => security.status(),
    'security.set': ({ state }) => security.set(SecurityState.fromName(state)),
    'security.snooze': () => security.snooze(),
  };
}
