import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * Loads the early chunk (see early.ts) by an async script of its own as well: imported only by the app's entry, it
 * would run after every chunk of the app had been fetched; on its own it runs as soon as it arrives.
 */
function earlyScript(): Plugin {
  return {
    name: 'early-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const early = Object.values(bundle ?? {}).find((output) => output.type === 'chunk' && output.name === 'early');
        if (!early) throw new Error('The build made no early chunk: see advancedChunks below.');
        return [{ tag: 'script', attrs: { type: 'module', async: true, crossorigin: true, src: `./${early.fileName}` }, injectTo: 'head' }];
      },
    },
  };
}

export default defineConfig({
  root: 'src-renderer',
  // Relative asset URLs: the same build loads from app://panel/ in Electron and from the panel server.
  base: './',
  plugins: [preact(), earlyScript()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // No inline scripts or styles: the CSP forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // The early connection (early.ts) in a chunk of its own: it runs before the app's larger chunks are evaluated.
        advancedChunks: { groups: [{ name: 'early', test: /(src-renderer[\\/](early|early-connection|view-hash)|src-shared[\\/]ipc[\\/]panel-socket)\.ts$/ }] },
      },
    },
  },
});
