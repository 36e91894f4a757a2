import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

export function chromiumPath(): string | undefined {
  return [process.env.PLAYWRIGHT_CHROMIUM_PATH, '/usr/bin/chromium'].find((p): p is string => !!p && existsSync(p));
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A process's resident memory, from /proc. */
export function rssMegabytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

export const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export interface ProcessStat {
  ppid: number;
  /** utime + stime, in clock ticks, over all the process's threads. */
  ticks: number;
}

/** A process's parent and CPU time from /proc/<pid>/stat; null when it is gone. */
export function readProcessStat(pid: number): ProcessStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The name field may hold spaces and parentheses: the numbers start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** "median 123.4  min 100.0  max 150.2" */
export function summarise(samples: readonly number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `median ${percentile(sorted, 50).toFixed(1)}  min ${sorted[0]!.toFixed(1)}  max ${sorted.at(-1)!.toFixed(1)}`;
}

export interface Figure {
  /** What was measured, as the summary table names it, e.g. "first paint, 1,000 entities (median)". */
  measure: string;
  value: number;
  unit: string;
  /** The goal in words, e.g. "< 300 ms". */
  goal: string;
  met: boolean;
}

/** Prints one figure for `npm run bench`'s summary table (scripts/bench.mjs collects the lines it recognises). */
export function reportFigure(figure: Figure): void {
  console.log(`${FIGURE_PREFIX}${JSON.stringify(figure)}`);
}

export const FIGURE_PREFIX = 'BENCH-FIGURE ';

/** Runs a bench's main: a failure is printed and makes the bench exit non-zero, so the summary marks it. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
