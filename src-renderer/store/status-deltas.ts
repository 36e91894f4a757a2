import type { EntityDetail } from '../../src-shared/model/home';
import type { StateDelta } from '../../src-shared/model/integration';
import type { EntityStateView } from '../../src-shared/model/location';
import type { EntityStates } from './home-slice';

/** Deltas of one batch by entity, then by state; a later delta of the same state wins. */
export type DeltasByEntity = ReadonlyMap<number, ReadonlyMap<number, StateDelta>>;

/** As many history entries as the hub sends with a detail (RECENT_HISTORY in entity-detail-helper). */
const RECENT_HISTORY_SHOWN = 20;

export function groupDeltas(deltas: readonly StateDelta[]): DeltasByEntity {
  const byEntity = new Map<number, Map<number, StateDelta>>();
  for (const delta of deltas) {
    let states = byEntity.get(delta.entityId);
    if (!states) byEntity.set(delta.entityId, (states = new Map()));
    states.set(delta.stateId, delta);
  }
  return byEntity;
}

function withDelta(state: EntityStateView, delta: StateDelta | undefined): EntityStateView {
  if (!delta || (delta.value === state.value && delta.ts === state.ts && delta.stale === state.stale)) return state;
  return { ...state, value: delta.value, ts: delta.ts, stale: delta.stale, display: delta.display };
}

/** `states` with the deltas applied: only changed state objects are new, and the same array when none changed. */
export function applyToStates(states: EntityStateView[], deltas: ReadonlyMap<number, StateDelta> | undefined): EntityStateView[] {
  if (!deltas) return states;
  let changed = false;
  const next = states.map((state) => {
    const updated = withDelta(state, deltas.get(state.id));
    if (updated !== state) changed = true;
    return updated;
  });
  return changed ? next : states;
}

/** The states with new arrays only for the entities whose states changed, and the same map when none did. */
export function applyToEntityStates(current: EntityStates, deltas: DeltasByEntity): EntityStates {
  let next: Map<number, EntityStateView[]> | null = null;
  for (const [entityId, own] of deltas) {
    const states = current.get(entityId);
    if (!states) continue;
    const updated = applyToStates(states, own);
    if (updated === states) continue;
    next ??= new Map(current);
    next.set(entityId, updated);
  }
  return next ?? current;
}

/** The open detail with its states updated and each new value (not a mere change of staleness) added to its history. */
export function applyToDetail(detail: EntityDetail | null, deltas: DeltasByEntity): EntityDetail | null {
  const own = detail && deltas.get(detail.id);
  if (!detail || !own) return detail;
  const states = applyToStates(detail.states, own);
  if (states === detail.states) return detail;
  const added = states.flatMap((state, index) =>
    state.value !== detail.states[index]!.value && state.ts !== null ? [{ stateId: state.id, stateName: state.name, value: state.value, ts: state.ts }] : [],
  );
  const recentHistory =
    added.length === 0 ? detail.recentHistory : [...added, ...detail.recentHistory].sort((a, b) => b.ts - a.ts).slice(0, RECENT_HISTORY_SHOWN);
  return { ...detail, states, recentHistory };
}
