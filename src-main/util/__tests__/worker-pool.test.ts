import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { testWorkerScript } from '../../test-support/worker-bundles';
import {
  defaultPoolSize,
  WorkerCrashedError,
  WorkerJobError,
  WorkerJobTimeoutError,
  WorkerPool,
  WorkerPoolBusyError,
  WorkerPoolClosedError,
  type WorkerPoolOptions,
} from '../worker-pool';

/** The test worker throws one of these by name; the pool must hand back this class. */
class PlanRefusedError extends Error {
  override readonly name = 'PlanRefusedError';
}

/** Far longer than any test waits: the pool has to end these jobs itself. */
const STUCK_MS = 60_000;

describe('WorkerPool', () => {
  const pools: WorkerPool[] = [];
  const pool = (options: Partial<WorkerPoolOptions> = {}): WorkerPool => {
    const created = new WorkerPool({
      script: testWorkerScript('pool-test-worker'),
      name: 'test pool',
      size: 1,
      maxQueued: 4,
      jobTimeoutMs: 10_000,
      errorClasses: { PlanRefusedError },
      ...options,
    });
    pools.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('starts threads only when jobs need them, and never more than its size', async () => {
    const p = pool({ size: 2 });
    expect(p.threadCount).toBe(0);
    const values = await Promise.all([1, 2, 3, 4, 5].map((n) => p.run<number>('echo', n)));
    expect(values).toEqual([1, 2, 3, 4, 5]);
    expect(p.threadCount).toBeLessThanOrEqual(2);
    expect(p.threadCount).toBeGreaterThan(0);
  });

  it('sizes itself from the cores, leaving one to the event loop, between 1 and the maximum', () => {
    expect(defaultPoolSize(4)).toBe(Math.min(4, Math.max(1, os.availableParallelism() - 1)));
    expect(defaultPoolSize(1)).toBe(1);
  });

  it('rebuilds the listed error classes with their message unchanged, and names any other error', async () => {
    const p = pool();
    const refused = await p.run('refuse', 'The file is not valid SVG: unclosed tag <g> at line 3, column 1.').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PlanRefusedError);
    expect((refused as Error).message).toBe('The file is not valid SVG: unclosed tag <g> at line 3, column 1.');

    const other = await p.run('typeError', null).catch((error: unknown) => error);
    expect(other).toBeInstanceOf(WorkerJobError);
    expect(other).toMatchObject({ task: 'typeError', workerErrorName: 'TypeError', message: 'typeError failed in a worker: TypeError: not a function' });

    await expect(p.run('no.such.task', null)).rejects.toThrow(/has no task no\.such\.task/);
    // A failed job leaves its thread serving the next one.
    await expect(p.run('echo', 'still here')).resolves.toBe('still here');
  });

  it('moves transferred buffers to the thread and back instead of copying them', async () => {
    const p = pool();
    const bytes = new Uint8Array([1, 2, 3, 4, 5]).buffer;
    const answer = await p.run<{ received: number; reversed: ArrayBuffer }>('reverse', bytes, [bytes]);
    expect(bytes.byteLength).toBe(0);
    expect(answer.received).toBe(5);
    expect([...new Uint8Array(answer.reversed)]).toEqual([5, 4, 3, 2, 1]);
  });

  it('refuses a job at once when its queue is full, and runs the others', async () => {
    const p = pool({ size: 1, maxQueued: 2 });
    const running = p.run('wait', 200);
    const queued = [p.run('echo', 'a'), p.run('echo', 'b')];
    expect(p.queuedCount).toBe(2);
    await expect(p.run('echo', 'c')).rejects.toBeInstanceOf(WorkerPoolBusyError);
    await expect(Promise.all([running, ...queued])).resolves.toEqual([200, 'a', 'b']);
    await expect(p.run('echo', 'd')).resolves.toBe('d');
  });

  it('fails a job that overruns its time, terminates its stuck thread and serves the next job on a fresh one', async () => {
    const p = pool({ size: 1, jobTimeoutMs: 2_000 });
    const firstThread = await p.run<number>('threadId', null);
    const stuck = p.run('spin', STUCK_MS);
    const next = p.run<number>('threadId', null);
    await expect(stuck).rejects.toBeInstanceOf(WorkerJobTimeoutError);
    const nextThread = await next;
    expect(nextThread).not.toBe(firstThread);
    expect(p.threadCount).toBe(1);
  });

  it('keeps answering on another thread while one is stuck', async () => {
    const p = pool({ size: 2 });
    const answered: string[] = [];
    const stuck = p.run('spin', STUCK_MS).catch((error: unknown) => {
      answered.push('stuck');
      return error;
    });
    await p.run('echo', 'quick').then(() => answered.push('quick'));
    await p.close();
    expect(await stuck).toBeInstanceOf(WorkerPoolClosedError);
    expect(answered).toEqual(['quick', 'stuck']);
  });

  it('fails the job of a thread that crashes and replaces the thread', async () => {
    const p = pool();
    const crashed = await p.run('crash', null).catch((error: unknown) => error);
    expect(crashed).toBeInstanceOf(WorkerCrashedError);
    expect((crashed as Error).message).toMatch(/worker blew up/);
    await expect(p.run('echo', 'after the crash')).resolves.toBe('after the crash');
  });

  it('prepares this thread once, when its first thread starts rather than when it is made', async () => {
    let prepared = 0;
    const p = pool({ size: 2, beforeFirstThread: () => void (prepared += 1) });
    expect(prepared).toBe(0);
    await expect(Promise.all([1, 2, 3].map((n) => p.run<number>('echo', n)))).resolves.toEqual([1, 2, 3]);
    expect(prepared).toBe(1);
    // A thread that replaces a crashed one finds this thread prepared already.
    await expect(p.run('crash', null)).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(p.run('echo', 'after the crash')).resolves.toBe('after the crash');
    expect(prepared).toBe(1);
  });

  it('fails the waiting jobs when preparing this thread fails, and tries again for the next job', async () => {
    let attempts = 0;
    const p = pool({
      beforeFirstThread: () => {
        attempts += 1;
        if (attempts === 1) throw new Error('libvips is missing');
      },
    });
    const failed = await p.run('echo', 'first').catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(WorkerCrashedError);
    expect((failed as Error).message).toMatch(/could not prepare for its threads: libvips is missing/);
    expect(p.threadCount).toBe(0);
    await expect(p.run('echo', 'second')).resolves.toBe('second');
    expect(attempts).toBe(2);
  });

  it('fails a job whose argument cannot be sent, and keeps working', async () => {
    const p = pool();
    await expect(p.run('echo', { callback: () => undefined })).rejects.toThrow(/could not be cloned/);
    await expect(p.run('echo', 'fine')).resolves.toBe('fine');
  });

  it('says so when the worker script has not been built', async () => {
    const p = pool({ script: '/nonexistent/cpu-worker.cjs' });
    await expect(p.run('echo', 1)).rejects.toThrow(/worker script \/nonexistent\/cpu-worker\.cjs is missing; build it first/);
    expect(p.threadCount).toBe(0);
  });

  it('on close fails running and queued jobs, terminates its threads and refuses new jobs', async () => {
    const p = pool({ size: 1 });
    const running = p.run('spin', STUCK_MS).catch((error: unknown) => error);
    const queued = p.run('echo', 'never').catch((error: unknown) => error);
    await p.close();
    expect(await running).toBeInstanceOf(WorkerPoolClosedError);
    expect(await queued).toBeInstanceOf(WorkerPoolClosedError);
    expect(p.threadCount).toBe(0);
    await expect(p.run('echo', 1)).rejects.toBeInstanceOf(WorkerPoolClosedError);
    await p.close();
  });
});
