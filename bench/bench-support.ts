import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

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
  /** null for a baseline or reference, which has no goal. */
  met: boolean | null;
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

/** What `loadPlan` measured, in ms from navigation start. */
export interface PlanMarks {
  /** Every entity is on screen, painted on the plan's canvas or drawn in the SVG: that frame has been rendered. */
  allShown: number;
  entitiesInDom: number;
  /** Likewise for the frame that had every entity's element (hit target, tooltip) in the DOM. */
  entitiesPainted: number;
  firstContentfulPaint: number;
  /** The page's time origin, wall clock: for relating the marks to times outside the page. */
  timeOrigin: number;
}

/**
 * Runs in the page before its own scripts: marks the frame in which `expected` entities are first all on screen, the
 * one in which all their elements are in the DOM (one and the same frame for a page that draws every item in the
 * SVG), and the first contentful paint; `benchPlanMarks` resolves once all are in.
 */
function observePlan(expected: number): void {
  const marks: PlanMarks = { allShown: 0, entitiesInDom: 0, entitiesPainted: 0, firstContentfulPaint: 0, timeOrigin: performance.timeOrigin };
  let finish: (marks: PlanMarks) => void = () => {};
  (globalThis as unknown as { benchPlanMarks: Promise<PlanMarks> }).benchPlanMarks = new Promise((resolve) => (finish = resolve));
  // Paint entries are reported a little after their frame: every mark is waited for.
  const settle = () => {
    if (marks.allShown > 0 && marks.entitiesPainted > 0 && marks.firstContentfulPaint > 0) finish(marks);
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntriesByName('first-contentful-paint')) marks.firstContentfulPaint ||= entry.startTime;
    settle();
  }).observe({ type: 'paint', buffered: true });
  // A task posted from the frame's animation callbacks runs once that frame has been rendered.
  const afterFrame = (mark: 'allShown' | 'entitiesPainted') =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        marks[mark] = performance.now();
        settle();
      };
      channel.port2.postMessage(null);
    });
  const observer = new MutationObserver(() => {
    const inDom = document.querySelectorAll('[data-entity-id]').length;
    const painted = Number(document.querySelector<HTMLCanvasElement>('canvas[data-testid="plan-icons"]')?.dataset.painted ?? 0);
    if (marks.allShown === 0 && Math.max(inDom, painted + document.querySelectorAll('path[data-entity-id]').length) >= expected) {
      marks.allShown = -1;
      afterFrame('allShown');
    }
    if (marks.entitiesInDom === 0 && inDom >= expected) {
      marks.entitiesInDom = performance.now();
      afterFrame('entitiesPainted');
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-painted'] });
}

/**
 * Loads `url` cold and answers its marks once `expected` entities have been shown. Waits on the page's own promise
 * rather than polling with waitForFunction, whose injected script would run on the page's main thread in the middle
 * of the load being measured.
 */
export async function loadPlan(page: Page, url: string, expected: number, timeoutMs: number): Promise<PlanMarks> {
  await page.addInitScript(observePlan, expected);
  return loadPlanAgain(page, url, timeoutMs);
}

/**
 * Loads `url` in a page that loadPlan has loaded before, whose observer runs in every new document: a load with the
 * browser's caches warm (the hashed scripts from its HTTP cache, compiled code from V8's), as a kiosk's reload.
 */
export async function loadPlanAgain(page: Page, url: string, timeoutMs: number): Promise<PlanMarks> {
  await page.goto(url, { waitUntil: 'commit' });
  return page.evaluate(
    (ms) =>
      Promise.race([
        (globalThis as unknown as { benchPlanMarks: Promise<PlanMarks> }).benchPlanMarks,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the plan's items were not all shown in ${ms} ms`)), ms)),
      ]),
    timeoutMs,
  );
}
