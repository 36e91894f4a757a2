// Bundles the Home Assistant simulator with esbuild and runs it; arguments after `--` go to the simulator.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const outfile = path.resolve('dist/simulator/main.cjs');

await build({
  entryPoints: ['src-main/simulator/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
});

// The bundle reads process.argv itself and stays up until SIGINT/SIGTERM.
await import(pathToFileURL(outfile).href);
