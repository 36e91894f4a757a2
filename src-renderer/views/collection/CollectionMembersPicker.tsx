import { useState } from 'preact/hooks';
import { EntityType } from '../../../src-shared/enums/entity';
import type { RequestResult } from '../../../src-shared/ipc/contract';
import { EntityIcon } from '../../components/entity-icons';

export type Candidate = RequestResult<'collection.candidates.list'>[number];

/** Rows drawn at once: a home imported from Home Assistant can hold thousands of items; the search narrows them. */
const MAX_SHOWN = 60;

/** The candidates whose name or kind contains every word of `search`, members first and then by name. */
export function matchingCandidates(candidates: readonly Candidate[], memberIds: readonly number[], search: string): Candidate[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const members = new Set(memberIds);
  const matches = candidates.filter((candidate) => {
    const text = `${candidate.name} ${EntityType.fromNameSafe(candidate.type).label}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
  return [...matches.filter((c) => members.has(c.id)), ...matches.filter((c) => !members.has(c.id))];
}

interface PickerProps {
  candidates: readonly Candidate[];
  memberIds: readonly number[];
  busy: boolean;
  onChange(memberIds: number[]): void;
}

/** The home's items with a search box; tapping one adds it to the collection or takes it out. */
export function CollectionMembersPicker({ candidates, memberIds, busy, onChange }: PickerProps) {
  const [search, setSearch] = useState('');
  const members = new Set(memberIds);
  const matches = matchingCandidates(candidates, memberIds, search);
  const shown = matches.slice(0, MAX_SHOWN);
  const toggle = (id: number) => onChange(members.has(id) ? memberIds.filter((m) => m !== id) : [...memberIds, id]);

  return (
    <section class="collection-members-picker" aria-label="Items in this collection">
      <h3>
        Items <span class="muted">· {memberIds.length} chosen</span>
      </h3>
      <input
        type="search"
        class="collection-member-search"
        placeholder="Search items by name or kind"
        aria-label="Search items"
        value={search}
        data-testid="collection-member-search"
        onInput={(e) => setSearch(e.currentTarget.value)}
      />
      {candidates.length === 0 && <p class="muted">This home has no items yet. Add some with “+ Add item”.</p>}
      {candidates.length > 0 && matches.length === 0 && (
        <p class="muted" data-testid="collection-member-none">
          No item matches “{search.trim()}”.
        </p>
      )}
      <ul class="collection-candidates">
        {shown.map((candidate) => {
          const chosen = members.has(candidate.id);
          return (
            <li key={candidate.id}>
              <button
                type="button"
                class={chosen ? 'collection-candidate chosen' : 'collection-candidate'}
                aria-pressed={chosen}
                disabled={busy}
                data-testid={`collection-candidate-${candidate.id}`}
                onClick={() => toggle(candidate.id)}
              >
                <EntityIcon type={candidate.type} size={32} />
                <span class="member-name">{candidate.name}</span>
                <span class="muted">{EntityType.fromNameSafe(candidate.type).label}</span>
                <span class="candidate-mark" aria-hidden="true">
                  {chosen ? '✓' : '+'}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {matches.length > shown.length && (
        <p class="muted" data-testid="collection-member-more">
          Showing {shown.length} of {matches.length}; type more of a name to find the others.
        </p>
      )}
    </section>
  );
}
