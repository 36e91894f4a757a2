import { constants as fsConstants, existsSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/csp';
import { PanelKind } from '../../src-shared/enums';
import { IpcError, type IpcErrorData } from '../../src-shared/ipc/errors';
import { EARLY_SNAPSHOT_ID, PANEL_SOCKET_PATH, SNAPSHOT_QUERY, snapshotViewOfQuery } from '../../src-shared/ipc/panel-socket';
import { clientMessageSchema, MAX_SOCKET_MESSAGE_BYTES, PAIRING_COOKIE, type ServerMessage } from '../../src-shared/ipc/wire';
import { parseCameraPath, readPanelId } from '../../src-shared/mjpeg/camera-paths';
import { resolveDataFile } from '../host/data-file-access';
import type { Hub } from '../hub';
import type { PanelSession } from '../ipc/panel-sessions';
import { serverResponseReply } from '../modules/camera/camera-replies';
import { DATA_URL_PREFIX } from '../modules/location/location-manager';
import { createLogger } from '../util/log';
import { HostPolicy } from './host-policy';
import { PAIRING_CSS, pairingPage } from './pairing-page';

const log = createLogger('panel-server');

const SOCKET_HEARTBEAT_MS = 30_000;
const MAX_FORM_BYTES = 4096;
const PAIRING_COOKIE_MAX_AGE_S = 10 * 365 * 24 * 3600;
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** Close code (application range) telling a browser panel that the hub forgot its pairing. */
export const CLOSE_PAIRING_REVOKED = 4001;

export interface PanelServerLimits {
  /** Requests of one connection being worked on at once; more are answered `rate_limited` straight away. */
  maxInFlight: number;
  /** Unsent bytes at which the server stops reading the connection's requests until they drain. */
  pauseBufferedBytes: number;
  /** Unsent bytes past which the connection is dropped; the panel reconnects and resyncs from a snapshot. */
  closeBufferedBytes: number;
}

export const DEFAULT_PANEL_SERVER_LIMITS: PanelServerLimits = {
  maxInFlight: 16,
  pauseBufferedBytes: 1024 * 1024,
  closeBufferedBytes: 8 * 1024 * 1024,
};

/** Where Vite writes the build's files under names that change with their content. */
const HASHED_ASSETS_DIR = 'assets';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

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
  '.wav': 'audio/wav',
};

export interface PanelServerOptions {
  hub: Hub;
  host: string;
  port: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  limits?: Partial<PanelServerLimits>;
}

/** How one open socket is doing, for health and tests. */
export interface ConnectionStats {
  panelId: string;
  /** The paired client it authenticated as; null on the hub itself. */
  pairedClientId: number | null;
  inFlight: number;
  peakInFlight: number;
  rateLimited: number;
  bufferedBytes: number;
  paused: boolean;
}

interface Connection {
  readonly ws: WebSocket;
  readonly panel: PanelSession;
  readonly pairedClientId: number | null;
  inFlight: number;
  peakInFlight: number;
  rateLimited: number;
  /** Why reading from it is paused: it has not read our answers, or it has the most requests in progress. */
  readonly pausedFor: Set<'backlog' | 'requests'>;
}

interface Access {
  isLocal: boolean;
  pairedClientId: number | null;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Not no-referrer: under it a browser sends `Origin: null` with our own pairing form, which must be refused.
  res.setHeader('Referrer-Policy', 'same-origin');
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

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
}

/** The file changed size while it was being sent: the response must not end as if it were complete. */
const exactly = (size: number) =>
  async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let sent = 0;
    for await (const chunk of source) {
      sent += chunk.length;
      yield chunk;
    }
    if (sent !== size) throw new Error(`it changed while being sent (${sent} of ${size} bytes)`);
  };

function pauseReading(connection: Connection, reason: 'backlog' | 'requests'): void {
  if (connection.pausedFor.size === 0) connection.ws.pause();
  connection.pausedFor.add(reason);
}

function resumeReading(connection: Connection, reason: 'backlog' | 'requests'): void {
  if (!connection.pausedFor.delete(reason) || connection.pausedFor.size > 0) return;
  if (connection.ws.readyState === connection.ws.OPEN) connection.ws.resume();
}

const isClientGone = (error: unknown): boolean => (error as { code?: unknown })?.code === 'ERR_STREAM_PREMATURE_CLOSE';

/**
 * Serves browser panels: the built renderer and one WebSocket speaking the IPC contract. Only requests that name
 * the hub (`Host`, and `Origin` where sent) are answered; clients on the hub itself (loopback) are trusted, any
 * other address must have paired with the code shown in the settings dialog. Each socket has a bounded number of
 * requests in flight and a bounded send buffer.
 */
export class PanelServer {
  private readonly server: Server;
  // One message per socket per event-loop turn: a client that floods cannot hold the loop while others wait.
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES, allowSynchronousEvents: false });
  private readonly staticRoot: string;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Cleared at each heartbeat, set by any pong or message; a socket still clear at the next one is dead. */
  private readonly aliveFlags = new WeakMap<WebSocket, { value: boolean }>();
  private readonly connections = new Set<Connection>();
  private readonly limits: PanelServerLimits;
  /** Built once: a flood must not cost a stack trace per refused frame. */
  private readonly rateLimitedError: IpcErrorData;
  /** Known once the port is; nothing is answered before that. */
  private hostPolicy: HostPolicy | null = null;

  constructor(private readonly options: PanelServerOptions) {
    this.staticRoot = path.resolve(options.staticDir);
    this.limits = { ...DEFAULT_PANEL_SERVER_LIMITS, ...options.limits };
    this.rateLimitedError = IpcError.rateLimited(`This panel already has ${this.limits.maxInFlight} requests in progress; try again shortly.`).toData();
    this.server = createServer((req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        log.error(`${req.method} ${req.url} failed`, error);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal error');
      });
    });
    this.server.on('upgrade', (req, socket: Socket, head) => {
      // Node stops watching an upgrading socket; a reset while its pairing is checked must not crash the hub.
      socket.on('error', () => socket.destroy());
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
    this.hostPolicy = new HostPolicy({ listenHost: this.options.host, port, allowedHosts: this.options.hub.runtime.allowedHosts });
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

  /** The open sockets, for health and tests. */
  connectionStats(): ConnectionStats[] {
    return [...this.connections].map((c) => ({
      panelId: c.panel.id,
      pairedClientId: c.pairedClientId,
      inFlight: c.inFlight,
      peakInFlight: c.peakInFlight,
      rateLimited: c.rateLimited,
      bufferedBytes: c.ws.bufferedAmount,
      paused: c.pausedFor.size > 0,
    }));
  }

  private namesThisHub(req: IncomingMessage): boolean {
    return this.hostPolicy?.isAllowedHost(req.headers.host) ?? false;
  }

  /** An absent Origin is a non-browser client; a browser always sends one on a socket or a form POST. */
  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === undefined || (this.hostPolicy?.isAllowedOrigin(origin) ?? false);
  }

  /** Null when the client must pair first. Only called once `Host` named this hub. */
  private async authenticate(req: IncomingMessage): Promise<Access | null> {
    const remote = req.socket.remoteAddress ?? '';
    if (LOOPBACK_ADDRESSES.has(remote)) return { isLocal: true, pairedClientId: null };
    const token = readCookie(req, PAIRING_COOKIE);
    const pairedClientId = token === null ? null : await this.options.hub.pairing.clientIdFor(token, remote);
    return pairedClientId === null ? null : { isLocal: false, pairedClientId };
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    if (!this.namesThisHub(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('This hub does not answer to that host name.');
      return;
    }
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
    const access = await this.authenticate(req);
    if (!access) {
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
    const camera = parseCameraPath(pathname);
    if (camera !== null) await this.serveCamera(camera, url, access, req, res);
    else if (pathname.startsWith(`/${DATA_URL_PREFIX}/`)) await this.serveData(pathname, req, res);
    else await this.serveStatic(pathname, req, res);
  }

  /** A camera's stream or snapshot through the hub, counted against the asking panel's stream cap. */
  private async serveCamera(camera: NonNullable<ReturnType<typeof parseCameraPath>>, url: URL, access: Access, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (camera === 'invalid') return notFound(res);
    const clientKey = access.pairedClientId === null ? 'hub' : `paired-${access.pairedClientId}`;
    const panelKey = `${clientKey}/${readPanelId(url.searchParams.get('panel')) ?? 'unnamed'}`;
    await this.options.hub.cameras.handle({ ...camera, clientKey, panelKey }, serverResponseReply(res, req.method === 'HEAD'));
  }

  private async serveData(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = resolveDataFile(this.options.hub.runtime.dataDir, pathname.slice(DATA_URL_PREFIX.length + 2));
    if (!answer) return notFound(res);
    if (answer.csp !== null) res.setHeader('Content-Security-Policy', answer.csp);
    await this.sendFile(answer.file, answer.contentType, 'private, max-age=31536000, immutable', req, res);
  }

  private async handlePairing(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, message: string | null, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': CONTENT_TYPES['.html']!, 'Cache-Control': 'no-store', ...headers });
      res.end(pairingPage(message));
    };
    if (req.method === 'GET') return answer(200, null);
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'GET, POST' }).end();
    if (!this.originAllowed(req)) return void res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden');
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
      const retryAfter = { 'Retry-After': String(Math.max(1, Math.ceil((result.retryAfterMs ?? 0) / 1000))) };
      switch (result.reason) {
        case 'too_many_attempts':
          return answer(429, 'Too many wrong codes. Wait a minute and try again.', retryAfter);
        case 'paused':
          return answer(
            429,
            `Pairing is paused after too many wrong codes; the hub shows a new code. Try again in ${Math.ceil((result.retryAfterMs ?? 0) / 60_000)} minutes.`,
            retryAfter,
          );
        case 'wrong_code':
          return answer(401, 'That code is not right. Check the code on the hub and try again.');
      }
    }
    log.info(`Paired a panel at ${remote}`);
    res.writeHead(303, {
      Location: '/',
      'Set-Cookie': `${PAIRING_COOKIE}=${encodeURIComponent(result.token)}; Max-Age=${PAIRING_COOKIE_MAX_AGE_S}; Path=/; HttpOnly; SameSite=Strict`,
    });
    res.end();
  }

  private async serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = path.resolve(this.staticRoot, relative);
    if (!file.startsWith(this.staticRoot + path.sep)) return notFound(res);
    const contentType = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    // Only the build's hashed files may be kept unasked: index.html and the public files keep their names when they
    // change, so the browser revalidates them (a 304 when unchanged).
    const isHashed = file.startsWith(path.join(this.staticRoot, HASHED_ASSETS_DIR) + path.sep);
    await this.sendFile(file, contentType, isHashed ? IMMUTABLE : REVALIDATE, req, res);
  }

  /**
   * One open and one fstat, so what is checked is what is sent; O_NONBLOCK keeps a FIFO from blocking the open.
   * A read that fails or comes up short after the headers went out ends the connection rather than the process.
   * A file the browser must revalidate carries a validator, and a request that still holds it gets a 304.
   */
  private async sendFile(file: string, contentType: string, cacheControl: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    } catch {
      return notFound(res);
    }
    let size: number;
    let etag: string | null = null;
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) {
        await handle.close();
        return notFound(res);
      }
      size = stats.size;
      if (cacheControl === REVALIDATE) etag = `W/"${size.toString(16)}-${Math.trunc(stats.mtimeMs).toString(16)}"`;
    } catch (error) {
      await handle.close();
      throw error;
    }
    if (etag !== null && req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) {
      await handle.close();
      res.writeHead(304, { 'Cache-Control': cacheControl, ETag: etag }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': cacheControl, 'Content-Length': size, ...(etag === null ? {} : { ETag: etag }) });
    if (req.method === 'HEAD' || size === 0) {
      await handle.close();
      res.end();
      return;
    }
    try {
      await pipeline(handle.createReadStream({ start: 0, end: size - 1 }), exactly(size), res);
    } catch (error) {
      res.destroy();
      if (!isClientGone(error)) log.warn(`Could not send ${path.basename(file)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!this.namesThisHub(req)) return refuse('421 Misdirected Request');
    const url = new URL(req.url ?? '/', 'http://panel.invalid');
    if (url.pathname !== PANEL_SOCKET_PATH) return refuse('404 Not Found');
    // A page on another site must not be able to drive the hub through a paired browser.
    if (!this.originAllowed(req)) return refuse('403 Forbidden');
    const access = await this.authenticate(req);
    if (!access) return refuse('401 Unauthorized');
    const snapshotView = snapshotViewOfQuery(url.searchParams.get(SNAPSHOT_QUERY));
    this.sockets.handleUpgrade(req, socket, head, (ws) => this.attach(ws, socket, access, snapshotView));
  }

  /** `snapshotView`: the view of the snapshot the page asked for in the socket's address (see SNAPSHOT_QUERY), sent at once. */
  private attach(ws: WebSocket, socket: Socket, access: Access, snapshotView: number | 'default' | null): void {
    const { hub } = this.options;
    const { limits } = this;
    const panel = hub.panels.open(PanelKind.BROWSER, access.isLocal, hub.clock.now());
    const connection: Connection = { ws, panel, pairedClientId: access.pairedClientId, inFlight: 0, peakInFlight: 0, rateLimited: 0, pausedFor: new Set() };
    this.connections.add(connection);
    const alive = { value: true };
    this.aliveFlags.set(ws, alive);
    const send = (message: ServerMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      const text = JSON.stringify(message);
      if (ws.bufferedAmount + Buffer.byteLength(text) > limits.closeBufferedBytes) {
        log.warn(`Dropping panel ${panel.id}: it is ${ws.bufferedAmount} bytes behind`);
        ws.terminate();
        return;
      }
      ws.send(text);
      // Stop reading its requests until it has read our answers.
      if (ws.bufferedAmount > limits.pauseBufferedBytes) pauseReading(connection, 'backlog');
    };
    socket.on('drain', () => {
      if (ws.bufferedAmount <= limits.pauseBufferedBytes) resumeReading(connection, 'backlog');
    });
    const unsubscribe = hub.events.onAny((name, payload) => send({ t: 'evt', name, payload }));
    const revoked = () => ws.close(CLOSE_PAIRING_REVOKED, 'pairing revoked');
    const release = access.pairedClientId === null ? null : hub.pairing.attachConnection(access.pairedClientId, revoked);
    ws.on('pong', () => (alive.value = true));
    ws.on('message', (data, isBinary) => {
      alive.value = true;
      if (ws.readyState !== ws.OPEN) return;
      void this.handleMessage(isBinary ? null : data.toString(), connection, send);
    });
    ws.on('close', () => {
      unsubscribe();
      release?.();
      this.connections.delete(connection);
      hub.closePanel(panel.id);
    });
    ws.on('error', (error) => log.warn(`Panel ${panel.id} socket error`, error));
    if (access.pairedClientId !== null && release === null) revoked();
    // As if asked: through the router's checks and the connection's limits, like any request.
    else if (snapshotView !== null) {
      void this.handleRequest({ id: EARLY_SNAPSHOT_ID, name: 'hub.snapshot', arg: { view: snapshotView } }, connection, send);
    }
  }

  private async handleMessage(text: string | null, connection: Connection, send: (m: ServerMessage) => void): Promise<void> {
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
    await this.handleRequest(message, connection, send);
  }

  /** One request, parsed or made by the hub itself (the early snapshot), within the connection's in-flight limit. */
  private async handleRequest(message: { id: number; name: string; arg: unknown }, connection: Connection, send: (m: ServerMessage) => void): Promise<void> {
    if (connection.inFlight >= this.limits.maxInFlight) {
      // Only frames that were already read when reading paused get here.
      connection.rateLimited += 1;
      return send({ t: 'res', id: message.id, ok: false, error: this.rateLimitedError });
    }
    connection.inFlight += 1;
    connection.peakInFlight = Math.max(connection.peakInFlight, connection.inFlight);
    // A client at its limit waits in its own socket's buffer, not in the hub's event loop, so others are served.
    if (connection.inFlight >= this.limits.maxInFlight) pauseReading(connection, 'requests');
    try {
      const response = await this.options.hub.router.dispatch(message.name, message.arg, { panel: connection.panel });
      send({ t: 'res', id: message.id, ...response });
    } finally {
      connection.inFlight -= 1;
      resumeReading(connection, 'requests');
    }
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
