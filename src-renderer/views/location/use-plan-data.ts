import { useEffect, useState } from 'preact/hooks';
import type { Bridge } from '../../bridge';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { appStore, useAppState } from '../../store';
import { shareEqual } from '../../store/structural-share';

/** Fetches the locations into the store, keeping unchanged ones as they were. */
export async function refreshLocations(bridge: Bridge, isCurrent: () => boolean = () => true): Promise<void> {
  const next = await bridge.invoke('location.list', {});
  if (!isCurrent()) return;
  const { locations, setLocations } = appStore.getState();
  const shared = shareEqual(locations, next);
  if (shared !== locations) setLocations(shared);
}

/** Refetches the locations whenever the hub (or an edit of ours) says the plan changed. */
export function useLocationsRefresh(): void {
  const bridge = useBridge();
  const revision = useAppState((s) => s.homeRevision);
  useEffect(() => {
    // Revision 0: no snapshot yet, and the snapshot brings the locations.
    if (revision === 0 || revision === appStore.getState().snapshotRevision) return;
    let current = true;
    refreshLocations(bridge, () => current && appStore.getState().homeRevision === revision).catch((error: unknown) =>
      console.warn('Refreshing the locations failed; the next change retries', error),
    );
    return () => {
      current = false;
    };
  }, [bridge, revision]);
}

/**
 * Loads one view into the store whenever its id or the home revision changes. An answer is dropped once the
 * revision moved on (an edit and the hub's `home.changed` both bump it), so a double refresh applies only the newest.
 * Answers a function that retries after an error.
 */
export function useViewData(locationViewId: number | null): () => void {
  const bridge = useBridge();
  const revision = useAppState((s) => s.homeRevision);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (locationViewId === null) return;
    const { snapshotRevision, viewData, viewError } = appStore.getState();
    // The snapshot brought this view: no second round trip before the first paint.
    if (attempt === 0 && revision === snapshotRevision && viewData?.view.id === locationViewId && viewError === null) return;
    let current = true;
    const isCurrent = () => current && appStore.getState().homeRevision === revision;
    bridge.invoke('location.view.get', { locationViewId }).then(
      (data) => {
        if (isCurrent()) appStore.getState().setViewData(data);
      },
      (error: unknown) => isCurrent() && appStore.getState().setViewData(null, errorMessage(error)),
    );
    return () => {
      current = false;
    };
  }, [bridge, locationViewId, revision, attempt]);
  return () => setAttempt((n) => n + 1);
}
