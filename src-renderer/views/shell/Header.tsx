import { ConnectionState } from '../../../src-shared/enums';
import { formatTime } from '../../components/format';
import { useNow } from '../../components/use-now';
import { navigate } from '../../routes';
import { useAppState, useSettingValue } from '../../store';
import { EditToggle } from '../location/edit/EditToggle';

function Clock() {
  const now = useNow(1000);
  const offset = useAppState((s) => s.clockOffsetMs);
  const timezone = useSettingValue('console', 'timezone');
  return (
    <time class="header-clock" data-testid="header-clock">
      {formatTime(now + offset, typeof timezone === 'string' ? timezone : undefined)}
    </time>
  );
}

function ConnectionIndicator() {
  const connection = ConnectionState.fromName(useAppState((s) => s.connection));
  return (
    <span class="connection-indicator" data-testid="connection-state" data-state={connection.value} title={connection.description}>
      <span class="dot" aria-hidden="true" />
      {connection.label}
    </span>
  );
}

export function Header() {
  return (
    <header class="app-header">
      <span class="app-title">Home Information</span>
      <Clock />
      <div class="header-actions">
        <ConnectionIndicator />
        <EditToggle />
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
