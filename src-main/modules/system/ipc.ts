import { SettingType } from '../../../src-shared/enums';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { PairingInfo, RuntimeConfigEntry } from '../../../src-shared/model/system';
import type { HandlerContext, HandlerMap } from '../../ipc/router';
import type { MonitorManager } from '../../monitor/monitor-manager';
import type { RuntimeConfig } from '../../runtime-config';
import type { SettingsManager } from '../config/settings-manager';
import type { PairingManager } from './pairing-manager';

export interface SystemHandlerDeps {
  monitors: MonitorManager;
  settings: SettingsManager;
  pairing: PairingManager;
  runtime: RuntimeConfig;
  panelServerUrl: () => string | null;
}

const REDACTED = '••••••';

/** The effective configuration: how the process was started, then every setting, secrets redacted. */
export function effectiveRuntimeConfig(runtime: RuntimeConfig, settings: SettingsManager): RuntimeConfigEntry[] {
  const started: Array<[string, unknown]> = [
    ['version', runtime.version],
    ['dataDir', runtime.dataDir],
    ['host', runtime.host],
    ['port', runtime.port],
    ['allowedHosts', runtime.allowedHosts.length > 0 ? runtime.allowedHosts.join(', ') : '(none)'],
    ['suppressMonitors', runtime.suppressMonitors],
    ['suppressSelectRequestEndpointsLogging', runtime.suppressSelectRequestEndpointsLogging],
    ['baseUrlForEmailLinks', runtime.baseUrlForEmailLinks ?? '(not set)'],
    ['clockStart', runtime.clockStart === null ? '(the machine\'s clock)' : new Date(runtime.clockStart).toISOString()],
  ];
  const entries: RuntimeConfigEntry[] = started.map(([key, value]) => ({
    key,
    value: String(value),
    source: runtime.sources[key] ?? 'built in',
    redacted: false,
  }));
  for (const section of settings.sections()) {
    for (const setting of section.settings) {
      const secret = SettingType.fromName(setting.type) === SettingType.SECRET;
      entries.push({
        key: `${section.subsystem}.${setting.key}`,
        value: secret ? (setting.hasValue ? REDACTED : '(not set)') : String(setting.value),
        source: 'setting',
        redacted: secret,
      });
    }
  }
  return entries;
}

export function systemHandlers(
  deps: SystemHandlerDeps,
): HandlerMap<
  | 'system.monitors.get'
  | 'system.runtimeConfig.get'
  | 'system.pairing.get'
  | 'system.pairing.regenerate'
  | 'system.panels.list'
  | 'system.panels.rename'
  | 'system.panels.revoke'
> {
  const pairingInfo = async (ctx: HandlerContext): Promise<PairingInfo> => ({
    code: ctx.panel.isLocal ? deps.pairing.currentCode() : null,
    pairedClients: await deps.pairing.pairedClientCount(),
    panelServerUrl: deps.panelServerUrl(),
  });
  return {
    'system.monitors.get': () => deps.monitors.statuses(),
    'system.runtimeConfig.get': () => effectiveRuntimeConfig(deps.runtime, deps.settings),
    'system.pairing.get': (_, ctx) => pairingInfo(ctx),
    'system.pairing.regenerate': (_, ctx) => {
      if (!ctx.panel.isLocal) throw IpcError.forbidden('Only a panel on the hub itself can change the pairing code.');
      deps.pairing.regenerate();
      return pairingInfo(ctx);
    },
    // Paired panels may see the list (it holds no token material) but only the hub itself manages it.
    'system.panels.list': () => deps.pairing.list(),
    'system.panels.rename': ({ id, name }, ctx) => {
      if (!ctx.panel.isLocal) throw IpcError.forbidden('Only a panel on the hub itself can rename paired panels.');
      return deps.pairing.rename(id, name);
    },
    'system.panels.revoke': async ({ id }, ctx) => {
      if (!ctx.panel.isLocal) throw IpcError.forbidden('Only a panel on the hub itself can revoke paired panels.');
      await deps.pairing.revoke(id);
      return { ok: true as const };
    },
  };
}
