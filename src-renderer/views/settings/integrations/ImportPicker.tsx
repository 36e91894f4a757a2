import { useEffect, useMemo, useState } from 'preact/hooks';
import type { IntegrationView, UpstreamSummary } from '../../../../src-shared/model/integration';
import { useBridge } from '../../../bridge-context';
import { errorMessage } from '../../../components/format';
import { domainGroups, importedCount, searchUpstream } from './import-selection';

/** The entity list shows at most this many matches; the search narrows it. */
const MAX_SHOWN = 200;

interface ImportPickerProps {
  view: IntegrationView;
  onError(message: string | null): void;
  onClose(): void;
  /** After the allowlist was saved. */
  onSaved(): void;
}

const toggled = (set: ReadonlySet<string>, item: string, on: boolean): Set<string> => {
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
};

/** Chooses what to import: whole domains, or single entities found by searching. Saves the allowlist. */
export function ImportPicker({ view, onError, onClose, onSaved }: ImportPickerProps) {
  const bridge = useBridge();
  const { key } = view;
  const [upstream, setUpstream] = useState<UpstreamSummary[] | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [domains, setDomains] = useState<ReadonlySet<string>>(() => new Set(view.importDomains));
  const [entities, setEntities] = useState<ReadonlySet<string>>(() => new Set(view.importEntities));
  const [query, setQuery] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let current = true;
    setLoadFailed(false);
    bridge.invoke('integration.upstream.list', { key }).then(
      (list) => current && setUpstream(list),
      (e: unknown) => {
        if (!current) return;
        setLoadFailed(true);
        onError(errorMessage(e));
      },
    );
    return () => {
      current = false;
    };
  }, [bridge, key, attempt]);

  const groups = useMemo(() => domainGroups(upstream ?? []), [upstream]);
  const matches = useMemo(() => searchUpstream(upstream ?? [], query, MAX_SHOWN), [upstream, query]);
  const selected = useMemo(() => importedCount(upstream ?? [], domains, entities), [upstream, domains, entities]);

  const save = async () => {
    setSaving(true);
    onError(null);
    try {
      await bridge.invoke('integration.configure', { key, importDomains: [...domains], importEntities: [...entities] });
      onSaved();
    } catch (e) {
      // The picker stays open with the choice as it was.
      onError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="integration-subpanel" data-testid={`import-picker-${key}`} aria-label={`What to import from ${view.label}`}>
      <h3>What to import</h3>
      {upstream === null ? (
        loadFailed ? (
          <p>
            The list could not be loaded.{' '}
            <button type="button" class="secondary" data-testid={`import-retry-${key}`} onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          </p>
        ) : (
          <p class="muted">Loading what {view.label} has…</p>
        )
      ) : (
        <>
          <p class="muted" data-testid={`import-summary-${key}`}>
            {selected} of {upstream.length} items chosen.
          </p>
          <h4>Whole domains</h4>
          <ul class="import-domains">
            {groups.map(({ domain, count }) => (
              <li key={domain}>
                <label class="check-row">
                  <input
                    type="checkbox"
                    checked={domains.has(domain)}
                    data-testid={`import-domain-${domain}`}
                    onChange={(e) => setDomains(toggled(domains, domain, (e.currentTarget as HTMLInputElement).checked))}
                  />
                  <span>{domain}</span>
                  <span class="muted">{count}</span>
                </label>
              </li>
            ))}
          </ul>
          <h4>Single items</h4>
          <input
            type="search"
            class="import-search"
            placeholder="Search by name or id"
            aria-label="Search items"
            value={query}
            data-testid={`import-search-${key}`}
            onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
          />
          <p class="muted" data-testid={`import-match-count-${key}`}>
            {matches.total > matches.shown.length
              ? `Showing the first ${matches.shown.length} of ${matches.total} matches: search to narrow them.`
              : `${matches.total} ${matches.total === 1 ? 'match' : 'matches'}.`}
          </p>
          <ul class="import-entities">
            {matches.shown.map((item) => {
              const byDomain = domains.has(item.domain);
              return (
                <li key={item.upstreamId}>
                  <label class="check-row">
                    <input
                      type="checkbox"
                      checked={byDomain || entities.has(item.upstreamId)}
                      disabled={byDomain}
                      title={byDomain ? `Imported with all of ${item.domain}` : undefined}
                      data-testid={`import-entity-${item.upstreamId}`}
                      onChange={(e) => setEntities(toggled(entities, item.upstreamId, (e.currentTarget as HTMLInputElement).checked))}
                    />
                    <span>{item.name}</span>
                    <span class="muted">{item.upstreamId}</span>
                  </label>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <div class="form-actions">
        <button type="button" class="secondary" data-testid={`import-cancel-${key}`} onClick={onClose}>
          Cancel
        </button>
        <button type="button" data-testid={`import-save-${key}`} disabled={upstream === null || saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save choice'}
        </button>
      </div>
    </section>
  );
}
