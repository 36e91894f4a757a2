import { useEffect, useReducer, useRef } from 'preact/hooks';
import { createStore } from 'zustand/vanilla';
import { createAlertSlice, type AlertSlice } from './alert-slice';
import { createConnectionSlice, type ConnectionSlice } from './connection-slice';
import { createConsoleSlice, type ConsoleSlice } from './console-slice';
import { createHomeSlice, type HomeSlice } from './home-slice';
import { createHubSlice, type HubSlice } from './hub-slice';
import { createRouteSlice, type RouteSlice } from './route-slice';
import { createStatusSlice, type StatusSlice } from './status-slice';
import type { SettingView } from '../../src-shared/model/settings';

export type AppState = ConnectionSlice & HubSlice & RouteSlice & HomeSlice & StatusSlice & AlertSlice & ConsoleSlice;

export const createAppStore = () =>
  createStore<AppState>()((...a) => ({
    ...createConnectionSlice(...a),
    ...createHubSlice(...a),
    ...createRouteSlice(...a),
    ...createHomeSlice(...a),
    ...createStatusSlice(...a),
    ...createAlertSlice(...a),
    ...createConsoleSlice(...a),
  }));

export const appStore = createAppStore();

/**
 * The part of the store `selector` picks, re-rendering when it changes (by Object.is). Preact's own hooks rather than
 * zustand's React binding: a plan subscribes once per item, and preact/compat's `useSyncExternalStore` with its
 * per-element hook costs a thousand-item first paint dearly.
 */
export function useAppState<T>(selector: (state: AppState) => T): T {
  const value = selector(appStore.getState());
  const latest = useRef({ selector, value });
  latest.current = { selector, value };
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const check = () => {
      if (!Object.is(latest.current.selector(appStore.getState()), latest.current.value)) rerender(undefined);
    };
    // A change between the render and this subscription is caught here.
    check();
    return appStore.subscribe(check);
  }, []);
  return value;
}

export function selectSetting(state: AppState, subsystem: string, key: string): SettingView | undefined {
  return state.settingSections.find((s) => s.subsystem === subsystem)?.settings.find((s) => s.key === key);
}

/** One setting's current value; re-renders only when that setting changes. */
export function useSettingValue(subsystem: string, key: string): SettingView['value'] | undefined {
  return useAppState((state) => selectSetting(state, subsystem, key)?.value);
}

/** True when this panel holds edit mode. */
export function selectIsEditing(state: AppState): boolean {
  return state.edit.editingPanelId !== null && state.edit.editingPanelId === state.panel?.panelId;
}
