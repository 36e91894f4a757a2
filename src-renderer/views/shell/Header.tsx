import { ConnectionState, IntegrationHealth, MonitorHealth } from '../../../src-shared/enums';
import { STORAGE_MONITOR_NAME } from '../../../src-shared/model/system';
import { formatTime, useHomeTimezone } from '../../components/format';
import { integrationHealthText } from '../../components/integration-health';
import { HubClock } from '../../components/HubClock';
import { EntityIcon } from '../../components/entity-icons';
import { navigate } from '../../routes';
import { useAppState } from '../../store';
import { selectEnabledIntegrationCount, selectWorstIntegration } from '../../store/status-slice';
import { SoundMuteButton } from '../alert/SoundMuteButton';
import { LockButton } from '../console/LockButton';
import { EditToggle } from '../location/edit/EditToggle';
import { SecurityModeSwitch } from './SecurityModeSwitch';

function ConnectionIndicator() {
  const connection = ConnectionState.fromName(useAppState((s) => s.connection));
  return (
    <span class="connection-indicator" data-testid="connection-state" data-state={connection.value} title={connection.description}>
      <span class="dot" aria-hidden="true" />
      <span class="indicator-text">{connection.label}</span>
    </span>
  );
}

/** How the enabled integrations are doing, by the worst of them; hidden while none is enabled. Opens their settings. */
function IntegrationIndicator() {
  const worst = useAppState(selectWorstIntegration);
  const count = useAppState(selectEnabledIntegrationCount);
  const label = useAppState((s) => (worst ? s.integrationLabels[worst.key] : undefined));
  const zone = useHomeTimezone();
  if (!worst) return null;
  const health = IntegrationHealth.fromNameSafe(worst.health);
  const text =
    health === IntegrationHealth.OK ? (count === 1 && label ? label : 'Integrations') : integrationHealthText(label ?? 'Integration', worst, (ms) => formatTime(ms, zone));
  return (
    <button
      type="button"
      class="integration-indicator"
      data-testid="integration-indicator"
      data-health={health.value}
      title={worst.message ?? health.description}
      onClick={() => navigate({ name: 'settings', tab: 'integrations' })}
    >
      <span class="dot" aria-hidden="true" />
      <span class="indicator-text">{text}</span>
    </button>
  );
}

/** Only while the hub's disk refuses writes, when nothing changed on a panel is saved; opens the System tab. */
function StorageIndicator() {
  const problem = useAppState((s) => s.monitors.find((m) => m.name === STORAGE_MONITOR_NAME && m.health === MonitorHealth.ERROR.value)?.lastError ?? null);
  if (problem === null) return null;
  return (
    <button
      type="button"
      class="integration-indicator"
      data-testid="storage-indicator"
      data-health="error"
      title={problem}
      onClick={() => navigate({ name: 'settings', tab: 'system' })}
    >
      <span class="dot" aria-hidden="true" />
      {/* The health line's headline: "Storage is full" or "Storage cannot be written". */}
      <span class="indicator-text">{problem.split(':')[0]}</span>
    </button>
  );
}

export function Header() {
  return (
    <header class="app-header">
      <span class="app-title" data-testid="header-title">
        Home Information
      </span>
      <HubClock className="header-clock" testId="header-clock" />
      <div class="header-actions">
        <SecurityModeSwitch />
        <SoundMuteButton />
        <StorageIndicator />
        <IntegrationIndicator />
        <ConnectionIndicator />
        <EditToggle />
        <LockButton />
        <button type="button" class="icon-button" data-testid="open-cameras" aria-label="Cameras" onClick={() => navigate({ name: 'cameras' })}>
          <EntityIcon type="camera" size={24} />
        </button>
        <button
          type="button"
          class="icon-button"
          data-testid="open-settings"
          aria-label="Settings"
          onClick={() => navigate({ name: 'settings', tab: 'settings' })}
        >
          ⚙
        </button>
      </div>
    </header>
  );
}
