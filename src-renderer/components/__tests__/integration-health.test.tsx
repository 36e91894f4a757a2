import { render } from 'preact-render-to-string';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntegrationHealthView, IntegrationView } from '../../../src-shared/model/integration';
import { appStore } from '../../store';
import { StaleNote } from '../../views/detail/DetailPanel';
import { HealthLine } from '../../views/settings/integrations/IntegrationCard';
import { errorMessage, formatTime } from '../format';
import { integrationHealthText } from '../integration-health';
import { IpcError } from '../../../src-shared/ipc/errors';

const KEY = 'home_assistant';
const LOST_AT = Date.UTC(2026, 0, 15, 12, 5);
const at = (ms: number) => `@${ms}`;

const view = (health: IntegrationHealthView['health'], lastSuccessAt: number | null = LOST_AT): IntegrationHealthView => ({ key: KEY, health, lastSuccessAt, message: null });

const INTEGRATION: IntegrationView = {
  key: KEY,
  label: 'Home Assistant',
  description: '',
  enabled: true,
  paused: false,
  fields: [],
  importDomains: ['light'],
  importEntities: [],
  lastSyncAt: null,
  health: view('ok'),
};

/** Rendered text without markup, spaces collapsed. */
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

describe('integration health wording', () => {
  const initial = appStore.getState();
  afterEach(() => appStore.setState(initial, true));

  it('words each health from its enum label, with "since" only where contact was lost', () => {
    expect(integrationHealthText('Home Assistant', view('auth_failed'), at)).toBe(`Home Assistant: Sign-in failed since ${at(LOST_AT)}`);
    expect(integrationHealthText('Home Assistant', view('unreachable'), at)).toBe(`Home Assistant: Unreachable since ${at(LOST_AT)}`);
    expect(integrationHealthText('Home Assistant', view('unreachable', null), at)).toBe('Home Assistant: Unreachable');
    expect(integrationHealthText('Home Assistant', view('paused'), at)).toBe('Home Assistant: Paused');
    expect(integrationHealthText('Home Assistant', view('ok'), at)).toBe('Home Assistant: OK');
  });

  it('the detail panel’s stale note and the Integrations card say what the header says', () => {
    const refused = view('auth_failed');
    appStore.setState({ integrationHealth: { [KEY]: refused }, integrationLabels: { [KEY]: 'Home Assistant' } });
    const words = integrationHealthText('Home Assistant', refused, (ms) => formatTime(ms, undefined));
    // Regression: the stale note said "unreachable" while the header said "Sign-in failed".
    expect(text(render(<StaleNote integrationKey={KEY} />))).toBe(`Last known value — ${words}`);
    expect(text(render(<HealthLine view={INTEGRATION} health={refused} />))).toContain(words);
  });

  it('shows what the hub’s schema refused in the words of its issues, not the channel name', () => {
    const tooLong = IpcError.invalidArgument('Invalid argument for location.create', [{ path: ['name'], message: 'A name can be at most 200 characters.' }]);
    expect(errorMessage(tooLong)).toBe('A name can be at most 200 characters.');
    // A handler's own sentence stays as it was written.
    const own = IpcError.invalidArgument('Enter the token again.', [{ path: ['fields', 'token'], message: 'Enter it again for the new address.' }]);
    expect(errorMessage(own)).toBe('Enter the token again.');
  });
});
