import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { HubClient } from '../e2e/hub-client';
import { PanelServerProcess } from '../e2e/panel-server-process';
import { IMPORTED_DOMAINS } from '../src-main/integrations/home_assistant/converters';
import { HaSimulator } from '../src-main/simulator/ha-simulator';
import { CHROMIUM_ARGS, chromiumPath, CLOCK_TICKS_PER_SECOND, readProcessStat, reportFigure, runBench, type ProcessStat } from './bench-support';

const TOKEN = 'bench-token';
const SETTLE_SECONDS = 10;
/** The measured window; BENCH_IDLE_SECONDS shortens it while working on the bench itself. */
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? '60');
const HUB_GOAL_PERCENT = 0.5;
const CHROMIUM_GOAL_PERCENT = 1;
const ITEMS_TIMEOUT_MS = 60_000;
/** Distinct scheduling stacks the page keeps apart; the rest are counted together. */
const MAX_WAKE_SOURCES = 2_000;
/** Rows of each list printed. */
const MAX_ROWS = 25;

interface WakeRecord {
  kind: string;
  stack: string[];
  fires: number;
}

interface PageReport {
  wakes: WakeRecord[];
  messages: Record<string, number>;
  mutations: Record<string, number>;
  animations: string[];
  visibility: string;
  focused: boolean;
  activeElement: string;
}

/**
 * Runs in the page before the app: counts every timer, interval and animation frame that fires while counting is
 * on, keyed by where it was scheduled, and the WebSocket messages and DOM mutations of the same time.
 */
function instrumentWakeUps(maxSources: number): void {
  const records = new Map<string, { kind: string; stack: string[]; fires: number }>();
  const messages: Record<string, number> = {};
  const mutations: Record<string, number> = {};
  let counting = false;
  let observer: MutationObserver | null = null;

  const recordFor = (kind: string) => {
    // Frames of the app's bundle only: the wrapper's own frames and the browser's say nothing.
    const stack = (new Error().stack ?? '')
      .split('\n')
      .filter((line) => line.includes('/assets/'))
      .slice(0, 8)
      .map((line) => line.trim());
    const key = records.size < maxSources ? `${kind}\n${stack.join('\n')}` : `${kind}\n(more sources)`;
    let record = records.get(key);
    if (!record) records.set(key, (record = { kind, stack: records.size < maxSources ? stack : ['(more sources)'], fires: 0 }));
    return record;
  };
  const counted = <A extends unknown[]>(record: { fires: number }, callback: (...args: A) => unknown) =>
    function (this: unknown, ...args: A) {
      if (counting) record.fires += 1;
      return callback.apply(this, args);
    };

  const nativeSetTimeout = window.setTimeout.bind(window);
  const nativeSetInterval = window.setInterval.bind(window);
  const nativeRequestAnimationFrame = window.requestAnimationFrame.bind(window);
  window.setTimeout = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) =>
    nativeSetTimeout(typeof handler === 'function' ? counted(recordFor('setTimeout'), handler as (...a: unknown[]) => unknown) : handler, timeout, ...args)) as typeof window.setTimeout;
  window.setInterval = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) =>
    nativeSetInterval(typeof handler === 'function' ? counted(recordFor('setInterval'), handler as (...a: unknown[]) => unknown) : handler, timeout, ...args)) as typeof window.setInterval;
  window.requestAnimationFrame = (callback: FrameRequestCallback) => nativeRequestAnimationFrame(counted(recordFor('requestAnimationFrame'), callback));

  const describeMessage = (data: unknown): string => {
    try {
      const message = JSON.parse(String(data)) as { t?: string; name?: string };
      return message.name ? `${message.t} ${message.name}` : String(message.t);
    } catch {
      return 'not JSON';
    }
  };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class CountingWebSocket extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        if (counting) messages[`received ${describeMessage(event.data)}`] = (messages[`received ${describeMessage(event.data)}`] ?? 0) + 1;
      });
    }

    override send(data: Parameters<WebSocket['send']>[0]): void {
      if (counting) messages[`sent ${describeMessage(data)}`] = (messages[`sent ${describeMessage(data)}`] ?? 0) + 1;
      super.send(data);
    }
  };

  const describeNode = (node: Node | null): string => {
    const element = node instanceof Element ? node : node?.parentElement;
    if (!element) return String(node?.nodeName);
    const testId = element.closest('[data-testid]')?.getAttribute('data-testid');
    const className = typeof element.className === 'string' ? element.className.split(' ')[0] : '';
    return `${element.tagName.toLowerCase()}${className ? `.${className}` : ''}${testId ? ` in [data-testid=${testId}]` : ''}`;
  };

  (globalThis as unknown as { idleBench: object }).idleBench = {
    start() {
      for (const record of records.values()) record.fires = 0;
      counting = true;
      observer = new MutationObserver((list) => {
        for (const mutation of list) {
          const key = `${mutation.type} ${describeNode(mutation.target)}`;
          mutations[key] = (mutations[key] ?? 0) + 1;
        }
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    },
    report() {
      counting = false;
      observer?.disconnect();
      const animations = document.getAnimations().map((animation) => {
        const name = (animation as CSSAnimation).animationName ?? animation.constructor.name;
        const iterations = animation.effect?.getTiming().iterations;
        const target = describeNode((animation.effect as KeyframeEffect | null)?.target ?? null);
        return `${name} on ${target}: ${animation.playState}, iterations ${iterations}`;
      });
      return {
        wakes: [...records.values()].filter((r) => r.fires > 0),
        messages,
        mutations,
        animations,
        visibility: document.visibilityState,
        focused: document.hasFocus(),
        activeElement: describeNode(document.activeElement),
      };
    },
  };
}

// ---- Source maps: a stack frame of the minified bundle back to its file and line in src-renderer.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

interface Segment {
  column: number;
  source: number;
  line: number;
}

/** One line's base64 VLQ segments; the fields after the first are deltas carried across lines in `state`. */
function decodeLine(text: string, state: { source: number; line: number; column: number; name: number }): Segment[] {
  const segments: Segment[] = [];
  let column = 0;
  for (const part of text.split(',')) {
    if (!part) continue;
    const values: number[] = [];
    let value = 0;
    let shift = 0;
    for (const char of part) {
      const digit = BASE64.indexOf(char);
      if (digit < 0) throw new Error(`not a source-map digit: ${char}`);
      value += (digit & 31) * 2 ** shift;
      if (digit & 32) shift += 5;
      else {
        values.push(value % 2 ? -Math.floor(value / 2) : value / 2);
        value = 0;
        shift = 0;
      }
    }
    column += values[0]!;
    if (values.length >= 4) {
      state.source += values[1]!;
      state.line += values[2]!;
      state.column += values[3]!;
      if (values.length >= 5) state.name += values[4]!;
      segments.push({ column, source: state.source, line: state.line });
    }
  }
  return segments;
}

class SourceMap {
  private readonly lines: Segment[][];
  private readonly sources: string[];

  constructor(json: { sources: string[]; mappings: string }) {
    const state = { source: 0, line: 0, column: 0, name: 0 };
    this.lines = json.mappings.split(';').map((line) => decodeLine(line, state));
    this.sources = json.sources.map((s) => s.replace(/^(\.\.\/)+/, ''));
  }

  /** `line` and `column` as a stack trace gives them (both from 1). */
  locate(line: number, column: number): string | null {
    const segments = this.lines[line - 1];
    if (!segments) return null;
    let found: Segment | undefined;
    for (const segment of segments) {
      if (segment.column > column - 1) break;
      found = segment;
    }
    return found ? `${this.sources[found.source]}:${found.line + 1}` : null;
  }
}

const sourceMaps = new Map<string, SourceMap | null>();

function sourceMapFor(bundleUrl: string): SourceMap | null {
  const file = path.resolve('dist', 'renderer', 'assets', `${path.basename(new URL(bundleUrl).pathname)}.map`);
  if (!sourceMaps.has(file)) sourceMaps.set(file, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as { sources: string[]; mappings: string }) : null);
  return sourceMaps.get(file)!;
}

/** "at f (http://127.0.0.1:1234/assets/index-x.js:1:2345)" → "src-renderer/components/use-now.ts:7". */
function mapFrame(frame: string): string {
  const match = /(https?:\/\/[^\s)]+):(\d+):(\d+)/.exec(frame);
  if (!match) return frame;
  return sourceMapFor(match[1]!)?.locate(Number(match[2]), Number(match[3])) ?? frame;
}

/** Where a wake-up was scheduled: the app's own frames, with the library it went through first. */
function wakeSource(stack: string[]): string {
  const frames = stack.map(mapFrame);
  const appFrames = frames.filter((f) => !f.includes('node_modules/')).slice(0, 3);
  const library = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frames[0] ?? '')?.[1];
  const where = appFrames.length > 0 ? appFrames.join(' ← ') : (frames[0] ?? '(no app frame)');
  return library ? `${library} ← ${where}` : where;
}

// ---- CPU time from /proc.

/** The process and every descendant of it, found through each process's parent in /proc/<pid>/stat. */
function processTree(root: number): Map<number, ProcessStat> {
  const all = new Map<number, ProcessStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcessStat(Number(entry));
    if (stat) all.set(Number(entry), stat);
  }
  const tree = new Map<number, ProcessStat>();
  const queue = [root];
  while (queue.length > 0 && tree.size < all.size) {
    const pid = queue.shift()!;
    const stat = all.get(pid);
    if (!stat || tree.has(pid)) continue;
    tree.set(pid, stat);
    for (const [child, childStat] of all) if (childStat.ppid === pid) queue.push(child);
  }
  return tree;
}

/** Chromium's name for what a process does: browser, renderer, gpu-process, utility (NetworkService), zygote. */
function chromiumProcessType(pid: number): string {
  let args: string[];
  try {
    // Chromium rewrites its children's command lines into one space-separated string.
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  } catch {
    return 'gone';
  }
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const type = flag('type');
  if (!type) return 'browser';
  const subType = flag('utility-sub-type');
  return subType ? `${type} (${subType.split('.').at(-1)})` : type;
}

interface CpuSample {
  byPid: Map<number, { ticks: number; type: string }>;
}

function sample(roots: number[], typeOf: (pid: number) => string): CpuSample {
  const byPid = new Map<number, { ticks: number; type: string }>();
  for (const root of roots) for (const [pid, stat] of processTree(root)) byPid.set(pid, { ticks: stat.ticks, type: typeOf(pid) });
  return { byPid };
}

/** % of one core per process type between two samples; a process that started in between counts from zero. */
function cpuByType(before: CpuSample, after: CpuSample, seconds: number): { byType: Map<string, number>; total: number; vanished: number } {
  const byType = new Map<string, number>();
  let total = 0;
  for (const [pid, end] of after.byPid) {
    const percent = ((end.ticks - (before.byPid.get(pid)?.ticks ?? 0)) / CLOCK_TICKS_PER_SECOND / seconds) * 100;
    byType.set(end.type, (byType.get(end.type) ?? 0) + percent);
    total += percent;
  }
  const vanished = [...before.byPid.keys()].filter((pid) => !after.byPid.has(pid)).length;
  return { byType, total, vanished };
}

// ---- The home.

/** A single-story starter home with every simulated Home Assistant device placed on its first view. */
async function setUpHome(panelUrl: string, haUrl: string): Promise<{ viewId: number; placed: number; acknowledged: number }> {
  const hub = await HubClient.connect(panelUrl);
  try {
    const [home] = await hub.call('home.setup', { profile: 'single_story' });
    const view = home!.views[0]!;
    await hub.call('integration.configure', { key: 'home_assistant', fields: { url: haUrl, token: TOKEN }, importDomains: [...IMPORTED_DOMAINS] });
    await hub.call('integration.enable', { key: 'home_assistant' });
    const report = await hub.call('integration.sync', { key: 'home_assistant' });
    await hub.call('edit.begin', {});
    for (const [index, item] of report.unplaced.entries()) {
      await hub.call('entity.view.set', { entityId: item.entityId, locationViewId: view.id, inView: true });
      await hub.call('entity.place', { entityId: item.entityId, locationId: home!.id, placement: { kind: 'icon', x: 80 + (index % 10) * 110, y: 60 + Math.floor(index / 10) * 110, scale: 0.8, rotate: 0 } });
    }
    await hub.call('edit.end', {});
    // A quiet home: alarms the first sync raised (a low battery, say) would otherwise keep their banners up.
    const { count } = await hub.call('alert.acknowledgeAll', {});
    return { viewId: view.id, placed: report.unplaced.length, acknowledged: count };
  } finally {
    hub.close();
  }
}

function printCounts(title: string, counts: Iterable<[string, number]>): void {
  const rows = [...counts].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, n]) => sum + n, 0);
  console.log(`${title}: ${total}`);
  for (const [label, n] of rows.slice(0, MAX_ROWS)) console.log(`  ${String(n).padStart(6)}  ${label}`);
  if (rows.length > MAX_ROWS) console.log(`  … and ${rows.length - MAX_ROWS} more`);
}

async function main(): Promise<void> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('No Chromium: set PLAYWRIGHT_CHROMIUM_PATH or install /usr/bin/chromium');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-idle-'));
  const simulator = new HaSimulator({ profile: 'small_house', token: TOKEN, port: 0 });
  const { url: haUrl } = await simulator.start();
  // Monitors run, as they do in a home: they are part of what idle costs.
  const server = new PanelServerProcess(dataDir, { HI_LOG_LEVEL: 'warn' });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const url = await server.start(0);
    const { viewId, placed, acknowledged } = await setUpHome(url, haUrl);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(instrumentWakeUps, MAX_WAKE_SOURCES);
    await page.goto(`${url}/#/view/${viewId}`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-entity-id]').length >= n, placed, { timeout: ITEMS_TIMEOUT_MS });
    const items = await page.evaluate(() => document.querySelectorAll('[data-entity-id]').length);
    console.log(`single-story starter home, ${items} items on the view (${placed} from the Home Assistant simulator, live), ${acknowledged} alert(s) acknowledged first`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));

    // Chromium is every process the bench started other than the panel server, with all their children.
    const chromiumRoots = [...processTree(process.pid).entries()].filter(([pid, stat]) => stat.ppid === process.pid && pid !== server.pid).map(([pid]) => pid);
    if (chromiumRoots.length === 0) throw new Error('found no Chromium process under the bench');
    const visibility = await page.evaluate(() => document.visibilityState);
    await page.evaluate(() => (globalThis as unknown as { idleBench: { start(): void } }).idleBench.start());
    const hubBefore = sample([server.pid], () => 'hub');
    const chromiumBefore = sample(chromiumRoots, chromiumProcessType);
    const startedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const hubAfter = sample([server.pid], () => 'hub');
    const chromiumAfter = sample(chromiumRoots, chromiumProcessType);
    const seconds = (performance.now() - startedAt) / 1000;
    const report = await page.evaluate(() => (globalThis as unknown as { idleBench: { report(): PageReport } }).idleBench.report());

    const hub = cpuByType(hubBefore, hubAfter, seconds);
    const browserCpu = cpuByType(chromiumBefore, chromiumAfter, seconds);
    console.log(
      `idle for ${seconds.toFixed(1)} s after ${SETTLE_SECONDS} s to settle; page visibility ${visibility} at the start, ${report.visibility} at the end ` +
        `(focused ${report.focused}, active element ${report.activeElement}); CPU from utime+stime in /proc at ${CLOCK_TICKS_PER_SECOND} ticks/s:`,
    );
    console.log(`  hub (panel server, pid ${server.pid})${' '.repeat(8)}${hub.total.toFixed(2)} % of a core`);
    console.log(`  Chromium, ${chromiumAfter.byPid.size} processes${' '.repeat(12)}${browserCpu.total.toFixed(2)} % of a core${browserCpu.vanished ? ` (${browserCpu.vanished} process(es) ended meanwhile, not counted)` : ''}`);
    for (const [type, percent] of [...browserCpu.byType].sort((a, b) => b[1] - a[1])) {
      const count = [...chromiumAfter.byPid.values()].filter((p) => p.type === type).length;
      console.log(`    ${`${type} ×${count}`.padEnd(36)}${percent.toFixed(2)} %`);
    }

    const wakes = new Map<string, number>();
    for (const record of report.wakes) {
      const label = `${record.kind.padEnd(21)} ${wakeSource(record.stack)}`;
      wakes.set(label, (wakes.get(label) ?? 0) + record.fires);
    }
    printCounts(`timer, interval and animation-frame callbacks that ran in the page in ${seconds.toFixed(0)} s, by where they were scheduled`, wakes);
    printCounts('WebSocket messages', Object.entries(report.messages));
    printCounts('DOM mutations', Object.entries(report.mutations));
    console.log(`animations in the page at the end: ${report.animations.length}`);
    for (const animation of report.animations.slice(0, MAX_ROWS)) console.log(`  ${animation}`);

    reportFigure({ measure: 'idle hub CPU', value: hub.total, unit: '% of a core', goal: `< ${HUB_GOAL_PERCENT} %`, met: hub.total < HUB_GOAL_PERCENT });
    reportFigure({
      measure: 'idle Chromium CPU',
      value: browserCpu.total,
      unit: '% of a core',
      goal: `< ${CHROMIUM_GOAL_PERCENT} %`,
      met: browserCpu.total < CHROMIUM_GOAL_PERCENT,
    });
  } finally {
    await browser.close();
    await server.stop();
    await simulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
