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

let early: EarlyConnection | null = null;

export function panelSocketUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${PANEL_SOCKET_PATH}`;
}

/**
 * Opens the hub's socket while the app's code is still loading, asking (in its address) for the snapshot of the
 * view the page opens on: the hub sends it as soon as the socket is open, so it is there when the first render wants
 * it instead of a round trip after the code has run. Not in the kiosk window, whose preload bridge needs no socket.
 */
export function openEarlyConnection(win: Window): void {
  if (win.hi || early) return;
  const view = viewIdOfHash(win.location.hash) ?? 'default';
  const socket = new WebSocket(`${panelSocketUrl(win.location)}?${SNAPSHOT_QUERY}=${view}`);
  const connection: EarlyConnection = { socket, received: [], snapshotArg: { view } };
  socket.onmessage = (event: MessageEvent<string>) => {
    if (connection.received.length >= MAX_EARLY_MESSAGES) socket.close();
    else connection.received.push(event.data);
  };
  early = connection;
}

/** The early connection for the transport to carry on with; null when there is none (or it was taken). */
export function takeEarlyConnection(): EarlyConnection | null {
  const taken = early;
  early = null;
  return taken;
}
