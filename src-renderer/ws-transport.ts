import { ConnectionState } from '../src-shared/enums';
import type { HiTransport } from '../src-shared/ipc/bridge';
import type { EventName, EventPayload, RequestArg, RequestName, RequestResult } from '../src-shared/ipc/contract';
import type { IpcResponse } from '../src-shared/ipc/errors';
import type { ServerMessage } from '../src-shared/ipc/wire';
import { EARLY_SNAPSHOT_ID } from '../src-shared/ipc/panel-socket';
import { panelSocketUrl, takeEarlyConnection, type EarlyConnection } from './early-connection';

const REQUEST_TIMEOUT_MS = 15_000;
/**
 * The heartbeat. A half-open connection (the hub's machine lost power, the Wi-Fi went) closes nothing: only silence
 * tells, and the hub's own WebSocket pings are answered by the browser without this code hearing them. So the panel
 * pings every PING_INTERVAL_MS while the hub is quiet and gives up after SILENCE_LIMIT_MS of silence: a lost hub
 * shows as stale within half a minute (25 to 35 s), while an idle panel wakes six times a minute for it, not fifteen.
 */
const PING_INTERVAL_MS = 10_000;
/** Two unanswered pings and time for the answer: silence this long means the hub is gone. */
const SILENCE_LIMIT_MS = 25_000;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 10_000;

type Listener = (payload: unknown) => void;
interface Pending {
  resolve(response: IpcResponse): void;
  timer: ReturnType<typeof setTimeout>;
}

const unavailable = (message: string): IpcResponse => ({ ok: false, error: { code: 'unavailable', message } });

/**
 * The browser panel's `window.hi`: the IPC contract over one WebSocket, with pushed events, a heartbeat, and
 * reconnects with capped, jittered exponential backoff. Requests made while disconnected fail at once with
 * `unavailable`, so the caller keeps what the user entered and can say so.
 */
export class WebSocketTransport implements HiTransport {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = ConnectionState.CONNECTING;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private closed = false;
  /** The early connection's snapshot answer (early-connection.ts), for the first snapshot asked for with the same argument. */
  private prefetchedSnapshot: { arg: string; response: Promise<IpcResponse> } | null = null;

  constructor(private readonly url: string) {}

  static forPage(location: Location): WebSocketTransport {
    return new WebSocketTransport(panelSocketUrl(location));
  }

  connect(): void {
    if (this.closed || this.socket) return;
    const early = takeEarlyConnection();
    const socket = early?.socket ?? new WebSocket(this.url);
    this.socket = socket;
    const opened = () => {
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.startHeartbeat();
      this.setState(ConnectionState.CONNECTED);
    };
    socket.onopen = opened;
    socket.onmessage = (event: MessageEvent<string>) => {
      this.lastHeard = Date.now();
      this.handleMessage(event.data);
    };
    socket.onclose = () => this.handleClose(socket);
    socket.onerror = () => socket.close();
    if (early) this.adopt(early, opened);
  }

  /**
   * Carries on with the socket the page opened before the app's code ran (early-connection.ts). The snapshot the hub
   * sends on it unasked is kept for the first snapshot asked for. What it received so far is handled once the caller
   * has subscribed (after this turn), as if it had just arrived.
   */
  private adopt(early: EarlyConnection, opened: () => void): void {
    const { socket } = early;
    if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) {
      this.prefetchedSnapshot = { arg: JSON.stringify(early.snapshotArg), response: this.awaitResponse(EARLY_SNAPSHOT_ID, 'hub.snapshot') };
    }
    queueMicrotask(() => {
      if (this.socket !== socket) return;
      if (socket.readyState === WebSocket.OPEN) opened();
      else if (socket.readyState !== WebSocket.CONNECTING) return this.handleClose(socket);
      this.lastHeard = Date.now();
      for (const text of early.received.splice(0)) this.handleMessage(text);
    });
  }

  /** For page unload and tests: stops reconnecting and releases every timer and listener. */
  dispose(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.handleClose(this.socket);
    this.listeners.clear();
    this.stateListeners.clear();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  invoke<N extends RequestName>(name: N, arg: RequestArg<N>): Promise<IpcResponse<RequestResult<N>>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.resolve(unavailable('Not connected to the hub.') as IpcResponse<RequestResult<N>>);
    }
    const prefetched = name === 'hub.snapshot' ? this.prefetchedSnapshot : null;
    if (prefetched) {
      this.prefetchedSnapshot = null;
      if (prefetched.arg === JSON.stringify(arg)) return prefetched.response as Promise<IpcResponse<RequestResult<N>>>;
    }
    const id = this.nextId++;
    const response = this.awaitResponse(id, name);
    socket.send(JSON.stringify({ t: 'req', id, name, arg }));
    return response as Promise<IpcResponse<RequestResult<N>>>;
  }

  private awaitResponse(id: number, name: string): Promise<IpcResponse> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(unavailable(`The hub did not answer ${name} in time.`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
    });
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener);
    return () => {
      set.delete(listener as Listener);
      if (set.size === 0) this.listeners.delete(name);
    };
  }

  private handleMessage(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (message.t === 'res' && message.id !== null) {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      pending.resolve(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
    } else if (message.t === 'evt') {
      for (const listener of [...(this.listeners.get(message.name) ?? [])]) listener(message.payload);
    }
  }

  private handleClose(socket: WebSocket | null): void {
    if (socket !== this.socket || socket === null) return;
    this.socket = null;
    this.prefetchedSnapshot = null;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve(unavailable('The connection to the hub was lost.'));
      this.pending.delete(id);
    }
    if (this.closed) return;
    this.setState(ConnectionState.DISCONNECTED);
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 16);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private startHeartbeat(): void {
    this.pingTimer = setInterval(() => {
      const socket = this.socket;
      if (!socket) return;
      const silentFor = Date.now() - this.lastHeard;
      if (silentFor > SILENCE_LIMIT_MS) {
        socket.close();
        this.handleClose(socket);
        return;
      }
      // While the hub is talking anyway it is plainly there.
      if (silentFor >= PING_INTERVAL_MS / 2) socket.send(JSON.stringify({ t: 'ping' }));
    }, PING_INTERVAL_MS);
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
