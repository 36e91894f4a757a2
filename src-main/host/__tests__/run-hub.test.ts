import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PanelKind } from '../../../src-shared/enums';
import type { Hub } from '../../hub';
import { readRuntimeConfig } from '../../runtime-config';
import { PanelServer } from '../../server/panel-server';
import { makeTempDir } from '../../test-support/test-hub';
import { runHub, type RunHubOptions, type ServedPanels } from '../run-hub';

const dirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  dirs.push(dir);
  return dir;
}

function hubOptions(dataDir = tempDir('hi-run-hub-')): RunHubOptions['hub'] {
  const runtime = readRuntimeConfig([], {}, { dataDir, version: 'test' });
  return { runtime: { ...runtime, suppressMonitors: true } };
}

function staticDir(): string {
  const dir = tempDir('hi-run-hub-static-');
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>panel</title>');
  return dir;
}

async function servePanelServer(hub: Hub, dir: string): Promise<ServedPanels> {
  const server = new PanelServer({ hub, host: '127.0.0.1', port: 0, staticDir: dir });
  return { url: await server.listen(), close: () => server.close() };
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.setTimeout(5_000, () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

/** A real HTTP server holding one request open, so that closing it waits until the test lets go. */
async function stuckServer(): Promise<{ served: ServedPanels; release(): void }> {
  let holding: http.ServerResponse | undefined;
  let received!: () => void;
  const requestArrived = new Promise<void>((resolve) => (received = resolve));
  const server = http.createServer((_req, res) => {
    holding = res;
    received();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = http.get(url);
  client.on('error', () => undefined);
  await requestArrived;
  return {
    served: { url, close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))) },
    release: () => {
      client.destroy();
      holding?.socket?.destroy();
    },
  };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('runHub', () => {
  it('opens, starts and serves the hub, and stops it once however often it is asked', async () => {
    const running = await runHub({ hub: hubOptions(), serve: (hub) => servePanelServer(hub, staticDir()) });
    const url = running.panelServerUrl!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await getStatus(`${url}/healthz`)).toBe(200);
    const panel = running.hub.panels.open(PanelKind.TEST, true, Date.now());
    const pairing = await running.hub.router.dispatch('system.pairing.get', {}, { panel });
    expect(pairing).toMatchObject({ ok: true, value: { panelServerUrl: url } });

    const first = running.stop();
    const second = running.stop();
    expect(second).toBe(first);
    expect(await first).toBe('stopped');
    expect(running.hub.store.sqlite.open).toBe(false);
    await expect(getStatus(`${url}/healthz`)).rejects.toThrow();
    expect(await running.stop()).toBe('stopped');
  });

  it('runs without a panel server when the host serves none', async () => {
    const running = await runHub({ hub: hubOptions(), serve: () => Promise.resolve(null) });
    expect(running.panelServerUrl).toBeNull();
    expect(await running.stop()).toBe('stopped');
  });

  it('gives up waiting after the stop timeout, and still finishes the stop once it can', async () => {
    const stuck = await stuckServer();
    const running = await runHub({ hub: hubOptions(), serve: () => Promise.resolve(stuck.served), stopTimeoutMs: 200 });
    expect(await running.stop()).toBe('timed_out');
    // The sequence is still waiting for the panel server: the database is not closed under it.
    expect(running.hub.store.sqlite.open).toBe(true);
    stuck.release();
    await running.whenStopped();
    expect(running.hub.store.sqlite.open).toBe(false);
    expect(await running.stop()).toBe('timed_out');
  });

  it('stops the hub even when the panel server fails to close, and says so', async () => {
    // A server that is no longer running fails to close (ERR_SERVER_NOT_RUNNING): a real failure on the way down.
    const gone = http.createServer();
    const served: ServedPanels = { url: 'http://127.0.0.1:1', close: () => new Promise<void>((resolve, reject) => gone.close((error) => (error ? reject(error) : resolve()))) };
    const running = await runHub({ hub: hubOptions(), serve: () => Promise.resolve(served) });
    expect(await running.stop()).toBe('failed');
    expect(running.hub.store.sqlite.open).toBe(false);
  });

  it('stops the hub and rethrows when serving fails', async () => {
    let started: Hub | undefined;
    const failure = new Error('port taken');
    await expect(
      runHub({
        hub: hubOptions(),
        serve: (hub) => {
          started = hub;
          return Promise.reject(failure);
        },
      }),
    ).rejects.toBe(failure);
    expect(started!.store.sqlite.open).toBe(false);
    await expect(started!.start()).rejects.toThrow(/stopped/);
  });

  it('leaves the data dir ready for the next start', async () => {
    const options = hubOptions();
    const first = await runHub({ hub: options });
    expect(await first.stop()).toBe('stopped');
    const second = await runHub({ hub: options });
    expect(second.hub.store.sqlite.open).toBe(true);
    expect(await second.stop()).toBe('stopped');
  });
});
