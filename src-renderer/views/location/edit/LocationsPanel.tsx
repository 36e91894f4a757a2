import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { LocationViewType, ViewStyle } from '../../../../src-shared/enums/entity';
import type { EnumValue } from '../../../../src-shared/enums/labeled-enum';
import type { LocationSummary, LocationViewSummary } from '../../../../src-shared/model/location';
import { useAppState } from '../../../store';
import { EnumSelect } from '../../../components/EnumSelect';
import { PlanUpload } from '../PlanUpload';
import { useEditCall } from './edit-call';
import { ConfirmDialog, Modal } from './Modal';

/** The ids in their new order after moving the one at `index` by `delta` places. */
function moved(ids: readonly number[], index: number, delta: -1 | 1): number[] {
  const next = [...ids];
  const [id] = next.splice(index, 1);
  next.splice(index + delta, 0, id!);
  return next;
}

/** A name edited in place; keyed by its value by the caller, so that a refetched name resets the draft. */
function RenameField({ value, label, testId, onSave }: { value: string; label: string; testId: string; onSave(name: string): Promise<unknown> }) {
  const [draft, setDraft] = useState(value);
  const changed = draft.trim() !== '' && draft.trim() !== value;
  return (
    <form
      class="rename-field"
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) void onSave(draft.trim());
      }}
    >
      <input aria-label={label} value={draft} data-testid={testId} onInput={(e) => setDraft(e.currentTarget.value)} />
      <button type="submit" class="secondary" disabled={!changed} data-testid={`${testId}-save`}>
        Rename
      </button>
    </form>
  );
}

function OrderButtons({ index, count, testId, onMove }: { index: number; count: number; testId: string; onMove(delta: -1 | 1): void }) {
  return (
    <>
      <button type="button" class="secondary" aria-label="Move up" data-testid={`${testId}-up`} disabled={index === 0} onClick={() => onMove(-1)}>
        ↑
      </button>
      <button type="button" class="secondary" aria-label="Move down" data-testid={`${testId}-down`} disabled={index === count - 1} onClick={() => onMove(1)}>
        ↓
      </button>
    </>
  );
}

interface AddRowProps {
  name: string;
  placeholder: string;
  buttonLabel: string;
  testId: string;
  onName(name: string): void;
  onAdd(): void;
  /** Further fields between the name and the button. */
  children?: ComponentChildren;
}

/** A name and an Add button; adding needs a name that is not blank. */
function AddRow({ name, placeholder, buttonLabel, testId, onName, onAdd, children }: AddRowProps) {
  return (
    <form
      class="add-row"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) onAdd();
      }}
    >
      <input placeholder={placeholder} value={name} data-testid={`new-${testId}-name`} onInput={(e) => onName(e.currentTarget.value)} />
      {children}
      <button type="submit" data-testid={`${testId}-create`} disabled={name.trim() === ''}>
        {buttonLabel}
      </button>
    </form>
  );
}

type PendingDelete = { kind: 'location'; item: LocationSummary } | { kind: 'view'; item: LocationViewSummary } | null;

/** Locations and their views: add, rename, reorder, delete; the floor plan drawing of each. */
export function LocationsPanel({ currentLocationId, onClose }: { currentLocationId: number; onClose(): void }) {
  const locations = useAppState((s) => s.locations) ?? [];
  const run = useEditCall();
  const [expanded, setExpanded] = useState(currentLocationId);
  const [newName, setNewName] = useState('');
  const [pendingDelete, setPendingDelete] = useState<PendingDelete>(null);

  const create = async () => {
    const created = await run('location.create', { name: newName.trim() });
    if (created) {
      setNewName('');
      setExpanded(created.id);
    }
  };
  const remove = async () => {
    if (!pendingDelete) return;
    const ok =
      pendingDelete.kind === 'location'
        ? await run('location.delete', { locationId: pendingDelete.item.id })
        : await run('location.view.delete', { locationViewId: pendingDelete.item.id });
    if (ok) setPendingDelete(null);
  };

  return (
    <Modal title="Locations" testId="locations-panel" onClose={onClose}>
      <ul class="edit-list locations-list">
        {locations.map((location, index) => (
          <li key={location.id} class={location.id === expanded ? 'location-row expanded' : 'location-row'} data-testid={`location-row-${location.id}`}>
            <div class="row-main">
              <RenameField
                key={location.name}
                value={location.name}
                label="Location name"
                testId={`location-name-${location.id}`}
                onSave={(name) => run('location.rename', { locationId: location.id, name })}
              />
              <OrderButtons
                index={index}
                count={locations.length}
                testId={`location-${location.id}`}
                onMove={(delta) => void run('location.reorder', { locationIds: moved(locations.map((l) => l.id), index, delta) })}
              />
              <button
                type="button"
                class="secondary"
                aria-expanded={location.id === expanded}
                data-testid={`location-expand-${location.id}`}
                onClick={() => setExpanded(location.id)}
              >
                Views & drawing
              </button>
              <button
                type="button"
                class="danger"
                data-testid={`location-delete-${location.id}`}
                disabled={locations.length <= 1}
                onClick={() => setPendingDelete({ kind: 'location', item: location })}
              >
                Delete
              </button>
            </div>
            {location.id === expanded && <LocationDetails location={location} onDeleteView={(view) => setPendingDelete({ kind: 'view', item: view })} />}
          </li>
        ))}
      </ul>
      <AddRow
        name={newName}
        placeholder="New location, e.g. Basement"
        buttonLabel="Add location"
        testId="location"
        onName={setNewName}
        onAdd={() => void create()}
      />
      {pendingDelete && (
        <ConfirmDialog
          title={pendingDelete.kind === 'location' ? `Delete ${pendingDelete.item.name}?` : `Delete the view ${pendingDelete.item.name}?`}
          message={
            pendingDelete.kind === 'location'
              ? 'Its views and where things sit on it go; the things themselves stay. Undo brings it back.'
              : 'What it shows stays on the other views. Undo brings it back.'
          }
          confirmLabel="Delete"
          testId={pendingDelete.kind === 'location' ? 'confirm-location-delete' : 'confirm-view-delete'}
          onConfirm={remove}
          onCancel={() => setPendingDelete(null)}
        />
      )}
    </Modal>
  );
}

function LocationDetails({ location, onDeleteView }: { location: LocationSummary; onDeleteView(view: LocationViewSummary): void }) {
  const run = useEditCall();
  const [newView, setNewView] = useState('');
  const [newType, setNewType] = useState<EnumValue<typeof LocationViewType>>(LocationViewType.DEFAULT.value);
  const views = location.views;

  const create = async () => {
    if (await run('location.view.create', { locationId: location.id, name: newView.trim(), type: newType })) setNewView('');
  };

  return (
    <div class="location-details">
      <h3>Views</h3>
      <ul class="edit-list">
        {views.map((view, index) => (
          <li key={view.id} data-testid={`view-row-${view.id}`}>
            <RenameField
              key={view.name}
              value={view.name}
              label="View name"
              testId={`view-name-${view.id}`}
              onSave={(name) => run('location.view.update', { locationViewId: view.id, name })}
            />
            <EnumSelect
              members={LocationViewType.members}
              value={view.type}
              label="What the view shows"
              testId={`view-type-${view.id}`}
              onChange={(type) => void run('location.view.update', { locationViewId: view.id, type: type.value })}
            />
            <EnumSelect
              members={ViewStyle.members}
              value={view.style}
              label="Colours"
              testId={`view-style-${view.id}`}
              onChange={(style) => void run('location.view.update', { locationViewId: view.id, style: style.value })}
            />
            <button
              type="button"
              class="secondary"
              title="Rotate the plan a quarter turn"
              data-testid={`view-rotate-${view.id}`}
              onClick={() => void run('location.view.update', { locationViewId: view.id, rotate: (view.rotate + 90) % 360 })}
            >
              ⟳ 90°
            </button>
            <OrderButtons
              index={index}
              count={views.length}
              testId={`view-${view.id}`}
              onMove={(delta) => void run('location.view.reorder', { locationId: location.id, locationViewIds: moved(views.map((v) => v.id), index, delta) })}
            />
            <button type="button" class="danger" data-testid={`view-delete-${view.id}`} disabled={views.length <= 1} onClick={() => onDeleteView(view)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <AddRow name={newView} placeholder="New view, e.g. Security" buttonLabel="Add view" testId="view" onName={setNewView} onAdd={() => void create()}>
        <EnumSelect
          members={LocationViewType.members}
          value={newType}
          label="What the new view shows"
          testId="new-view-type"
          onChange={(type) => setNewType(type.value)}
        />
      </AddRow>
      <h3>Floor plan drawing</h3>
      <PlanUpload
        key={location.id}
        locationId={location.id}
        label={location.backgroundUrl ? 'Replace the drawing (SVG)…' : 'Upload a drawing (SVG)…'}
        testIdPrefix="background"
      />
    </div>
  );
}
