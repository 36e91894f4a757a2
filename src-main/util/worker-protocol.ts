import { parentPort } from 'node:worker_threads';

/** A job sent to a pool worker: the task's name and its argument. */
export interface WorkerJobMessage {
  id: number;
  task: string;
  payload: unknown;
}

/** The error of a failed job, rebuilt on the pool's side from its class name. */
export interface WorkerErrorData {
  name: string;
  message: string;
}

export type WorkerAnswerMessage = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WorkerErrorData };

/** A task's result and the buffers to move (not copy) back to the pool's thread with it. */
export interface WorkerResult<T> {
  value: T;
  transfer?: ArrayBuffer[];
}

export type WorkerTaskHandlers = Record<string, (payload: never) => WorkerResult<unknown> | Promise<WorkerResult<unknown>>>;

/** Worker side: answers every job the pool sends with its handler's result or error. */
export function serveWorkerJobs(handlers: WorkerTaskHandlers): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerJobs runs only inside a worker thread');
  port.on('message', (job: WorkerJobMessage) => {
    void answer(handlers, job).then(({ message, transfer }) => port.postMessage(message, transfer));
  });
}

async function answer(handlers: WorkerTaskHandlers, job: WorkerJobMessage): Promise<{ message: WorkerAnswerMessage; transfer: ArrayBuffer[] }> {
  const handler = Object.hasOwn(handlers, job.task) ? handlers[job.task] : undefined;
  try {
    if (!handler) throw new Error(`This worker has no task ${job.task}`);
    const result = await handler(job.payload as never);
    return { message: { id: job.id, ok: true, value: result.value }, transfer: result.transfer ?? [] };
  } catch (error) {
    const data = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
    return { message: { id: job.id, ok: false, error: data }, transfer: [] };
  }
}

/**
 * The bytes of a buffer as an ArrayBuffer to transfer: its own when it spans it whole (the caller must not use the
 * buffer afterwards), else a copy, since small buffers share Node's pool with others.
 */
export function ownArrayBuffer(data: Buffer): ArrayBuffer {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  return whole && data.buffer instanceof ArrayBuffer ? data.buffer : new Uint8Array(data).buffer;
}
