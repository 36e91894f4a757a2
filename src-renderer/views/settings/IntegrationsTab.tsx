import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ConnectionState } from '../../../src-shared/enums';
import type { IntegrationView } from '../../../src-shared/model/integration';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { appStore, useAppState } from '../../store';
import { shareEqual } from '../../store/structural-share';
import { IntegrationCard } from './integrations/IntegrationCard';

/** Every integration the hub offers, one card each; refetched after each action and on each health change. */
export function IntegrationsTab() {
  const bridge = useBridge();
  const [integrations, setIntegrations] = useState<IntegrationView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Only the newest answer is applied, and none after the tab closed.
  const latest = useRef(0);
  useEffect(
    () => () => {
      latest.current = -1;
    },
    [],
  );

  const reload = useCallback(async () => {
    if (latest.current < 0) return;
    const seq = ++latest.current;
    try {
      const list = await bridge.invoke('integration.list', {});
      if (seq !== latest.current) return;
      appStore.getState().applyIntegrationLabels(list);
      setIntegrations((current) => shareEqual(current, list));
      setError(null);
    } catch (e) {
      if (seq === latest.current) setError(errorMessage(e));
    }
  }, [bridge]);

  // Also on every (re)connect: a tab opened from a bookmarked address asks before the socket is up.
  const connected = useAppState((s) => s.connection === ConnectionState.CONNECTED.value);
  useEffect(() => {
    if (connected) void reload();
  }, [reload, connected]);

  if (integrations === null) {
    return error ? (
      <div class="plan-message" role="alert" data-testid="integrations-error">
        <p>{error}</p>
        <button type="button" onClick={() => void reload()}>
          Try again
        </button>
      </div>
    ) : (
      <p class="muted">Loading integrations…</p>
    );
  }
  if (integrations.length === 0) {
    return (
      <div class="empty-state" data-testid="integrations-empty">
        <h2>Integrations</h2>
        <p>This version of the hub has no integrations to connect yet.</p>
      </div>
    );
  }
  return (
    <div class="integrations-tab" data-testid="integrations-list">
      {error && (
        <p class="field-error" role="alert" data-testid="integrations-error">
          {error}
        </p>
      )}
      {integrations.map((view) => (
        <IntegrationCard key={view.key} view={view} reload={reload} />
      ))}
    </div>
  );
}
