import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * Loads the early chunk (see early.ts) by an async script of its own as well: imported only by the app's entry, it
 * would run after every chunk of the app had been fetched; on its own it runs as soon as it arrives. First in the
 * head, so that its request goes out before the app's.
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
        return [{ tag: 'script', attrs: { type: 'module', async: true, crossorigin: true, src: `./${early.fileName}` }, injectTo: 'head-prepend' }];
      },
    },
  };
}

/**
 * Marks every schema-building call in the shared models as pure (@__PURE__): zod's builders, enumSchema(), and a
 * schema derived from another (`fooSchema.optional()`, `.nullable()`, `.extend()`, `.omit()`), so that the schemas the
 * panel does not use (nearly all: it validates nothing) are left out of its bundle. Not `.parse()`, whose result may be
 * unused on purpose. Not treeshake.manualPureFunctions: the bundler matches those by name after it has turned
 * `z.object` into a bare `object`, and a bare `z` also matched minified libraries' own functions.
 */
function pureSchemas(): Plugin {
  // Not a function declaration (`function enumSchema(`): a call only.
  const BUILDER_CALL = /(?<![\w.$])(?<!function )(z\.\w+|enumSchema|[a-z]\w*Schema\.(?:optional|nullable|extend|omit))\(/g;
  return {
    name: 'pure-schemas',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]src-shared[\\/].*\.ts$/.test(id)) return null;
      return { code: code.replace(BUILDER_CALL, '/* @__PURE__ */ $1('), map: null };
    },
  };
}

/**
 * Fails the build when zod is in the panel's first load: its schemas are the hub's, and evaluating zod and the shared
 * models' schemas took a third of the first load's script time. Shared modules keep their schemas out of the panel's
 * way by building them only from calls the bundler may drop when unused (see treeshake below).
 */
function noZodInFirstLoad(): Plugin {
  return {
    name: 'no-zod-in-first-load',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((output) => (output.type === 'chunk' ? [[output.fileName, output] as const] : [])));
      const loaded = new Set<string>();
      const visit = (fileName: string) => {
        const chunk = chunks.get(fileName);
        if (!chunk || loaded.has(fileName)) return;
        loaded.add(fileName);
        chunk.imports.forEach(visit);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      for (const fileName of loaded) {
        const zod = chunks.get(fileName)!.moduleIds.find((id) => /[\\/]node_modules[\\/]zod[\\/]/.test(id));
        if (zod) this.error(`zod is in the panel's first load (${fileName}: ${zod}): a shared model's schema is built at load time.`);
      }
    },
  };
}

export default defineConfig({
  root: 'src-renderer',
  // Relative asset URLs: the same build loads from app://panel/ in Electron and from the panel server.
  base: './',
  plugins: [preact(), earlyScript(), pureSchemas(), noZodInFirstLoad()],
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
