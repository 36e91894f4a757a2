// `npm run bench [name]`: bundles each bench/*.ts (or the one named) and runs it, printing its figures.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-common.mjs';

const only = process.argv[2];
const benches = readdirSync('bench').filter((f) => f.endsWith('.ts') && f !== 'bench-support.ts' && (!only || f.startsWith(only)));
if (benches.length === 0) {
  console.error(`No bench matches '${only}'.`);
  process.exit(1);
}
mkdirSync('dist/bench', { recursive: true });
let failed = false;
for (const file of benches) {
  const outfile = path.join('dist', 'bench', file.replace(/\.ts$/, '.cjs'));
  await build({
    ...nodeBundle,
    entryPoints: [path.join('bench', file)],
    outfile,
    external: [...nodeBundle.external, '@playwright/test', 'playwright', 'playwright-core'],
  });
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exitCode = failed ? 1 : 0;
