import { createRequire } from 'node:module';
import path from 'node:path';
import { IpcError } from '../../src-shared/ipc/errors';
import { SvgRejectedError } from '../modules/location/svg-sanitizer';
import { defaultPoolSize, WorkerJobTimeoutError, WorkerPool, WorkerPoolBusyError } from '../util/worker-pool';
import { ownArrayBuffer } from '../util/worker-protocol';
import { CPU_WORKER_BUNDLE, CpuTask, type SanitizeSvgAnswer, type SanitizeSvgJob, type ThumbnailJob } from './cpu-tasks';

const MAX_THREADS = 2;
/** Uploads are few at a time (at most 20 open); more waiting work than this is a panel misbehaving. */
const MAX_QUEUED = 16;
/** A 10 MB floor plan takes a few seconds at worst; far past that the thread is stuck. */
const JOB_TIMEOUT_MS = 30_000;
const THUMBNAIL_TIMEOUT_SECONDS = 20;
const MAX_THUMBNAIL_INPUT_PIXELS = 100_000_000;
/** A hostile file must not take the hub's memory with it: the thread fails alone. */
const WORKER_HEAP_MB = 512;

/** The clean floor plan, as UTF-8 bytes ready to be written. */
export interface SanitizedSvgBytes extends Omit<SanitizeSvgAnswer, 'svg'> {
  svg: Buffer;
}

/** What the managers need of the CPU workers; tests of other parts can pass the real CpuWorkers. */
export interface CpuWork {
  sanitizeSvg(input: string | Buffer): Promise<SanitizedSvgBytes>;
  thumbnail(source: string, target: string, px: number): Promise<void>;
}

export interface CpuWorkersOptions {
  size?: number;
  maxQueued?: number;
  jobTimeoutMs?: number;
}

/**
 * sharp's native libraries must be loaded by the main thread before any worker uses them, so that they stay loaded
 * when a worker exits (sharp's "worker threads" notes). Loaded when the first thread starts rather than with the hub:
 * loading them is a large part of the hub's start, and the first paint needs no image work.
 */
function loadSharpInThisThread(): void {
  createRequire(__filename)('sharp');
}

/** The bundled worker beside the running bundle: dist/main for the panel server and the Electron app (asar included). */
export function bundledCpuWorkerScript(bundleDir: string): string {
  return path.join(bundleDir, CPU_WORKER_BUNDLE);
}

/**
 * The hub's CPU-heavy work (floor-plan sanitising, thumbnails) on worker threads, so the event loop keeps
 * serving panels. The sanitiser's refusals arrive as SvgRejectedError with its words unchanged; a full queue is
 * a typed rate_limited error.
 */
export class CpuWorkers implements CpuWork {
  private readonly pool: WorkerPool;
  private readonly jobTimeoutMs: number;

  constructor(script: string, options: CpuWorkersOptions = {}) {
    this.jobTimeoutMs = options.jobTimeoutMs ?? JOB_TIMEOUT_MS;
    this.pool = new WorkerPool({
      script,
      name: 'CPU workers',
      size: options.size ?? defaultPoolSize(MAX_THREADS),
      maxQueued: options.maxQueued ?? MAX_QUEUED,
      jobTimeoutMs: this.jobTimeoutMs,
      errorClasses: { SvgRejectedError },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      beforeFirstThread: loadSharpInThisThread,
    });
  }

  /** Sanitises an uploaded floor plan; a Buffer is moved to the worker and must not be used afterwards. */
  async sanitizeSvg(input: string | Buffer): Promise<SanitizedSvgBytes> {
    const job: SanitizeSvgJob = { input: typeof input === 'string' ? input : ownArrayBuffer(input) };
    try {
      const answer = await this.pool.run<SanitizeSvgAnswer>(CpuTask.SANITIZE_SVG, job, typeof job.input === 'string' ? [] : [job.input]);
      return { ...answer, svg: Buffer.from(answer.svg) };
    } catch (error) {
      if (error instanceof WorkerJobTimeoutError) {
        throw new SvgRejectedError(`Checking the drawing took longer than ${this.jobTimeoutMs / 1000} s; simplify it or export it again as plain SVG.`);
      }
      if (error instanceof WorkerPoolBusyError) throw IpcError.rateLimited('The hub is busy with other files; try again in a moment.');
      throw error;
    }
  }

  /** Writes a WebP thumbnail of the picture at `source` to `target`, its longest side `px`. */
  async thumbnail(source: string, target: string, px: number): Promise<void> {
    const job: ThumbnailJob = { source, target, px, maxInputPixels: MAX_THUMBNAIL_INPUT_PIXELS, timeoutSeconds: THUMBNAIL_TIMEOUT_SECONDS };
    await this.pool.run<null>(CpuTask.THUMBNAIL, job);
  }

  /** Fails what is waiting and terminates the threads; the hub's stop calls it. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
