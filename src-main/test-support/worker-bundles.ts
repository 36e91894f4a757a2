import path from 'node:path';
import { inject } from 'vitest';
import { bundledCpuWorkerScript } from '../workers/cpu-workers';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the vitest globalSetup (scripts/vitest-build-workers.mjs) bundled the worker-thread entries. */
    workerBundleDir: string;
  }
}

/** The CPU worker bundle built for this test run. */
export function testCpuWorkerScript(): string {
  return bundledCpuWorkerScript(inject('workerBundleDir'));
}

/** Another worker bundle built for this test run, by its entry name (scripts/vitest-build-workers.mjs). */
export function testWorkerScript(entry: string): string {
  return path.join(inject('workerBundleDir'), `${entry}.cjs`);
}
