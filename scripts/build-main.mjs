// Bundles the main-process entries (panel server, Electron main, preload) with esbuild.
import { build } from 'esbuild';
import { rawText } from './raw-text-plugin.mjs';

const common = {
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

await Promise.all([
  build({ ...common, entryPoints: { 'main-node': 'src-main/main-node.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { demo: 'src-main/simulator/demo.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { 'electron-main': 'src-main/electron/main.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } }),
  // A sandboxed preload may only require('electron'): everything else is bundled in.
  build({ ...common, entryPoints: { preload: 'src-main/electron/preload.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } }),
]);
