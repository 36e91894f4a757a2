import { render } from 'preact';
import { createBridge, connectStore } from './bridge';
import { BridgeContext } from './bridge-context';
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
