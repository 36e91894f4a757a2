import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { IntegrationView, SyncReport } from '../../../../../src-shared/model/integration';
import { namedRemovals, removalQuestion, secretsNeededAgain, unreadableNote } from '../integration-form';
import { RemovalQuestion } from '../IntegrationCard';

const FIELDS: IntegrationView['fields'] = [
  { key: 'url', label: 'Address', description: '', type: 'url', required: true, value: 'http://homeassistant.local:8123', hasValue: true },
  { key: 'token', label: 'Long-lived access token', description: '', type: 'secret', required: true, value: null, hasValue: true },
  { key: 'site', label: 'Site', description: '', type: 'text', required: false, value: 'Home', hasValue: true },
];

function report(pending: number, importedBefore: number, unreadable = 0): SyncReport {
  return {
    created: [],
    updated: importedBefore - pending,
    reconnected: [],
    detached: [],
    removed: [],
    unplaced: [],
    pendingRemovals: Array.from({ length: pending }, (_, i) => ({ entityId: i + 1, name: `Light ${i + 1}` })),
    importedBefore,
    unreadable,
  };
}

describe('integration form', () => {
  it('asks for a saved secret again only when an address really changes', () => {
    const token = FIELDS[1]!;
    expect(secretsNeededAgain(FIELDS, {})).toEqual([]);
    expect(secretsNeededAgain(FIELDS, { site: 'Cabin' })).toEqual([]);
    expect(secretsNeededAgain(FIELDS, { url: 'http://homeassistant.local:8123/' })).toEqual([]);
    expect(secretsNeededAgain(FIELDS, { url: 'http://attacker.example:8123' })).toEqual([token]);
    expect(secretsNeededAgain(FIELDS, { url: 'http://attacker.example:8123', token: '' })).toEqual([token]);
    expect(secretsNeededAgain(FIELDS, { url: 'http://attacker.example:8123', token: 'typed again' })).toEqual([]);
    // Nothing saved, nothing to lose.
    expect(secretsNeededAgain([FIELDS[0]!, { ...token, hasValue: false }], { url: 'http://other.example' })).toEqual([]);
  });

  it('words the removal question with the counts', () => {
    expect(removalQuestion('Home Assistant', report(37, 40))).toBe('Home Assistant no longer lists 37 of 40 items. Remove them?');
    expect(removalQuestion('Home Assistant', report(1, 1))).toBe('Home Assistant no longer lists 1 of 1 item. Remove it?');
    expect(namedRemovals(report(37, 40))).toEqual({ names: ['Light 1', 'Light 2', 'Light 3', 'Light 4', 'Light 5', 'Light 6', 'Light 7', 'Light 8'], more: 29 });
    expect(unreadableNote(report(0, 3))).toBeNull();
    expect(unreadableNote(report(0, 3, 1))).toBe('1 entry could not be read; their items were left as they are.');
    expect(unreadableNote(report(0, 3, 4))).toBe('4 entries could not be read; their items were left as they are.');
  });

  it('renders the removal question with both answers', () => {
    const markup = render(<RemovalQuestion label="Home Assistant" report={report(37, 40)} disabled={false} onKeep={() => undefined} onRemove={() => undefined} />);
    expect(markup).toContain('Home Assistant no longer lists 37 of 40 items. Remove them?');
    expect(markup).toContain('and 29 more');
    expect(markup).toContain('data-testid="integration-removals-keep"');
    expect(markup).toContain('data-testid="integration-removals-remove"');
  });
});
