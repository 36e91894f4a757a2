// `npm run bench -- placement`: "Place all" of 1,000 items imported from Home Assistant, through the real panel
// server's WebSocket, as the panel's placement step does it: edit mode on, one entity.placeMany, then the view
// fetched again with every item on it. Each run is undone before the next, so each places onto the same plan.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HubClient } from '../e2e/hub-client';
import { PanelServerProcess } from '../e2e/panel-server-process';
import { HaSimulator } from '../src-main/simulator/ha-simulator';
import { reportFigure, runBench, summarise } from './bench-support';

const ITEMS = 1_000;
const RUNS = 5;
const GOAL_MS = 2_000;
const TOKEN = 'bench-token';

const median = (samples: readonly number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-placement-'));
  const simulator = new HaSimulator({ profile: 'volume', token: TOKEN, port: 0 });
  const { url: haUrl } = await simulator.start();
  const server = new PanelServerProcess(dataDir, { HI_SUPPRESS_MONITORS: '1', HI_LOG_LEVEL: 'error', HI_SUPPRESS_SELECT_REQUEST_ENDPOINTS_LOGGING: '1' });
  let hub: HubClient | null = null;
  try {
    hub = await HubClient.connect(await server.start(0));
    const [home] = await hub.call('home.setup', { profile: 'single_story' });
    const viewId = home!.views[0]!.id;
    await hub.call('integration.configure', { key: 'home_assistant', fields: { url: haUrl, token: TOKEN } });
    const upstream = await hub.call('integration.upstream.list', { key: 'home_assistant' });
    await hub.call('integration.configure', { key: 'home_assistant', importEntities: upstream.slice(0, ITEMS).map((u) => u.upstreamId) });
    await hub.call('integration.enable', { key: 'home_assistant' });
    const report = await hub.call('integration.sync', { key: 'home_assistant' });
    if (report.unplaced.length !== ITEMS) throw new Error(`the sync left ${report.unplaced.length} items to place, not ${ITEMS}`);
    const entityIds = report.unplaced.map((item) => item.entityId);
    const before = (await hub.call('location.view.get', { locationViewId: viewId })).entities.length;

    const endToEnd: number[] = [];
    const answers: number[] = [];
    let scale = 1;
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      await hub.call('edit.begin', {});
      const asked = performance.now();
      const result = await hub.call('entity.placeMany', { locationViewId: viewId, entityIds });
      answers.push(performance.now() - asked);
      const view = await hub.call('location.view.get', { locationViewId: viewId });
      endToEnd.push(performance.now() - start);
      if (result.placed !== ITEMS || view.entities.length !== before + ITEMS) throw new Error(`run ${run}: placed ${result.placed}, the view shows ${view.entities.length}`);
      scale = result.scale;
      await hub.call('edit.undo', {});
      await hub.call('edit.end', {});
    }
    console.log(`"Place all" of ${ITEMS.toLocaleString('en-US')} imported items onto the single-story plan (${before} items there already), ${RUNS} runs, ${os.availableParallelism()} cores:`);
    console.log(`  edit.begin → entity.placeMany → location.view.get   ${summarise(endToEnd)} ms`);
    console.log(`  entity.placeMany alone                            ${summarise(answers)} ms   (icons at scale ${scale})`);
    const value = median(endToEnd);
    reportFigure({ measure: `place all, ${ITEMS.toLocaleString('en-US')} items (median of ${RUNS})`, value, unit: 'ms', goal: `< ${GOAL_MS} ms`, met: value < GOAL_MS });
  } finally {
    hub?.close();
    await server.stop();
    await simulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
