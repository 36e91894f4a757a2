import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/** Kept outside the app, which may be installed read-only; one file per bundle build and Node version. */
export const CODE_CACHE_DIR = path.join(os.tmpdir(), 'home-information-code-cache');

/** After start-up: the cache then holds the functions start-up compiled, not just the top level. */
const SAVE_AFTER_MS = 1_000;

export interface CachedLoad {
  /** Whether V8 took compiled code from the cache (false on the first start of a build, or a damaged cache). */
  usedCache: boolean;
  /** Writes the compiled code for the next start, at once; a load that used the cache has nothing to write. */
  save(): void;
}

const cacheFileFor = (bundle: string, cacheDir: string): string => {
  const { size, mtimeMs } = statSync(bundle);
  return path.join(cacheDir, `${path.basename(bundle)}-${size}-${Math.round(mtimeMs)}-${process.version}-${process.arch}.bin`);
};

/**
 * Runs a CommonJS bundle as `require` would, compiling it with V8's code cache: a hub restarting after a crash or a
 * power cut skips compiling its 3 MB bundle (about 130–200 ms of a start on a small panel). Node 22 and later
 * (Electron's) have this built in; Node 20 gets it through `vm.Script`'s cached data, which V8 checks against the
 * source and its own version, rejecting a cache that does not match.
 */
export function loadWithCompileCache(bundle: string, { saveAfterMs = SAVE_AFTER_MS, cacheDir = CODE_CACHE_DIR } = {}): CachedLoad {
  const builtIn = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (builtIn) {
    builtIn(cacheDir);
    createRequire(__filename)(bundle);
    return { usedCache: true, save: () => undefined };
  }
  const cacheFile = cacheFileFor(bundle, cacheDir);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // The first start of this build: nothing cached yet.
  }
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const usedCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = new Module(bundle);
  module.filename = bundle;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));

  let saved = usedCache;
  const save = () => {
    if (saved) return;
    saved = true;
    try {
      mkdirSync(cacheDir, { recursive: true });
      // Caches of earlier builds of this bundle are of no further use.
      const prefix = `${path.basename(bundle)}-`;
      for (const name of readdirSync(cacheDir)) if (name.startsWith(prefix)) rmSync(path.join(cacheDir, name), { force: true });
      const partial = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, cacheFile);
    } catch {
      // Only a slower next start: the cache is an optimisation, and a read-only or full temp dir must not stop the hub.
    }
  };
  if (!usedCache) setTimeout(save, saveAfterMs).unref();
  return { usedCache, save };
}
