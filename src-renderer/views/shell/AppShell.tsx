import { useEffect } from 'preact/hooks';
import { ConnectionState, Theme } from '../../../src-shared/enums';
import { useAppState, useSettingValue } from '../../store';
import { AlertBanners } from '../alert/AlertBanners';
import { CollectionPanel } from '../collection/CollectionPanel';
import { DetailPanel } from '../detail/DetailPanel';
import { SettingsDialog } from '../settings/SettingsDialog';
import { ConnectionLostBanner } from './ConnectionLostBanner';
import { Header } from './Header';
import { HomeScreen } from './HomeScreen';

export function AppShell() {
  const route = useAppState((s) => s.route);
  const theme = useSettingValue('console', 'theme');
  const stale = useAppState((s) => s.connection === ConnectionState.DISCONNECTED.value);
  useEffect(() => {
    document.documentElement.dataset.theme = Theme.fromNameSafe(typeof theme === 'string' ? theme : null).value;
  }, [theme]);

  return (
    <div class="app-shell" data-testid="app-shell">
      <Header />
      <ConnectionLostBanner />
      <main class={stale ? 'app-main stale' : 'app-main'} data-stale={stale ? 'true' : 'false'}>
        <HomeScreen />
        <DetailPanel />
        <CollectionPanel />
      </main>
      {route.name === 'settings' && <SettingsDialog tab={route.tab} />}
      <AlertBanners />
    </div>
  );
}
