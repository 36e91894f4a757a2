import type { StateCreator } from 'zustand';
import { ConnectionState, type EnumValue } from '../../src-shared/enums';
import type { AppState } from './index';

export interface ConnectionSlice {
  connection: EnumValue<typeof ConnectionState>;
  /** When the connection was lost, for "since HH:MM"; null while connected. */
  lostSince: number | null;
  setConnection(state: ConnectionState, now: number): void;
}

export const createConnectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = (set, get) => ({
  connection: ConnectionState.CONNECTING.value,
  lostSince: null,
  setConnection(state, now) {
    if (get().connection === state.value) return;
    set({
      connection: state.value,
      lostSince: state === ConnectionState.DISCONNECTED ? (get().lostSince ?? now) : null,
    });
  },
});
