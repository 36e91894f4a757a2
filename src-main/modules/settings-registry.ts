import { consoleSettings } from './console/settings';
import type { SettingsDeclaration } from './config/setting-declaration';
import { securitySettings } from './security/settings';
import { alertSettings } from './alert/settings';
import { notifySettings } from './notify/settings';

/**
 * Every module's and integration's `settings.ts` declaration. A test walks the source tree and fails when a
 * `settings.ts` is missing here, so this list cannot fall behind.
 */
export const settingsRegistry: readonly SettingsDeclaration[] = [consoleSettings, securitySettings, alertSettings, notifySettings];
