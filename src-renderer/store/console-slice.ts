import type { StateCreator } from 'zustand';
import type { EventPayload } from '../../src-shared/ipc/contract';
import type { ConsoleChanged, ConsoleStatus } from '../../src-shared/model/console';
import type { StateDelta } from '../../src-shared/model/integration';
import type { AppState } from './index';

/** States held while asleep; past this many the view is simply refetched on waking. */
export const MAX_HELD_STATES = 5_000;

export interface ConsoleSlice {
  /** This panel's lock, whether a PIN is set, and the sleep schedule; null until the first snapshot. */
  consoleStatus: ConsoleStatus | null;
  /** The dim overlay is up: status changes are held, not drawn, until it goes. */
  asleep: boolean;
  /** When the idle time starts from: the last touch, the page loading or the screen waking; this device's clock. */
  lastActivityAt: number;
  /** When someone last touched the panel (or pressed a key); 0: not since it loaded. */
  lastTouchAt: number;
  applyConsoleStatus(status: ConsoleStatus): void;
  applyConsoleChanged(payload: ConsoleChanged): void;
  noteActivity(now: number): void;
  fallAsleep(): void;
  /** Takes the overlay away and draws the status changes held while it was up. */
  wake(): void;
  /** `status.changed` from the hub: applied at once while awake, held (newest value per state) while asleep. */
  receiveStatusChanged(payload: EventPayload<'status.changed'>): void;
}

export const createConsoleSlice: StateCreator<AppState, [], [], ConsoleSlice> = (set, get) => {
  // Outside the state: holding a delta must not make anything re-render.
  const held = new Map<number, StateDelta>();
  let overflowed = false;

  return {
    consoleStatus: null,
    asleep: false,
    lastActivityAt: Date.now(),
    lastTouchAt: 0,
    applyConsoleStatus(status) {
      const current = get().consoleStatus;
      if (current && current.locked === status.locked && current.pinSet === status.pinSet && current.sleepScheduled === status.sleepScheduled) return;
      set({ consoleStatus: status });
    },
    applyConsoleChanged({ pinSet, sleepScheduled, lockedPanelIds }) {
      const panelId = get().panel?.panelId;
      if (panelId === undefined) return;
      get().applyConsoleStatus({ locked: lockedPanelIds.includes(panelId), pinSet, sleepScheduled });
    },
    noteActivity(now) {
      set({ lastActivityAt: now, lastTouchAt: now });
    },
    fallAsleep() {
      if (!get().asleep) set({ asleep: true });
    },
    wake() {
      if (!get().asleep) return;
      set({ asleep: false, lastActivityAt: Date.now() });
      if (overflowed) {
        overflowed = false;
        held.clear();
        get().homeChanged();
      } else if (held.size > 0) {
        const states = [...held.values()];
        held.clear();
        get().applyStatusChanged({ states });
      }
    },
    receiveStatusChanged(payload) {
      if (!get().asleep) {
        get().applyStatusChanged(payload);
        return;
      }
      if (overflowed) return;
      for (const delta of payload.states) held.set(delta.stateId, delta);
      if (held.size > MAX_HELD_STATES) {
        overflowed = true;
        held.clear();
      }
    },
  };
};
