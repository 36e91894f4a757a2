import type { SvgViewBox } from '../modules/location/svg-sanitizer';

/** The worker bundle's file name; the build writes it beside the hosts' bundles in dist/main. */
export const CPU_WORKER_BUNDLE = 'cpu-worker.cjs';

/** The jobs the CPU worker answers, by name, with what each takes and gives. */
export const CpuTask = {
  SANITIZE_SVG: 'svg.sanitize',
  THUMBNAIL: 'image.thumbnail',
} as const;

export interface SanitizeSvgJob {
  /** The uploaded text, or its bytes (moved to the worker, not copied). */
  input: string | ArrayBuffer;
}

export interface SanitizeSvgAnswer {
  /** The clean document as UTF-8, moved back to the hub's thread. */
  svg: ArrayBuffer;
  viewBox: SvgViewBox;
  elementCount: number;
  removed: string[];
}

export interface ThumbnailJob {
  /** The stored picture. */
  source: string;
  /** Where the WebP thumbnail is written. */
  target: string;
  /** Longest side. */
  px: number;
  maxInputPixels: number;
  /** libvips stops by itself after this, well before the pool would terminate the thread. */
  timeoutSeconds: number;
}
