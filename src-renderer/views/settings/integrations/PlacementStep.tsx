import { useState } from 'preact/hooks';
import type { SyncReport } from '../../../../src-shared/model/integration';
import { MAX_PLACE_MANY } from '../../../../src-shared/model/placement';
import { useBridge } from '../../../bridge-context';
import { errorMessage } from '../../../components/format';
import { appStore, selectIsEditing, useAppState } from '../../../store';

type Unplaced = SyncReport['unplaced'][number];

interface PlacementStepProps {
  integrationKey: string;
  unplaced: readonly Unplaced[];
  onError(message: string | null): void;
  /** The entities now on the plan. */
  onPlaced(entityIds: ReadonlySet<number>): void;
}

/** How many names a message lists; the rest are counted or elided. */
const NAMES_LISTED = 3;

/** After a sync: puts the imported items that are on no plan yet into a chosen view, in one go. */
export function PlacementStep({ integrationKey: key, unplaced, onError, onPlaced }: PlacementStepProps) {
  const bridge = useBridge();
  const locations = useAppState((s) => s.locations);
  const currentViewId = useAppState((s) => s.viewData?.view.id ?? null);
  const [chosenId, setChosenId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const views = (locations ?? []).flatMap((location) => location.views.map((view) => ({ id: view.id, label: `${location.name} — ${view.name}` })));
  const viewId = [chosenId, currentViewId].find((id) => id !== null && views.some((v) => v.id === id)) ?? views[0]?.id ?? null;

  const placeAll = async () => {
    if (viewId === null) return;
    onError(null);
    setBusy(true);
    const failures: string[] = [];
    let placed: ReadonlySet<number> = new Set();
    // Placing changes the plan, which needs edit mode: taken for the run unless this panel already holds it.
    const hadEditMode = selectIsEditing(appStore.getState());
    let began = false;
    try {
      if (!hadEditMode) {
        await bridge.invoke('edit.begin', {});
        began = true;
      }
      // One call for the lot (a few for a huge import): the hub lays them out in free spots, each call in one
      // transaction and one undo step.
      const ids = unplaced.map((item) => item.entityId);
      const names: string[] = [];
      const left = new Set<number>();
      for (let start = 0; start < ids.length; start += MAX_PLACE_MANY) {
        const result = await bridge.invoke('entity.placeMany', { locationViewId: viewId, entityIds: ids.slice(start, start + MAX_PLACE_MANY) });
        for (const item of result.notPlaced) {
          left.add(item.entityId);
          names.push(item.name);
        }
        placed = new Set(ids.slice(0, start + MAX_PLACE_MANY).filter((id) => !left.has(id)));
      }
      if (names.length > 0) {
        const more = names.length > NAMES_LISTED ? ` and ${names.length - NAMES_LISTED} more` : '';
        failures.push(`The view has no room left for ${names.slice(0, NAMES_LISTED).join(', ')}${more}; place them in another view`);
      }
    } catch (e) {
      failures.push(errorMessage(e));
    } finally {
      if (began) {
        await bridge.invoke('edit.end', {}).catch((e: unknown) => failures.push(`Leaving edit mode: ${errorMessage(e)}`));
      }
      setBusy(false);
    }
    if (placed.size > 0) {
      appStore.getState().homeChanged();
      onPlaced(placed);
    }
    if (failures.length > 0) onError(`Not everything was placed. ${failures.join('. ')}.`);
  };

  return (
    <section class="integration-subpanel" data-testid={`integration-place-${key}`}>
      <h3>Put the new items on the plan</h3>
      <p>
        {unplaced.length} imported {unplaced.length === 1 ? 'item is' : 'items are'} on no plan yet:{' '}
        {unplaced
          .slice(0, NAMES_LISTED)
          .map((u) => u.name)
          .join(', ')}
        {unplaced.length > NAMES_LISTED ? '…' : '.'} Place them in one view, then move each where it belongs in edit mode.
      </p>
      {views.length === 0 ? (
        <p class="muted">Set up a location first: the items are placed in one of its views.</p>
      ) : (
        <div class="field-row">
          <select
            aria-label="View to place them in"
            value={viewId ?? ''}
            data-testid={`integration-place-view-${key}`}
            disabled={busy}
            onChange={(e) => setChosenId(Number((e.currentTarget as HTMLSelectElement).value))}
          >
            {views.map((view) => (
              <option key={view.id} value={view.id}>
                {view.label}
              </option>
            ))}
          </select>
          <button type="button" data-testid={`integration-place-all-${key}`} disabled={busy} onClick={() => void placeAll()}>
            {busy ? `Placing ${unplaced.length}…` : 'Place all'}
          </button>
        </div>
      )}
    </section>
  );
}
