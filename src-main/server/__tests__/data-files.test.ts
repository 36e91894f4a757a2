import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, HOSTILE_PLAN, pdfFixture, pngFixture, uploadBuffer } from '../../test-support/home-helpers';
import { serveTestHub, type ServedHub } from '../../test-support/served-hub';
import type { TestHub } from '../../test-support/test-hub';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** GET with the path sent exactly as written (no client-side normalisation of `..`). */
function get(base: string, rawPath: string): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: rawPath, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.setTimeout(5_000, () => request.destroy(new Error(`GET ${rawPath} timed out`)));
    request.on('error', reject);
    request.end();
  });
}

describe('PanelServer data files', () => {
  let served: ServedHub;
  let t: TestHub;
  let url: string;

  beforeEach(async () => {
    served = await serveTestHub();
    ({ t, url } = served);
    await call(t, 'edit.begin', {});
  });

  afterEach(() => served.close());

  it('serves a stored floor plan as SVG in a sandbox', async () => {
    const home = await call(t, 'location.create', { name: 'Home' });
    const answer = await call(t, 'location.background.set', { locationId: home.id, uploadId: await uploadBuffer(t, 'plan.svg', Buffer.from(HOSTILE_PLAN)) });
    const response = await get(url, `/${answer.location.backgroundUrl}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/(^|;\s*)sandbox(;|$)/);
    expect(csp).toContain("default-src 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body.toString('utf8')).toMatch(/^<svg /);
    expect(response.body.toString('utf8')).not.toMatch(/<script/i);
  });

  it('serves attachments with their type: a PDF, a PNG and its thumbnail', async () => {
    const home = await call(t, 'location.create', { name: 'Home' });
    const owner = { kind: 'location' as const, id: home.id };
    const pdf = pdfFixture();
    const manual = await call(t, 'attribute.create', { owner, name: 'Manual', valueType: 'file', uploadId: await uploadBuffer(t, 'manual.pdf', pdf) });
    const pdfResponse = await get(url, `/${manual.file!.url}`);
    expect(pdfResponse.status).toBe(200);
    expect(pdfResponse.headers['content-type']).toBe('application/pdf');
    expect(pdfResponse.body.equals(pdf)).toBe(true);

    const png = await pngFixture();
    const photo = await call(t, 'attribute.create', { owner, name: 'Photo', valueType: 'file', uploadId: await uploadBuffer(t, 'photo.png', png) });
    const pngResponse = await get(url, `/${photo.file!.url}`);
    expect(pngResponse.status).toBe(200);
    expect(pngResponse.headers['content-type']).toBe('image/png');
    expect(String(pngResponse.headers['content-security-policy'])).toMatch(/(^|;\s*)sandbox(;|$)/);
    expect(pngResponse.body.equals(png)).toBe(true);
    const thumbnail = await get(url, `/${photo.file!.thumbnailUrl}`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/webp');
  });

  it('refuses anything outside the data folders', async () => {
    const home = await call(t, 'location.create', { name: 'Home' });
    const answer = await call(t, 'location.background.set', { locationId: home.id, uploadId: await uploadBuffer(t, 'plan.svg', Buffer.from(HOSTILE_PLAN)) });
    const planName = path.basename(answer.location.backgroundUrl!);
    // Files that must never be served: the key, the database, a dotfile and an upload in progress.
    expect(existsSync(path.join(t.dataDir, 'secret.key'))).toBe(true);
    writeFileSync(path.join(t.dataDir, 'locations', '.hidden'), 'hidden');
    mkdirSync(path.join(t.dataDir, 'files', 'nested'), { recursive: true });
    writeFileSync(path.join(t.dataDir, 'files', 'nested', 'deep.txt'), 'deep');
    const { uploadId } = await call(t, 'file.upload.begin', { fileName: 'pending.pdf', size: 10 });

    const refused = [
      '/data/../secret.key',
      '/data/%2e%2e/secret.key',
      '/data/files/..%2f..%2fsecret.key',
      '/data/files/%2e%2e%2fsecret.key',
      '/data/locations/..%2F..%2Fhome-information.sqlite',
      '/data/secret.key',
      '/data/home-information.sqlite',
      '/data/locations/.hidden',
      '/data/locations/',
      '/data/files/nested/deep.txt',
      `/data/uploads/${uploadId}`,
      '/data/files/thumbnails/../../secret.key',
      `/data/locations/${planName}%00.txt`,
      '/data/files/missing.pdf',
    ];
    for (const rawPath of refused) {
      const response = await get(url, rawPath);
      expect(response.status, rawPath).toBe(404);
      expect(response.body.toString('utf8'), rawPath).not.toContain('hidden');
    }
    // The same plan is served by its real name.
    expect((await get(url, `/data/locations/${planName}`)).status).toBe(200);
  });

  it('answers a malformed escape in a data path as a client error, not a server failure', async () => {
    const response = await get(url, '/data/files/%E0%A4%A.pdf');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
