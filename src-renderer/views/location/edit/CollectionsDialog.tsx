import { useState } from 'preact/hooks';
import { CollectionType, CollectionViewType } from '../../../../src-shared/enums/entity';
import type { RequestArg, RequestName, RequestResult } from '../../../../src-shared/ipc/contract';
import type { CollectionSummary } from '../../../../src-shared/model/location';
import type { PlanPoint } from '../../../../src-shared/model/placement';
import { useBridge } from '../../../bridge-context';
import { EnumSelect } from '../../../components/EnumSelect';
import { useHubQuery } from '../../../components/use-hub-query';
import { appStore, useAppState } from '../../../store';
import { collectionErrorText, collectionNameProblem } from '../../collection/collection-errors';
import { CollectionMembersPicker, type Candidate } from '../../collection/CollectionMembersPicker';
import { ConfirmDialog, Modal } from './Modal';

type CollectionCall = <N extends RequestName>(name: N, arg: RequestArg<N>) => Promise<RequestResult<N> | null>;

/** A name field that says what is wrong with a name instead of cutting it short. */
function NameField({ value, label, testId, submitLabel, onSubmit }: { value: string; label: string; testId: string; submitLabel: string; onSubmit(name: string): Promise<boolean> }) {
  const [draft, setDraft] = useState(value);
  const [problem, setProblem] = useState<string | null>(null);
  const save = async () => {
    const found = collectionNameProblem(draft);
    setProblem(found);
    if (found === null && (await onSubmit(draft.trim())) && value === '') setDraft('');
  };
  return (
    <form
      class="collection-name-field"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <input
        aria-label={label}
        placeholder={value === '' ? 'Name, e.g. Kitchen appliances' : undefined}
        value={draft}
        aria-invalid={problem !== null}
        data-testid={testId}
        onInput={(e) => {
          setDraft(e.currentTarget.value);
          setProblem(null);
        }}
      />
      <button type="submit" class={value === '' ? undefined : 'secondary'} disabled={value !== '' && draft.trim() === value} data-testid={`${testId}-save`}>
        {submitLabel}
      </button>
      {problem && (
        <p class="field-error" role="alert" data-testid={`${testId}-problem`}>
          {problem}
        </p>
      )}
    </form>
  );
}

interface EditorProps {
  collection: CollectionSummary;
  candidates: readonly Candidate[];
  locationViewId: number;
  onThisView: boolean;
  viewName: string;
  busy: boolean;
  call: CollectionCall;
  onPlace(): void;
  onDelete(): void;
}

function CollectionEditor({ collection, candidates, locationViewId, onThisView, viewName, busy, call, onPlace, onDelete }: EditorProps) {
  const id = collection.id;
  const viewType = CollectionViewType.fromNameSafe(collection.viewType);
  return (
    <div class="collection-editor" data-testid={`collection-editor-${id}`}>
      <NameField
        key={collection.name}
        value={collection.name}
        label="Collection name"
        testId={`collection-rename-${id}`}
        submitLabel="Rename"
        onSubmit={async (name) => (await call('collection.update', { collectionId: id, name })) !== null}
      />
      <div class="collection-editor-options">
        <label>
          Kind{' '}
          <EnumSelect
            members={CollectionType.members}
            value={collection.type}
            label="Kind of collection"
            testId={`collection-type-${id}`}
            onChange={(type) => void call('collection.update', { collectionId: id, type: type.value })}
          />
        </label>
        <div class="segmented" role="group" aria-label="Show as">
          {CollectionViewType.members.map((option) => (
            <button
              key={option.value}
              type="button"
              class={option === viewType ? 'segment active' : 'segment'}
              aria-pressed={option === viewType}
              title={option.description}
              disabled={busy}
              data-testid={`collection-show-${option.value}`}
              onClick={() => option !== viewType && void call('collection.update', { collectionId: id, viewType: option.value })}
            >
              {option.label}
            </button>
          ))}
        </div>
      </div>
      <CollectionMembersPicker
        candidates={candidates}
        memberIds={collection.entityIds}
        busy={busy}
        onChange={(entityIds) => void call('collection.members.set', { collectionId: id, entityIds })}
      />
      <div class="collection-editor-actions">
        {onThisView ? (
          <>
            <span class="muted" data-testid="collection-on-view">
              Shown on {viewName}
            </span>
            <button type="button" class="secondary" disabled={busy} data-testid="collection-unplace" onClick={() => void call('collection.view.set', { collectionId: id, locationViewId, inView: false })}>
              Take off this view
            </button>
          </>
        ) : (
          <button type="button" disabled={busy} data-testid="collection-place" onClick={onPlace}>
            Place on this view
          </button>
        )}
        <button type="button" class="danger" disabled={busy} data-testid={`collection-delete-${id}`} onClick={onDelete}>
          Delete collection
        </button>
      </div>
    </div>
  );
}

interface CollectionsDialogProps {
  locationViewId: number;
  viewName: string;
  /** Collections drawn on this view now. */
  shownIds: ReadonlySet<number>;
  /** Where on the plan the user is looking: a placed icon goes to the free spot nearest it. */
  near(): PlanPoint;
  onClose(): void;
}

/** Every collection of the home: make, rename, fill, show as grid or list, place on the view, delete. */
export function CollectionsDialog({ locationViewId, viewName, shownIds, near, onClose }: CollectionsDialogProps) {
  const bridge = useBridge();
  const homeRevision = useAppState((s) => s.homeRevision);
  const list = useHubQuery('collection.list', {}, homeRevision);
  const candidates = useHubQuery('collection.candidates.list', {}, homeRevision);
  const [openId, setOpenId] = useState<number | null>(null);
  const [newType, setNewType] = useState<CollectionType>(CollectionType.APPLIANCES);
  const [pendingDelete, setPendingDelete] = useState<CollectionSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const call: CollectionCall = async (name, arg) => {
    setBusy(true);
    setError(null);
    try {
      const result = await bridge.invoke(name, arg);
      appStore.getState().homeChanged();
      return result;
    } catch (e) {
      setError(collectionErrorText(e));
      return null;
    } finally {
      setBusy(false);
    }
  };

  const create = async (name: string): Promise<boolean> => {
    const created = await call('collection.create', { name, type: newType.value, viewType: CollectionViewType.GRID.value });
    if (created) setOpenId(created.id);
    return created !== null;
  };
  const remove = async () => {
    if (pendingDelete && (await call('collection.delete', { collectionId: pendingDelete.id }))) {
      if (openId === pendingDelete.id) setOpenId(null);
      setPendingDelete(null);
    }
  };

  const collections = list.data ?? [];
  const loadError = list.error ?? candidates.error;
  return (
    <Modal title="Collections" testId="collections-dialog" onClose={onClose}>
      <div class="collection-create">
        <NameField value="" label="New collection name" testId="new-collection-name" submitLabel="Create collection" onSubmit={create} />
        <label>
          Kind <EnumSelect members={CollectionType.members} value={newType.value} label="Kind of new collection" testId="new-collection-type" onChange={(type) => setNewType(type)} />
        </label>
      </div>
      {(error ?? loadError) && (
        <p class="field-error" role="alert" data-testid="collections-error">
          {error ?? `The collections could not be loaded: ${loadError}`}
        </p>
      )}
      {!list.data && !list.error && <p class="muted">Loading…</p>}
      {list.data && collections.length === 0 && (
        <p class="muted" data-testid="collections-empty">
          No collections yet. Name one above to group appliances, cameras or anything else.
        </p>
      )}
      <ul class="edit-list collections-edit-list">
        {collections.map((collection) => {
          const open = collection.id === openId;
          return (
            <li key={collection.id} class={open ? 'collection-row expanded' : 'collection-row'} data-testid={`collection-row-${collection.id}`}>
              <button type="button" class="collection-row-main" aria-expanded={open} data-testid={`collection-open-${collection.id}`} onClick={() => setOpenId(open ? null : collection.id)}>
                <span class="member-name">{collection.name}</span>
                <span class="muted">
                  {CollectionType.fromNameSafe(collection.type).label} · {collection.entityIds.length} {collection.entityIds.length === 1 ? 'item' : 'items'}
                  {shownIds.has(collection.id) ? ' · on this view' : ''}
                </span>
                <span aria-hidden="true">{open ? '▴' : '▾'}</span>
              </button>
              {open && (
                <CollectionEditor
                  collection={collection}
                  candidates={candidates.data ?? []}
                  locationViewId={locationViewId}
                  onThisView={shownIds.has(collection.id)}
                  viewName={viewName}
                  busy={busy}
                  call={call}
                  onPlace={() => void call('collection.placeInView', { collectionId: collection.id, locationViewId, near: near() })}
                  onDelete={() => setPendingDelete(collection)}
                />
              )}
            </li>
          );
        })}
      </ul>
      {pendingDelete && (
        <ConfirmDialog
          title={`Delete ${pendingDelete.name}?`}
          message="The collection goes, with its place on every view. The items in it stay where they are. Undo brings it back."
          confirmLabel="Delete"
          testId="collection-delete-confirm"
          onConfirm={remove}
          onCancel={() => setPendingDelete(null)}
        />
      )}
    </Modal>
  );
}
