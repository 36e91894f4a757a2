import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** esbuild plugin: `import text from './x.svg?raw'`, as Vite (and so the tests) understand it: the file's text. */
export const rawText = {
  name: 'raw-text',
  setup(builder) {
    builder.onResolve({ filter: /\?raw$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)), namespace: 'raw-text' }));
    builder.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};
