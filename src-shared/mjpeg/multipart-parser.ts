// A streaming parser for MJPEG over multipart/x-mixed-replace, shared by the hub (upstream cameras) and the panel
// (the hub's stream). Platform-free: bytes in as Uint8Array chunks, whole JPEG frames out. Its memory is bounded by
// maxPartBytes + maxHeaderBytes whatever the stream sends, and it only ever returns a frame it has seen end.

export interface MultipartParserOptions {
  /** The boundary parameter of the response's Content-Type. */
  boundary: string;
  /** A part larger than this is skipped (never buffered beyond it). */
  maxPartBytes?: number;
  /** A part's header block larger than this is skipped. */
  maxHeaderBytes?: number;
}

export const DEFAULT_MAX_PART_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_HEADER_BYTES = 4 * 1024;

/** Why bytes were thrown away; counted so that tests and health can tell a noisy upstream from a quiet one. */
export type DroppedReason = 'oversize_part' | 'oversize_header' | 'not_jpeg' | 'garbage';

const CR = 0x0d;
const LF = 0x0a;
const HEADER_END = new Uint8Array([CR, LF, CR, LF]);
const BARE_HEADER_END = new Uint8Array([LF, LF]);
const JPEG_SOI = [0xff, 0xd8];
const JPEG_EOI = [0xff, 0xd9];
/** Bytes allowed after a JPEG's end marker before the next delimiter (CRLFs, padding some cameras add). */
const MAX_TRAILING_PADDING = 16;

/**
 * The boundary of a multipart/x-mixed-replace Content-Type, or null when there is none. Leading dashes are removed:
 * cameras disagree on whether the parameter carries the delimiter's two dashes, and the parser accepts both.
 */
export function boundaryFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const [mediaType, ...params] = contentType.split(';');
  if (!/^\s*multipart\/x-mixed-replace\s*$/i.test(mediaType ?? '')) return null;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let value = param.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    value = value.replace(/^-+/, '');
    // RFC 2046 caps a boundary at 70 characters; anything longer is not a boundary to search for.
    return value.length > 0 && value.length <= 70 ? value : null;
  }
  return null;
}

type State =
  | { kind: 'seek' }
  | { kind: 'headers' }
  | { kind: 'body'; length: number | null }
  | { kind: 'skip'; remaining: number }
  | { kind: 'done' };

export class MultipartJpegParser {
  private readonly delimiter: Uint8Array;
  private readonly maxPartBytes: number;
  private readonly maxHeaderBytes: number;
  private readonly capacity: number;
  private buffer: Uint8Array;
  private start = 0;
  private end = 0;
  private state: State = { kind: 'seek' };
  private readonly droppedCounts: Record<DroppedReason, number> = { oversize_part: 0, oversize_header: 0, not_jpeg: 0, garbage: 0 };

  constructor(options: MultipartParserOptions) {
    const boundary = options.boundary.replace(/^-+/, '');
    if (boundary.length === 0) throw new Error('A multipart boundary cannot be empty.');
    this.delimiter = new TextEncoder().encode(`--${boundary}`);
    this.maxPartBytes = options.maxPartBytes ?? DEFAULT_MAX_PART_BYTES;
    this.maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    // A whole part plus its delimiter, headers and the delimiter after it: the most the parser ever holds.
    this.capacity = this.maxPartBytes + this.maxHeaderBytes + 2 * this.delimiter.length + MAX_TRAILING_PADDING + 8;
    this.buffer = new Uint8Array(Math.min(this.capacity, 64 * 1024));
  }

  /** Parts thrown away so far, by reason. */
  get dropped(): Readonly<Record<DroppedReason, number>> {
    return this.droppedCounts;
  }

  /** Bytes held now, waiting for the rest of a part; at most `capacity`. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  /** True once the closing delimiter has been read; later bytes are ignored. */
  get finished(): boolean {
    return this.state.kind === 'done';
  }

  /** Feeds the next chunk; returns the frames it completed, each a copy the caller owns. */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let offset = 0;
    // Each round either takes bytes from the chunk or consumes buffered ones, so the loop ends.
    while (offset < chunk.length && this.state.kind !== 'done') {
      if (this.state.kind === 'skip') {
        const take = Math.min(this.state.remaining, chunk.length - offset);
        offset += take;
        this.state = this.state.remaining === take ? { kind: 'seek' } : { kind: 'skip', remaining: this.state.remaining - take };
        continue;
      }
      const take = Math.min(chunk.length - offset, this.capacity - (this.end - this.start));
      if (take === 0) {
        // Unreachable while drain() keeps its bounds; dropping what is held keeps the loop finite if it ever is not.
        this.droppedCounts.oversize_part++;
        this.start = this.end;
        this.state = { kind: 'seek' };
        continue;
      }
      this.append(chunk.subarray(offset, offset + take));
      offset += take;
      this.drain(frames);
    }
    return frames;
  }

  private append(bytes: Uint8Array): void {
    if (this.end + bytes.length > this.buffer.length) {
      const held = this.end - this.start;
      if (held + bytes.length > this.buffer.length) {
        const grown = new Uint8Array(Math.min(this.capacity, Math.max(held + bytes.length, this.buffer.length * 2)));
        grown.set(this.buffer.subarray(this.start, this.end));
        this.buffer = grown;
      } else {
        this.buffer.copyWithin(0, this.start, this.end);
      }
      this.start = 0;
      this.end = held;
    }
    this.buffer.set(bytes, this.end);
    this.end += bytes.length;
  }

  /** Advances the state machine over what is buffered until it needs more bytes. */
  private drain(frames: Uint8Array[]): void {
    for (;;) {
      const held = this.end - this.start;
      switch (this.state.kind) {
        case 'done':
        case 'skip':
          return;
        case 'seek': {
          const at = this.find(this.delimiter, this.start);
          if (at < 0) {
            // Keep a tail that could be the start of a delimiter split across chunks; the rest is noise.
            const keep = Math.min(held, this.delimiter.length - 1);
            if (held - keep > 0 && !isWhitespace(this.buffer.subarray(this.start, this.end - keep))) this.droppedCounts.garbage++;
            this.start = this.end - keep;
            return;
          }
          if (at > this.start && !isWhitespace(this.buffer.subarray(this.start, at))) this.droppedCounts.garbage++;
          const afterDelimiter = at + this.delimiter.length;
          if (this.end - afterDelimiter < 2) {
            this.start = at;
            return;
          }
          if (this.buffer[afterDelimiter] === 0x2d && this.buffer[afterDelimiter + 1] === 0x2d) {
            this.state = { kind: 'done' };
            this.start = this.end;
            return;
          }
          this.start = afterDelimiter;
          this.state = { kind: 'headers' };
          break;
        }
        case 'headers': {
          const limit = Math.min(this.end, this.start + this.maxHeaderBytes + HEADER_END.length);
          let headerEnd = this.findWithin(HEADER_END, this.start, limit);
          let separator = HEADER_END.length;
          if (headerEnd < 0) {
            headerEnd = this.findWithin(BARE_HEADER_END, this.start, limit);
            separator = BARE_HEADER_END.length;
          }
          if (headerEnd < 0) {
            if (held > this.maxHeaderBytes + HEADER_END.length) {
              this.droppedCounts.oversize_header++;
              this.resync();
              break;
            }
            return;
          }
          const headers = new TextDecoder().decode(this.buffer.subarray(this.start, headerEnd));
          this.start = headerEnd + separator;
          const length = contentLength(headers);
          if (length !== null && length > this.maxPartBytes) {
            this.droppedCounts.oversize_part++;
            const buffered = Math.min(length, this.end - this.start);
            this.start += buffered;
            this.state = buffered === length ? { kind: 'seek' } : { kind: 'skip', remaining: length - buffered };
            break;
          }
          this.state = { kind: 'body', length };
          break;
        }
        case 'body': {
          const { length } = this.state;
          if (length !== null) {
            if (held < length) return;
            const body = this.buffer.subarray(this.start, this.start + length);
            // A delimiter inside the declared length means this part was cut off and the next one began.
            if (isWholeJpeg(body) && this.findWithin(this.delimiter, this.start, this.start + length) < 0) {
              frames.push(body.slice());
              this.start += length;
              this.state = { kind: 'seek' };
            } else {
              // A declared length that does not frame a JPEG: a truncated part followed by the next one, or lies.
              this.droppedCounts.not_jpeg++;
              this.resync();
            }
            break;
          }
          const next = this.find(this.delimiter, this.start);
          if (next < 0) {
            if (held > this.maxPartBytes + this.delimiter.length) {
              this.droppedCounts.oversize_part++;
              this.resync();
              break;
            }
            return;
          }
          const body = trimTrailingLineEnd(this.buffer.subarray(this.start, next));
          if (isWholeJpeg(body)) frames.push(body.slice());
          else this.droppedCounts.not_jpeg++;
          this.start = next;
          this.state = { kind: 'seek' };
          break;
        }
      }
    }
  }

  /** After a broken part: look for the next delimiter from where the part's bytes began. */
  private resync(): void {
    this.state = { kind: 'seek' };
  }

  private find(needle: Uint8Array, from: number): number {
    return this.findWithin(needle, from, this.end);
  }

  private findWithin(needle: Uint8Array, from: number, to: number): number {
    const first = needle[0];
    let at = this.buffer.indexOf(first ?? 0, from);
    while (at >= 0 && at + needle.length <= to) {
      let matched = true;
      for (let i = 1; i < needle.length; i++) {
        if (this.buffer[at + i] !== needle[i]) {
          matched = false;
          break;
        }
      }
      if (matched) return at;
      at = this.buffer.indexOf(first ?? 0, at + 1);
    }
    return -1;
  }
}

function contentLength(headers: string): number | null {
  for (const line of headers.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    return /^\d{1,10}$/.test(value) ? Number(value) : null;
  }
  return null;
}

function isWhitespace(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== CR && byte !== LF && byte !== 0x20 && byte !== 0x09) return false;
  return true;
}

function trimTrailingLineEnd(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === LF) end--;
  if (end > 0 && bytes[end - 1] === CR) end--;
  return bytes.subarray(0, end);
}

/** A JPEG that starts with SOI and ends with EOI (allowing a little padding): a cut-off frame fails this. */
function isWholeJpeg(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== JPEG_SOI[0] || bytes[1] !== JPEG_SOI[1]) return false;
  const lowest = Math.max(2, bytes.length - 2 - MAX_TRAILING_PADDING);
  for (let i = bytes.length - 2; i >= lowest; i--) {
    if (bytes[i] === JPEG_EOI[0] && bytes[i + 1] === JPEG_EOI[1]) return true;
  }
  return false;
}
