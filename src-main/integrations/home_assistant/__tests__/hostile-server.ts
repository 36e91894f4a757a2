import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';

/** A REST answer, sent as written: the body is raw text, so it can be anything but JSON too. */
export interface RawAnswer {
  status: number;
  body: string;
  contentType?: string;
}

/** One WebSocket connection to the hostile server, seen from the server. */
export class HostileConnection {
  /** The id of the client's subscribe_entities, once it asked. */
  subscriptionId: number | null = null;
  pings = 0;
  readonly received: Array<{ type?: string; id?: number }> = [];

  constructor(
    readonly socket: ServerSocket,
    /** The TCP socket under it, to write bytes that are not a valid WebSocket frame. */
    readonly tcp: Socket,
  ) {}

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendBinary(bytes: Uint8Array): void {
    this.socket.send(bytes, { binary: true });
  }

  /** An event on the subscription. */
  event(event: unknown): void {
    this.send({ id: this.subscriptionId, type: 'event', event });
  }
}

export interface HostileScript {
  /** The answer to a REST request; by default 404. */
  rest?(method: string, path: string): RawAnswer;
  /** Called when the client sends auth; by default one auth_ok. */
  onAuth?(connection: HostileConnection): void;
  /** Called once the subscription stands (its result is sent); the script sends the snapshot and the rest. */
  onSubscribed?(connection: HostileConnection): void;
}

export interface HostileServer {
  url: string;
  connections: HostileConnection[];
  close(): Promise<void>;
}

/**
 * A server on 127.0.0.1 that speaks just enough of Home Assistant's REST and WebSocket APIs to get a client to the
 * point where the test's script sends whatever it likes: the handshake (auth_required, auth_ok), results for every
 * command and pongs for every ping, then the script's frames.
 */
export async function startHostileServer(script: HostileScript): Promise<HostileServer> {
  const http: Server = createServer((req: IncomingMessage, res) => {
    req.resume();
    const answer = script.rest?.(req.method ?? 'GET', req.url ?? '/') ?? { status: 404, body: '404: Not Found' };
    res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json' });
    res.end(answer.body);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 * 1024 });
  const connections: HostileConnection[] = [];
  http.on('upgrade', (req, tcp: Socket, head) => {
    if (req.url !== '/api/websocket') {
      tcp.destroy();
      return;
    }
    wss.handleUpgrade(req, tcp, head, (socket) => {
      const connection = new HostileConnection(socket, tcp);
      connections.push(connection);
      socket.on('error', () => undefined);
      connection.send({ type: 'auth_required', ha_version: '2025.6.0' });
      socket.on('message', (data) => {
        let message: { type?: string; id?: number };
        try {
          message = JSON.parse(data.toString()) as { type?: string; id?: number };
        } catch {
          return;
        }
        connection.received.push(message);
        if (message.type === 'auth') {
          if (script.onAuth) script.onAuth(connection);
          else connection.send({ type: 'auth_ok', ha_version: '2025.6.0' });
        } else if (message.type === 'ping') {
          connection.pings += 1;
          connection.send({ id: message.id, type: 'pong' });
        } else if (message.type === 'subscribe_entities') {
          connection.subscriptionId = message.id ?? null;
          connection.send({ id: message.id, type: 'result', success: true, result: null });
          script.onSubscribed?.(connection);
        } else connection.send({ id: message.id, type: 'result', success: true, result: null });
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    connections,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A JSON answer with status 200. */
export const json = (value: unknown): RawAnswer => ({ status: 200, body: JSON.stringify(value) });

/** `[[[...]]]`, `depth` deep, as text: JSON.stringify itself would overflow building it. */
export const deepArrayText = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A valid REST state of `entityId`. */
export function restState(entityId: string, state = 'on', attributes: Record<string, unknown> = {}): Record<string, unknown> {
  const at = '2025-01-01T00:00:00.000000+00:00';
  return { entity_id: entityId, state, attributes, last_changed: at, last_updated: at, context: { id: 'ctx', parent_id: null, user_id: null } };
}
