import { useEffect, useState } from 'preact/hooks';
import { PAIRED_PANEL_NAME_MAX, type PairedPanel } from '../../../src-shared/model/system';
import { useBridge } from '../../bridge-context';
import { errorMessage, formatDateTime, useHomeTimezone } from '../../components/format';
import { useHubQuery } from '../../components/use-hub-query';
import { useAppState } from '../../store';
import { ConfirmDialog } from '../location/edit/Modal';

/** Changes whenever the hub says pairing changed (a panel paired, renamed, revoked, connected; a new code). */
export function usePairingVersion(): number {
  const bridge = useBridge();
  const [version, setVersion] = useState(0);
  useEffect(() => bridge.on('pairing.changed', () => setVersion((v) => v + 1)), [bridge]);
  return version;
}

const panelLabel = (panel: PairedPanel): string => panel.name || panel.userAgent || `Panel ${panel.id}`;

function RenameField({ panel, onError }: { panel: PairedPanel; onError(message: string | null): void }) {
  const bridge = useBridge();
  const [name, setName] = useState(panel.name);
  const [busy, setBusy] = useState(false);
  useEffect(() => setName(panel.name), [panel.name]);
  const save = async () => {
    setBusy(true);
    try {
      await bridge.invoke('system.panels.rename', { id: panel.id, name });
      onError(null);
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="paired-panel-rename"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <input
        aria-label={`Name for ${panelLabel(panel)}`}
        value={name}
        maxLength={PAIRED_PANEL_NAME_MAX}
        placeholder="Name this panel"
        data-testid="paired-panel-name"
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <button type="submit" class="secondary" disabled={busy || name.trim() === panel.name} data-testid="paired-panel-rename">
        Save
      </button>
    </form>
  );
}

/** The browsers that paired with the hub: the hub itself may rename or revoke them; a paired panel only sees the list. */
export function PairedPanels({ refreshKey }: { refreshKey: number }) {
  const bridge = useBridge();
  const isLocal = useAppState((s) => s.panel?.isLocal ?? false);
  const zone = useHomeTimezone();
  const { data: panels, error, setError } = useHubQuery('system.panels.list', {}, refreshKey);
  const [pendingRevoke, setPendingRevoke] = useState<PairedPanel | null>(null);
  const revoke = async (panel: PairedPanel) => {
    try {
      await bridge.invoke('system.panels.revoke', { id: panel.id });
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPendingRevoke(null);
    }
  };
  return (
    <section class="settings-section" data-testid="paired-panels">
      <h2>Paired panels</h2>
      {error && <p class="field-error">{error}</p>}
      {panels && panels.length === 0 && <p class="muted">No tablet has paired yet.</p>}
      {panels && panels.length > 0 && (
        <table class="data-table paired-panels">
          <thead>
            <tr>
              <th>Panel</th>
              <th>Address</th>
              <th>First seen</th>
              <th>Last seen</th>
              {isLocal && <th>Manage</th>}
            </tr>
          </thead>
          <tbody>
            {panels.map((panel) => (
              <tr key={panel.id} data-testid="paired-panel-row" data-panel-id={panel.id} data-connected={String(panel.connected)}>
                <td>
                  {isLocal ? <RenameField panel={panel} onError={setError} /> : panelLabel(panel)}
                  <div class="muted">
                    {panel.connected ? 'Connected' : 'Not connected'}
                    {panel.name && panel.userAgent ? ` · ${panel.userAgent}` : ''}
                  </div>
                </td>
                <td data-testid="paired-panel-address">{panel.address}</td>
                <td>{formatDateTime(panel.firstSeenAt, zone)}</td>
                <td>{formatDateTime(panel.lastSeenAt, zone)}</td>
                {isLocal && (
                  <td>
                    <button type="button" class="danger" data-testid="paired-panel-revoke" onClick={() => setPendingRevoke(panel)}>
                      Revoke
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pendingRevoke && (
        <ConfirmDialog
          title="Revoke this panel?"
          message={`${panelLabel(pendingRevoke)} will be disconnected now and must enter a new pairing code to use the hub again.`}
          confirmLabel="Revoke"
          testId="confirm-panel-revoke"
          onConfirm={() => revoke(pendingRevoke)}
          onCancel={() => setPendingRevoke(null)}
        />
      )}
    </section>
  );
}
