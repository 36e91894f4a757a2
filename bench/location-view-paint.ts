import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { EntityType } from '../src-shared/enums/entity';
import { PanelServerProcess } from '../e2e/panel-server-process';
import { Hub } from '../src-main/hub';
import singleStoryPlan from '../src-main/modules/location/starter-plans/single-story.svg?raw';
import { readRuntimeConfig } from '../src-main/runtime-config';
import { CHROMIUM_ARGS, chromiumPath, loadPlan, loadPlanAgain, percentile, reportFigure, runBench, summarise } from './bench-support';

const ENTITY_COUNT = 1000;
const RUNS = 7;
const PAN_STEPS = 120;
const LOAD_TIMEOUT_MS = 60_000;

/** A data dir with one location whose view holds ENTITY_COUNT placed icons of mixed types. */
async function buildFixture(dataDir: string): Promise<number> {
  const hub = await Hub.open({ runtime: readRuntimeConfig([], { HI_SUPPRESS_MONITORS: '1' }, { dataDir, version: 'bench' }) });
  await hub.start();
  try {
    const { location, view } = await hub.locations.create('Bench');
    const { viewBox } = await hub.locations.setBackground(location.id, singleStoryPlan);
    const iconTypes = EntityType.members.filter((t) => !t.value.endsWith('_area') && !t.value.endsWith('_line'));
    const columns = 40;
    const rows = Math.ceil(ENTITY_COUNT / columns);
    await hub.store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < ENTITY_COUNT; i++) {
        const x = viewBox.x + ((i % columns) + 0.5) * (viewBox.width / columns);
        const y = viewBox.y + (Math.floor(i / columns) + 0.5) * (viewBox.height / rows);
        const type = iconTypes[i % iconTypes.length]!;
        await hub.entities.create({ name: `${type.label} ${i}`, type, locationViewId: view.id, placement: { kind: 'icon', x, y, scale: 0.6, rotate: 0 } }, trx);
      }
    });
    return view.id;
  } finally {
    await hub.stop();
  }
}

/**
 * Drags the plan by PAN_STEPS pointer moves, one at a time, timing each from sending the move to the page having
 * handled it, and counts long animation frames over the whole drag; then times the release, which draws the plan
 * with its new viewBox.
 */
async function measurePan(page: Page): Promise<{ steps: number[]; longFrames: number; release: number }> {
  await page.evaluate(() => {
    const counter = { longFrames: 0 };
    (globalThis as unknown as { benchPan: typeof counter }).benchPan = counter;
    new PerformanceObserver((list) => (counter.longFrames += list.getEntries().length)).observe({ type: 'long-animation-frame' });
  });
  const box = (await page.getByTestId('plan-canvas').boundingBox())!;
  const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const steps: number[] = [];
  for (let i = 1; i <= PAN_STEPS; i++) {
    const began = performance.now();
    await page.mouse.move(start.x - i * 2, start.y - i);
    steps.push(performance.now() - began);
  }
  const longFrames = await page.evaluate(() => (globalThis as unknown as { benchPan: { longFrames: number } }).benchPan.longFrames);
  const released = performance.now();
  await page.mouse.up();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return { steps, longFrames, release: performance.now() - released };
}

/**
 * The floor for first paint: the plan as the app drew it, saved as one static HTML page with the app's styles and
 * served from the same origin, loaded cold the same way.
 */
async function measureStaticBaseline(browser: Browser, url: string, viewId: number, traceFile: string | undefined): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${url}/#/view/${viewId}`);
  await page.waitForFunction((expected) => document.querySelectorAll('[data-entity-id]').length >= expected, ENTITY_COUNT, { timeout: LOAD_TIMEOUT_MS });
  const staticHtml = await page.evaluate(() => {
    const styles = [...document.querySelectorAll('link[rel="stylesheet"]')].map((link) => link.outerHTML).join('');
    return `<!doctype html><html><head><meta charset="utf-8">${styles}</head><body>${document.getElementById('app')!.outerHTML}</body></html>`;
  });
  await context.close();
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const runContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await runContext.route(`${url}/bench-static.html`, (route) => route.fulfill({ contentType: 'text/html', body: staticHtml }));
    const runPage = await runContext.newPage();
    const tracing = traceFile !== undefined && run === RUNS - 1;
    if (tracing) await browser.startTracing(runPage, { path: traceFile.replace(/(\.json)?$/, '-static.json'), categories: TRACE_CATEGORIES });
    samples.push((await loadPlan(runPage, `${url}/bench-static.html`, ENTITY_COUNT, LOAD_TIMEOUT_MS)).entitiesPainted);
    if (tracing) await browser.stopTracing();
    await runContext.close();
  }
  return samples;
}

/** Marks when the panel's WebSocket is created and opened, and when its first two messages arrive. */
function timeSocket(): void {
  const marks: Record<string, number> = {};
  (globalThis as unknown as { benchSocket: typeof marks }).benchSocket = marks;
  const Native = WebSocket;
  globalThis.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      marks.created ??= performance.now();
      this.addEventListener('open', () => (marks.opened ??= performance.now()));
      let received = 0;
      this.addEventListener('message', () => (marks[`message${++received}`] ??= performance.now()));
      const send = this.send.bind(this);
      this.send = (data) => {
        marks.firstSend ??= performance.now();
        send(data);
      };
    }
  };
}

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading'];

/** One more cold load with a DevTools performance trace, written to `file` (BENCH_TRACE=file) for a profile. */
async function traceOneLoad(browser: Browser, url: string, viewId: number, file: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(timeSocket);
  await browser.startTracing(page, { path: file, screenshots: false, categories: TRACE_CATEGORIES });
  await loadPlan(page, `${url}/#/view/${viewId}`, ENTITY_COUNT, LOAD_TIMEOUT_MS);
  await browser.stopTracing();
  const socket = await page.evaluate(() => (globalThis as unknown as { benchSocket: Record<string, number> }).benchSocket);
  await context.close();
  console.log(`trace of one load written to ${file}; the socket, ms from navigation: ${JSON.stringify(socket)}`);
  // And a JavaScript CPU profile of another load, for the functions behind the script time in the trace.
  const profiledContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const profiledPage = await profiledContext.newPage();
  const devtools = await profiledContext.newCDPSession(profiledPage);
  await devtools.send('Profiler.enable');
  await devtools.send('Profiler.setSamplingInterval', { interval: 100 });
  await devtools.send('Profiler.start');
  await loadPlan(profiledPage, `${url}/#/view/${viewId}`, ENTITY_COUNT, LOAD_TIMEOUT_MS);
  const { profile } = await devtools.send('Profiler.stop');
  writeFileSync(file.replace(/(\.json)?$/, '.cpuprofile'), JSON.stringify(profile));
  await profiledContext.close();
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-paint-'));
  const server = new PanelServerProcess(dataDir, { HI_SUPPRESS_MONITORS: '1', HI_LOG_LEVEL: 'warn' });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const viewId = await buildFixture(dataDir);
    const url = await server.start(0);
    const fcp: number[] = [];
    const allShown: number[] = [];
    const inDom: number[] = [];
    const painted: number[] = [];
    const warmShown: number[] = [];
    const warmFcp: number[] = [];
    let pan: Awaited<ReturnType<typeof measurePan>> | null = null;
    let namesShown = 0;
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const plan = await loadPlan(page, `${url}/#/view/${viewId}`, ENTITY_COUNT, LOAD_TIMEOUT_MS);
      namesShown = await page.evaluate(() => document.querySelectorAll('.plan-label').length);
      fcp.push(plan.firstContentfulPaint);
      allShown.push(plan.allShown);
      inDom.push(plan.entitiesInDom);
      painted.push(plan.entitiesPainted);
      if (run === RUNS - 1) pan = await measurePan(page);
      await page.goto('about:blank');
      const warm = await loadPlanAgain(page, `${url}/#/view/${viewId}`, LOAD_TIMEOUT_MS);
      warmFcp.push(warm.firstContentfulPaint);
      warmShown.push(warm.allShown);
      await context.close();
    }
    const baseline = await measureStaticBaseline(browser, url, viewId, process.env.BENCH_TRACE);
    if (process.env.BENCH_TRACE) await traceOneLoad(browser, url, viewId, process.env.BENCH_TRACE);
    console.log(`location view with ${ENTITY_COUNT} placed entities (${namesShown} names with room to show), ${RUNS} cold page loads (ms from navigation start):`);
    console.log(`  first contentful paint                          ${summarise(fcp)}`);
    console.log(`  first paint with all entities                   ${summarise(allShown)}`);
    console.log(`  every item's element (hit target) in the DOM    ${summarise(inDom)}`);
    console.log(`  ... and painted                                 ${summarise(painted)}`);
    console.log(`the same view loaded again in each load's page (scripts from the HTTP cache, compiled code from V8's: a kiosk's reload):`);
    console.log(`  first contentful paint                          ${summarise(warmFcp)}`);
    console.log(`  first paint with all entities                   ${summarise(warmShown)}`);
    console.log(`the plan's DOM as a static page (the floor: no script, no WebSocket, no canvas), ${RUNS} cold loads:`);
    console.log(`  painted with every item's element               ${summarise(baseline)}`);
    const medianPainted = percentile([...allShown].sort((a, b) => a - b), 50);
    reportFigure({ measure: `first paint, ${ENTITY_COUNT} placed entities, cold (median)`, value: medianPainted, unit: 'ms', goal: '< 300 ms', met: medianPainted < 300 });
    const medianWarm = percentile([...warmShown].sort((a, b) => a - b), 50);
    reportFigure({ measure: `first paint, ${ENTITY_COUNT} placed entities, caches warm (median)`, value: medianWarm, unit: 'ms', goal: '< 300 ms', met: medianWarm < 300 });
    reportFigure({
      measure: 'static page with the plan\'s DOM (median, the floor)',
      value: percentile([...baseline].sort((a, b) => a - b), 50),
      unit: 'ms',
      goal: 'baseline',
      met: null,
    });
    if (pan) {
      const sorted = [...pan.steps].sort((a, b) => a - b);
      console.log(`panning that view by ${PAN_STEPS} pointer moves (ms per move, sent → handled):`);
      console.log(`  p50 ${percentile(sorted, 50).toFixed(1)}  p95 ${percentile(sorted, 95).toFixed(1)}  max ${sorted.at(-1)!.toFixed(1)}  long animation frames: ${pan.longFrames}`);
      console.log(`  release, until the plan is drawn with its new viewBox: ${pan.release.toFixed(1)} ms`);
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
