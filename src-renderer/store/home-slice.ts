import type { StateCreator } from 'zustand';
import type { EditStateView, HomeSnapshot } from '../../src-shared/model/home';
import type { LocationSummary, LocationViewData } from '../../src-shared/model/location';
import type { AppState } from './index';

export type Selection = { kind: 'entity'; id: number } | { kind: 'collection'; id: number } | null;

export interface HomeSlice {
  /** Null until the first snapshot: distinguishes "not loaded" from "no home yet". */
  locations: LocationSummary[] | null;
  viewData: LocationViewData | null;
  viewError: string | null;
  edit: EditStateView;
  selection: Selection;
  /** The latest failed edit for the edit banner; `seq` restarts its timer when the same message repeats. */
  editError: { message: string | null; seq: number };
  showEditError(message: string): void;
  clearEditError(): void;
  /** Bumped when the hub says the plan changed: screens showing it refetch. */
  homeRevision: number;
  homeChanged(): void;
  applyHome(home: HomeSnapshot): void;
  setLocations(locations: LocationSummary[]): void;
  setViewData(data: LocationViewData | null, error?: string | null): void;
  applyEdit(edit: EditStateView): void;
  select(selection: Selection): void;
}

export const createHomeSlice: StateCreator<AppState, [], [], HomeSlice> = (set) => ({
  locations: null,
  viewData: null,
  viewError: null,
  edit: { editingPanelId: null, undoLabels: [] },
  selection: null,
  editError: { message: null, seq: 0 },
  showEditError(message) {
    set((state) => ({ editError: { message, seq: state.editError.seq + 1 } }));
  },
  clearEditError() {
    set((state) => ({ editError: { message: null, seq: state.editError.seq } }));
  },
  homeRevision: 0,
  homeChanged() {
    set((state) => ({ homeRevision: state.homeRevision + 1 }));
  },
  applyHome(home) {
    set({ locations: home.locations, edit: home.edit });
  },
  setLocations(locations) {
    set({ locations });
  },
  setViewData(data, error = null) {
    set({ viewData: data, viewError: error });
  },
  applyEdit(edit) {
    set({ edit });
  },
  select(selection) {
    set({ selection });
  },
});
