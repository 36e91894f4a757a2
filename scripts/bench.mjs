// `npm run bench [name]`: bundles each bench/*.ts (or the one named) and runs it, printing its figures, then one
// summary table of every figure a bench reported with its goal.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { nodeBundle, workerEntries } from './esbuild-common.mjs';

const FIGURE_PREFIX = 'BENCH-FIGURE ';
const only = process.argv[2];
const benches = readdirSync('bench').filter(
  (f) => f.endsWith('.ts') && !['bench-support.ts', 'node-inspector.ts'].includes(f) && (!only || f.startsWith(only)),
);
if (benches.length === 0) {
  console.error(`No bench matches '${only}'.`);
  process.exit(1);
}

/** Runs one bundled bench, echoing its output and answering its exit code and the figures it reported. */
function runBench(outfile) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', outfile], { stdio: ['ignore', 'pipe', 'inherit'] });
    const figures = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(FIGURE_PREFIX)) return console.log(line);
      try {
        figures.push(JSON.parse(line.slice(FIGURE_PREFIX.length)));
      } catch {
        console.log(line);
      }
    });
    child.on('close', (code) => resolve({ code, figures }));
  });
}

/**
 * This machine's speed moves by half within a day, so every run records a reference beside its figures: how long
 * Node takes to start and exit (median of 9), and the load average. Figures from two runs compare only when these do.
 */
function machineReference(when) {
  const startTimes = [];
  for (let i = 0; i < 9; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    startTimes.push(performance.now() - started);
  }
  startTimes.sort((a, b) => a - b);
  const [load1] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  const nodeStart = startTimes[4];
  console.log(`machine ${when} the benches: node -e 0 median ${nodeStart.toFixed(1)} ms (min ${startTimes[0].toFixed(1)}, max ${startTimes[8].toFixed(1)}), load average ${load1}`);
  return { bench: 'machine', measure: `node -e 0, ${when} the benches (median of 9; load average ${load1})`, value: nodeStart, unit: 'ms', goal: 'reference', met: null };
}

const rows = [machineReference('before')];
mkdirSync('dist/bench', { recursive: true });
// A hub opened in a bench looks for its worker scripts beside the bundle that runs it.
await build({ ...nodeBundle, entryPoints: workerEntries, outdir: 'dist/bench', outExtension: { '.js': '.cjs' } });
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
  const { code, figures } = await runBench(outfile);
  failed ||= code !== 0;
  for (const figure of figures) rows.push({ bench: file.replace(/\.ts$/, ''), ...figure });
  if (code !== 0) rows.push({ bench: file.replace(/\.ts$/, ''), measure: `exited with code ${code}`, value: NaN, unit: '', goal: '', met: false });
}

rows.push(machineReference('after'));
const verdict = (met) => (met === null ? '' : met ? 'met' : 'MISSED');
const cells = rows.map((r) => [r.bench, r.measure, Number.isFinite(r.value) ? `${Number(r.value.toFixed(2))} ${r.unit}`.trim() : '—', r.goal, verdict(r.met)]);
const header = ['bench', 'measure', 'figure', 'goal', ''];
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
const line = (c) => c.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
console.log(`\n== summary (${new Date().toISOString().slice(0, 10)})`);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const c of cells) console.log(line(c));
process.exitCode = failed ? 1 : 0;
