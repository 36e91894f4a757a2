import { CollectionType, CollectionViewType } from '../../../src-shared/enums/entity';
import { SideSheet } from '../../components/SideSheet';
import { useHubQuery } from '../../components/use-hub-query';
import { useAppState } from '../../store';

/** Every collection of the home; choosing one closes this list and opens that collection's panel. */
export function CollectionsScreen({ onClose }: { onClose(): void }) {
  const select = useAppState((s) => s.select);
  const homeRevision = useAppState((s) => s.homeRevision);
  const { data: collections, error } = useHubQuery('collection.list', {}, homeRevision);

  return (
    <SideSheet testId="collections-screen" closeTestId="collections-close" label="Collections" onClose={onClose} header={<h2>Collections</h2>}>
      {error && (
        <p class="field-error" role="alert" data-testid="collections-error">
          {error}
        </p>
      )}
      {!collections && !error && <p class="muted">Loading…</p>}
      {collections?.length === 0 && (
        <p class="muted" data-testid="collections-empty">
          No collections yet.
        </p>
      )}
      {collections && collections.length > 0 && (
        <ul class="collections-index">
          {collections.map((collection) => (
            <li key={collection.id}>
              <button
                type="button"
                class="collection-entry"
                data-testid={`collections-item-${collection.id}`}
                onClick={() => {
                  select({ kind: 'collection', id: collection.id });
                  onClose();
                }}
              >
                <span class="member-name">{collection.name}</span>
                <span class="muted">
                  {CollectionType.fromNameSafe(collection.type).label} · {collection.entityIds.length}{' '}
                  {collection.entityIds.length === 1 ? 'item' : 'items'} · {CollectionViewType.fromNameSafe(collection.viewType).label}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </SideSheet>
  );
}
