import { useEffect } from 'preact/hooks';
import { ConnectionState, Theme } from '../../../src-shared/enums';
import { lazyComponent } from '../../components/lazy-component';
import { useAppState, useSettingValue } from '../../store';
import { AlertBanners } from '../alert/AlertBanners';
import { AlertSound } from '../alert/AlertSound';
import { CamerasScreen } from '../camera/CamerasScreen';
import { CollectionPanel } from '../collection/CollectionPanel';
import { ConsoleController, useBurnInOffset } from '../console/ConsoleController';
import { LockScreen } from '../console/LockScreen';
import { SleepOverlay } from '../console/SleepOverlay';
import { DetailPanel } from '../detail/DetailPanel';
import { ConnectionLostBanner } from './ConnectionLostBanner';
import { Header } from './Header';
import { HomeScreen } from './HomeScreen';

// Out of the first load: the settings are opened now and then, the plan must paint at once.
const SettingsDialog = lazyComponent(
  () => import('../settings/SettingsDialog').then((m) => m.SettingsDialog),
  () => <div class="dialog-loading" data-testid="settings-loading" role="status" aria-label="Opening the settings" />,
);

export function AppShell() {
  const route = useAppState((s) => s.route);
  const theme = useSettingValue('console', 'theme');
  const stale = useAppState((s) => s.connection === ConnectionState.DISCONNECTED.value);
  const locked = useAppState((s) => s.consoleStatus?.locked ?? false);
  const asleep = useAppState((s) => s.asleep);
  const [shiftX, shiftY] = useBurnInOffset();
  useEffect(() => {
    document.documentElement.dataset.theme = Theme.fromNameSafe(typeof theme === 'string' ? theme : null).value;
  }, [theme]);

  return (
    <>
      {/* Asleep: inert, so the waking touch or key cannot reach a control; locked: the lock screen alone, under the banners. */}
      <div
        class="app-shell"
        data-testid="app-shell"
        data-locked={locked ? 'true' : 'false'}
        data-asleep={asleep ? 'true' : 'false'}
        inert={asleep}
        style={shiftX !== 0 || shiftY !== 0 ? { transform: `translate(${shiftX}px, ${shiftY}px)` } : undefined}
      >
        {locked ? (
          <LockScreen />
        ) : (
          <>
            <Header />
            <ConnectionLostBanner />
            <main class={stale ? 'app-main stale' : 'app-main'} data-stale={stale ? 'true' : 'false'}>
              {route.name === 'cameras' ? <CamerasScreen /> : <HomeScreen />}
              <DetailPanel />
              <CollectionPanel />
            </main>
            {route.name === 'settings' && <SettingsDialog tab={route.tab} />}
          </>
        )}
        <AlertBanners />
        <AlertSound />
      </div>
      <SleepOverlay />
      <ConsoleController />
    </>
  );
}
