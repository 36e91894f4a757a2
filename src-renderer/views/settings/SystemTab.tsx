import { IntegrationHealth, MonitorHealth } from '../../../src-shared/enums';
import { useBridge } from '../../bridge-context';
import { errorMessage, formatDuration, formatTime, useHomeTimezone } from '../../components/format';
import { useHubQuery } from '../../components/use-hub-query';
import { useAppState } from '../../store';
import { PinSettings } from '../console/PinSettings';
import { PairedPanels, usePairingVersion } from './PairedPanels';

function Monitors() {
  const monitors = useAppState((s) => s.monitors);
  const zone = useHomeTimezone();
  return (
    <section class="settings-section">
      <h2>Monitors</h2>
      <table class="data-table" data-testid="monitor-table">
        <thead>
          <tr>
            <th>Monitor</th>
            <th>Schedule</th>
            <th>Health</th>
            <th>Last heartbeat</th>
            <th>Last run</th>
            <th>Runs</th>
          </tr>
        </thead>
        <tbody>
          {monitors.map((m) => {
            const health = MonitorHealth.fromNameSafe(m.health);
            return (
              <tr key={m.name} data-testid="monitor-row" data-monitor={m.name} data-health={health.value}>
                <td>{m.label}</td>
                <td>{m.schedule}</td>
                <td class={`health health-${health.value}`} title={m.lastError ?? health.description}>
                  {health.label}
                </td>
                <td>{m.lastHeartbeat === null ? 'never' : formatTime(m.lastHeartbeat, zone, true)}</td>
                <td>{formatDuration(m.lastRunMs)}</td>
                <td>{m.runCount}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function IntegrationHealthList() {
  const health = useAppState((s) => s.integrationHealth);
  const labels = useAppState((s) => s.integrationLabels);
  const views = Object.values(health);
  const zone = useHomeTimezone();
  return (
    <section class="settings-section">
      <h2>Integrations</h2>
      <table class="data-table" data-testid="integration-health-table">
        <tbody>
          {views.map((view) => {
            const state = IntegrationHealth.fromNameSafe(view.health);
            return (
              <tr key={view.key} data-testid="integration-health-row" data-integration={view.key} data-health={state.value}>
                <th>{labels[view.key] ?? view.key}</th>
                <td class={`health health-${state.value}`} title={view.message ?? state.description}>
                  {state.label}
                </td>
                <td>{view.lastSuccessAt === null ? 'never' : `last good ${formatTime(view.lastSuccessAt, zone, true)}`}</td>
                <td class="muted">{view.message ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function Pairing({ refreshKey }: { refreshKey: number }) {
  const bridge = useBridge();
  const { data: info, error, setData: setInfo, setError } = useHubQuery('system.pairing.get', {}, refreshKey);
  const regenerate = async () => {
    try {
      setInfo(await bridge.invoke('system.pairing.regenerate', {}));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section class="settings-section" data-testid="pairing">
      <h2>Pair a tablet</h2>
      {error && <p class="field-error">{error}</p>}
      {info && info.code !== null && (
        <>
          <p>
            On the tablet, open {info.panelServerUrl ?? 'the panel server address'} and enter this code:
          </p>
          <p class="pairing-code" data-testid="pairing-code">
            {info.code}
          </p>
          <button type="button" class="secondary" data-testid="pairing-regenerate" onClick={() => void regenerate()}>
            New code
          </button>
        </>
      )}
      {info && info.code === null && <p class="muted">The pairing code is shown only on the hub itself.</p>}
      {info && <p class="muted">Paired tablets: {info.pairedClients}</p>}
    </section>
  );
}

function RuntimeConfig() {
  const settingSections = useAppState((s) => s.settingSections);
  const { data: entries, error } = useHubQuery('system.runtimeConfig.get', {}, settingSections);
  return (
    <section class="settings-section">
      <h2>Effective configuration</h2>
      {error && <p class="field-error">{error}</p>}
      <table class="data-table" data-testid="runtime-config">
        <tbody>
          {(entries ?? []).map((entry) => (
            <tr key={entry.key} data-key={entry.key}>
              <th>{entry.key}</th>
              <td>{entry.value}</td>
              <td class="muted">{entry.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function SystemTab() {
  const version = useAppState((s) => s.hubVersion);
  const pairingVersion = usePairingVersion();
  return (
    <div class="system-tab">
      <p class="muted">Hub version {version ?? '…'}</p>
      <Monitors />
      <IntegrationHealthList />
      <Pairing refreshKey={pairingVersion} />
      <PairedPanels refreshKey={pairingVersion} />
      <PinSettings />
      <RuntimeConfig />
    </div>
  );
}
