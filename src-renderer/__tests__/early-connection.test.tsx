import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionState } from '../../src-shared/enums';
import { openEarlyConnection, takeEarlyConnection } from '../early-connection';
import { WebSocketTransport } from '../ws-transport';

/** A WebSocket the test opens, closes and speaks for, recording what the page sent. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static made: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  readonly sent: Array<{ t: string; id?: number; name?: string; arg?: unknown }> = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as FakeSocket['sent'][number]);
  }
  close(): void {
    if (this.readyState === FakeSocket.CLOSED) return;
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.();
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

const pageAt = (hash: string) => ({ location: { protocol: 'http:', host: '127.0.0.1:8080', hash } }) as unknown as Window;
const SNAPSHOT = { views: 'the snapshot' };
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('the early connection', () => {
  const realWebSocket = globalThis.WebSocket;
  const transports: WebSocketTransport[] = [];
  const transport = () => {
    const made = new WebSocketTransport('ws://127.0.0.1:8080/ws');
    transports.push(made);
    return made;
  };

  beforeEach(() => {
    FakeSocket.made = [];
    (globalThis as { WebSocket: unknown }).WebSocket = FakeSocket;
  });
  afterEach(() => {
    for (const made of transports.splice(0)) made.dispose();
    takeEarlyConnection();
    (globalThis as { WebSocket: unknown }).WebSocket = realWebSocket;
  });

  it('asks in the socket’s address for the snapshot of the view the page opens on, and sends nothing itself', () => {
    openEarlyConnection(pageAt('#/view/42'));
    openEarlyConnection(pageAt('#/settings'));
    expect(FakeSocket.made.map((socket) => socket.url)).toEqual(['ws://127.0.0.1:8080/ws?snapshot=42']);
    FakeSocket.made[0]!.open();
    expect(FakeSocket.made[0]!.sent).toEqual([]);
    takeEarlyConnection();
    openEarlyConnection(pageAt('#/settings'));
    expect(FakeSocket.made[1]!.url).toBe('ws://127.0.0.1:8080/ws?snapshot=default');
  });

  it('opens nothing in the kiosk window, whose preload bridge needs no socket', () => {
    openEarlyConnection(Object.assign(pageAt('#/view/42'), { hi: {} }));
    expect(FakeSocket.made).toHaveLength(0);
    expect(takeEarlyConnection()).toBeNull();
  });

  it('hands the transport its socket, the snapshot that came early and the events that came with it', async () => {
    openEarlyConnection(pageAt(''));
    const [socket] = FakeSocket.made;
    socket!.open();
    socket!.receive({ t: 'res', id: 0, ok: true, value: SNAPSHOT });
    socket!.receive({ t: 'evt', name: 'home.changed', payload: {} });

    const adopting = transport();
    const states: ConnectionState[] = [];
    const events: unknown[] = [];
    adopting.onConnectionChange((state) => states.push(state));
    adopting.on('home.changed', (payload) => events.push(payload));
    adopting.connect();
    // The caller subscribes in the same turn: connection and messages reach it after that turn.
    expect(states).toEqual([]);
    await flush();
    expect(FakeSocket.made).toHaveLength(1);
    expect(states).toEqual([ConnectionState.CONNECTED]);
    expect(events).toEqual([{}]);

    expect(await adopting.invoke('hub.snapshot', { view: 'default' })).toEqual({ ok: true, value: SNAPSHOT });
    // Used once: the next snapshot (after a reconnect, say) is asked for afresh.
    const again = adopting.invoke('hub.snapshot', { view: 'default' });
    expect(socket!.sent.at(-1)).toMatchObject({ t: 'req', id: 1, name: 'hub.snapshot' });
    socket!.receive({ t: 'res', id: 1, ok: true, value: 'newer' });
    expect(await again).toEqual({ ok: true, value: 'newer' });
  });

  it('asks again when the first snapshot wanted is of another view than the early one', async () => {
    openEarlyConnection(pageAt('#/view/7'));
    FakeSocket.made[0]!.open();
    const adopting = transport();
    adopting.connect();
    await flush();
    const asked = adopting.invoke('hub.snapshot', { view: 8 });
    expect(FakeSocket.made[0]!.sent.at(-1)).toEqual({ t: 'req', id: 1, name: 'hub.snapshot', arg: { view: 8 } });
    FakeSocket.made[0]!.receive({ t: 'res', id: 1, ok: true, value: 'view 8' });
    expect(await asked).toEqual({ ok: true, value: 'view 8' });
  });

  it('takes a socket still connecting, and the snapshot the hub sends once it opens', async () => {
    openEarlyConnection(pageAt(''));
    const adopting = transport();
    const states: ConnectionState[] = [];
    adopting.onConnectionChange((state) => states.push(state));
    adopting.connect();
    await flush();
    expect(states).toEqual([]);
    const [socket] = FakeSocket.made;
    socket!.open();
    expect(states).toEqual([ConnectionState.CONNECTED]);
    const asked = adopting.invoke('hub.snapshot', { view: 'default' });
    socket!.receive({ t: 'res', id: 0, ok: true, value: SNAPSHOT });
    expect(await asked).toEqual({ ok: true, value: SNAPSHOT });
    expect(socket!.sent).toEqual([]);
  });

  it('treats a socket that closed before the app ran as a lost connection, and reconnects', async () => {
    openEarlyConnection(pageAt(''));
    FakeSocket.made[0]!.close();
    const adopting = transport();
    const states: ConnectionState[] = [];
    adopting.onConnectionChange((state) => states.push(state));
    adopting.connect();
    await flush();
    expect(states).toEqual([ConnectionState.DISCONNECTED]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(FakeSocket.made).toHaveLength(2);
  });

  it('fails the early snapshot as unavailable when the connection drops before it is answered', async () => {
    openEarlyConnection(pageAt(''));
    const [socket] = FakeSocket.made;
    socket!.open();
    const adopting = transport();
    adopting.connect();
    await flush();
    const asked = adopting.invoke('hub.snapshot', { view: 'default' });
    socket!.close();
    expect(await asked).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
