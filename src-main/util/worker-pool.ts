import { existsSync } from 'node:fs';
import os from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { createLogger } from './log';
import type { WorkerAnswerMessage, WorkerErrorData, WorkerJobMessage } from './worker-protocol';

const log = createLogger('workers');

/** The pool has as many jobs waiting as it accepts; the caller should try again later. */
export class WorkerPoolBusyError extends Error {
  override readonly name = 'WorkerPoolBusyError';
}

/** A job ran past its time; its worker was stopped and is replaced for the next job. */
export class WorkerJobTimeoutError extends Error {
  override readonly name = 'WorkerJobTimeoutError';
}

/** The pool was closed (the hub is stopping) before the job ran or finished. */
export class WorkerPoolClosedError extends Error {
  override readonly name = 'WorkerPoolClosedError';
}

/** The worker failed outside the job's own code: it crashed, ran out of memory or could not load. */
export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
}

/** A job threw an error of a class the pool does not rebuild; the worker's error name is kept. */
export class WorkerJobError extends Error {
  override readonly name = 'WorkerJobError';

  constructor(
    readonly task: string,
    readonly workerErrorName: string,
    message: string,
  ) {
    super(`${task} failed in a worker: ${workerErrorName}: ${message}`);
  }
}

export type WorkerErrorClass = new (message: string) => Error;

export interface WorkerPoolOptions {
  /** A bundled script (.cjs) that answers jobs with serveWorkerJobs. */
  script: string;
  /** Names the pool in logs and errors. */
  name: string;
  /** Threads at most; they start when jobs need them. */
  size: number;
  /** Jobs that may wait for a thread; past this run() refuses with WorkerPoolBusyError. */
  maxQueued: number;
  /** From the moment a thread takes a job; a job past it is failed and its thread terminated. */
  jobTimeoutMs: number;
  /**
   * Errors a job may throw that callers handle by class (messages meant for users), by the `name` their instances
   * carry; rebuilt here with the worker's message.
   */
  errorClasses?: Readonly<Record<string, WorkerErrorClass>>;
  resourceLimits?: ResourceLimits;
  /**
   * Runs once in this thread before the first thread starts, not when the pool is made: e.g. loading a native module
   * that the threads use. If it throws, the waiting jobs fail and the next job tries again.
   */
  beforeFirstThread?(): void;
}

/** Threads for CPU-heavy work: size from the machine's cores, leaving one to the event loop; at least 1, at most `max`. */
export function defaultPoolSize(max: number): number {
  return Math.min(max, Math.max(1, os.availableParallelism() - 1));
}

interface Job {
  readonly id: number;
  readonly task: string;
  readonly payload: unknown;
  readonly transfer: readonly ArrayBuffer[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Set once the pool has given up on this thread, so its later events are ignored. */
  retired: boolean;
}

/**
 * A small, bounded pool of worker threads. Jobs wait in a bounded queue; a thread that overruns a job's time is
 * terminated and a fresh one takes the next job; a job's error arrives as an Error of the class it was thrown
 * as when that class is listed in `errorClasses`. close() fails what is left and terminates every thread.
 */
export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private readonly errorClasses: ReadonlyMap<string, WorkerErrorClass>;
  private nextId = 1;
  private closed = false;
  private preparedFirstThread = false;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError(`${options.name}: size must be a positive integer`);
    if (!Number.isInteger(options.maxQueued) || options.maxQueued < 0) throw new RangeError(`${options.name}: maxQueued must be a whole number`);
    this.errorClasses = new Map(Object.entries(options.errorClasses ?? {}));
  }

  /** Threads running now, busy or idle. */
  get threadCount(): number {
    return this.slots.size;
  }

  /** Jobs waiting for a thread. */
  get queuedCount(): number {
    return this.queue.length;
  }

  /**
   * Runs `task` on a thread. Buffers listed in `transfer` move to the thread and are unusable here afterwards.
   * Refuses at once when the queue is full or the pool is closed.
   */
  run<T>(task: string, payload: unknown, transfer: readonly ArrayBuffer[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new WorkerPoolClosedError(`${this.options.name} is shut down`));
    const idle = [...this.slots].find((slot) => slot.job === null);
    const canGrow = this.slots.size < this.options.size;
    if (!idle && !canGrow && this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new WorkerPoolBusyError(`${this.options.name} has ${this.queue.length} jobs waiting already`));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, payload, transfer, resolve: resolve as (value: unknown) => void, reject });
      this.pump();
    });
  }

  /** Fails queued and running jobs with WorkerPoolClosedError and terminates every thread. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    const closedError = () => new WorkerPoolClosedError(`${this.options.name} shut down before the job finished`);
    for (const job of this.queue.splice(0)) job.reject(closedError());
    await Promise.all([...this.slots].map((slot) => this.retire(slot, closedError())));
  }

  /** Hands waiting jobs to idle threads, starting threads up to the pool's size. */
  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot = [...this.slots].find((candidate) => candidate.job === null) ?? (this.slots.size < this.options.size ? this.spawn() : null);
      if (!slot) return;
      this.dispatch(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot | null {
    if (!existsSync(this.options.script)) {
      const error = new WorkerCrashedError(`${this.options.name}: the worker script ${this.options.script} is missing; build it first`);
      for (const job of this.queue.splice(0)) job.reject(error);
      return null;
    }
    if (!this.preparedFirstThread) {
      try {
        this.options.beforeFirstThread?.();
      } catch (cause) {
        const error = new WorkerCrashedError(`${this.options.name}: could not prepare for its threads: ${cause instanceof Error ? cause.message : String(cause)}`);
        for (const job of this.queue.splice(0)) job.reject(error);
        return null;
      }
      this.preparedFirstThread = true;
    }
    const worker = new Worker(this.options.script, { resourceLimits: this.options.resourceLimits });
    const slot: Slot = { worker, job: null, timer: null, retired: false };
    worker.on('message', (message: WorkerAnswerMessage) => this.answered(slot, message));
    worker.on('error', (error) => void this.retire(slot, new WorkerCrashedError(`${this.options.name} worker failed: ${error.message}`)));
    worker.on('messageerror', (error) => void this.retire(slot, new WorkerCrashedError(`${this.options.name} answer could not be read: ${error.message}`)));
    worker.on('exit', (code) => {
      if (!slot.retired) void this.retire(slot, new WorkerCrashedError(`${this.options.name} worker exited with code ${code}`));
    });
    this.slots.add(slot);
    return slot;
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    // An idle thread must not keep the process alive; a busy one must, until its answer arrives.
    slot.worker.ref();
    slot.timer = setTimeout(
      () => void this.retire(slot, new WorkerJobTimeoutError(`${this.options.name}: ${job.task} took longer than ${this.options.jobTimeoutMs} ms`)),
      this.options.jobTimeoutMs,
    );
    const message: WorkerJobMessage = { id: job.id, task: job.task, payload: job.payload };
    try {
      slot.worker.postMessage(message, [...job.transfer]);
    } catch (error) {
      // The payload could not be cloned: the job's fault, not the thread's, which pump() hands the next job.
      this.finish(slot);
      job.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private answered(slot: Slot, message: WorkerAnswerMessage): void {
    const job = slot.job;
    if (slot.retired || !job || job.id !== message.id) return;
    this.finish(slot);
    if (message.ok) job.resolve(message.value);
    else job.reject(this.rebuild(job.task, message.error));
    this.pump();
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
  }

  /** Fails the thread's job with `error`, terminates the thread and lets a fresh one take the waiting jobs. */
  private async retire(slot: Slot, error: Error): Promise<void> {
    if (slot.retired) return;
    slot.retired = true;
    const job = slot.job;
    this.finish(slot);
    this.slots.delete(slot);
    job?.reject(error);
    if (job && !(error instanceof WorkerPoolClosedError)) log.warn(`${error.message}; a fresh thread takes the next job`);
    this.pump();
    await slot.worker.terminate();
  }

  private rebuild(task: string, data: WorkerErrorData): Error {
    const errorClass = this.errorClasses.get(data.name);
    return errorClass ? new errorClass(data.message) : new WorkerJobError(task, data.name, data.message);
  }
}
