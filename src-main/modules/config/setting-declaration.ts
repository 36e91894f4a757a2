import { parseSettingInput, type SettingDescriptor } from '../../../src-shared/model/settings';

/** What a module's `settings.ts` exports: its subsystem and the settings it owns. */
export interface SettingsDeclaration {
  readonly subsystem: string;
  readonly label: string;
  readonly description: string;
  readonly settings: readonly SettingDescriptor[];
}

/** Checks a declaration once, at import: a default that fails its own validation is a programming error. */
export function declareSettings<const D extends SettingsDeclaration>(declaration: D): D {
  const keys = new Set<string>();
  for (const descriptor of declaration.settings) {
    if (keys.has(descriptor.key)) throw new Error(`Setting ${declaration.subsystem}.${descriptor.key} is declared twice`);
    keys.add(descriptor.key);
    const parsed = parseSettingInput(descriptor, descriptor.defaultValue);
    if (!parsed.ok) throw new Error(`Default of ${declaration.subsystem}.${descriptor.key} is invalid: ${parsed.message}`);
  }
  return declaration;
}

export type SettingKey<D extends SettingsDeclaration> = D['settings'][number]['key'];
