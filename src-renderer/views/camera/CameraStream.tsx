import { useEffect, useRef, useState, type MutableRef } from 'preact/hooks';
import { cameraPath, eventPath } from '../../../src-shared/mjpeg/camera-paths';
import { boundaryFromContentType, MultipartJpegParser } from '../../../src-shared/mjpeg/multipart-parser';
import { useAppState } from '../../store';
import { panelStreamSlots, type StreamSlots } from './stream-slots';
import './camera.css';

/** No frame for this long and the stream counts as stalled: it is dropped and opened again. */
const STALL_MS = 5_000;
const STALL_CHECK_MS = 1_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 15_000;

type StreamStatus = 'connecting' | 'live' | 'retrying' | 'waiting' | 'paused' | 'ended';

const STATUS_TEXT: Record<StreamStatus, string | null> = {
  connecting: 'Connecting to the camera…',
  live: null,
  retrying: 'Camera unavailable — retrying',
  waiting: 'Waiting: this panel already shows as many cameras as it may',
  paused: null,
  ended: 'End of the recording',
};

/**
 * One live view: reads the hub's MJPEG with fetch, draws each whole frame on the canvas and forgets it. At most
 * one frame waits while another decodes, so a slow panel skips frames instead of queueing them. Opens the stream
 * again by itself with a growing pause after it ends, fails or stalls; a recording that played to its end stays ended.
 */
class StreamRun {
  private stopped = false;
  private abort: AbortController | null = null;
  private release: (() => void) | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private decoding = false;
  private pending: Uint8Array | null = null;

  constructor(
    private readonly url: string,
    private readonly canvas: HTMLCanvasElement,
    private readonly frames: MutableRef<number>,
    private readonly slots: StreamSlots,
    private readonly onStatus: (status: StreamStatus) => void,
    private readonly recording: boolean,
  ) {}

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.slots.cancelWait(this.onFree);
    this.release?.();
    this.release = null;
  }

  private readonly onFree = (): void => this.connect();

  private connect(): void {
    if (this.stopped) return;
    const release = this.slots.tryAcquire(this.onFree);
    if (!release) {
      this.onStatus('waiting');
      return;
    }
    this.release = release;
    void this.read();
  }

  private async read(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    let lastFrameAt = performance.now();
    let playedToEnd = false;
    const stallTimer = setInterval(() => {
      if (performance.now() - lastFrameAt > STALL_MS) abort.abort();
    }, STALL_CHECK_MS);
    try {
      const response = await fetch(this.url, { signal: abort.signal, cache: 'no-store' });
      const boundary = boundaryFromContentType(response.headers.get('content-type'));
      if (!response.ok || !response.body || boundary === null) {
        await response.body?.cancel().catch(() => undefined);
        return;
      }
      const parser = new MultipartJpegParser({ boundary });
      const reader = response.body.getReader();
      let framesRead = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) playedToEnd = this.recording && framesRead > 0;
        if (done || this.stopped) break;
        for (const frame of parser.push(value)) {
          framesRead++;
          lastFrameAt = performance.now();
          this.attempt = 0;
          this.show(frame);
        }
      }
    } catch {
      // Aborted, stalled or cut off: all end the same way, in a retry below.
    } finally {
      clearInterval(stallTimer);
      this.release?.();
      this.release = null;
      if (playedToEnd) this.onStatus('ended');
      else if (!this.stopped) this.retryLater();
    }
  }

  private retryLater(): void {
    this.onStatus('retrying');
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 10);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private show(frame: Uint8Array): void {
    if (this.decoding) {
      this.pending = frame;
      return;
    }
    this.decoding = true;
    void this.draw(frame);
  }

  private async draw(first: Uint8Array): Promise<void> {
    let frame: Uint8Array | null = first;
    // At most one frame waits: each round takes the newest and the loop ends when none arrived meanwhile.
    while (frame !== null && !this.stopped) {
      try {
        const bitmap = await createImageBitmap(new Blob([frame as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
        try {
          if (this.canvas.width !== bitmap.width || this.canvas.height !== bitmap.height) {
            this.canvas.width = bitmap.width;
            this.canvas.height = bitmap.height;
          }
          this.canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
        } finally {
          bitmap.close();
        }
        this.frames.current++;
        this.canvas.dataset.frames = String(this.frames.current);
        this.onStatus('live');
      } catch {
        // A frame the browser cannot decode is skipped; the next one will do.
      }
      frame = this.pending;
      this.pending = null;
    }
    this.decoding = false;
  }
}

function useOnScreen(ref: MutableRef<HTMLElement | null>): boolean {
  const [onScreen, setOnScreen] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) setOnScreen(last.isIntersecting);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return onScreen;
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

interface CameraStreamProps {
  entityId: number;
  label: string;
  /** A recorded event of the camera to play instead of its live picture; it plays once to its end. */
  eventId?: string;
}

/** A camera's live picture (or one recording) through the hub; paused off screen, on a hidden page and under the sleep overlay. */
export function CameraStream({ entityId, label, eventId }: CameraStreamProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const frames = useRef(0);
  const panelId = useAppState((s) => s.panel?.panelId);
  const asleep = useAppState((s) => s.asleep);
  const onScreen = useOnScreen(box);
  const pageVisible = usePageVisible();
  const active = onScreen && pageVisible && !asleep;
  const [status, setStatus] = useState<StreamStatus>('connecting');

  useEffect(() => {
    const target = canvas.current;
    if (!active || !target) {
      setStatus('paused');
      return;
    }
    setStatus('connecting');
    const path = eventId === undefined ? cameraPath('live', entityId, panelId) : eventPath('event-play', entityId, eventId, panelId);
    const run = new StreamRun(path, target, frames, panelStreamSlots, setStatus, eventId !== undefined);
    run.start();
    return () => run.stop();
  }, [active, entityId, eventId, panelId]);

  const text = STATUS_TEXT[status];
  return (
    <div class="camera-stream" ref={box} data-testid="camera-stream" data-entity-id={entityId} data-status={status}>
      <canvas ref={canvas} role="img" aria-label={eventId === undefined ? `Live picture of ${label}` : `Recording of ${label}`} data-testid="camera-canvas" data-frames="0" />
      {text && (
        <p class="camera-stream-status" role="status" data-testid="camera-stream-status">
          {text}
        </p>
      )}
    </div>
  );
}
