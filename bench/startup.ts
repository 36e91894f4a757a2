import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { PanelServerProcess } from '../e2e/panel-server-process';
import { DATABASE_FILE, Hub } from '../src-main/hub';
import { HOME_ASSISTANT_KEY } from '../src-main/integrations/home_assistant/gateway';
import { readRuntimeConfig } from '../src-main/runtime-config';
import { HaSimulator } from '../src-main/simulator/ha-simulator';
import { CHROMIUM_ARGS, chromiumPath, loadPlan, percentile, reportFigure, runBench } from './bench-support';

const COLD_RUNS = 5;
const RESTART_RUNS = 9;
const STARTER_PROFILE = 'single_story';
const TOKEN = 'bench-token';
/** History rows generated per sensor of the 5,000-entity home, so the restart opens a database of realistic size. */
const HISTORY_ROWS_PER_SENSOR = 40;
const HISTORY_SPACING_MS = 60_000;
/** State changes per second upstream, from the first start to the end: the hub is writing history when it dies. */
const LOAD_CHANGES_PER_SECOND = 500;
/** How long the hub runs under that load, once it writes history, before each kill -9. */
const LOAD_BEFORE_KILL_MS = 2_000;
const FIRST_WRITE_TIMEOUT_MS = 60_000;
/** A WAL this large, written since the hub started, means history is going in. */
const WRITING_WAL_BYTES = 256 * 1024;
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const ITEMS_TIMEOUT_MS = 30_000;
/** The worker bundle beside the panel server's (the bench's own bundle is elsewhere); npm scripts run from the root. */
const CPU_WORKER_SCRIPT = path.resolve('dist', 'main', 'cpu-worker.cjs');

const wallClock = () => performance.timeOrigin + performance.now();

/**
 * CPU time (user + system, all threads) a process has used so far, from /proc: unlike wall time it hardly depends on
 * what else the machine is doing.
 */
function cpuMilliseconds(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The name field may hold spaces and parentheses: the numbers start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function benchRuntime(dataDir: string) {
  return readRuntimeConfig([], { HI_SUPPRESS_MONITORS: '1' }, { dataDir, version: 'bench' });
}

/** The first-run starter home, built through the hub's own API as a panel's first run does. Answers its item count. */
async function prepareStarterHome(dataDir: string): Promise<number> {
  const hub = await Hub.open({ runtime: benchRuntime(dataDir), cpuWorkerScript: CPU_WORKER_SCRIPT });
  await hub.start();
  try {
    await hub.homeSetup.setUp(STARTER_PROFILE);
    const placed = await hub.store.db.selectFrom('entity_position').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(placed.count);
  } finally {
    await hub.stop();
  }
}

/** Every entity of the simulator's volume profile imported, with generated history behind each sensor. */
async function prepareVolumeHome(dataDir: string, haUrl: string): Promise<{ entities: number; historyRows: number }> {
  const hub = await Hub.open({ runtime: benchRuntime(dataDir), cpuWorkerScript: CPU_WORKER_SCRIPT });
  await hub.start();
  try {
    await hub.integrations.configure(HOME_ASSISTANT_KEY, {
      fields: { url: haUrl, token: TOKEN },
      importDomains: ['sensor', 'binary_sensor', 'light', 'switch'],
    });
    await hub.integrations.enable(HOME_ASSISTANT_KEY);
    await hub.integrations.sync(HOME_ASSISTANT_KEY);
    const { sqlite } = hub.store;
    const sensors = sqlite.prepare('select id from sensor').pluck().all() as number[];
    const insert = sqlite.prepare('insert into sensor_history (sensor_id, value, ts) values (?, ?, ?)');
    const start = Date.now() - HISTORY_ROWS_PER_SENSOR * HISTORY_SPACING_MS;
    sqlite.transaction(() => {
      for (const sensorId of sensors) {
        for (let row = 0; row < HISTORY_ROWS_PER_SENSOR; row++) insert.run(sensorId, String((sensorId * 7 + row) % 100), start + row * HISTORY_SPACING_MS);
      }
    })();
    const entities = sqlite.prepare('select count(*) from entity').pluck().get() as number;
    return { entities, historyRows: sensors.length * HISTORY_ROWS_PER_SENSOR };
  } finally {
    await hub.stop();
  }
}

interface ColdRun {
  listening: number;
  /** The hub's CPU time when it said it listens. */
  listeningCpu: number;
  fcp: number;
  pageToItems: number;
  total: number;
}

async function coldStartRun(browser: Browser, dataDir: string, items: number): Promise<ColdRun> {
  // A fresh context each run: nothing of the previous run's page is cached.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const server = new PanelServerProcess(dataDir, { HI_LOG_LEVEL: 'warn' });
  try {
    const spawnedAt = wallClock();
    const url = await server.start(0);
    const listeningAt = wallClock();
    const listeningCpu = cpuMilliseconds(server.pid);
    const marks = await loadPlan(page, `${url}/`, items, ITEMS_TIMEOUT_MS);
    return {
      listening: listeningAt - spawnedAt,
      listeningCpu,
      fcp: marks.firstContentfulPaint,
      pageToItems: marks.allShown,
      total: marks.timeOrigin + marks.allShown - spawnedAt,
    };
  } finally {
    await context.close();
    await server.stop();
  }
}

const median = (samples: readonly number[]) => percentile([...samples].sort((a, b) => a - b), 50);
const maximum = (samples: readonly number[]) => Math.max(...samples);
const describe = (samples: readonly number[]) =>
  `median ${median(samples).toFixed(0)} ms  max ${maximum(samples).toFixed(0)} ms  (${samples.map((s) => s.toFixed(0)).join(', ')})`;

async function coldStart(browser: Browser): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-startup-'));
  try {
    const items = await prepareStarterHome(dataDir);
    const runs: ColdRun[] = [];
    for (let run = 0; run < COLD_RUNS; run++) runs.push(await coldStartRun(browser, dataDir, items));
    console.log(`cold start, '${STARTER_PROFILE}' starter home (${items} placed items), ${COLD_RUNS} runs, browser already open:`);
    console.log(`  spawn → listening        ${describe(runs.map((r) => r.listening))}`);
    console.log(`  hub CPU time by then     ${describe(runs.map((r) => r.listeningCpu))}`);
    console.log(`  navigation → FCP         ${describe(runs.map((r) => r.fcp))}`);
    console.log(`  navigation → items shown ${describe(runs.map((r) => r.pageToItems))}`);
    console.log(`  spawn → items shown      ${describe(runs.map((r) => r.total))}`);
    const total = median(runs.map((r) => r.total));
    const pageToItems = median(runs.map((r) => r.pageToItems));
    reportFigure({ measure: 'cold start, spawn → first view painted (median)', value: total, unit: 'ms', goal: '< 1500 ms', met: total < 1500 });
    reportFigure({ measure: 'page → items visible (median)', value: pageToItems, unit: 'ms', goal: '< 400 ms', met: pageToItems < 400 });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fileMegabytes = (file: string) => {
  try {
    return statSync(file).size / 1024 / 1024;
  } catch {
    return 0;
  }
};

/**
 * Resolves once `file` has been written after `since` (epoch ms) and holds at least `minBytes`, or throws after
 * `timeoutMs`: the WAL of a hub that is writing history (at start the hub's upkeep may empty it).
 */
async function waitForWrites(file: string, since: number, minBytes: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const written = () => {
    try {
      const stats = statSync(file);
      return stats.mtimeMs > since && stats.size >= minBytes;
    } catch {
      return false;
    }
  };
  while (!written()) {
    if (performance.now() > deadline) throw new Error(`${file} did not grow to ${minBytes} bytes within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function restartAfterKill(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-bench-restart-'));
  const simulator = new HaSimulator({ profile: 'volume', token: TOKEN, port: 0 });
  const { url: haUrl } = await simulator.start();
  let server: PanelServerProcess | null = null;
  try {
    const { entities, historyRows } = await prepareVolumeHome(dataDir, haUrl);
    const database = path.join(dataDir, DATABASE_FILE);
    const wal = `${database}-wal`;
    server = new PanelServerProcess(dataDir, { HI_LOG_LEVEL: 'warn' });
    simulator.startBurst({ changesPerSecond: LOAD_CHANGES_PER_SECOND, seconds: 600 });
    let listeningAt = wallClock();
    await server.start(0);
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    const walSizes: number[] = [];
    for (let run = 0; run < RESTART_RUNS; run++) {
      // The history the load brings is being written when the kill comes.
      await waitForWrites(wal, listeningAt, WRITING_WAL_BYTES, FIRST_WRITE_TIMEOUT_MS);
      await new Promise((resolve) => setTimeout(resolve, LOAD_BEFORE_KILL_MS));
      await server.kill();
      walSizes.push(fileMegabytes(wal));
      const spawnedAt = wallClock();
      await server.start();
      listeningAt = wallClock();
      samples.push(listeningAt - spawnedAt);
      cpuSamples.push(cpuMilliseconds(server.pid));
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const sortedCpu = [...cpuSamples].sort((a, b) => a - b);
    console.log(
      `restart after kill -9 under ${LOAD_CHANGES_PER_SECOND} changes/s, ${entities} entities, ${historyRows} history rows ` +
        `(database ${fileMegabytes(database).toFixed(1)} MB; WAL at each kill ${walSizes.map((w) => w.toFixed(1)).join(', ')} MB):`,
    );
    console.log(`  spawn → listening  p50 ${percentile(sorted, 50).toFixed(0)} ms  max ${sorted.at(-1)!.toFixed(0)} ms  (${samples.map((s) => s.toFixed(0)).join(', ')})`);
    console.log(`  hub CPU time by then  p50 ${percentile(sortedCpu, 50).toFixed(0)} ms  max ${sortedCpu.at(-1)!.toFixed(0)} ms`);
    const p50 = percentile(sorted, 50);
    reportFigure({ measure: 'restart after kill -9, 5,000 entities, to listening (p50)', value: p50, unit: 'ms', goal: '< 500 ms', met: p50 < 500 });
  } finally {
    await server?.stop();
    await simulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    await coldStart(browser);
  } finally {
    await browser.close();
  }
  await restartAfterKill();
}

runBench(main);
