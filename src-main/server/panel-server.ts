import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/csp';
import { PanelKind } from '../../src-shared/enums';
import { IpcError } from '../../src-shared/ipc/errors';
import {
  clientMessageSchema,
  MAX_SOCKET_MESSAGE_BYTES,
  PAIRING_COOKIE,
  PANEL_SOCKET_PATH,
  type ServerMessage,
} from '../../src-shared/ipc/wire';
import type { Hub } from '../hub';
import type { PanelSession } from '../ipc/panel-sessions';
import { DATA_URL_PREFIX } from '../modules/location/location-manager';
import { createLogger } from '../util/log';
import { PAIRING_CSS, pairingPage } from './pairing-page';

const log = createLogger('panel-server');

/** A panel that cannot keep up this far behind is dropped; it reconnects and resyncs from a snapshot. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const SOCKET_HEARTBEAT_MS = 30_000;
const MAX_FORM_BYTES = 4096;
const PAIRING_COOKIE_MAX_AGE_S = 10 * 365 * 24 * 3600;
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Folders of the data dir that panels may read: sanitised plans, attachments and their thumbnails. */
const DATA_FOLDERS = new Set(['locations', 'files', 'files/thumbnails']);
/** A stored file opened on its own must not run anything, even if a sanitiser missed something. */
const DATA_FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
};

export interface PanelServerOptions {
  hub: Hub;
  host: string;
  port: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Serves browser panels: the built renderer and one WebSocket speaking the IPC contract. Clients on the hub itself
 * (loopback) are trusted; any other address must have paired with the code shown in the settings dialog.
 */
export class PanelServer {
  private readonly server: Server;
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES });
  private readonly staticRoot: string;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Cleared at each heartbeat, set by any pong or message; a socket still clear at the next one is dead. */
  private readonly aliveFlags = new WeakMap<WebSocket, { value: boolean }>();

  constructor(private readonly options: PanelServerOptions) {
    this.staticRoot = path.resolve(options.staticDir);
    this.server = createServer((req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        log.error(`${req.method} ${req.url} failed`, error);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('Internal error');
      });
    });
    this.server.on('upgrade', (req, socket: Socket, head) => {
      this.handleUpgrade(req, socket, head).catch((error: unknown) => {
        log.error('WebSocket upgrade failed', error);
        socket.destroy();
      });
    });
  }

  async listen(): Promise<string> {
    if (!existsSync(path.join(this.staticRoot, 'index.html'))) {
      throw new Error(`The renderer is not built: ${this.staticRoot}/index.html is missing (run npm run build).`);
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.heartbeat = setInterval(() => this.checkHeartbeats(), SOCKET_HEARTBEAT_MS);
    this.heartbeat.unref();
    const { port } = this.server.address() as AddressInfo;
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${port}`;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const client of this.sockets.clients) client.close(1001, 'hub shutting down');
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private isLoopback(req: IncomingMessage): boolean {
    return LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '');
  }

  private async isAllowed(req: IncomingMessage): Promise<boolean> {
    if (this.isLoopback(req)) return true;
    const token = readCookie(req, PAIRING_COOKIE);
    return token !== null && (await this.options.hub.pairing.isPaired(token));
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://panel.invalid');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Malformed URL');
      return;
    }
    if (url.pathname === '/pair.css') {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.css']! });
      res.end(PAIRING_CSS);
      return;
    }
    if (url.pathname === '/pair') {
      await this.handlePairing(req, res);
      return;
    }
    if (!(await this.isAllowed(req))) {
      res.writeHead(401, { 'Content-Type': CONTENT_TYPES['.html']!, 'Cache-Control': 'no-store' });
      res.end(pairingPage(null));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
      res.end('ok');
      return;
    }
    if (pathname.startsWith(`/${DATA_URL_PREFIX}/`)) this.serveData(pathname, req, res);
    else this.serveStatic(pathname, req, res);
  }

  private serveData(pathname: string, req: IncomingMessage, res: ServerResponse): void {
    const relative = pathname.slice(DATA_URL_PREFIX.length + 2);
    const folder = path.posix.dirname(relative);
    const name = path.posix.basename(relative);
    if (!DATA_FOLDERS.has(folder) || !/^[\w.-]+$/.test(name) || name.startsWith('.')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    // Chromium's PDF viewer does not run in a sandboxed document; it runs no page script either.
    if (path.extname(name) !== '.pdf') res.setHeader('Content-Security-Policy', DATA_FILE_CSP);
    this.sendFile(path.join(this.options.hub.runtime.dataDir, folder, name), 'private, max-age=31536000, immutable', req, res);
  }

  private async handlePairing(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, message: string | null) => {
      res.writeHead(status, { 'Content-Type': CONTENT_TYPES['.html']!, 'Cache-Control': 'no-store' });
      res.end(pairingPage(message));
    };
    if (req.method === 'GET') return answer(200, null);
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'GET, POST' }).end();
    let body: string;
    try {
      body = await readBody(req, MAX_FORM_BYTES);
    } catch {
      return answer(413, 'That request was too large.');
    }
    const code = new URLSearchParams(body).get('code') ?? '';
    const remote = req.socket.remoteAddress ?? 'unknown';
    const result = await this.options.hub.pairing.pair(code, remote, req.headers['user-agent'] ?? '');
    if (!result.ok) {
      return result.reason === 'too_many_attempts'
        ? answer(429, 'Too many wrong codes. Wait a minute and try again.')
        : answer(401, 'That code is not right. Check the code on the hub and try again.');
    }
    log.info(`Paired a panel at ${remote}`);
    res.writeHead(303, {
      Location: '/',
      'Set-Cookie': `${PAIRING_COOKIE}=${encodeURIComponent(result.token)}; Max-Age=${PAIRING_COOKIE_MAX_AGE_S}; Path=/; HttpOnly; SameSite=Strict`,
    });
    res.end();
  }

  private serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse): void {
    const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = path.resolve(this.staticRoot, relative);
    if (!file.startsWith(this.staticRoot + path.sep)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const isIndex = file === path.join(this.staticRoot, 'index.html');
    this.sendFile(file, isIndex ? 'no-cache' : 'public, max-age=31536000, immutable', req, res);
  }

  private sendFile(file: string, cacheControl: string, req: IncomingMessage, res: ServerResponse): void {
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': cacheControl });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  }

  private async handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://panel.invalid');
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== PANEL_SOCKET_PATH) return refuse('404 Not Found');
    // A page on another site must not be able to drive the hub through a paired browser.
    const origin = req.headers.origin;
    if (origin !== undefined && new URL(origin).host !== req.headers.host) return refuse('403 Forbidden');
    if (!(await this.isAllowed(req))) return refuse('401 Unauthorized');
    const isLocal = this.isLoopback(req);
    this.sockets.handleUpgrade(req, socket, head, (ws) => this.attach(ws, isLocal));
  }

  private attach(ws: WebSocket, isLocal: boolean): void {
    const { hub } = this.options;
    const panel = hub.panels.open(PanelKind.BROWSER, isLocal, hub.clock.now());
    const alive = { value: true };
    this.aliveFlags.set(ws, alive);
    const send = (message: ServerMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        log.warn(`Dropping panel ${panel.id}: it is ${ws.bufferedAmount} bytes behind`);
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(message));
    };
    const unsubscribe = hub.events.onAny((name, payload) => send({ t: 'evt', name, payload }));
    ws.on('pong', () => (alive.value = true));
    ws.on('message', (data, isBinary) => {
      alive.value = true;
      void this.handleMessage(isBinary ? null : data.toString(), panel, send);
    });
    ws.on('close', () => {
      unsubscribe();
      hub.closePanel(panel.id);
    });
    ws.on('error', (error) => log.warn(`Panel ${panel.id} socket error`, error));
  }

  private async handleMessage(text: string | null, panel: PanelSession, send: (m: ServerMessage) => void): Promise<void> {
    let json: unknown;
    try {
      json = text === null ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const id = typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : null;
      send({ t: 'res', id, ok: false, error: IpcError.invalidArgument('Malformed message: expected {t:"req", id, name, arg}').toData() });
      return;
    }
    const message = parsed.data;
    if (message.t === 'ping') return send({ t: 'pong' });
    const response = await this.options.hub.router.dispatch(message.name, message.arg, { panel });
    send({ t: 'res', id: message.id, ...response });
  }

  private checkHeartbeats(): void {
    for (const ws of this.sockets.clients) {
      const alive = this.aliveFlags.get(ws);
      if (!alive?.value) {
        ws.terminate();
        continue;
      }
      alive.value = false;
      ws.ping();
    }
  }
}
