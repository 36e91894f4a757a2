import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../src-shared/ipc/wire';
import { MessageQueue } from '../../test-support/message-queue';
import { createTestHub, makeTempDir, type TestHub } from '../../test-support/test-hub';
import { CLOSE_PAIRING_REVOKED, DEFAULT_PANEL_SERVER_LIMITS, PanelServer } from '../panel-server';

const WAIT_MS = 5_000;
/** Still this machine, but not the hub's loopback address: the server treats it as a LAN tablet. */
const LAN_ADDRESS = '127.0.0.2';

interface Client {
  socket: WebSocket;
  /** Resolves with the next message that matches, or rejects after WAIT_MS. */
  next(match: (m: ServerMessage) => boolean): Promise<ServerMessage>;
}

function connect(url: string, headers: Record<string, string> = {}, localAddress?: string, waitMs = WAIT_MS, query = ''): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace('http:', 'ws:') + '/ws' + query, { headers, localAddress });
    const queue = new MessageQueue<ServerMessage>(waitMs);
    socket.on('message', (data) => queue.push(JSON.parse(data.toString()) as ServerMessage));
    socket.on('open', () => resolve({ socket, next: (match) => queue.next(match, 'matching message') }));
    socket.on('unexpected-response', (_, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.on('error', reject);
  });
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  base: string,
  rawPath: string,
  options: { method?: string; body?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const headers = { ...(options.body === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }), ...options.headers };
    const req = http.request({ hostname, port, path: rawPath, method: options.method ?? 'GET', headers, localAddress: options.localAddress }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    req.setTimeout(WAIT_MS, () => req.destroy(new Error(`${rawPath} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('PanelServer', () => {
  let testHub: TestHub;
  let server: PanelServer;
  let url: string;
  const clients: WebSocket[] = [];

  beforeEach(async () => {
    testHub = await createTestHub();
    const staticDir = makeTempDir('hi-static-');
    mkdirSync(path.join(staticDir, 'assets'));
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>panel</title>');
    server = new PanelServer({ hub: testHub.hub, host: '127.0.0.1', port: 0, staticDir });
    url = await server.listen();
  });

  afterEach(async () => {
    clients.forEach((c) => c.terminate());
    clients.length = 0;
    await server.close();
    await testHub.close();
  });

  const open = async (headers?: Record<string, string>, localAddress?: string) => {
    const client = await connect(url, headers, localAddress);
    clients.push(client.socket);
    return client;
  };

  it('answers a request with its id and the router’s envelope', async () => {
    const client = await open();
    client.socket.send(JSON.stringify({ t: 'req', id: 7, name: 'settings.sections.get', arg: {} }));
    const answer = await client.next((m) => m.t === 'res' && m.id === 7);
    expect(answer).toMatchObject({ t: 'res', id: 7, ok: true });
    expect((answer as { value: Array<{ subsystem: string }> }).value.map((s) => s.subsystem)).toContain('console');
  });

  it('sends at once the snapshot a socket asks for in its address, with the early id, and nothing for a malformed ask', async () => {
    const asking = await connect(url, {}, undefined, WAIT_MS, '?snapshot=default');
    clients.push(asking.socket);
    const first = await asking.next((m) => m.t === 'res');
    expect(first).toMatchObject({ t: 'res', id: 0, ok: true });
    expect(Object.keys((first as { value: object }).value)).toEqual(expect.arrayContaining(['view', 'integrations', 'console']));

    const malformed = await connect(url, {}, undefined, WAIT_MS, '?snapshot=../1');
    clients.push(malformed.socket);
    malformed.socket.send(JSON.stringify({ t: 'req', id: 5, name: 'settings.sections.get', arg: {} }));
    expect(await malformed.next((m) => m.t === 'res')).toMatchObject({ id: 5, ok: true });
  });

  it('answers malformed messages with invalid_argument and keeps the socket open', async () => {
    const client = await open();
    client.socket.send('this is not json');
    expect(await client.next((m) => m.t === 'res')).toMatchObject({ ok: false, id: null, error: { code: 'invalid_argument' } });
    client.socket.send(JSON.stringify({ t: 'req', id: 'x', name: 3 }));
    expect(await client.next((m) => m.t === 'res')).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    client.socket.send(JSON.stringify({ t: 'req', id: 8, name: 'settings.update', arg: { subsystem: 'console', key: 'latitude', value: 'north' } }));
    expect(await client.next((m) => m.t === 'res' && m.id === 8)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    client.socket.send(JSON.stringify({ t: 'ping' }));
    expect(await client.next((m) => m.t === 'pong')).toEqual({ t: 'pong' });
  });

  it('pushes hub events to every connected panel', async () => {
    const [a, b] = [await open(), await open()];
    // Metric is the default: imperial is a change.
    a.socket.send(JSON.stringify({ t: 'req', id: 1, name: 'settings.update', arg: { subsystem: 'console', key: 'units', value: 'imperial' } }));
    for (const client of [a, b]) {
      const event = await client.next((m) => m.t === 'evt' && m.name === 'settings.changed');
      expect(event).toMatchObject({ payload: { settings: [{ subsystem: 'console', key: 'units', value: 'imperial' }] } });
    }
  });

  it('removes a panel’s session and event subscription when its socket closes', async () => {
    const listenersBefore = testHub.hub.events.listenerCount;
    const sessionsBefore = testHub.hub.panels.count;
    const client = await open();
    expect(testHub.hub.events.listenerCount).toBe(listenersBefore + 1);
    expect(testHub.hub.panels.count).toBe(sessionsBefore + 1);
    await new Promise<void>((resolve) => {
      client.socket.once('close', () => resolve());
      client.socket.close();
    });
    for (let i = 0; i < 50 && testHub.hub.panels.count !== sessionsBefore; i++) await new Promise((r) => setTimeout(r, 20));
    expect(testHub.hub.events.listenerCount).toBe(listenersBefore);
    expect(testHub.hub.panels.count).toBe(sessionsBefore);
  });

  it('refuses a socket opened from another site’s page', async () => {
    await expect(open({ Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('refuses a socket whose Origin is null or garbage with a clean 403', async () => {
    for (const origin of ['null', 'garbage', 'http://', 'file://']) {
      await expect(open({ Origin: origin }), origin).rejects.toThrow('HTTP 403');
    }
  });

  it('accepts a socket from the hub’s own origins', async () => {
    const { port } = new URL(url);
    for (const origin of [url, `http://localhost:${port}`]) {
      const client = await open({ Origin: origin });
      client.socket.send(JSON.stringify({ t: 'ping' }));
      expect(await client.next((m) => m.t === 'pong')).toEqual({ t: 'pong' });
    }
  });

  it('refuses requests that do not name the hub (DNS rebinding) on every route and on the upgrade', async () => {
    const { port } = new URL(url);
    for (const rawPath of ['/', '/healthz', '/pair', '/pair.css', '/index.html', '/data/files/x.pdf']) {
      expect((await request(url, rawPath, { headers: { Host: `rebound.example:${port}` } })).status, rawPath).toBe(421);
      expect((await request(url, rawPath, { headers: { Host: '127.0.0.1' } })).status, rawPath).toBe(421);
    }
    // The rebound page's own origin matches its Host, which the old check took for the hub itself.
    await expect(open({ Host: `rebound.example:${port}`, Origin: `http://rebound.example:${port}` })).rejects.toThrow('HTTP 421');
    await expect(open({ Host: `localhost:${Number(port) + 1}` })).rejects.toThrow('HTTP 421');
    expect((await request(url, '/', { headers: { Host: `localhost:${port}` } })).status).toBe(200);
  });

  it('refuses a pairing form posted from another origin', async () => {
    const body = `code=${testHub.hub.pairing.currentCode()}`;
    for (const origin of ['null', 'http://evil.example']) {
      const answer = await request(url, '/pair', { method: 'POST', body, headers: { Origin: origin }, localAddress: LAN_ADDRESS });
      expect(answer.status, origin).toBe(403);
    }
    expect(await testHub.hub.pairing.pairedClientCount()).toBe(0);
    const paired = await request(url, '/pair', { method: 'POST', body, headers: { Origin: url }, localAddress: LAN_ADDRESS });
    expect(paired.status).toBe(303);
  });

  it('closes a paired panel’s socket when it is revoked, and refuses its token after', async () => {
    const paired = await request(url, '/pair', { method: 'POST', body: `code=${testHub.hub.pairing.currentCode()}`, localAddress: LAN_ADDRESS });
    expect(paired.status).toBe(303);
    const cookie = String(paired.headers['set-cookie']?.[0]).split(';')[0]!;
    const tablet = await open({ Cookie: cookie }, LAN_ADDRESS);
    const closed = new Promise<number>((resolve) => tablet.socket.once('close', (code) => resolve(code)));
    const [panel] = await testHub.hub.pairing.list();
    expect(panel).toMatchObject({ address: LAN_ADDRESS, connected: true });
    expect(server.connectionStats().map((c) => c.pairedClientId)).toContain(panel!.id);

    expect(await testHub.invoke('system.panels.revoke', { id: panel!.id })).toMatchObject({ ok: true });
    expect(await closed).toBe(CLOSE_PAIRING_REVOKED);
    await expect(open({ Cookie: cookie }, LAN_ADDRESS)).rejects.toThrow('HTTP 401');
    expect((await request(url, '/', { headers: { Cookie: cookie }, localAddress: LAN_ADDRESS })).status).toBe(401);
  });

  it('answers requests past the in-flight limit with rate_limited, while another panel is still served', async () => {
    // A server that accepts connections and never answers: each integration test against it stays in flight.
    const held: net.Socket[] = [];
    const blackHole = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const { port } = blackHole.address() as net.AddressInfo;
    try {
      const flooder = await open();
      const other = await open();
      const total = DEFAULT_PANEL_SERVER_LIMITS.maxInFlight + 24;
      const arg = { key: 'home_assistant', fields: { url: `http://127.0.0.1:${port}`, token: 'hold' } };
      for (let id = 0; id < total; id += 1) flooder.socket.send(JSON.stringify({ t: 'req', id, name: 'integration.test', arg }));
      const limited: ServerMessage[] = [];
      for (let id = DEFAULT_PANEL_SERVER_LIMITS.maxInFlight; id < total; id += 1) limited.push(await flooder.next((m) => m.t === 'res' && m.id === id));
      expect(limited.every((m) => m.t === 'res' && !m.ok && m.error.code === 'rate_limited')).toBe(true);

      other.socket.send(JSON.stringify({ t: 'req', id: 1, name: 'hub.snapshot', arg: {} }));
      expect(await other.next((m) => m.t === 'res' && m.id === 1)).toMatchObject({ ok: true });
      const stats = server.connectionStats();
      expect(Math.max(...stats.map((c) => c.peakInFlight))).toBe(DEFAULT_PANEL_SERVER_LIMITS.maxInFlight);
      expect(stats.reduce((sum, c) => sum + c.rateLimited, 0)).toBe(limited.length);

      // Once the held requests end, the connection is usable again.
      for (const socket of held) socket.destroy();
      for (let id = 0; id < DEFAULT_PANEL_SERVER_LIMITS.maxInFlight; id += 1) await flooder.next((m) => m.t === 'res' && m.id === id);
      flooder.socket.send(JSON.stringify({ t: 'req', id: 5000, name: 'hub.snapshot', arg: {} }));
      expect(await flooder.next((m) => m.t === 'res' && m.id === 5000)).toMatchObject({ ok: true });
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    }
  });

  it('serves only files inside the renderer folder', async () => {
    expect(await get(url + '/')).toBe(200);
    expect(await get(url + '/%2e%2e/%2e%2e/etc/passwd')).toBe(404);
    expect(await get(url + '/../package.json')).toBe(404);
    expect(await get(url + '/missing.js')).toBe(404);
  });
});

describe('PanelServer back-pressure', () => {
  const limits = { maxInFlight: 16, pauseBufferedBytes: 64 * 1024, closeBufferedBytes: 512 * 1024 };
  let testHub: TestHub;
  let server: PanelServer;
  let url: string;

  beforeEach(async () => {
    testHub = await createTestHub();
    const staticDir = makeTempDir('hi-static-');
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>panel</title>');
    server = new PanelServer({ hub: testHub.hub, host: '127.0.0.1', port: 0, staticDir, limits });
    url = await server.listen();
  });

  afterEach(async () => {
    await server.close();
    await testHub.close();
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

  it('stops reading from a client that never reads, then drops it, with its send buffer bounded', async () => {
    const client = await connect(url);
    const closedByHub = new Promise<void>((resolve) => client.socket.once('close', () => resolve()));
    // The client's own socket stops reading: the hub's answers pile up in its send buffer.
    client.socket.pause();
    const sessionsWithClient = testHub.hub.panels.count;
    let peakBuffered = 0;
    const observe = () => {
      const stats = server.connectionStats()[0];
      if (stats) peakBuffered = Math.max(peakBuffered, stats.bufferedBytes);
      return stats;
    };
    let nextId = 0;
    for (let wave = 0; wave < 2000 && !observe()?.paused; wave += 1) {
      for (let i = 0; i < limits.maxInFlight; i += 1) client.socket.send(JSON.stringify({ t: 'req', id: nextId++, name: 'hub.snapshot', arg: {} }));
      for (let wait = 0; wait < 200 && (observe()?.inFlight ?? 0) > 0; wait += 1) await settle();
      await settle();
    }
    expect(observe()?.paused).toBe(true);
    // Requests sent now are not read while it is paused.
    const rateLimitedBefore = observe()!.rateLimited;
    for (let i = 0; i < 100; i += 1) client.socket.send(JSON.stringify({ t: 'req', id: nextId++, name: 'hub.snapshot', arg: {} }));
    await settle();
    expect(observe()!.rateLimited).toBe(rateLimitedBefore);

    // Events keep coming; past the second bound the hub drops the client instead of buffering more.
    const payload = { reason: 'x'.repeat(16 * 1024) };
    for (let i = 0; i < 1000 && server.connectionStats().length > 0; i += 1) {
      testHub.hub.events.emit('home.changed', payload);
      observe();
      await settle();
    }
    expect(server.connectionStats()).toHaveLength(0);
    expect(peakBuffered).toBeLessThanOrEqual(limits.closeBufferedBytes);
    expect(testHub.hub.panels.count).toBe(sessionsWithClient - 1);
    client.socket.resume();
    await closedByHub;
  });

  it('resumes reading once a slow client catches up', async () => {
    // Catching up means reading megabytes of answers that sat in the kernel's socket buffers: allow for a slow machine.
    const client = await connect(url, {}, undefined, 30_000);
    client.socket.pause();
    let nextId = 0;
    for (let wave = 0; wave < 2000 && !server.connectionStats()[0]?.paused; wave += 1) {
      for (let i = 0; i < limits.maxInFlight; i += 1) client.socket.send(JSON.stringify({ t: 'req', id: nextId++, name: 'hub.snapshot', arg: {} }));
      for (let wait = 0; wait < 200 && (server.connectionStats()[0]?.inFlight ?? 0) > 0; wait += 1) await settle();
      await settle();
    }
    expect(server.connectionStats()[0]?.paused).toBe(true);
    client.socket.resume();
    const last = nextId + 1;
    client.socket.send(JSON.stringify({ t: 'req', id: last, name: 'hub.snapshot', arg: {} }));
    expect(await client.next((m) => m.t === 'res' && m.id === last)).toMatchObject({ ok: true });
    expect(server.connectionStats()[0]?.paused).toBe(false);
    client.socket.terminate();
  });
});
