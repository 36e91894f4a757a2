import { useState } from 'preact/hooks';
import { LocationViewType } from '../../../../src-shared/enums/entity';
import type { PlanViewData } from '../../../store/home-slice';
import type { PlanItem } from '../plan-items';
import { useEditCall } from './edit-call';
import { Modal } from './Modal';

/** Shows the selected item in another view of this location too. */
export function AddToViewDialog({ item, data, onClose }: { item: PlanItem; data: PlanViewData; onClose(): void }) {
  const run = useEditCall();
  const [added, setAdded] = useState<ReadonlySet<number>>(new Set());
  const others = data.location.views.filter((v) => v.id !== data.view.id);

  const add = async (locationViewId: number) => {
    const result =
      item.kind === 'entity'
        ? await run('entity.view.set', { entityId: item.id, locationViewId, inView: true })
        : await run('collection.view.set', { collectionId: item.id, locationViewId, inView: true });
    if (result) setAdded((current) => new Set([...current, locationViewId]));
  };

  return (
    <Modal title={`Add ${item.name} to another view`} testId="other-views-dialog" onClose={onClose}>
      {others.length === 0 ? (
        <p class="muted">{data.location.name} has only this view. Add views under Locations.</p>
      ) : (
        <ul class="edit-list">
          {others.map((view) => (
            <li key={view.id}>
              <span class="grow">
                {view.name} <span class="muted">· {LocationViewType.fromNameSafe(view.type).label}</span>
              </span>
              <button type="button" data-testid={`add-to-view-${view.id}`} disabled={added.has(view.id)} onClick={() => void add(view.id)}>
                {added.has(view.id) ? 'Added' : 'Add'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
