import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import type { BuildOptions } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../hub';
import { createTestHub, makeTempDir } from '../../test-support/test-hub';

/**
 * The real panel server (main-node, bundled as `npm run build:main` bundles it) on a disk that refuses writes. Without
 * root there is no full disk to mount; `prlimit --fsize` caps the size of every file the server writes instead, so
 * its writes past the cap fail as they would on a full disk (SQLite reports them as I/O errors).
 */
const prlimit = spawnSync('prlimit', ['--version']).status === 0;
if (!prlimit) process.stderr.write('full-disk-process: skipped, no prlimit (util-linux) on this machine\n');

const EXIT_TIMEOUT_MS = 20_000;
/** Below the 32 KiB shared-memory file that a WAL database needs next to it. */
const CAP_BELOW_SHM_BYTES = 10_000;

interface ServerRun {
  /** Resolves once the server says it listens; rejects if it exits first. */
  listening: Promise<void>;
  exit: Promise<number | null>;
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

describe.skipIf(!prlimit)('the panel server on a full disk', () => {
  let buildDir: string;
  let entry: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    const { nodeBundle, workerEntries } = (await import(pathToFileURL(path.resolve('scripts', 'esbuild-common.mjs')).href)) as {
      nodeBundle: BuildOptions;
      workerEntries: Record<string, string>;
    };
    const { build } = await import('esbuild');
    // Inside the checkout so that the bundle's external packages resolve from node_modules.
    buildDir = path.resolve('node_modules', '.cache', 'home-information', `full-disk-${process.pid}`);
    const outdir = path.join(buildDir, 'main');
    await build({ ...nodeBundle, entryPoints: { 'main-node': 'src-main/main-node.ts', ...workerEntries }, outdir, outExtension: { '.js': '.cjs' } });
    entry = path.join(outdir, 'main-node.cjs');
    // The server refuses to start without a renderer; these tests need none of it.
    mkdirSync(path.join(buildDir, 'renderer'), { recursive: true });
    writeFileSync(path.join(buildDir, 'renderer', 'index.html'), '<!doctype html><title>Home Information</title>');
  }, 120_000);
  afterAll(() => {
    for (const dir of [buildDir, ...dirs]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const tempDir = () => {
    const dir = makeTempDir('hi-full-disk-');
    dirs.push(dir);
    return dir;
  };

  /** Runs the server on `dataDir`, every file it writes capped at `fileSizeCap` bytes (or not at all). */
  function runServer(dataDir: string, fileSizeCap: number | null): ServerRun {
    const args = [entry, '--data-dir', dataDir, '--port', '0'];
    const [command, commandArgs] = fileSizeCap === null ? [process.execPath, args] : ['prlimit', [`--fsize=${fileSizeCap}`, process.execPath, ...args]];
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HI_LOG_LEVEL: 'info' } });
    let output = '';
    const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exit = new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the panel server did not exit in time:\n${output}`));
      }, EXIT_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    const listening = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => {
        if (output.includes('listening on')) resolve();
      });
      void exit.then(
        (code) => reject(new Error(`the panel server exited with ${code}:\n${output}`)),
        reject,
      );
    });
    // A run that is expected to fail at start is never awaited as listening.
    listening.catch(() => undefined);
    return { listening, exit, output: () => output, kill: (signal) => child.kill(signal) };
  }

  it('says which disk is full and exits 1 when it cannot create its database', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const run = runServer(dataDir, 0);
    expect(await run.exit).toBe(1);
    // Regression: it printed only "disk I/O error".
    expect(run.output()).toMatch(new RegExp(`^The disk holding ${dataDir} (is full|cannot be written) \\(`, 'm'));
    expect(run.output()).not.toMatch(/^\s+at /m);
  });

  it('says which disk is full and exits 1 when it cannot open its database', async () => {
    const dataDir = tempDir();
    const seeded = await createTestHub({ dataDir });
    await seeded.stop();
    const run = runServer(dataDir, CAP_BELOW_SHM_BYTES);
    expect(await run.exit).toBe(1);
    expect(run.output()).toMatch(new RegExp(`^The disk holding ${dataDir} (is full|cannot be written) \\(disk I/O error, SQLITE_IOERR_SHMSIZE\\)`, 'm'));
  });

  it('exits 0 after closing its database cleanly on SIGTERM while the disk refuses writes', async () => {
    const dataDir = tempDir();
    const seeded = await createTestHub({ dataDir });
    await seeded.stop();
    const file = path.join(dataDir, DATABASE_FILE);
    const run = runServer(dataDir, statSync(file).size);
    await run.listening;
    // Another connection (not capped) grows the log past the cap: every write the server tries now fails.
    const other = new BetterSqlite3(file);
    other.pragma('wal_autocheckpoint = 0');
    other.exec('create table filler (body blob not null)');
    other.prepare('insert into filler (body) values (?)').run(Buffer.alloc(statSync(file).size + 100_000));
    other.close();

    run.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.output()).toMatch(/Hub stopped/);
    const check = new BetterSqlite3(file);
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('select count(*) from filler').pluck().get()).toBe(1);
    } finally {
      check.close();
    }
  });
});
