// Vitest globalSetup: Worker threads cannot load the TypeScript sources the tests run, so the worker entries are
// bundled once per run, as `npm run build` bundles them, and tests find them through inject('workerBundleDir').
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { nodeBundle, workerEntries } from './esbuild-common.mjs';

/** Workers that exist only for tests. */
const testWorkerEntries = { 'pool-test-worker': 'src-main/util/__tests__/fixtures/pool-test-worker.ts' };

/** @param {import('vitest/node').TestProject} project */
export default async function buildWorkers(project) {
  // Inside the checkout so that the bundles' external packages (sharp) resolve from node_modules; one folder per
  // run, since several runs may share the checkout.
  const outdir = path.resolve('node_modules', '.cache', 'home-information', `test-workers-${process.pid}`);
  await mkdir(outdir, { recursive: true });
  const entryPoints = { ...workerEntries, ...testWorkerEntries };
  await build({ ...nodeBundle, entryPoints, outdir, outExtension: { '.js': '.cjs' } });
  project.provide('workerBundleDir', outdir);
  return () => rm(outdir, { recursive: true, force: true });
}
