// Shared esbuild set-up of every Node bundle: the main entries, the simulator and the benchmarks.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** `import text from './x.svg?raw'`, as Vite (and so the tests) understand it: the file's text. */
export const rawText = {
  name: 'raw-text',
  setup(builder) {
    builder.onResolve({ filter: /\?raw$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)), namespace: 'raw-text' }));
    builder.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // Native and Electron modules load at run time from node_modules (or the Electron runtime).
  external: ['better-sqlite3', 'sharp', 'electron'],
  plugins: [rawText],
};

/** Worker-thread entries: each is bundled beside the hosts' bundles (dist/main), where the hub looks for it. */
export const workerEntries = { 'cpu-worker': 'src-main/workers/cpu-worker.ts' };
