import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../src-shared/ipc/wire';
import { MessageQueue } from '../../test-support/message-queue';
import { createTestHub, makeTempDir, type TestHub } from '../../test-support/test-hub';
import { PanelServer } from '../panel-server';

const WAIT_MS = 5_000;

interface Client {
  socket: WebSocket;
  /** Resolves with the next message that matches, or rejects after WAIT_MS. */
  next(match: (m: ServerMessage) => boolean): Promise<ServerMessage>;
}

function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace('http:', 'ws:') + '/ws', { headers });
    const queue = new MessageQueue<ServerMessage>(WAIT_MS);
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

  const open = async (headers?: Record<string, string>) => {
    const client = await connect(url, headers);
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
    a.socket.send(JSON.stringify({ t: 'req', id: 1, name: 'settings.update', arg: { subsystem: 'console', key: 'units', value: 'metric' } }));
    for (const client of [a, b]) {
      const event = await client.next((m) => m.t === 'evt' && m.name === 'settings.changed');
      expect(event).toMatchObject({ payload: { settings: [{ subsystem: 'console', key: 'units', value: 'metric' }] } });
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

  it('serves only files inside the renderer folder', async () => {
    expect(await get(url + '/')).toBe(200);
    expect(await get(url + '/%2e%2e/%2e%2e/etc/passwd')).toBe(404);
    expect(await get(url + '/../package.json')).toBe(404);
    expect(await get(url + '/missing.js')).toBe(404);
  });
});
