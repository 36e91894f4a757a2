// Bundles the main-process entries (panel server, Electron main, preload, worker threads) with esbuild.
import { build } from 'esbuild';
import { nodeBundle as common, workerEntries } from './esbuild-common.mjs';

await Promise.all([
  // main-node.cjs is a small launcher that loads the panel server's bundle through V8's code cache.
  build({ ...common, entryPoints: { 'main-node': 'src-main/launch/panel-server-launcher.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { 'panel-server': 'src-main/main-node.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { demo: 'src-main/simulator/demo.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { 'electron-main': 'src-main/electron/main.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } }),
  // A sandboxed preload may only require('electron'): everything else is bundled in.
  build({ ...common, entryPoints: { preload: 'src-main/electron/preload.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: workerEntries, outdir: 'dist/main', outExtension: { '.js': '.cjs' } }),
]);
