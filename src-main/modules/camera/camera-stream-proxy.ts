// The hub's camera proxy: a panel reads /stream/<entity> or /snapshot/<entity> from the hub, and the hub reads the
// camera with the integration's credentials. One upstream connection per camera however many panels watch it;
// only whole JPEG frames are forwarded; a panel that does not keep up misses frames instead of growing a buffer.
import { IpcError } from '../../../src-shared/ipc/errors';
import { HUB_MJPEG_BOUNDARY, isEventId, MAX_STREAMS_PER_PANEL, type CameraMode } from '../../../src-shared/mjpeg/camera-paths';
import { boundaryFromContentType, MultipartJpegParser } from '../../../src-shared/mjpeg/multipart-parser';
import { GatewayError, GatewayNotFoundError } from '../../integrations/gateway';
import { createLogger } from '../../util/log';

const log = createLogger('camera-proxy');

export interface VideoSource {
  url: string;
  headers: Record<string, string>;
}

/** What the proxy answers through: the panel server's ServerResponse or the kiosk protocol's web Response. */
export interface CameraReply {
  /** A whole answer: a refusal with a plain sentence, or a snapshot. */
  send(status: number, headers: Record<string, string>, body: Uint8Array | string): void;
  /** Starts a streamed 200 answer, written with write() and finished with end(). */
  begin(headers: Record<string, string>): void;
  write(bytes: Uint8Array): void;
  end(): void;
  /** Bytes written that the viewer has not taken yet. */
  backlog(): number;
  /** Registers the listener for the viewer going away; it is called at most once. */
  onGone(listener: () => void): void;
  readonly gone: boolean;
}

export interface CameraRequest {
  mode: CameraMode;
  entityId: number;
  /** The recorded event, for the event modes only. */
  eventId?: string;
  /** Who is asking: the paired client (or the hub itself), and the panel of it, for the stream caps. */
  clientKey: string;
  panelKey: string;
}

export interface CameraProxyLimits {
  streamsPerPanel: number;
  streamsPerClient: number;
  /** A viewer with more unsent bytes than this misses frames until it catches up. */
  viewerBacklogBytes: number;
  connectTimeoutMs: number;
  /** An upstream that sends no whole frame for this long is closed; its viewers reconnect. */
  stallTimeoutMs: number;
  maxPartBytes: number;
  maxHeaderBytes: number;
  maxSnapshotBytes: number;
}

export const DEFAULT_CAMERA_PROXY_LIMITS: CameraProxyLimits = {
  streamsPerPanel: MAX_STREAMS_PER_PANEL,
  streamsPerClient: 4 * MAX_STREAMS_PER_PANEL,
  viewerBacklogBytes: 512 * 1024,
  connectTimeoutMs: 10_000,
  stallTimeoutMs: 15_000,
  maxPartBytes: 4 * 1024 * 1024,
  maxHeaderBytes: 4 * 1024,
  maxSnapshotBytes: 8 * 1024 * 1024,
};

export interface CameraStreamProxyOptions {
  /** The entity's video source with credentials (of one recorded event for the event modes); rejects with IpcError or GatewayError. */
  resolveSource(entityId: number, mode: CameraMode, eventId?: string): Promise<VideoSource>;
  limits?: Partial<CameraProxyLimits>;
}

/** A refusal with a sentence a person can read; never an address, a token or a socket code. */
class CameraRefusal extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 429 | 502 | 503,
    message: string,
  ) {
    super(message);
  }
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
const STREAM_HEADERS = { 'Content-Type': `multipart/x-mixed-replace; boundary=${HUB_MJPEG_BOUNDARY}`, 'Cache-Control': 'no-store' };
const PART_END = Buffer.from('\r\n');
const UNREACHABLE = 'The camera could not be reached. The panel tries again by itself.';

function refusalOf(error: unknown): CameraRefusal {
  if (error instanceof CameraRefusal) return error;
  if (error instanceof GatewayNotFoundError) return new CameraRefusal(404, error.message);
  if (error instanceof IpcError) {
    if (error.code.value === 'not_found') return new CameraRefusal(404, 'This item has no camera stream.');
    // Conflict messages name the integration ("Home Assistant is not running."), nothing more.
    return new CameraRefusal(503, error.message);
  }
  if (error instanceof GatewayError && error.failure === 'auth') return new CameraRefusal(502, 'The camera refused the hub’s credentials. Check the integration’s settings.');
  return new CameraRefusal(502, UNREACHABLE);
}

function upstreamStatusRefusal(status: number, mode: CameraMode): CameraRefusal {
  if (status === 401 || status === 403) return new CameraRefusal(502, 'The camera refused the hub’s credentials. Check the integration’s settings.');
  if (status === 404 && (mode === 'event-play' || mode === 'event-thumbnail')) return new CameraRefusal(502, 'This recording is not on the camera’s server any more.');
  if (status === 404) return new CameraRefusal(502, 'The camera is not known upstream any more. Sync the integration.');
  return new CameraRefusal(502, `The camera answered with an error (${status}). The panel tries again by itself.`);
}

interface Viewer {
  begun: boolean;
}

class Upstream {
  readonly viewers = new Map<CameraReply, Viewer>();
  readonly abort = new AbortController();
  /** The newest frame as a whole part, so that a viewer who joins sees a picture at once. */
  lastPart: Buffer | null = null;
  lastFrameAt = performance.now();
  closed = false;
  framesIn = 0;
  framesSkipped = 0;
  ready!: Promise<void>;
  stallTimer: NodeJS.Timeout | null = null;

  constructor(
    /** The live stream of a camera is shared by its viewers; each playback of an event is its viewer's own. */
    readonly key: string,
    readonly entityId: number,
    readonly mode: 'live' | 'event-play',
    readonly eventId?: string,
  ) {}
}

/** Frame counts for health and tests. */
export interface CameraProxyStats {
  upstreams: { entityId: number; viewers: number; framesIn: number; framesSkipped: number }[];
  panels: Record<string, number>;
}

export class CameraStreamProxy {
  private readonly limits: CameraProxyLimits;
  private readonly upstreams = new Map<string, Upstream>();
  private playbacks = 0;
  private readonly perPanel = new Map<string, number>();
  private readonly perClient = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: CameraStreamProxyOptions) {
    this.limits = { ...DEFAULT_CAMERA_PROXY_LIMITS, ...options.limits };
  }

  stats(): CameraProxyStats {
    return {
      upstreams: [...this.upstreams.values()].map((u) => ({ entityId: u.entityId, viewers: u.viewers.size, framesIn: u.framesIn, framesSkipped: u.framesSkipped })),
      panels: Object.fromEntries(this.perPanel),
    };
  }

  /** Answers one panel request; resolves once the answer has started (a stream then runs on). Never rejects. */
  async handle(request: CameraRequest, reply: CameraReply): Promise<void> {
    try {
      if (this.stopped) throw new CameraRefusal(503, 'The hub is shutting down.');
      const isEvent = request.mode === 'event-play' || request.mode === 'event-thumbnail';
      if (isEvent !== (request.eventId !== undefined) || (request.eventId !== undefined && !isEventId(request.eventId))) {
        throw new CameraRefusal(404, 'There is no such recording.');
      }
      if (request.mode === 'snapshot' || request.mode === 'event-thumbnail') await this.snapshot(request, reply);
      else await this.stream(request, reply);
    } catch (error) {
      const refusal = refusalOf(error);
      // A 404 answers a path the panel got wrong (no such recording of that camera): nothing the hub should report.
      if (!(error instanceof CameraRefusal) && refusal.status !== 404) log.warn(`Camera ${request.entityId}: ${error instanceof Error ? error.message : String(error)}`);
      if (!reply.gone) reply.send(refusal.status, TEXT, refusal.message);
    }
  }

  /** Closes every upstream and ends every viewer. */
  stop(): void {
    this.stopped = true;
    for (const upstream of [...this.upstreams.values()]) this.closeUpstream(upstream);
  }

  private async snapshot(request: CameraRequest, reply: CameraReply): Promise<void> {
    const source = await this.options.resolveSource(request.entityId, request.mode, request.eventId);
    const signal = AbortSignal.timeout(this.limits.connectTimeoutMs);
    let response: Response;
    try {
      response = await fetch(source.url, { headers: source.headers, signal, redirect: 'manual' });
    } catch {
      throw new CameraRefusal(502, UNREACHABLE);
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw upstreamStatusRefusal(response.status, request.mode);
    }
    const jpeg = await readBounded(response, this.limits.maxSnapshotBytes);
    if (jpeg === null || jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
      throw new CameraRefusal(502, 'The camera sent something that is not a picture.');
    }
    if (!reply.gone) reply.send(200, { 'Content-Type': 'image/jpeg', 'Cache-Control': 'no-store' }, jpeg);
  }

  private async stream(request: CameraRequest, reply: CameraReply): Promise<void> {
    const { panelKey, clientKey } = request;
    if ((this.perPanel.get(panelKey) ?? 0) >= this.limits.streamsPerPanel) {
      throw new CameraRefusal(429, `This panel already shows ${this.limits.streamsPerPanel} camera streams; close one to open another.`);
    }
    if ((this.perClient.get(clientKey) ?? 0) >= this.limits.streamsPerClient) {
      throw new CameraRefusal(429, `This device already shows ${this.limits.streamsPerClient} camera streams; close one to open another.`);
    }
    increment(this.perPanel, panelKey, 1);
    increment(this.perClient, clientKey, 1);
    const key = request.mode === 'live' ? `live/${request.entityId}` : `event/${request.entityId}/${request.eventId}/${++this.playbacks}`;
    let upstream = this.upstreams.get(key);
    if (!upstream) {
      upstream = new Upstream(key, request.entityId, request.mode === 'live' ? 'live' : 'event-play', request.eventId);
      this.upstreams.set(key, upstream);
      const connecting = upstream;
      connecting.ready = this.connect(connecting).catch((error: unknown) => {
        this.closeUpstream(connecting);
        throw error;
      });
      // Observed here too, so a connect that fails after every viewer left is not an unhandled rejection.
      connecting.ready.catch(() => undefined);
    }
    const joined = upstream;
    joined.viewers.set(reply, { begun: false });
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      increment(this.perPanel, panelKey, -1);
      increment(this.perClient, clientKey, -1);
      joined.viewers.delete(reply);
      if (joined.viewers.size === 0) this.closeUpstream(joined);
    };
    reply.onGone(leave);
    try {
      await joined.ready;
    } catch (error) {
      leave();
      throw error;
    }
    const viewer = joined.viewers.get(reply);
    if (reply.gone || !viewer) return leave();
    if (joined.closed) {
      leave();
      throw new CameraRefusal(502, UNREACHABLE);
    }
    reply.begin(STREAM_HEADERS);
    viewer.begun = true;
    if (joined.lastPart) reply.write(joined.lastPart);
  }

  /** Resolves when the upstream answered with MJPEG; then reads it in the background until it ends. */
  private async connect(upstream: Upstream): Promise<void> {
    const source = await this.options.resolveSource(upstream.entityId, upstream.mode, upstream.eventId);
    if (upstream.closed) throw new CameraRefusal(502, UNREACHABLE);
    const connectTimer = setTimeout(() => upstream.abort.abort(), this.limits.connectTimeoutMs);
    let response: Response;
    try {
      response = await fetch(source.url, { headers: source.headers, signal: upstream.abort.signal, redirect: 'manual' });
    } catch {
      throw new CameraRefusal(502, UNREACHABLE);
    } finally {
      clearTimeout(connectTimer);
    }
    const boundary = boundaryFromContentType(response.headers.get('content-type'));
    if (response.status !== 200 || boundary === null || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw response.status !== 200 ? upstreamStatusRefusal(response.status, upstream.mode) : new CameraRefusal(502, 'The camera did not send a video stream.');
    }
    upstream.lastFrameAt = performance.now();
    upstream.stallTimer = setInterval(() => {
      if (performance.now() - upstream.lastFrameAt > this.limits.stallTimeoutMs) {
        log.info(`Camera ${upstream.entityId} sent no frame for ${this.limits.stallTimeoutMs} ms; closing its stream`);
        this.closeUpstream(upstream);
      }
    }, Math.max(100, Math.floor(this.limits.stallTimeoutMs / 3)));
    upstream.stallTimer.unref();
    const parser = new MultipartJpegParser({ boundary, maxPartBytes: this.limits.maxPartBytes, maxHeaderBytes: this.limits.maxHeaderBytes });
    void this.pump(upstream, response.body, parser);
  }

  private async pump(upstream: Upstream, body: ReadableStream<Uint8Array>, parser: MultipartJpegParser): Promise<void> {
    const reader = body.getReader();
    try {
      while (!upstream.closed) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const frame of parser.push(value)) this.broadcast(upstream, frame);
        if (parser.finished) break;
      }
    } catch (error) {
      if (!upstream.closed) log.info(`Camera ${upstream.entityId} stream broke: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      reader.releaseLock();
      this.closeUpstream(upstream);
    }
  }

  private broadcast(upstream: Upstream, frame: Uint8Array): void {
    upstream.lastFrameAt = performance.now();
    upstream.framesIn++;
    const header = Buffer.from(`--${HUB_MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`, 'latin1');
    const part = Buffer.concat([header, frame, PART_END]);
    upstream.lastPart = part;
    for (const [reply, viewer] of upstream.viewers) {
      if (!viewer.begun || reply.gone) continue;
      if (reply.backlog() > this.limits.viewerBacklogBytes) {
        upstream.framesSkipped++;
        continue;
      }
      reply.write(part);
    }
  }

  private closeUpstream(upstream: Upstream): void {
    if (upstream.closed) return;
    upstream.closed = true;
    upstream.abort.abort();
    if (upstream.stallTimer) clearInterval(upstream.stallTimer);
    upstream.lastPart = null;
    if (this.upstreams.get(upstream.key) === upstream) this.upstreams.delete(upstream.key);
    for (const [reply, viewer] of [...upstream.viewers]) {
      if (viewer.begun && !reply.gone) reply.end();
    }
  }
}

function increment(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

/** The whole body, or null when it is larger than `limit` (then it is not read further). */
async function readBounded(response: Response, limit: number): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
