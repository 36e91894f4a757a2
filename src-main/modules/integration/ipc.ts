import type { HandlerMap } from '../../ipc/router';
import type { IntegrationManager } from './integration-manager';

export function integrationHandlers(
  integrations: IntegrationManager,
): HandlerMap<
  | 'integration.list'
  | 'integration.configure'
  | 'integration.test'
  | 'integration.enable'
  | 'integration.disable'
  | 'integration.pause'
  | 'integration.sync'
  | 'integration.upstream.list'
  | 'entity.control'
> {
  return {
    'integration.list': () => integrations.list(),
    'integration.configure': ({ key, fields, importDomains, importEntities }) => integrations.configure(key, { fields, importDomains, importEntities }),
    'integration.test': ({ key, fields }) => integrations.test(key, fields),
    'integration.enable': ({ key }) => integrations.enable(key),
    'integration.disable': ({ key, keepItems }) => integrations.disable(key, keepItems),
    'integration.pause': ({ key, paused }) => integrations.pause(key, paused),
    'integration.sync': ({ key, confirmRemovals }) => integrations.sync(key, { confirmRemovals: confirmRemovals ?? false }),
    'integration.upstream.list': ({ key }) => integrations.upstream(key),
    'entity.control': async ({ entityId, stateId, value }) => {
      await integrations.control(entityId, stateId, value);
      return { ok: true } as const;
    },
  };
}
