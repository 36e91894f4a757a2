// Bundles the Home Assistant and ZoneMinder simulators with esbuild and runs them; arguments after `--` go to them.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-common.mjs';

const outfile = path.resolve('dist/simulator/main.cjs');

await build({ ...nodeBundle, entryPoints: ['src-main/simulator/main.ts'], outfile });

// The bundle reads process.argv itself and stays up until SIGINT/SIGTERM.
await import(pathToFileURL(outfile).href);
