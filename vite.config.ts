import path from 'node:path';
import preact from '@preact/preset-vite';
import { build } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';

/**
 * The early connection (early.ts) as the page's one inline script, at the top of the head: it opens the hub's socket while
 * the page is parsed, before any of the app's scripts has been fetched (on a busy two-core panel, a fetch took 90 ms).
 * The hosts allow it, and no other inline script, by its SHA-256 (src-main/host/page-policy.ts).
 */
function earlyScript(): Plugin {
  return {
    name: 'early-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      async handler(html) {
        const built = await build({
          entryPoints: [path.join(import.meta.dirname, 'src-renderer', 'early.ts')],
          bundle: true,
          format: 'iife',
          minify: true,
          target: 'es2022',
          write: false,
          logLevel: 'silent',
        });
        const code = built.outputFiles[0]!.text.trim();
        if (/<\/script|<!--/i.test(code)) throw new Error('The early script would end its own <script> element.');
        // Right after the charset, ahead of the stylesheet: a script after a stylesheet waits for it to load.
        const charset = /<meta charset="utf-8" \/>/;
        if (!charset.test(html)) throw new Error('index.html has no <meta charset="utf-8" /> to put the early script after.');
        return html.replace(charset, (meta) => `${meta}<script>${code}</script>`);
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
  const BUILDER_CALL = /(?<![\w.$])(z\.\w+|enumSchema|[a-z]\w*Schema\.(?:optional|nullable|extend|omit))\(/g;
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
    // No inline styles, and no inline script but the early connection's: the CSP forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
