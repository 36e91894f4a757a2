import type { AlertView } from '../../../src-shared/model/alert';
import type { EntityViewRef } from '../../../src-shared/model/console';

export interface NewAlarms {
  /** Items the new alarms are about, the most important alert's first, without repeats. */
  entityIds: number[];
  /** One of the new alarms is CRITICAL: it wakes a sleeping screen. */
  critical: boolean;
}

/**
 * What is new between two lists of open alerts: an alert that opened, or one whose count grew. Alerts that only
 * closed, or were re-sent unchanged, bring nothing new.
 */
export function newAlarms(previous: readonly AlertView[], next: readonly AlertView[]): NewAlarms {
  const countBefore = new Map(previous.map((alert) => [alert.id, alert.count]));
  const entityIds: number[] = [];
  let critical = false;
  for (const alert of next) {
    const before = countBefore.get(alert.id);
    if (before !== undefined && alert.count <= before) continue;
    if (alert.level === 'critical') critical = true;
    // The newest alarms' items first: an alert gathers many, the latest is what just happened.
    const grown = before === undefined ? alert.alarms : alert.alarms.slice(0, alert.count - before);
    for (const id of [...grown.flatMap((alarm) => alarm.entityIds), ...alert.entityIds]) {
      if (!entityIds.includes(id)) entityIds.push(id);
    }
  }
  return { entityIds, critical };
}

/**
 * The view to show for `entityIds` (in their order of importance): null when the shown view already has one of
 * them, or no view shows any.
 */
export function viewToShow(refs: readonly EntityViewRef[], entityIds: readonly number[], shownViewId: number | null): number | null {
  if (refs.some((ref) => ref.locationViewId === shownViewId)) return null;
  for (const id of entityIds) {
    const ref = refs.find((r) => r.entityId === id);
    if (ref) return ref.locationViewId;
  }
  return null;
}

/** The camera whose details to open for `entityIds` (in their order of importance): the first with video, or null. */
export function cameraToShow(entityIds: readonly number[], cameraIds: ReadonlySet<number>): number | null {
  return entityIds.find((id) => cameraIds.has(id)) ?? null;
}
