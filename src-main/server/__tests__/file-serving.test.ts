import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serveTestHub, type ServedHub } from '../../test-support/served-hub';

const WAIT_MS = 5_000;
const BIG_FILE_BYTES = 32 * 1024 * 1024;

interface Outcome {
  status: number;
  complete: boolean;
  received: number;
}

/** GETs `rawPath`; `onResponse` runs once the headers are in, with the response paused. */
function download(base: string, rawPath: string, onResponse: (response: http.IncomingMessage, request: http.ClientRequest) => void = () => {}): Promise<Outcome> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.get({ hostname, port, path: rawPath, agent: false }, (response) => {
      let received = 0;
      response.pause();
      response.on('data', (chunk: Buffer) => (received += chunk.length));
      response.on('error', () => {});
      response.on('close', () => resolve({ status: response.statusCode ?? 0, complete: response.complete, received }));
      onResponse(response, request);
    });
    request.setTimeout(WAIT_MS, () => request.destroy(new Error(`${rawPath} timed out`)));
    // Other errors follow a cut connection, which the response's close reports.
    request.on('error', (error) => {
      if (error.message.endsWith('timed out')) reject(error);
    });
  });
}

const openDescriptorsOf = (file: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;

describe('PanelServer file serving', () => {
  let served: ServedHub;
  let url: string;
  let staticDir: string;

  beforeEach(async () => {
    served = await serveTestHub((dir) => writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(BIG_FILE_BYTES, 7)));
    ({ url, staticDir } = served);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await served.close();
  });

  it('sends a whole file with its length', async () => {
    const outcome = await download(url, '/big.bin', (response) => response.resume());
    expect(outcome).toEqual({ status: 200, complete: true, received: BIG_FILE_BYTES });
  });

  it('ends the response, logging one line, when the file shrinks while it is sent', async () => {
    const logged: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    const outcome = await download(url, '/big.bin', (response) => {
      truncateSync(path.join(staticDir, 'big.bin'), 0);
      response.resume();
    });
    expect(outcome.status).toBe(200);
    expect(outcome.complete).toBe(false);
    expect(outcome.received).toBeLessThan(BIG_FILE_BYTES);
    expect(logged.filter((line) => line.includes('big.bin'))).toHaveLength(1);
    // The hub carries on serving.
    expect((await download(url, '/index.html', (response) => response.resume())).complete).toBe(true);
  });

  it('closes the file when the client goes away mid-download', async () => {
    const file = path.join(staticDir, 'big.bin');
    await download(url, '/big.bin', (_, request) => request.destroy());
    let open = openDescriptorsOf(file);
    for (let attempt = 0; attempt < 100 && open > 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      open = openDescriptorsOf(file);
    }
    expect(open).toBe(0);
  });

  it('answers 404 for a directory or a FIFO instead of reading it', async () => {
    mkdirSync(path.join(staticDir, 'folder.js'));
    execFileSync('mkfifo', [path.join(staticDir, 'pipe.js')]);
    expect((await download(url, '/folder.js', (response) => response.resume())).status).toBe(404);
    expect((await download(url, '/pipe.js', (response) => response.resume())).status).toBe(404);
  });

  it('lets the browser keep the hashed build files, and revalidates the others with a 304 while they are unchanged', async () => {
    mkdirSync(path.join(staticDir, 'assets'));
    writeFileSync(path.join(staticDir, 'assets', 'index-D4x9.js'), 'export {};');
    writeFileSync(path.join(staticDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const hashed = await fetchWith(url, '/assets/index-D4x9.js');
    expect(hashed).toMatchObject({ status: 200, cacheControl: 'public, max-age=31536000, immutable', etag: undefined });

    for (const file of ['/', '/favicon.svg']) {
      const first = await fetchWith(url, file);
      expect(first).toMatchObject({ status: 200, cacheControl: 'no-cache' });
      expect(first.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
      expect(first.body.length).toBeGreaterThan(0);
      const again = await fetchWith(url, file, { 'If-None-Match': `"other", ${first.etag}` });
      expect(again).toMatchObject({ status: 304, etag: first.etag, body: '' });
    }

    const before = await fetchWith(url, '/');
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>a new build</title>');
    const changed = await fetchWith(url, '/', { 'If-None-Match': before.etag! });
    expect(changed).toMatchObject({ status: 200, body: '<!doctype html><title>a new build</title>' });
    expect(changed.etag).not.toBe(before.etag);
  });
});

/** GETs `rawPath` with `headers`; answers the status, the caching headers and the body. */
function fetchWith(base: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; cacheControl?: string; etag?: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.get({ hostname, port, path: rawPath, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          cacheControl: response.headers['cache-control'],
          etag: response.headers.etag,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    request.setTimeout(WAIT_MS, () => request.destroy(new Error(`${rawPath} timed out`)));
    request.on('error', reject);
  });
}
