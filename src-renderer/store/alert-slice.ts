import type { StateCreator } from 'zustand';
import type { AlertView } from '../../src-shared/model/alert';
import type { AlertSoundStatus } from '../../src-shared/model/alert-sound';
import { shareEqual } from './structural-share';
import type { AppState } from './index';

export interface AlertSlice {
  /** Open alerts, the most important first (the hub sorts them). */
  alerts: AlertView[];
  /** Items any open alert is about: highlighted on the plan. */
  alertedEntityIds: ReadonlySet<number>;
  /** Alert sounds are muted on every panel until this instant of the hub's clock; null: not muted. */
  soundMutedUntil: number | null;
  applyAlerts(alerts: AlertView[]): void;
  applyAlertSound(status: AlertSoundStatus): void;
}

const NO_ENTITIES: ReadonlySet<number> = new Set();

export const createAlertSlice: StateCreator<AppState, [], [], AlertSlice> = (set, get) => ({
  alerts: [],
  alertedEntityIds: NO_ENTITIES,
  soundMutedUntil: null,
  applyAlerts(alerts) {
    const next = shareEqual(get().alerts, alerts);
    if (next === get().alerts) return;
    const ids = new Set(next.flatMap((a) => a.entityIds));
    const previous = get().alertedEntityIds;
    const sameIds = ids.size === previous.size && [...ids].every((id) => previous.has(id));
    set({ alerts: next, alertedEntityIds: sameIds ? previous : ids });
  },
  applyAlertSound({ mutedUntil }) {
    if (mutedUntil !== get().soundMutedUntil) set({ soundMutedUntil: mutedUntil });
  },
});
