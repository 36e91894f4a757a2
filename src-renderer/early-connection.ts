import { PANEL_SOCKET_PATH, SNAPSHOT_QUERY } from '../src-shared/ipc/panel-socket';
import { viewIdOfHash } from './view-hash';

/** Messages kept for the transport; past this the app's code is not coming, and the socket is let go. */
const MAX_EARLY_MESSAGES = 1_000;

export interface EarlyConnection {
  socket: WebSocket;
  /** What arrived before the transport took the socket, in order. */
  received: string[];
  /** The `hub.snapshot` argument the hub answers as the socket opens. */
  snapshotArg: { view: number | 'default' };
}

/**
 * Where the page's inline script (early.ts, built into index.html) leaves the socket for the app's transport: a
 * global, as the two are separate scripts.
 */
const shared = globalThis as { hiEarlyConnection?: EarlyConnection };

export function panelSocketUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${PANEL_SOCKET_PATH}`;
}

/**
 * Opens the hub's socket while the page is still being parsed, asking (in its address) for the snapshot of the view
 * the page opens on: the hub sends it as soon as the socket is open, so it is there when the first render wants it
 * instead of a round trip after the app's code has been fetched and run. Not in the kiosk window, whose preload
 * bridge needs no socket.
 */
export function openEarlyConnection(win: Window): void {
  if (win.hi || shared.hiEarlyConnection) return;
  const view = viewIdOfHash(win.location.hash) ?? 'default';
  const socket = new WebSocket(`${panelSocketUrl(win.location)}?${SNAPSHOT_QUERY}=${view}`);
  const connection: EarlyConnection = { socket, received: [], snapshotArg: { view } };
  socket.onmessage = (event: MessageEvent<string>) => {
    if (connection.received.length >= MAX_EARLY_MESSAGES) socket.close();
    else connection.received.push(event.data);
  };
  shared.hiEarlyConnection = connection;
}

/** The early connection for the transport to carry on with; null when there is none (or it was taken). */
export function takeEarlyConnection(): EarlyConnection | null {
  const taken = shared.hiEarlyConnection ?? null;
  delete shared.hiEarlyConnection;
  return taken;
}
