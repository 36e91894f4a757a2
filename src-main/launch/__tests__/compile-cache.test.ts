import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test-support/test-hub';

interface Probe {
  runs: number;
  dirname: string;
  filename: string;
  joined: string;
  exportsIsThis: boolean;
}

/** A CommonJS bundle that reports what it saw, with enough code for V8 to cache. */
const bundleSource = (version: number) => `
const path = require('node:path');
const probe = (globalThis.compileCacheProbe ??= { runs: 0 });
probe.runs += 1;
probe.dirname = __dirname;
probe.filename = __filename;
probe.joined = path.join('a', 'b');
probe.exportsIsThis = this === module.exports;
function work(n) { let sum = 0; for (let i = 0; i < n; i += 1) sum += i % ${version + 7}; return sum; }
module.exports.version = ${version} + work(10);
`;

/**
 * Each start in a process of its own, as a restarted hub is: within one process V8's in-memory compilation cache
 * would answer instead of the cached data under test.
 */
describe('loading a bundle through the code cache', () => {
  let launcher: string;
  let dir: string;
  let cacheDir: string;
  let bundle: string;

  beforeAll(() => {
    const buildDir = makeTempDir();
    const entry = path.join(buildDir, 'entry.ts');
    writeFileSync(
      entry,
      `import { loadWithCompileCache } from ${JSON.stringify(path.resolve('src-main/launch/compile-cache'))};
const load = loadWithCompileCache(process.argv[2]!, { cacheDir: process.argv[3]!, saveAfterMs: 60_000 });
load.save();
process.stdout.write(JSON.stringify({ usedCache: load.usedCache, probe: (globalThis as any).compileCacheProbe }));
`,
    );
    launcher = path.join(buildDir, 'launcher.cjs');
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: launcher, logLevel: 'error' });
  });
  beforeEach(() => {
    dir = makeTempDir();
    cacheDir = path.join(dir, 'cache');
    bundle = path.join(dir, 'bundle.cjs');
  });

  /** One start: answers whether it used the cache and what the bundle saw. */
  function start(): { usedCache: boolean; probe: Probe } {
    const run = spawnSync(process.execPath, [launcher, bundle, cacheDir], { encoding: 'utf8', timeout: 30_000 });
    if (run.status !== 0) throw new Error(`the launcher failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as { usedCache: boolean; probe: Probe };
  }

  it('runs the bundle as require would, caches its code, and uses the cache on the next start', () => {
    writeFileSync(bundle, bundleSource(1));
    const first = start();
    expect(first).toEqual({ usedCache: false, probe: { runs: 1, dirname: dir, filename: bundle, joined: path.join('a', 'b'), exportsIsThis: true } });
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(start()).toEqual({ ...first, usedCache: true });
  });

  it('keeps only the cache of the current build, and runs a changed bundle from its own source', () => {
    writeFileSync(bundle, bundleSource(1));
    start();
    const before = readdirSync(cacheDir);
    writeFileSync(bundle, bundleSource(22));
    expect(start().usedCache).toBe(false);
    const after = readdirSync(cacheDir);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(start().usedCache).toBe(true);
  });

  it('starts from the source when the cache is damaged, and replaces it', () => {
    writeFileSync(bundle, bundleSource(3));
    start();
    const [cacheName] = readdirSync(cacheDir);
    writeFileSync(path.join(cacheDir, cacheName!), Buffer.from('not compiled code'));
    expect(start()).toMatchObject({ usedCache: false, probe: { runs: 1 } });
    expect(start().usedCache).toBe(true);
  });

  it('still runs the bundle when the cache cannot be written', () => {
    writeFileSync(bundle, bundleSource(4));
    // A file where the cache directory should be: the directory cannot be made.
    writeFileSync(cacheDir, 'in the way');
    expect(start()).toMatchObject({ usedCache: false, probe: { runs: 1 } });
  });
});
