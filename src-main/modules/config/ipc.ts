import type { HandlerMap } from '../../ipc/router';
import type { SettingsManager } from './settings-manager';

export function configHandlers(
  settings: SettingsManager,
): HandlerMap<'settings.sections.get' | 'settings.update' | 'settings.history.get' | 'settings.history.restore' | 'settings.defaults.restore'> {
  return {
    'settings.sections.get': () => settings.sections(),
    'settings.update': ({ subsystem, key, value }) => settings.update(subsystem, key, value),
    'settings.history.get': ({ subsystem, key }) => settings.history(subsystem, key),
    'settings.history.restore': ({ historyId }) => settings.restoreHistory(historyId),
    'settings.defaults.restore': ({ subsystem }) => settings.restoreDefaults(subsystem),
  };
}
