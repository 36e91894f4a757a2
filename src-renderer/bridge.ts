import { ConnectionState } from '../src-shared/enums';
import type { HiTransport } from '../src-shared/ipc/bridge';
import type { EventName, EventPayload, RequestArg, RequestName, RequestResult } from '../src-shared/ipc/contract';
import { IpcError } from '../src-shared/ipc/errors';
import type { createAppStore } from './store';
import { StatusFrameBatcher } from './store/status-frame-batcher';
import { WebSocketTransport } from './ws-transport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser panel, which talks over a WebSocket instead. */
    hi?: HiTransport;
  }
}

export interface Bridge {
  /** Resolves with the result or rejects with an IpcError. */
  invoke<N extends RequestName>(name: N, arg: RequestArg<N>): Promise<RequestResult<N>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  connectionState(): ConnectionState;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

function wrap(
  transport: HiTransport,
  connectionState: () => ConnectionState,
  onConnectionChange: Bridge['onConnectionChange'],
): Bridge {
  return {
    async invoke(name, arg) {
      const response = await transport.invoke(name, arg);
      if (!response.ok) throw IpcError.fromData(response.error);
      return response.value;
    },
    on: (name, listener) => transport.on(name, listener),
    connectionState,
    onConnectionChange,
  };
}

/** The kiosk window's preload bridge when there is one, else the panel server's WebSocket. */
export function createBridge(win: Window): Bridge {
  if (win.hi) {
    // In Electron the hub lives in the same app: if it goes, so does this window.
    return wrap(win.hi, () => ConnectionState.CONNECTED, () => () => undefined);
  }
  const socket = WebSocketTransport.forPage(win.location);
  socket.connect();
  win.addEventListener('pagehide', () => socket.dispose(), { once: true });
  return wrap(
    socket,
    () => socket.connectionState,
    (listener) => socket.onConnectionChange(listener),
  );
}

/**
 * The one place the store subscribes to the bridge: on every (re)connect it takes a snapshot, then applies the
 * pushed deltas. Answers the function that removes every subscription.
 */
export function connectStore(bridge: Bridge, store: ReturnType<typeof createAppStore>): () => void {
  const state = () => store.getState();
  const resync = async () => {
    let snapshot;
    try {
      const { route, viewData } = state();
      snapshot = await bridge.invoke('hub.snapshot', { view: route.name === 'view' ? route.locationViewId : (viewData?.view.id ?? 'default') });
      state().applySnapshot(snapshot, Date.now());
      state().applyConsoleStatus(snapshot.console);
      state().homeReloaded(snapshot.view);
    } catch (error) {
      console.warn('Snapshot failed; the next reconnect retries', error);
      return;
    }
    // Health views carry only keys: the header and the details name an integration by its label.
    if (snapshot.integrations.length === 0) return;
    try {
      state().applyIntegrationLabels(await bridge.invoke('integration.list', {}));
    } catch (error) {
      console.warn('Integration names not loaded; the next reconnect retries', error);
    }
  };
  const onConnection = (connection: ConnectionState) => {
    state().setConnection(connection, Date.now());
    if (connection === ConnectionState.CONNECTED) void resync();
  };
  // Deltas are drawn once per animation frame, however many messages the frame brought.
  const statusBatcher = new StatusFrameBatcher((payload) => state().receiveStatusChanged(payload));
  const unsubscribers = [
    () => statusBatcher.dispose(),
    bridge.on('settings.changed', (payload) => state().applySettingsChanged(payload)),
    bridge.on('monitor.health', (status) => state().applyMonitorStatus(status)),
    bridge.on('edit.changed', (edit) => state().applyEdit(edit)),
    bridge.on('home.changed', () => state().homeChanged()),
    bridge.on('status.changed', (payload) => statusBatcher.receive(payload)),
    bridge.on('integration.health', (view) => state().applyIntegrationHealth(view)),
    bridge.on('security.changed', (status) => state().applySecurityChanged(status)),
    bridge.on('alert.changed', ({ alerts }) => state().applyAlerts(alerts)),
    bridge.on('console.changed', (payload) => state().applyConsoleChanged(payload)),
    bridge.on('alert.sound.changed', (status) => state().applyAlertSound(status)),
    bridge.onConnectionChange(onConnection),
  ];
  onConnection(bridge.connectionState());
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}
