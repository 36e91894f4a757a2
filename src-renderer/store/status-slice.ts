import type { StateCreator } from 'zustand';
import { IntegrationHealth } from '../../src-shared/enums';
import type { EventPayload } from '../../src-shared/ipc/contract';
import type { EntityDetail } from '../../src-shared/model/home';
import { STALE_GRACE_MS, type IntegrationHealthView } from '../../src-shared/model/integration';
import type { EntityStateView } from '../../src-shared/model/location';
import type { EntityStates } from './home-slice';
import type { AppState } from './index';
import { applyToDetail, applyToEntityStates, groupDeltas } from './status-deltas';

/** How long a requested value is shown before the hub confirms it; after that the last confirmed value returns. */
export const CONTROL_PENDING_MS = 5_000;

export interface ControlRequest {
  /** The value asked for, shown until a status change confirms one; null once only an error is left. */
  requested: string | null;
  expiresAt: number;
  error: string | null;
  /** Which request this is, so that an older request's failure does not undo a newer one. */
  seq: number;
}

export interface StatusSlice {
  integrationHealth: Readonly<Record<string, IntegrationHealthView>>;
  /** Display names of the integrations, by key. */
  integrationLabels: Readonly<Record<string, string>>;
  /** The entity whose details are open, here so that status changes reach it. */
  detail: EntityDetail | null;
  /** The states of the entities an open collection lists, by entity id, here so that status changes reach them. */
  collectionStates: EntityStates;
  /** Control requests of states, by state id. */
  controls: Readonly<Record<number, ControlRequest>>;
  applyStatusChanged(payload: EventPayload<'status.changed'>): void;
  applyIntegrationHealth(view: IntegrationHealthView): void;
  applyIntegrationLabels(integrations: readonly { key: string; label: string }[]): void;
  setDetail(detail: EntityDetail | null): void;
  /** The members of the collection being shown (an empty map when none is), each with its states as fetched. */
  setCollectionStates(members: readonly { id: number; states: EntityStateView[] }[]): void;
  /** Shows `value` as requested at once; answers the request's number for `controlFailed`. */
  beginControl(stateId: number, value: string, now: number): number;
  /** Drops the requested value (the confirmed one shows again) and keeps the reason, unless a newer request followed. */
  controlFailed(stateId: number, seq: number, message: string): void;
  expireControls(now: number): void;
  clearControlErrors(): void;
}

/** Health a reconnect passes through: not shown for a connection that was OK until the grace period is over. */
const TRANSIENT_HEALTH: ReadonlySet<string> = new Set([IntegrationHealth.UNREACHABLE.value, IntegrationHealth.CONNECTING.value]);

const sameHealth = (a: IntegrationHealthView | undefined, b: IntegrationHealthView): boolean =>
  a !== undefined && a.health === b.health && a.lastSuccessAt === b.lastSuccessAt && a.message === b.message;

function without<V>(record: Readonly<Record<number, V>>, drop: (id: number, value: V) => boolean): Readonly<Record<number, V>> {
  const kept = Object.entries(record).filter(([id, value]) => !drop(Number(id), value));
  return kept.length === Object.keys(record).length ? record : Object.fromEntries(kept);
}

export const createStatusSlice: StateCreator<AppState, [], [], StatusSlice> = (set, get) => {
  let seq = 0;
  let sweep: ReturnType<typeof setTimeout> | null = null;

  // One timer for every pending control, due at the earliest expiry.
  const scheduleSweep = () => {
    if (sweep !== null) clearTimeout(sweep);
    sweep = null;
    const expiries = Object.values(get().controls).flatMap((c) => (c.requested === null ? [] : [c.expiresAt]));
    if (expiries.length === 0) return;
    sweep = setTimeout(() => {
      sweep = null;
      get().expireControls(Date.now());
    }, Math.max(0, Math.min(...expiries) - Date.now()));
  };

  // Transient health held back during the grace period, by integration key: the latest view and its timer.
  const heldHealth = new Map<string, { view: IntegrationHealthView; timer: ReturnType<typeof setTimeout> }>();
  const showHealth = (view: IntegrationHealthView) => {
    if (sameHealth(get().integrationHealth[view.key], view)) return;
    set((state) => ({ integrationHealth: { ...state.integrationHealth, [view.key]: view } }));
  };

  const setControls = (controls: Readonly<Record<number, ControlRequest>>) => {
    if (controls === get().controls) return;
    set({ controls });
    scheduleSweep();
  };

  return {
    integrationHealth: {},
    integrationLabels: {},
    detail: null,
    collectionStates: new Map(),
    controls: {},
    applyStatusChanged({ states }) {
      const deltas = groupDeltas(states);
      const { entityStates, collectionStates, detail, controls } = get();
      const confirmed = new Set(states.map((s) => s.stateId));
      const next = {
        entityStates: applyToEntityStates(entityStates, deltas),
        collectionStates: applyToEntityStates(collectionStates, deltas),
        detail: applyToDetail(detail, deltas),
        controls: without(controls, (id, c) => c.requested !== null && confirmed.has(id)),
      };
      if (next.entityStates === entityStates && next.collectionStates === collectionStates && next.detail === detail && next.controls === controls) return;
      set(next);
      if (next.controls !== controls) scheduleSweep();
    },
    applyIntegrationHealth(view) {
      const held = heldHealth.get(view.key);
      if (held && TRANSIENT_HEALTH.has(view.health)) {
        held.view = view;
        return;
      }
      if (held) clearTimeout(held.timer);
      heldHealth.delete(view.key);
      if (get().integrationHealth[view.key]?.health === IntegrationHealth.OK.value && TRANSIENT_HEALTH.has(view.health)) {
        // A live connection that dropped: shown only once it stays away past the hub's grace period.
        const timer = setTimeout(() => {
          const last = heldHealth.get(view.key);
          heldHealth.delete(view.key);
          if (last) showHealth(last.view);
        }, STALE_GRACE_MS);
        heldHealth.set(view.key, { view, timer });
        return;
      }
      showHealth(view);
    },
    applyIntegrationLabels(integrations) {
      const labels = get().integrationLabels;
      if (integrations.every((i) => labels[i.key] === i.label)) return;
      set({ integrationLabels: { ...labels, ...Object.fromEntries(integrations.map((i) => [i.key, i.label])) } });
    },
    setDetail(detail) {
      if (detail !== get().detail) set({ detail });
    },
    setCollectionStates(members) {
      if (members.length === 0 && get().collectionStates.size === 0) return;
      set({ collectionStates: new Map(members.map((member) => [member.id, member.states])) });
    },
    beginControl(stateId, value, now) {
      seq += 1;
      setControls({ ...get().controls, [stateId]: { requested: value, expiresAt: now + CONTROL_PENDING_MS, error: null, seq } });
      return seq;
    },
    controlFailed(stateId, failedSeq, message) {
      const current = get().controls[stateId];
      if (current?.seq !== failedSeq) return;
      setControls({ ...get().controls, [stateId]: { ...current, requested: null, error: message } });
    },
    expireControls(now) {
      setControls(without(get().controls, (_, c) => c.requested !== null && c.expiresAt <= now));
    },
    clearControlErrors() {
      setControls(without(get().controls, (_, c) => c.requested === null));
    },
  };
};

/** Worst first; DISABLED is left out: a disabled integration has no say in how things are. */
const HEALTH_SEVERITY: readonly IntegrationHealth[] = [
  IntegrationHealth.AUTH_FAILED,
  IntegrationHealth.UNREACHABLE,
  IntegrationHealth.DEGRADED,
  IntegrationHealth.CONNECTING,
  IntegrationHealth.PAUSED,
  IntegrationHealth.OK,
];
const severity = (view: IntegrationHealthView): number => HEALTH_SEVERITY.findIndex((h) => h.value === view.health);

/** The enabled integration in the worst health, or null when none is enabled. */
export function selectWorstIntegration(state: AppState): IntegrationHealthView | null {
  let worst: IntegrationHealthView | null = null;
  for (const view of Object.values(state.integrationHealth)) {
    if (severity(view) >= 0 && (worst === null || severity(view) < severity(worst))) worst = view;
  }
  return worst;
}

export function selectEnabledIntegrationCount(state: AppState): number {
  return Object.values(state.integrationHealth).filter((view) => severity(view) >= 0).length;
}
