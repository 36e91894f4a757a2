import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { boundaryFromContentType, MultipartJpegParser } from '../../../src-shared/mjpeg/multipart-parser';
import { renderCameraFrame, serveMjpegStream, type MjpegStreamOptions } from '../mjpeg-source';

const WAIT_MS = 5_000;
const servers: Server[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(options: MjpegStreamOptions): Promise<{ url: string; closedResponses: () => number }> {
  let closed = 0;
  const server = createServer((req, res) => {
    res.on('close', () => closed++);
    serveMjpegStream(req, res, options);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, closedResponses: () => closed };
}

interface Read {
  contentType: string | null;
  frames: Uint8Array[];
  ended: 'end' | 'error';
  bufferedAtEnd: number;
}

async function readAll(url: string): Promise<Read> {
  const response = await fetch(url, { signal: AbortSignal.timeout(WAIT_MS) });
  const contentType = response.headers.get('content-type');
  const parser = new MultipartJpegParser({ boundary: boundaryFromContentType(contentType) ?? 'missing' });
  const frames: Uint8Array[] = [];
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { contentType, frames, ended: 'end', bufferedAtEnd: parser.bufferedBytes };
      frames.push(...parser.push(value));
    }
  } catch {
    return { contentType, frames, ended: 'error', bufferedAtEnd: parser.bufferedBytes };
  }
}

describe('renderCameraFrame', () => {
  it('draws a JPEG of the asked size whose picture moves with the frame number', async () => {
    const at = new Date('2026-03-29T01:30:00Z');
    const first = await renderCameraFrame('Front door', at, { frameNumber: 0 });
    const later = await renderCameraFrame('Front door', at, { frameNumber: 5 });
    const meta = await sharp(first).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 320, height: 180 });
    expect(first.equals(later)).toBe(false);
    const big = await sharp(await renderCameraFrame('Garage <&>', at, { width: 640, height: 360 })).metadata();
    expect(big).toMatchObject({ width: 640, height: 360 });
  });

  it('refuses a size outside its bounds', async () => {
    await expect(renderCameraFrame('x', new Date(), { width: 5000 })).rejects.toThrow(RangeError);
  });
});

describe('serveMjpegStream', () => {
  it('sends maxFrames decodable JPEG parts and then the closing delimiter', async () => {
    const { url } = await serve({ label: 'Porch', fps: 20, maxFrames: 3 });
    const read = await readAll(url);
    expect(read.contentType).toBe('multipart/x-mixed-replace; boundary=frameboundary');
    expect(read.ended).toBe('end');
    expect(read.frames).toHaveLength(3);
    for (const frame of read.frames) expect((await sharp(frame).metadata()).format).toBe('jpeg');
  });

  it('drops the connection after dropAfterFrames whole frames', async () => {
    const { url } = await serve({ label: 'Porch', fps: 20, dropAfterFrames: 2 });
    const read = await readAll(url);
    expect(read.frames).toHaveLength(2);
    expect(read.ended).toBe('error');
  });

  it('cuts a frame in half after truncateAfterFrames, and the parser never returns it', async () => {
    const { url } = await serve({ label: 'Porch', fps: 20, truncateAfterFrames: 1 });
    const read = await readAll(url);
    expect(read.frames).toHaveLength(1);
    expect(read.bufferedAtEnd).toBeGreaterThan(0);
  });

  it('stops its timer when the client goes away', async () => {
    // Only the stream's own interval: other timers in the process (fetch's, earlier tests') come and go meanwhile.
    const started = vi.spyOn(globalThis, 'setInterval');
    const cleared = vi.spyOn(globalThis, 'clearInterval');
    const { url, closedResponses } = await serve({ label: 'Porch', fps: 10 });
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    expect(started).toHaveBeenCalledTimes(1);
    const streamTimer = started.mock.results[0]!.value as unknown;
    expect(cleared).not.toHaveBeenCalledWith(streamTimer);
    controller.abort();
    for (let i = 0; i < 100 && (closedResponses() === 0 || !cleared.mock.calls.some(([timer]) => timer === streamTimer)); i++) await sleep(20);
    expect(closedResponses()).toBe(1);
    expect(cleared).toHaveBeenCalledWith(streamTimer);
  });
});
