import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { PanelServerProcess } from '../e2e/panel-server-process';
import { Hub } from '../src-main/hub';
import { HOME_ASSISTANT_KEY } from '../src-main/integrations/home_assistant/gateway';
import { readRuntimeConfig } from '../src-main/runtime-config';
import { HaSimulator } from '../src-main/simulator/ha-simulator';
import { CHROMIUM_ARGS, chromiumPath, percentile, reportFigure, rssMegabytes, runBench } from './bench-support';
import { inspectorUrl, NodeInspector } from './node-inspector';

const TOKEN = 'bench-token';
const LIGHTS = 1_000;
const CHANGES_PER_SECOND = 200;
const LATENCY_SECONDS = 30;
/** The soak: BENCH_SOAK_MINUTES of the same load between the two memory readings (30 for the recorded figures). */
const SOAK_MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? '2');
const MISSING_AFTER_MS = 5_000;

interface DomChange {
  id: string;
  state: string;
  at: number;
}

/** Records every data-state change of an entity element, with wall-clock time, into a list the bench drains. */
function recordStateChanges(): void {
  const changes: DomChange[] = [];
  (globalThis as unknown as { benchChanges: DomChange[] }).benchChanges = changes;
  new MutationObserver((records) => {
    const at = performance.timeOrigin + performance.now();
    for (const record of records) {
      const element = record.target as Element;
      const id = element.getAttribute('data-entity-id');
      if (id && changes.length < 100_000) changes.push({ id, state: element.getAttribute('data-state') ?? '', at });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
}

/** Imports LIGHTS lights from the simulator and places them on one view, in-process, before the panel server starts. */
async function buildFixture(dataDir: string, haUrl: string, lightIds: string[]): Promise<{ viewId: number; entityByUpstream: Map<string, number> }> {
  const hub = await Hub.open({ runtime: readRuntimeConfig([], { HI_SUPPRESS_MONITORS: '1' }, { dataDir, version: 'bench' }) });
  await hub.start();
  try {
    const { location, view } = await hub.locations.create('Bench', { x: 0, y: 0, width: 2000, height: 1250 });
    await hub.integrations.configure(HOME_ASSISTANT_KEY, { fields: { url: haUrl, token: TOKEN }, importEntities: lightIds });
    await hub.integrations.enable(HOME_ASSISTANT_KEY);
    const report = await hub.integrations.sync(HOME_ASSISTANT_KEY);
    await hub.store.db.transaction().execute(async (trx) => {
      for (const [index, item] of report.unplaced.entries()) {
        await trx.insertInto('entity_view').values({ entity_id: item.entityId, location_view_id: view.id }).execute();
        await hub.entities.place(item.entityId, location.id, { kind: 'icon', x: 25 + (index % 40) * 50, y: 25 + Math.floor(index / 40) * 50, scale: 0.5, rotate: 0 }, trx);
      }
    });
    const rows = await hub.store.db.selectFrom('entity').select(['id', 'integration_id']).where('integration_name', '=', HOME_ASSISTANT_KEY).execute();
    return { viewId: view.id, entityByUpstream: new Map(rows.map((r) => [r.integration_id!, r.id])) };
  } finally {
    await hub.stop();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-live-'));
  const simulator = new HaSimulator({ profile: 'volume', token: TOKEN, port: 0 });
  const { url: haUrl } = await simulator.start();
  // The inspector lets the bench collect the hub's garbage before each memory reading, as it does the renderer's.
  const server = new PanelServerProcess(dataDir, {
    HI_SUPPRESS_MONITORS: '1',
    HI_LOG_LEVEL: 'warn',
    HI_SUPPRESS_SELECT_REQUEST_ENDPOINTS_LOGGING: '1',
    NODE_OPTIONS: '--inspect=127.0.0.1:0',
  });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const states = (await (await fetch(`${haUrl}/api/states`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as Array<{ entity_id: string; state: string }>;
    const lights = states.filter((s) => s.entity_id.startsWith('light.')).slice(0, LIGHTS);
    if (lights.length < LIGHTS) throw new Error(`the volume profile has only ${lights.length} lights`);
    const { viewId, entityByUpstream } = await buildFixture(dataDir, haUrl, lights.map((l) => l.entity_id));
    const url = await server.start(0);
    const hubInspector = await NodeInspector.connect(inspectorUrl(server.log));
    /** Hub RSS as it stands, then its heap and RSS right after a full collection. */
    const hubMemory = async () => {
      const rss = rssMegabytes(server.pid);
      const heap = await hubInspector.heapAfterGcMegabytes();
      const { external } = await hubInspector.memoryUsage();
      return { rss, heap, external, rssAfterGc: rssMegabytes(server.pid) };
    };
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    if (!process.env.BENCH_NO_OBSERVER) await page.addInitScript(recordStateChanges);
    await page.goto(`${url}/#/view/${viewId}`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-entity-id]').length >= n, LIGHTS, { timeout: 60_000 });
    const cdp = await page.context().newCDPSession(page);
    const heapMegabytes = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / 1024 / 1024;
    };

    const current = new Map(lights.map((l) => [l.entity_id, l.state]));
    const sent = new Map<string, { at: number; state: string }>();
    const latencies: number[] = [];
    let missing = 0;
    let next = 0;
    const drain = async () => {
      const changes = await page.evaluate(() => (globalThis as unknown as { benchChanges: DomChange[] }).benchChanges.splice(0));
      for (const change of changes) {
        const pending = sent.get(change.id);
        if (pending && pending.state === change.state) {
          latencies.push(change.at - pending.at);
          sent.delete(change.id);
        }
      }
      const now = performance.timeOrigin + performance.now();
      for (const [id, pending] of sent) {
        if (now - pending.at > MISSING_AFTER_MS) {
          missing += 1;
          sent.delete(id);
        }
      }
    };
    /** CHANGES_PER_SECOND toggles, round-robin over the lights, for `seconds`. */
    const load = async (seconds: number, measure: boolean) => {
      const end = performance.now() + seconds * 1000;
      let tick = performance.now();
      while (performance.now() < end) {
        const batch = CHANGES_PER_SECOND / 10;
        await Promise.all(
          Array.from({ length: batch }, async () => {
            const light = lights[next++ % lights.length]!;
            const state = current.get(light.entity_id) === 'on' ? 'off' : 'on';
            current.set(light.entity_id, state);
            const at = performance.timeOrigin + performance.now();
            if (measure) sent.set(String(entityByUpstream.get(light.entity_id)), { at, state: state === 'on' ? 'active' : 'inactive' });
            await fetch(`${haUrl}/sim/states/${light.entity_id}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state }) });
          }),
        );
        if (measure) await drain();
        else await page.evaluate(() => (globalThis as unknown as { benchChanges: DomChange[] }).benchChanges.splice(0).length);
        tick += 100;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, tick - performance.now())));
      }
    };

    await load(5, false);
    // BENCH_PROFILE=file: a CPU profile of the page over 10 s of the load, for the functions behind the latency.
    if (process.env.BENCH_PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
      await load(10, false);
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(profile));
      console.log(`CPU profile of the page over 10 s of the load written to ${process.env.BENCH_PROFILE}`);
    }
    // BENCH_TRACE=file: a DevTools performance trace of 3 s of the load, for the frames behind the latency.
    if (process.env.BENCH_TRACE) {
      await browser.startTracing(page, { path: process.env.BENCH_TRACE, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute'] });
      await load(3, false);
      await browser.stopTracing();
      console.log(`trace of 3 s of the load written to ${process.env.BENCH_TRACE}`);
    }
    const hubBefore = await hubMemory();
    const heapBefore = await heapMegabytes();
    await load(LATENCY_SECONDS, true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await drain();
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`simulator state change → panel DOM, ${LIGHTS} lights on the view, ${CHANGES_PER_SECOND} changes/s for ${LATENCY_SECONDS} s:`);
    console.log(`  p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  max ${sorted.at(-1)!.toFixed(1)} ms  (${sorted.length} changes seen, ${missing} missing)`);
    const [p50, p99] = [percentile(sorted, 50), percentile(sorted, 99)];
    reportFigure({ measure: `upstream change → panel DOM, ${LIGHTS} lights, ${CHANGES_PER_SECOND}/s (p50)`, value: p50, unit: 'ms', goal: '< 25 ms', met: p50 < 25 });
    reportFigure({ measure: `upstream change → panel DOM, ${LIGHTS} lights, ${CHANGES_PER_SECOND}/s (p99)`, value: p99, unit: 'ms', goal: '< 50 ms', met: p99 < 50 });
    reportFigure({ measure: 'changes missing on the panel', value: missing, unit: '', goal: '0', met: missing === 0 });

    if (SOAK_MINUTES > 0) {
      let hubAfter = hubBefore;
      let heapAfter = heapBefore;
      for (let minute = 1; minute <= SOAK_MINUTES; minute++) {
        await load(60, false);
        hubAfter = await hubMemory();
        heapAfter = await heapMegabytes();
        const dom = await cdp.send('Memory.getDOMCounters');
        console.log(
          `  soak minute ${minute}: hub RSS ${hubAfter.rss.toFixed(1)} MB (${hubAfter.rssAfterGc.toFixed(1)} after GC), hub heap ${hubAfter.heap.toFixed(1)} MB ` +
            `(+${hubAfter.external.toFixed(1)} external), ` +
            `renderer heap ${heapAfter.toFixed(1)} MB, DOM nodes ${dom.nodes}, listeners ${dom.jsEventListeners}`,
        );
      }
      const change = (label: string, before: number, after: number) =>
        console.log(`  ${label.padEnd(26)} ${before.toFixed(1)} MB → ${after.toFixed(1)} MB (${(((after - before) / before) * 100).toFixed(1)} %)`);
      console.log(`memory before and after ${SOAK_MINUTES} more minutes of that load:`);
      change('hub process RSS', hubBefore.rss, hubAfter.rss);
      change('hub process RSS after GC', hubBefore.rssAfterGc, hubAfter.rssAfterGc);
      change('hub JS heap after GC', hubBefore.heap, hubAfter.heap);
      change('renderer JS heap after GC', heapBefore, heapAfter);
    }
    hubInspector.close();
  } finally {
    await browser.close();
    await server.stop();
    await simulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
