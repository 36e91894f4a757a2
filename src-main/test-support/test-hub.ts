import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PanelKind } from '../../src-shared/enums';
import type { IpcResponse } from '../../src-shared/ipc/errors';
import { Hub } from '../hub';
import type { PanelSession } from '../ipc/panel-sessions';
import { readRuntimeConfig, type RuntimeConfig } from '../runtime-config';
import type { Clock } from '../util/clock';
import { ManualScheduler } from '../util/scheduler';
import { testCpuWorkerScript } from './worker-bundles';

/** A clock that moves only when a test says so. */
export class TestClock implements Clock {
  constructor(private current = Date.UTC(2025, 0, 15, 12, 0, 0)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }

  set(ms: number): number {
    this.current = ms;
    return this.current;
  }
}

/** Has daylight saving, so that tests of local times cross its changes. */
export const TEST_SYSTEM_TIMEZONE = 'America/Chicago';

export function makeTempDir(prefix = 'hi-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestHubOptions {
  /** Reuse a data dir (to test a restart); otherwise a fresh temp dir is made. */
  dataDir?: string;
  clock?: TestClock;
  /** Overrides of the runtime config; monitors are suppressed unless this says otherwise. */
  runtime?: Partial<RuntimeConfig>;
  validateResults?: boolean;
  /** The hub's machine zone; by default America/Chicago, so that no test depends on the zone of the machine it runs on. */
  systemTimezone?: string;
}

export interface TestHub {
  readonly hub: Hub;
  readonly clock: TestClock;
  /** Runs calendar jobs (day/night switches) as the test moves the clock with `scheduler.runUntil`. */
  readonly scheduler: ManualScheduler;
  readonly dataDir: string;
  readonly panel: PanelSession;
  /** Dispatches through the router as the test panel; loosely typed, since tests also send invalid calls. */
  invoke(name: string, arg?: unknown, panel?: PanelSession): Promise<IpcResponse>;
  /** Stops the hub and deletes the data dir. */
  close(): Promise<void>;
  /** Stops the hub but keeps the data dir, for a restart on the same data. */
  stop(): Promise<void>;
}

export async function createTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const dataDir = options.dataDir ?? makeTempDir();
  const clock = options.clock ?? new TestClock();
  const scheduler = new ManualScheduler(clock);
  const base = readRuntimeConfig([], {}, { dataDir, version: 'test' });
  const runtime: RuntimeConfig = { ...base, suppressMonitors: true, ...options.runtime, dataDir };
  let hub: Hub;
  try {
    hub = await Hub.open({ runtime, clock, validateResults: options.validateResults ?? true, cpuWorkerScript: testCpuWorkerScript(), scheduler, systemTimezone: options.systemTimezone ?? TEST_SYSTEM_TIMEZONE });
  } catch (error) {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  await hub.start();
  const panel = hub.panels.open(PanelKind.TEST, true, clock.now());
  return {
    hub,
    clock,
    scheduler,
    dataDir,
    panel,
    invoke: (name, arg, asPanel = panel) => hub.router.dispatch(name, arg, { panel: asPanel }),
    stop: () => hub.stop(),
    async close() {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
