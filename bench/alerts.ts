import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chromium } from '@playwright/test';
import { HubClient } from '../e2e/hub-client';
import { PanelServerProcess } from '../e2e/panel-server-process';
import { Hub, DATABASE_FILE } from '../src-main/hub';
import { HOME_ASSISTANT_KEY } from '../src-main/integrations/home_assistant/gateway';
import { readRuntimeConfig } from '../src-main/runtime-config';
import { SmtpTestServer } from '../src-main/modules/notify/__tests__/smtp-test-server';
import { HaSimulator } from '../src-main/simulator/ha-simulator';
import { CHROMIUM_ARGS, chromiumPath, percentile, rssMegabytes, runBench } from './bench-support';
import { inspectorUrl, NodeInspector } from './node-inspector';

const TOKEN = 'bench-token';
const LATENCY_TRIALS = 60;
const TRIAL_GAP_MS = 500;
const GOAL_P99_MS = 100;
const STORM_SECONDS = 60;
const STORM_ALARMS = 10_000;
const BANNER_TIMEOUT_MS = 5_000;
const MAX_TOGGLES_IN_FLIGHT = 200;
const MAIL_BATCH_SECONDS = 60;

interface BannerSeen {
  title: string;
  at: number;
}

/** Records each alert banner as it appears, with wall-clock time, into a list the bench drains. */
function recordBanners(): void {
  const seen: BannerSeen[] = [];
  (globalThis as unknown as { benchBanners: BannerSeen[] }).benchBanners = seen;
  new MutationObserver(() => {
    const at = performance.timeOrigin + performance.now();
    for (const banner of document.querySelectorAll('[data-testid^="alert-banner-"]')) {
      if ((banner as HTMLElement).dataset.benchSeen) continue;
      (banner as HTMLElement).dataset.benchSeen = '1';
      if (seen.length < 100_000) seen.push({ title: banner.querySelector('.alert-title')?.textContent ?? '', at });
    }
  }).observe(document, { subtree: true, childList: true });
}

interface Sensor {
  upstreamId: string;
  onWord: string;
  ruleTitle: string;
}

/**
 * Imports the volume profile's 500 binary sensors onto one view, in-process, and gives each a rule that raises a
 * critical alarm in Away on every "on", with no dedupe window: every toggle of the storm is an alarm.
 */
async function buildFixture(dataDir: string, haUrl: string): Promise<{ viewId: number; sensors: Sensor[] }> {
  const hub = await Hub.open({ runtime: readRuntimeConfig([], { HI_SUPPRESS_MONITORS: '1' }, { dataDir, version: 'bench' }) });
  await hub.start();
  try {
    const { location, view } = await hub.locations.create('Bench', { x: 0, y: 0, width: 2000, height: 1300 });
    await hub.integrations.configure(HOME_ASSISTANT_KEY, { fields: { url: haUrl, token: TOKEN }, importDomains: ['binary_sensor'] });
    await hub.integrations.enable(HOME_ASSISTANT_KEY);
    const report = await hub.integrations.sync(HOME_ASSISTANT_KEY);
    await hub.store.db.transaction().execute(async (trx) => {
      for (const [index, item] of report.unplaced.entries()) {
        await trx.insertInto('entity_view').values({ entity_id: item.entityId, location_view_id: view.id }).execute();
        await hub.entities.place(item.entityId, location.id, { kind: 'icon', x: 40 + (index % 25) * 78, y: 40 + Math.floor(index / 25) * 62, scale: 0.6, rotate: 0 }, trx);
      }
    });
    for (const rule of await hub.rules.list()) await hub.rules.delete(rule.id);
    const options = await hub.rules.stateOptions();
    const sensors: Sensor[] = [];
    for (const option of options) {
      const entity = await hub.store.db.selectFrom('entity').select('integration_id').where('id', '=', option.entityId).executeTakeFirstOrThrow();
      // The first of a yes/no kind's values is its "on": open, active, present, detected.
      const onWord = option.choices?.[0];
      if (!onWord || !entity.integration_id) continue;
      const ruleTitle = `Storm: ${option.entityName}`;
      await hub.rules.create({
        name: ruleTitle,
        eventType: 'security',
        eventWindowSecs: 60,
        dedupeWindowSecs: 0,
        enabled: true,
        clauses: [{ entityStateId: option.entityStateId, operator: 'eq', value: onWord }],
        alarmActions: [{ securityLevel: 'high', alarmLevel: 'critical', lifetimeSecs: 600 }],
        controlActions: [],
      });
      sensors.push({ upstreamId: entity.integration_id, onWord, ruleTitle });
    }
    return { viewId: view.id, sensors };
  } finally {
    await hub.stop();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-alerts-'));
  const simulator = new HaSimulator({ profile: 'volume', token: TOKEN, port: 0 });
  const { url: haUrl } = await simulator.start();
  const server = new PanelServerProcess(dataDir, {
    HI_SUPPRESS_MONITORS: '1',
    HI_LOG_LEVEL: 'error',
    HI_BASE_URL_FOR_EMAIL_LINKS: 'http://hub.example',
    NODE_OPTIONS: '--inspect=127.0.0.1:0',
  });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const smtp = await SmtpTestServer.start();
  const setState = (upstreamId: string, state: string) =>
    fetch(`${haUrl}/sim/states/${upstreamId}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state }) });
  try {
    const { viewId, sensors } = await buildFixture(dataDir, haUrl);
    for (const sensor of sensors) await setState(sensor.upstreamId, 'off');
    const url = await server.start(0);
    const hubInspector = await NodeInspector.connect(inspectorUrl(server.log));
    const hub = await HubClient.connect(url);
    const notify = (key: string, value: string | number | boolean) => hub.call('settings.update', { subsystem: 'notify', key, value });
    for (const [key, value] of [
      ['smtp_host', '127.0.0.1'],
      ['smtp_port', smtp.port],
      ['smtp_security', 'none'],
      ['from_address', 'hub@example.com'],
      ['recipients', 'owner@example.com'],
      ['batch_window_seconds', MAIL_BATCH_SECONDS],
      ['enabled', true],
    ] as const) {
      await notify(key, value);
    }
    await hub.call('settings.update', { subsystem: 'security', key: 'away_delay_seconds', value: 0 });
    await hub.call('security.set', { state: 'away' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(recordBanners);
    await page.goto(`${url}/#/view/${viewId}`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-entity-id]').length >= n, sensors.length, { timeout: 60_000 });
    const cdp = await page.context().newCDPSession(page);
    const drainBanners = () => page.evaluate(() => (globalThis as unknown as { benchBanners: BannerSeen[] }).benchBanners.splice(0));

    // (a) One motion at a time: upstream change → its banner in the DOM.
    const latencies: number[] = [];
    let missing = 0;
    for (const sensor of sensors.slice(0, LATENCY_TRIALS)) {
      await drainBanners();
      const sentAt = performance.timeOrigin + performance.now();
      await setState(sensor.upstreamId, 'on');
      const deadline = Date.now() + BANNER_TIMEOUT_MS;
      let seen: BannerSeen | undefined;
      while (!seen && Date.now() < deadline) {
        seen = (await drainBanners()).find((b) => b.title.startsWith(sensor.ruleTitle));
        if (!seen) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (seen) latencies.push(seen.at - sentAt);
      else missing += 1;
      await setState(sensor.upstreamId, 'off');
      await hub.call('alert.acknowledgeAll', {});
      await page.waitForFunction(() => !document.querySelector('[data-testid^="alert-banner-"]'), undefined, { timeout: 5_000 });
      // The next alarm finds a panel at rest, as a household's would: not mid-way through redrawing the last one.
      await new Promise((resolve) => setTimeout(resolve, TRIAL_GAP_MS));
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`upstream motion change → its alert banner in the panel's DOM (Away, ${sensors.length} sensors with rules, one change at a time, ${TRIAL_GAP_MS} ms apart):`);
    console.log(
      `  p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  max ${sorted.at(-1)!.toFixed(1)} ms  (${sorted.length} seen, ${missing} missing)  goal p99 < ${GOAL_P99_MS} ms: ${percentile(sorted, 99) < GOAL_P99_MS ? 'met' : 'NOT met'}`,
    );

    // (b) The storm: STORM_ALARMS "on" changes in STORM_SECONDS, round-robin over the sensors, each followed by "off".
    const memory = async () => ({
      hubHeap: await hubInspector.heapAfterGcMegabytes(),
      hubRss: rssMegabytes(server.pid),
      rendererHeap: (await cdp.send('HeapProfiler.collectGarbage'), (await cdp.send('Runtime.getHeapUsage')).usedSize / 1024 / 1024),
      dom: await cdp.send('Memory.getDOMCounters'),
    });
    // The latency trials opened alerts too: their mail goes out first, then the storm starts with an empty outbox.
    await new Promise((resolve) => setTimeout(resolve, MAIL_BATCH_SECONDS * 1000 + 2_000));
    const mailsBefore = smtp.received.length;
    const before = await memory();
    const stormStart = Date.now();
    const perTick = Math.ceil(STORM_ALARMS / (STORM_SECONDS * 10));
    let sent = 0;
    let inFlight = 0;
    let tick = performance.now();
    const readings: Array<Awaited<ReturnType<typeof memory>>> = [];
    // Paced by the clock, not by the answers: a toggle (on, then off) starts every tick whatever is still under way.
    while (sent < STORM_ALARMS) {
      for (let i = 0; i < perTick && sent < STORM_ALARMS && inFlight < MAX_TOGGLES_IN_FLIGHT; i += 1) {
        const sensor = sensors[sent++ % sensors.length]!;
        inFlight += 1;
        void setState(sensor.upstreamId, 'on')
          .then(() => setState(sensor.upstreamId, 'off'))
          .finally(() => (inFlight -= 1));
      }
      if (sent % Math.floor(STORM_ALARMS / 4) < perTick && readings.length < 3 && sent > perTick) readings.push(await memory());
      await drainBanners();
      tick += 100;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, tick - performance.now())));
    }
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const stormSeconds = (Date.now() - stormStart) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = await memory();
    // The storm's last batch window closes after the storm.
    await new Promise((resolve) => setTimeout(resolve, MAIL_BATCH_SECONDS * 1000 + 2_000));
    const stormMails = smtp.received.slice(mailsBefore);
    const alertsMailed = stormMails.map((m) => (m.parsed.text?.match(/#\/alert\/\d+/g) ?? []).length);
    const store = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
    const firings = (store.prepare('select count(*) as n from event_history where fired_at >= ?').get(stormStart) as { n: number }).n;
    const openAlerts = (store.prepare('select count(*) as n from alert where closed_at is null').get() as { n: number }).n;
    store.close();
    console.log(`alarm storm: ${STORM_ALARMS} "on" changes over ${sensors.length} sensors in ${stormSeconds.toFixed(1)} s, ${firings} rule firings recorded, ${openAlerts} alerts open at the end:`);
    const row = (label: string, value: (m: typeof before) => number, unit: string) =>
      console.log(`  ${label.padEnd(26)} ${[before, ...readings, after].map((m) => `${value(m).toFixed(1)}${unit}`).join(' → ')}`);
    console.log('  (before, at each quarter of the storm, and 2 s after it)');
    console.log(
      `  e-mail: ${stormMails.length} mail(s) for the storm with a ${MAIL_BATCH_SECONDS} s batch window, listing ${alertsMailed.join(' + ')} alert link(s) ` +
        `(${Math.ceil(stormSeconds / MAIL_BATCH_SECONDS)} window(s) at most)`,
    );
    row('hub JS heap after GC', (m) => m.hubHeap, ' MB');
    row('hub RSS', (m) => m.hubRss, ' MB');
    row('renderer JS heap after GC', (m) => m.rendererHeap, ' MB');
    row('panel DOM nodes', (m) => m.dom.nodes, '');
    row('panel event listeners', (m) => m.dom.jsEventListeners, '');
    hub.close();
    hubInspector.close();
  } finally {
    await browser.close();
    await smtp.close();
    await server.stop();
    await simulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
