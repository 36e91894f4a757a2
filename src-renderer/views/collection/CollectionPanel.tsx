import { useEffect, useReducer, useState } from 'preact/hooks';
import { CollectionType, CollectionViewType, styleTokenFor } from '../../../src-shared/enums/entity';
import type { RequestResult } from '../../../src-shared/ipc/contract';
import { useBridge } from '../../bridge-context';
import { EntityIcon } from '../../components/entity-icons';
import { errorMessage, formatStateValue, useUnitSystem } from '../../components/format';
import { SideSheet } from '../../components/SideSheet';
import { useHubQuery } from '../../components/use-hub-query';
import { useAppState } from '../../store';

type Member = RequestResult<'collection.get'>['entities'][number];

/** The member's first state, kept live, stands for it in the grid and the list; an item without states shows none. */
function PrimaryState({ member }: { member: Member }) {
  const state = useAppState((s) => s.collectionStates.get(member.id)?.[0]) ?? member.states[0];
  const unitSystem = useUnitSystem();
  if (!state) return null;
  return (
    <span
      class={`member-state${state.stale ? ' stale' : ''}`}
      data-state={styleTokenFor(state.type, state.value)}
      data-stale={state.stale ? 'true' : undefined}
      title={state.stale ? 'Last known value: its integration cannot be reached' : undefined}
    >
      {formatStateValue(state.type, state.value, state.units, unitSystem)}
    </span>
  );
}

function ViewTypeToggle({ current, disabled, onChange }: { current: CollectionViewType; disabled: boolean; onChange(viewType: CollectionViewType): void }) {
  return (
    <div class="segmented" role="group" aria-label="Show as">
      {CollectionViewType.members.map((viewType) => (
        <button
          key={viewType.value}
          type="button"
          class={viewType === current ? 'segment active' : 'segment'}
          aria-pressed={viewType === current}
          title={viewType.description}
          data-testid={`collection-view-${viewType.value}`}
          disabled={disabled}
          onClick={() => viewType !== current && onChange(viewType)}
        >
          {viewType.label}
        </button>
      ))}
    </div>
  );
}

function CollectionSheet({ collectionId, onClose }: { collectionId: number; onClose(): void }) {
  const bridge = useBridge();
  const select = useAppState((s) => s.select);
  const homeRevision = useAppState((s) => s.homeRevision);
  const [revision, changed] = useReducer((n: number, _: void) => n + 1, 0);
  const { data, error, setError } = useHubQuery('collection.get', { collectionId }, `${homeRevision}.${revision}`);
  const [switching, setSwitching] = useState(false);
  const setCollectionStates = useAppState((s) => s.setCollectionStates);
  useEffect(() => {
    setCollectionStates(data?.entities ?? []);
    return () => setCollectionStates([]);
  }, [data, setCollectionStates]);
  const viewType = CollectionViewType.fromNameSafe(data?.collection.viewType);

  const setViewType = async (next: CollectionViewType) => {
    setSwitching(true);
    setError(null);
    try {
      await bridge.invoke('collection.update', { collectionId, viewType: next.value });
      changed();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSwitching(false);
    }
  };

  const open = (member: Member) => select({ kind: 'entity', id: member.id });
  const grid = viewType === CollectionViewType.GRID;

  return (
    <SideSheet
      testId="collection-panel"
      closeTestId="collection-close"
      label="Collection"
      onClose={onClose}
      header={
        data && (
          <div class="side-sheet-heading">
            <h2 data-testid="collection-name">{data.collection.name}</h2>
            <span class="muted">{CollectionType.fromNameSafe(data.collection.type).label}</span>
          </div>
        )
      }
    >
      {error && (
        <p class="field-error" role="alert" data-testid="collection-error">
          {error}
        </p>
      )}
      {!data && !error && <p class="muted">Loading…</p>}
      {data && (
        <>
          <ViewTypeToggle current={viewType} disabled={switching} onChange={(next) => void setViewType(next)} />
          {data.entities.length === 0 ? (
            <p class="muted" data-testid="collection-empty">
              Nothing in this collection yet.
            </p>
          ) : (
            <ul class={grid ? 'collection-grid' : 'collection-list'} data-testid={grid ? 'collection-grid' : 'collection-list'}>
              {data.entities.map((member) => (
                <li key={member.id}>
                  <button type="button" class="collection-member" data-testid={`collection-member-${member.id}`} onClick={() => open(member)}>
                    <EntityIcon type={member.type} size={grid ? 40 : 28} />
                    <span class="member-name">{member.name}</span>
                    <PrimaryState member={member} />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </SideSheet>
  );
}

/** The side sheet of the selected collection: its members as a grid or a list. Renders nothing otherwise. */
export function CollectionPanel() {
  const selection = useAppState((s) => s.selection);
  const select = useAppState((s) => s.select);
  if (selection?.kind !== 'collection') return null;
  return <CollectionSheet key={selection.id} collectionId={selection.id} onClose={() => select(null)} />;
}
