// Builds better-sqlite3 against Electron's headers into .native/electron-<version>/, so that node_modules keeps the
// Node build that `npm test` needs and `npm start` works in the same checkout, in either order.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HEADERS_URL = 'https://electronjs.org/headers';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(root, 'node_modules', 'better-sqlite3');
const nodeGyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');

class BuildError extends Error {}

function packageVersion(name) {
  const file = path.join(root, 'node_modules', name, 'package.json');
  if (!existsSync(file)) throw new BuildError(`${name} is not installed (no ${path.relative(root, file)}); run npm install first.`);
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

/** node-gyp lets npm_config_* variables override its command line: drop inherited ones that pick headers or ABI. */
function buildEnv(pinned) {
  const optionName = (key) => /^npm_(?:package_config_node_gyp|config)_(.+)$/i.exec(key)?.[1].toLowerCase().replaceAll('-', '_');
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !['nodedir', 'disturl', ...Object.keys(pinned)].includes(optionName(key))));
  for (const [name, value] of Object.entries(pinned)) env[`npm_config_${name}`] = value;
  return env;
}

function build(electronVersion, arch, target) {
  if (!existsSync(nodeGyp)) throw new BuildError('node-gyp is not installed; run npm install first.');
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'hi-electron-native-'));
  try {
    // A copy, so that node-gyp's build/ does not replace the Node build in node_modules.
    const nodeBuild = path.join(sourceDir, 'build');
    cpSync(sourceDir, workDir, { recursive: true, filter: (src) => src !== nodeBuild });
    const pinned = {
      target: electronVersion,
      arch,
      dist_url: HEADERS_URL,
      runtime: 'electron',
      // Apart from Node's header cache, as Electron's docs advise.
      devdir: path.join(os.homedir(), '.electron-gyp'),
    };
    const args = [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${pinned.target}`,
      `--arch=${pinned.arch}`,
      `--dist-url=${pinned.dist_url}`,
      `--runtime=${pinned.runtime}`,
      `--devdir=${pinned.devdir}`,
      '--jobs=max',
    ];
    const result = spawnSync(process.execPath, args, { cwd: workDir, env: buildEnv(pinned), stdio: 'inherit' });
    if (result.error) throw new BuildError(`could not run node-gyp: ${result.error.message}`);
    if (result.status !== 0) {
      throw new BuildError(
        `node-gyp failed (${result.status === null ? `signal ${result.signal}` : `exit code ${result.status}`}); see its output above.\n` +
          `Common causes: no network access to ${HEADERS_URL} for the Electron ${electronVersion} headers, no Python 3, ` +
          'or no C++20 compiler. Fix that and run `node scripts/electron-native.mjs` again.',
      );
    }
    const built = path.join(workDir, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) throw new BuildError(`node-gyp succeeded but ${built} is missing.`);
    mkdirSync(path.dirname(target), { recursive: true });
    // Copy then rename, so that an interrupted run never leaves a truncated binary behind.
    copyFileSync(built, `${target}.partial`);
    renameSync(`${target}.partial`, target);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

try {
  const electronVersion = packageVersion('electron');
  const sqliteVersion = packageVersion('better-sqlite3');
  // The arch the electron package downloads its binary for.
  const arch = process.env.ELECTRON_INSTALL_ARCH || process.env.npm_config_arch || process.arch;
  const outDir = path.join(root, '.native', `electron-${electronVersion}`);
  const target = path.join(outDir, 'better_sqlite3.node');
  // The binary must also match the better-sqlite3 JavaScript that loads it: rebuild when that is upgraded.
  const stampFile = path.join(outDir, 'better_sqlite3.stamp');
  const stamp = `better-sqlite3 ${sqliteVersion} ${process.platform}-${arch}\n`;
  if (!(existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp)) {
    console.log(`electron-native: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${arch}).`);
    console.log(`electron-native: this needs ${HEADERS_URL}, Python 3 and a C++20 compiler, and runs once per version.`);
    build(electronVersion, arch, target);
    writeFileSync(stampFile, stamp);
    console.log(`electron-native: wrote ${path.relative(root, target)}.`);
  }
} catch (error) {
  console.error(`electron-native: ${error instanceof BuildError ? error.message : error.stack}`);
  process.exitCode = 1;
}
