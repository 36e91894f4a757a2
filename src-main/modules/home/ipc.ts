import type { HandlerMap } from '../../ipc/router';
import type { HomeSetupManager } from './home-setup-manager';

export function homeHandlers(setup: HomeSetupManager): HandlerMap<'home.profiles.get' | 'home.setup'> {
  return {
    'home.profiles.get': () => setup.profiles(),
    'home.setup': ({ profile }) => setup.setUp(profile),
  };
}
