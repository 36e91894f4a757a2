import type { StateCreator } from 'zustand';
import type { EditStateView, HomeSnapshot } from '../../src-shared/model/home';
import type { EntityStateView, LocationSummary, LocationViewData, PlacedEntity } from '../../src-shared/model/location';
import type { AppState } from './index';
import { shareEqual } from './structural-share';

/** An entity on the plan without its states: those live in `entityStates`. */
export type PlanEntity = Omit<PlacedEntity, 'states'>;
export type PlanViewData = Omit<LocationViewData, 'entities'> & { entities: PlanEntity[] };
export type EntityStates = ReadonlyMap<number, EntityStateView[]>;

export type Selection = { kind: 'entity'; id: number } | { kind: 'collection'; id: number } | null;

export interface HomeSlice {
  /** Null until the first snapshot: distinguishes "not loaded" from "no home yet". */
  locations: LocationSummary[] | null;
  /** The shown view's layout. It does not change with status, so the plan as a whole re-renders only when edited. */
  viewData: PlanViewData | null;
  /** The states of the shown view's entities by entity id; each shape reads its own, so a change redraws only it. */
  entityStates: EntityStates;
  viewError: string | null;
  edit: EditStateView;
  selection: Selection;
  /** The latest failed edit for the edit banner; `seq` restarts its timer when the same message repeats. */
  editError: { message: string | null; seq: number };
  showEditError(message: string): void;
  clearEditError(): void;
  /** Bumped when the hub says the plan changed: screens showing it refetch. */
  homeRevision: number;
  /** The revision whose locations and shown view came with the snapshot: screens need not fetch them again. */
  snapshotRevision: number;
  homeChanged(): void;
  /** After a snapshot: bumps the revision so that open screens refetch, taking the view that came with it. */
  homeReloaded(view: LocationViewData | null): void;
  applyHome(home: HomeSnapshot): void;
  setLocations(locations: LocationSummary[]): void;
  /** Takes a fetched view, keeping every unchanged part as it was so that nothing redraws for nothing. */
  setViewData(data: LocationViewData | null, error?: string | null): void;
  applyEdit(edit: EditStateView): void;
  select(selection: Selection): void;
}

const NO_STATES: EntityStates = new Map();

/** The layout of `data` and its entities' states, sharing what is unchanged with the current ones. */
function splitViewData(data: LocationViewData, current: Pick<HomeSlice, 'viewData' | 'entityStates'>): Pick<HomeSlice, 'viewData' | 'entityStates'> {
  const layout: PlanViewData = { ...data, entities: data.entities.map(({ states: _states, ...entity }) => entity) };
  const states = new Map(data.entities.map((entity) => [entity.id, shareEqual(current.entityStates.get(entity.id), entity.states)]));
  const sameStates = states.size === current.entityStates.size && [...states].every(([id, s]) => current.entityStates.get(id) === s);
  return { viewData: shareEqual(current.viewData, layout), entityStates: sameStates ? current.entityStates : states };
}

export const createHomeSlice: StateCreator<AppState, [], [], HomeSlice> = (set, get) => ({
  locations: null,
  viewData: null,
  entityStates: NO_STATES,
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
  snapshotRevision: 0,
  homeChanged() {
    set((state) => ({ homeRevision: state.homeRevision + 1 }));
  },
  homeReloaded(view) {
    const current = get();
    const revision = current.homeRevision + 1;
    set({ homeRevision: revision, snapshotRevision: revision, ...(view ? { ...splitViewData(view, current), viewError: null } : {}) });
  },
  applyHome(home) {
    set({ locations: home.locations, edit: home.edit });
  },
  setLocations(locations) {
    set({ locations });
  },
  setViewData(data, error = null) {
    const current = get();
    const next = data ? splitViewData(data, current) : { viewData: null, entityStates: NO_STATES };
    if (next.viewData === current.viewData && next.entityStates === current.entityStates && error === current.viewError) return;
    set({ ...next, viewError: error });
  },
  applyEdit(edit) {
    set({ edit });
  },
  select(selection) {
    set({ selection });
  },
});
