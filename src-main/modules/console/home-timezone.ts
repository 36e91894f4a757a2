import { isValidTimezone } from '../../../src-shared/model/settings';
import type { SettingsDeclaration } from '../config/setting-declaration';

/** Where the home time zone is declared (console/settings.ts). */
export const HOME_TIMEZONE_SETTING = { subsystem: 'console', key: 'timezone' } as const;

/**
 * The zone the hub's machine is set to, or UTC where that is no IANA name: Node answers undefined for an unknown
 * TZ, and a machine can name a zone this runtime does not know.
 */
export function systemTimezone(resolved: string | undefined = Intl.DateTimeFormat().resolvedOptions().timeZone): string {
  return resolved !== undefined && isValidTimezone(resolved) ? resolved : 'UTC';
}

/**
 * The settings registry with the home zone defaulting to `zone`. Only the default changes: a zone already stored
 * (chosen by someone, or written as an earlier default) is kept.
 */
export function withHomeTimezoneDefault(registry: readonly SettingsDeclaration[], zone: string): SettingsDeclaration[] {
  if (!isValidTimezone(zone)) throw new Error(`The home time zone cannot default to '${zone}': not a time zone`);
  return registry.map((declaration) =>
    declaration.subsystem !== HOME_TIMEZONE_SETTING.subsystem
      ? declaration
      : { ...declaration, settings: declaration.settings.map((s) => (s.key === HOME_TIMEZONE_SETTING.key ? { ...s, defaultValue: zone } : s)) },
  );
}
