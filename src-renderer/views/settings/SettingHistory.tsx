import type { SettingView } from '../../../src-shared/model/settings';
import { useBridge } from '../../bridge-context';
import { errorMessage, formatDateTime, useHomeTimezone } from '../../components/format';
import { useHubQuery } from '../../components/use-hub-query';
import { useAppState } from '../../store';

/** Earlier values of one setting, newest first, each restorable with one tap. */
export function SettingHistory({ setting }: { setting: SettingView }) {
  const bridge = useBridge();
  const zone = useHomeTimezone();
  const applySettingView = useAppState((s) => s.applySettingView);
  const { data: entries, error, setError } = useHubQuery(
    'settings.history.get',
    { subsystem: setting.subsystem, key: setting.key },
    setting.updatedAt,
  );
  const id = `${setting.subsystem}.${setting.key}`;

  const restore = async (historyId: number) => {
    setError(null);
    try {
      applySettingView(await bridge.invoke('settings.history.restore', { historyId }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (error) return <p class="field-error" role="alert">{error}</p>;
  if (entries === null) return <p class="muted">Loading history…</p>;
  if (entries.length === 0) return <p class="muted" data-testid={`setting-history-empty-${id}`}>No earlier values.</p>;
  return (
    <ol class="setting-history" data-testid={`setting-history-list-${id}`}>
      {entries.map((entry) => (
        <li key={entry.id} data-testid="setting-history-entry">
          <span class="history-value">{entry.value === null ? '••••••' : String(entry.value)}</span>
          <span class="muted">{formatDateTime(entry.changedAt, zone)}</span>
          <button type="button" class="secondary" data-testid={`setting-history-restore-${entry.id}`} onClick={() => void restore(entry.id)}>
            Restore
          </button>
        </li>
      ))}
    </ol>
  );
}
