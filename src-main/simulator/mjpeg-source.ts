// Generated camera video for the simulators: JPEG frames drawn from an SVG with sharp, served as MJPEG
// (multipart/x-mixed-replace) the way Home Assistant's camera_proxy_stream and ZoneMinder's nph-zms send it, with
// faults a real camera produces: a dropped connection and a frame cut off half way.
import type { IncomingMessage, ServerResponse } from 'node:http';
import sharp from 'sharp';

export const MJPEG_BOUNDARY = 'frameboundary';
const DEFAULT_WIDTH = 320;
const DEFAULT_HEIGHT = 180;
const DEFAULT_FPS = 5;
const MAX_FPS = 30;
const MAX_SIDE = 1920;
const JPEG_QUALITY = 70;
const BAR_WIDTH = 24;
const BAR_STEP = 12;

export interface CameraFrameOptions {
  width?: number;
  height?: number;
  /** Moves the bar: frame n draws it BAR_STEP * n pixels further right, wrapping at the edge. */
  frameNumber?: number;
}

export interface MjpegStreamOptions {
  label: string;
  /** Frames per second, 5 by default. */
  fps?: number;
  width?: number;
  height?: number;
  /** Ends the stream properly (closing delimiter) after this many frames. */
  maxFrames?: number;
  /** Destroys the connection after this many whole frames, as a camera that drops off the network. */
  dropAfterFrames?: number;
  /** After this many whole frames, sends half of the next one and destroys the connection. */
  truncateAfterFrames?: number;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function side(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 16 || value > MAX_SIDE) throw new RangeError(`A frame side must be a whole number from 16 to ${MAX_SIDE}, not ${value}.`);
  return value;
}

/** One JPEG frame: a bar whose position follows frameNumber, the camera's label and the time. */
export async function renderCameraFrame(label: string, at: Date, options: CameraFrameOptions = {}): Promise<Buffer> {
  const width = side(options.width, DEFAULT_WIDTH);
  const height = side(options.height, DEFAULT_HEIGHT);
  const frameNumber = options.frameNumber ?? 0;
  const barX = (frameNumber * BAR_STEP) % (width + BAR_WIDTH) - BAR_WIDTH;
  const fontSize = Math.max(10, Math.round(height / 10));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="#1d2a38"/>
<rect x="${barX}" y="0" width="${BAR_WIDTH}" height="${height}" fill="#4f9fd8"/>
<rect x="0" y="${height - fontSize * 2.6}" width="100%" height="${fontSize * 2.6}" fill="#000" fill-opacity="0.55"/>
<text x="8" y="${height - fontSize * 1.4}" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="#fff">${escapeXml(label)}</text>
<text x="8" y="${height - fontSize * 0.3}" font-family="DejaVu Sans Mono, monospace" font-size="${fontSize}" fill="#ffd75e">${escapeXml(at.toISOString())} #${frameNumber}</text>
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: JPEG_QUALITY }).toBuffer();
}

function partHeader(length: number): Buffer {
  return Buffer.from(`--${MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${length}\r\n\r\n`, 'latin1');
}

/**
 * Answers with an endless MJPEG stream (or maxFrames of it). The timer stops when the client goes away; a frame is
 * skipped rather than queued while the client is not reading, so a slow client costs no memory.
 */
export function serveMjpegStream(req: IncomingMessage, res: ServerResponse, options: MjpegStreamOptions): void {
  const fps = options.fps ?? DEFAULT_FPS;
  if (!(fps > 0 && fps <= MAX_FPS)) throw new RangeError(`fps must be above 0 and at most ${MAX_FPS}, not ${fps}.`);
  const width = side(options.width, DEFAULT_WIDTH);
  const height = side(options.height, DEFAULT_HEIGHT);
  res.writeHead(200, {
    'Content-Type': `multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`,
    'Cache-Control': 'no-cache, no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  let sent = 0;
  let rendering = false;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
  };
  const tick = async (): Promise<void> => {
    if (rendering || stopped || res.writableNeedDrain) return;
    rendering = true;
    try {
      const frame = await renderCameraFrame(options.label, new Date(), { width, height, frameNumber: sent });
      if (stopped) return;
      if (options.truncateAfterFrames !== undefined && sent >= options.truncateAfterFrames) {
        stop();
        res.write(Buffer.concat([partHeader(frame.length), frame.subarray(0, frame.length >> 1)]), () => res.destroy());
        return;
      }
      res.write(Buffer.concat([partHeader(frame.length), frame, Buffer.from('\r\n')]));
      sent++;
      if (options.dropAfterFrames !== undefined && sent >= options.dropAfterFrames) {
        stop();
        // Destroy once the frame has reached the socket, so that the client sees exactly dropAfterFrames frames.
        res.write('', () => res.destroy());
      } else if (options.maxFrames !== undefined && sent >= options.maxFrames) {
        stop();
        res.end(`--${MJPEG_BOUNDARY}--\r\n`);
      }
    } catch {
      stop();
      res.destroy();
    } finally {
      rendering = false;
    }
  };
  const timer = setInterval(() => void tick(), 1000 / fps);
  res.on('close', stop);
  void tick();
}
