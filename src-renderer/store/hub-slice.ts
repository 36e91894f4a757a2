import type { StateCreator } from 'zustand';
import type { EventPayload, Snapshot } from '../../src-shared/ipc/contract';
import type { SettingSection, SettingView } from '../../src-shared/model/settings';
import type { SecurityStatus } from '../../src-shared/model/security';
import type { MonitorStatus, PanelInfo } from '../../src-shared/model/system';
import { shareEqual } from './structural-share';
import type { AppState } from './index';

export interface HubSlice {
  hubVersion: string | null;
  panel: PanelInfo | null;
  /** Hub clock minus this device's clock, so every panel shows the hub's time. */
  clockOffsetMs: number;
  settingSections: SettingSection[];
  monitors: MonitorStatus[];
  /** The home's security mode; null until the first snapshot. */
  security: SecurityStatus | null;
  applySnapshot(snapshot: Snapshot, receivedAt: number): void;
  applySettingsChanged(payload: EventPayload<'settings.changed'>): void;
  applySettingView(view: SettingView): void;
  applyMonitorStatus(status: MonitorStatus): void;
  applySecurityChanged(status: SecurityStatus): void;
}

const sameSetting = (a: SettingView, b: SettingView): boolean => a.subsystem === b.subsystem && a.key === b.key;

/** Replaces changed settings, keeping every untouched section and setting object as it was. */
function mergeSettings(sections: SettingSection[], changed: readonly SettingView[]): SettingSection[] {
  let anyChanged = false;
  const next = sections.map((section) => {
    const updates = changed.filter((c) => c.subsystem === section.subsystem);
    if (updates.length === 0) return section;
    anyChanged = true;
    return { ...section, settings: section.settings.map((s) => updates.find((u) => sameSetting(u, s)) ?? s) };
  });
  return anyChanged ? next : sections;
}

export const createHubSlice: StateCreator<AppState, [], [], HubSlice> = (set, get) => ({
  hubVersion: null,
  panel: null,
  clockOffsetMs: 0,
  settingSections: [],
  monitors: [],
  security: null,
  applySnapshot(snapshot, receivedAt) {
    set({
      hubVersion: snapshot.version,
      panel: snapshot.panel,
      clockOffsetMs: snapshot.serverTime - receivedAt,
      settingSections: snapshot.settings,
      monitors: snapshot.monitors,
      security: shareEqual(get().security, snapshot.security),
      locations: snapshot.home.locations,
      edit: snapshot.home.edit,
      integrationHealth: shareEqual(get().integrationHealth, Object.fromEntries(snapshot.integrations.map((h) => [h.key, h]))),
    });
    get().applyAlerts(snapshot.alerts);
    get().applyAlertSound(snapshot.alertSound);
  },
  applySettingsChanged({ settings }) {
    const next = mergeSettings(get().settingSections, settings);
    if (next !== get().settingSections) set({ settingSections: next });
  },
  applySettingView(view) {
    get().applySettingsChanged({ settings: [view] });
  },
  applyMonitorStatus(status) {
    const monitors = get().monitors;
    const index = monitors.findIndex((m) => m.name === status.name);
    const next = index < 0 ? [...monitors, status] : monitors.map((m, i) => (i === index ? status : m));
    set({ monitors: next });
  },
  applySecurityChanged(status) {
    const next = shareEqual(get().security, status);
    if (next !== get().security) set({ security: next });
  },
});
