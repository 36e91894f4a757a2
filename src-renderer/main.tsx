import { render } from 'preact';
import { createBridge, connectStore } from './bridge';
import { BridgeContext } from './bridge-context';
import { warmUpTimeFormatting } from './components/format';
import { parseRoute } from './routes';
import { appStore } from './store';
import { AppShell } from './views/shell/AppShell';
import './styles.css';

const bridge = createBridge(window);
connectStore(bridge, appStore);

const syncRoute = () => appStore.getState().setRoute(parseRoute(window.location.hash));
window.addEventListener('hashchange', syncRoute);
syncRoute();

render(
  <BridgeContext.Provider value={bridge}>
    <AppShell />
  </BridgeContext.Provider>,
  document.getElementById('app')!,
);

// A task of its own right after start-up: Chromium gives a loading page no idle periods to run it in.
setTimeout(warmUpTimeFormatting, 0);
