import { describe, expect, it } from 'vitest';
import { boundaryFromContentType, MultipartJpegParser } from '../multipart-parser';

const encoder = new TextEncoder();

/** A minimal byte string that passes as a whole JPEG: SOI, some payload, EOI. */
function jpeg(payloadByte: number, size = 64): Uint8Array {
  const bytes = new Uint8Array(size).fill(payloadByte);
  bytes.set([0xff, 0xd8], 0);
  bytes.set([0xff, 0xd9], size - 2);
  return bytes;
}

function concat(...parts: (Uint8Array | string)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function part(frame: Uint8Array, boundary = 'frameboundary', withLength = true): Uint8Array {
  const length = withLength ? `Content-Length: ${frame.length}\r\n` : '';
  return concat(`--${boundary}\r\nContent-Type: image/jpeg\r\n${length}\r\n`, frame, '\r\n');
}

function feedInChunks(parser: MultipartJpegParser, bytes: Uint8Array, size: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) frames.push(...parser.push(bytes.subarray(at, at + size)));
  return frames;
}

describe('boundaryFromContentType', () => {
  it('reads plain, quoted and dash-prefixed boundaries and refuses other types', () => {
    expect(boundaryFromContentType('multipart/x-mixed-replace; boundary=frameboundary')).toBe('frameboundary');
    expect(boundaryFromContentType('multipart/x-mixed-replace;boundary="ZoneMinderFrame"')).toBe('ZoneMinderFrame');
    expect(boundaryFromContentType('multipart/x-mixed-replace;boundary=--myboundary')).toBe('myboundary');
    expect(boundaryFromContentType('image/jpeg')).toBeNull();
    expect(boundaryFromContentType('multipart/x-mixed-replace')).toBeNull();
    expect(boundaryFromContentType(null)).toBeNull();
  });
});

describe('MultipartJpegParser', () => {
  it('returns every frame whole whatever the chunk size, including one byte at a time', () => {
    const frames = [jpeg(1), jpeg(2, 300), jpeg(3, 5)];
    const stream = concat(...frames.map((f) => part(f)));
    for (const size of [1, 2, 7, 64, stream.length]) {
      const got = feedInChunks(new MultipartJpegParser({ boundary: 'frameboundary' }), stream, size);
      expect(got, `chunk size ${size}`).toEqual(frames);
    }
  });

  it('reads parts without Content-Length up to the next delimiter, and a boundary given with its dashes', () => {
    const frames = [jpeg(4), jpeg(5)];
    const stream = concat(...frames.map((f) => part(f, 'ZoneMinderFrame', false)), '--ZoneMinderFrame\r\n');
    const got = feedInChunks(new MultipartJpegParser({ boundary: '--ZoneMinderFrame' }), stream, 5);
    expect(got).toEqual(frames);
  });

  it('never returns a truncated frame, and recovers at the next part after one', () => {
    const cut = part(jpeg(6, 200)).subarray(0, 120);
    const parser = new MultipartJpegParser({ boundary: 'frameboundary' });
    expect(parser.push(cut)).toEqual([]);
    // The stream ends here for a dropped connection: nothing was returned. A camera that restarts mid-frame sends
    // the next part straight after the cut one, whose declared length then swallows the next part's start.
    const next = jpeg(7, 80);
    const got = parser.push(concat(part(next), part(jpeg(8, 90))));
    expect(got).toEqual([next, jpeg(8, 90)]);
    expect(parser.dropped.not_jpeg).toBeGreaterThan(0);
  });

  it('skips a part larger than its limit without buffering it and keeps the ones around it', () => {
    const parser = new MultipartJpegParser({ boundary: 'frameboundary', maxPartBytes: 1000 });
    const big = jpeg(9, 50_000);
    const stream = concat(part(jpeg(1)), part(big), part(jpeg(2)));
    let peak = 0;
    const got: Uint8Array[] = [];
    for (let at = 0; at < stream.length; at += 512) {
      got.push(...parser.push(stream.subarray(at, at + 512)));
      peak = Math.max(peak, parser.bufferedBytes);
    }
    expect(got).toEqual([jpeg(1), jpeg(2)]);
    expect(parser.dropped.oversize_part).toBe(1);
    expect(peak).toBeLessThan(2000);
  });

  it('drops an oversize part that has no Content-Length once it passes the limit', () => {
    const parser = new MultipartJpegParser({ boundary: 'frameboundary', maxPartBytes: 1000 });
    const stream = concat(part(jpeg(9, 5000), 'frameboundary', false), part(jpeg(3)));
    const got = feedInChunks(parser, stream, 256);
    expect(got).toEqual([jpeg(3)]);
    expect(parser.dropped.oversize_part).toBe(1);
    expect(parser.bufferedBytes).toBeLessThan(1200);
  });

  it('drops a header block larger than its limit', () => {
    const parser = new MultipartJpegParser({ boundary: 'frameboundary', maxHeaderBytes: 100 });
    const hugeHeader = concat(`--frameboundary\r\nX-Junk: ${'a'.repeat(500)}\r\n\r\n`, jpeg(1), '\r\n');
    const got = feedInChunks(parser, concat(hugeHeader, part(jpeg(2))), 50);
    expect(got).toEqual([jpeg(2)]);
    expect(parser.dropped.oversize_header).toBe(1);
  });

  it('ignores garbage between parts and parts that are not JPEG, and stops at the closing delimiter', () => {
    const notJpeg = concat('--frameboundary\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello\r\n');
    const random = new Uint8Array(3000).map((_, i) => (i * 7919) % 251);
    const stream = concat(random, part(jpeg(1)), 'noise noise', notJpeg, part(jpeg(2)), '--frameboundary--\r\n', part(jpeg(3)));
    const parser = new MultipartJpegParser({ boundary: 'frameboundary' });
    const got = feedInChunks(parser, stream, 33);
    expect(got).toEqual([jpeg(1), jpeg(2)]);
    expect(parser.dropped.garbage).toBeGreaterThan(0);
    expect(parser.dropped.not_jpeg).toBe(1);
    expect(parser.finished).toBe(true);
  });

  it('holds no more than its bound on endless garbage', () => {
    const parser = new MultipartJpegParser({ boundary: 'frameboundary', maxPartBytes: 1000 });
    const noise = new Uint8Array(10_000).fill(0x41);
    for (let i = 0; i < 50; i++) expect(parser.push(noise)).toEqual([]);
    expect(parser.bufferedBytes).toBeLessThan('--frameboundary'.length);
  });
});
