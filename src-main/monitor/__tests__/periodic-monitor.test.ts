import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { monitorStatusSchema, type MonitorStatus } from '../../../src-shared/model/system';
import { EventBus } from '../../ipc/event-bus';
import type { Clock } from '../../util/clock';
import { MonitorManager } from '../monitor-manager';
import { HEARTBEAT_REPORT_MS, PeriodicMonitor, type MonitorSpec } from '../periodic-monitor';

// Fake timers drive every wait here: runs, timeouts and stops happen at exact, simulated instants.
// The clock reads the (faked) Date, so heartbeats and run lengths follow the simulated time.
const clock: Clock = { now: () => Date.now() };
const START = Date.UTC(2025, 0, 15, 12, 0, 0);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function spec(overrides: Partial<MonitorSpec> & Pick<MonitorSpec, 'doWork'>): MonitorSpec {
  return {
    name: 'test.monitor',
    label: 'Test monitor',
    schedule: { kind: 'interval', intervalMs: 1_000 },
    timeoutMs: 10_000,
    ...overrides,
  };
}

function monitorOf(s: MonitorSpec): { monitor: PeriodicMonitor; statuses: MonitorStatus[] } {
  const statuses: MonitorStatus[] = [];
  return { monitor: new PeriodicMonitor(s, clock, (status) => statuses.push(status)), statuses };
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});

afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
});

describe('PeriodicMonitor', () => {
  it('starts pending, then runs, reports ok with a heartbeat and counts runs', async () => {
    let calls = 0;
    const { monitor, statuses } = monitorOf(
      spec({
        doWork: async () => {
          calls += 1;
          await sleep(100);
        },
      }),
    );
    expect(monitor.status()).toMatchObject({ health: 'pending', runCount: 0, lastHeartbeat: null, schedule: 'every 1 s' });

    monitor.start(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(1);
    expect(monitor.status()).toMatchObject({ health: 'ok', runCount: 1, lastError: null, lastRunMs: 100, lastHeartbeat: START + 100 });
    expect(statuses.at(-1)).toEqual(monitor.status());
    expect(monitorStatusSchema.safeParse(monitor.status()).success).toBe(true);

    await vi.advanceTimersByTimeAsync(2_000);
    expect(monitor.status().runCount).toBe(3);
    expect(calls).toBe(3);
    await monitor.stop(1_000);
  });

  it('never runs twice at once and counts the skipped ticks', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let calls = 0;
    const { monitor } = monitorOf(
      spec({
        schedule: { kind: 'interval', intervalMs: 1_000 },
        doWork: async () => {
          calls += 1;
          concurrent += 1;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          try {
            await sleep(2_500);
          } finally {
            concurrent -= 1;
          }
        },
      }),
    );
    monitor.start(0);
    for (let i = 0; i < 20; i += 1) await vi.advanceTimersByTimeAsync(500);
    expect(maxConcurrent).toBe(1);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(monitor.status().skippedOverlaps).toBeGreaterThan(0);
    expect(monitor.status().runCount + (concurrent > 0 ? 1 : 0)).toBe(calls);
    // The run under way ignores its signal: stop() waits for it (at most 5 s of simulated time).
    const stopping = monitor.stop(5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    await stopping;
    expect(concurrent).toBe(0);
  });

  it('a tick during a run joins that run instead of starting another', async () => {
    let calls = 0;
    const { monitor } = monitorOf(spec({ doWork: () => ((calls += 1), sleep(1_000)) }));
    const first = monitor.tick();
    const second = monitor.tick();
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all([first, second]);
    expect(calls).toBe(1);
    expect(monitor.status()).toMatchObject({ runCount: 1, skippedOverlaps: 1 });
  });

  it('times out a run that waits for its signal, aborting it', async () => {
    let signal: AbortSignal | undefined;
    const { monitor } = monitorOf(
      spec({
        timeoutMs: 500,
        doWork: (s) =>
          new Promise<void>((resolve) => {
            signal = s;
            s.addEventListener('abort', () => resolve());
          }),
      }),
    );
    const run = monitor.tick();
    await vi.advanceTimersByTimeAsync(500);
    await run;
    expect(signal?.aborted).toBe(true);
    expect(monitor.status().health).toBe('timed_out');
    expect(monitor.status().lastError).toMatch(/took longer than 500 ms/);
  });

  it('times out a run that rejects with the abort reason', async () => {
    const { monitor } = monitorOf(
      spec({
        timeoutMs: 500,
        doWork: (s) => new Promise<void>((_, reject) => s.addEventListener('abort', () => reject(s.reason))),
      }),
    );
    const run = monitor.tick();
    await vi.advanceTimersByTimeAsync(500);
    await run;
    expect(monitor.status().health).toBe('timed_out');
  });

  it('keeps the slot of a timed-out run that ignores its signal until the run ends', async () => {
    let calls = 0;
    const { monitor } = monitorOf(spec({ timeoutMs: 500, doWork: () => ((calls += 1), sleep(3_000)) }));
    const run = monitor.tick();
    await vi.advanceTimersByTimeAsync(1_000);
    void monitor.tick();
    expect(calls).toBe(1);
    expect(monitor.status().skippedOverlaps).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    await run;
    expect(monitor.status()).toMatchObject({ health: 'timed_out', runCount: 1, lastRunMs: 3_000 });
  });

  it('reports an error with its message, and clears it after a good run', async () => {
    let fail = true;
    const { monitor } = monitorOf(
      spec({
        doWork: async () => {
          if (fail) throw new Error('boom');
        },
      }),
    );
    await monitor.tick();
    expect(monitor.status()).toMatchObject({ health: 'error', lastError: 'boom', runCount: 1 });
    fail = false;
    await monitor.tick();
    expect(monitor.status()).toMatchObject({ health: 'ok', lastError: null, runCount: 2 });
  });

  it('reports an error when doWork throws before answering a promise', async () => {
    // `() => { throw ... }` satisfies `doWork(): Promise<void>` for TypeScript; a tick must still not reject.
    const { monitor } = monitorOf(
      spec({
        timeoutMs: 500,
        doWork: () => {
          throw new Error('sync boom');
        },
      }),
    );
    await expect(monitor.tick()).resolves.toBeUndefined();
    expect(monitor.status()).toMatchObject({ health: 'error', lastError: 'sync boom', runCount: 1 });
  });

  it('stop() aborts the run under way and waits for it to finish', async () => {
    let signal: AbortSignal | undefined;
    let cleanedUp = false;
    const { monitor, statuses } = monitorOf(
      spec({
        doWork: (s) =>
          new Promise<void>((resolve) => {
            signal = s;
            s.addEventListener('abort', () => {
              // Clean-up takes a while after the abort.
              setTimeout(() => {
                cleanedUp = true;
                resolve();
              }, 200);
            });
          }),
      }),
    );
    monitor.start(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(signal).toBeDefined();

    let stopped = false;
    const stopping = monitor.stop(5_000).then(() => (stopped = true));
    expect(signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(199);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(cleanedUp).toBe(true);
    expect(monitor.status().health).toBe('stopped');
    expect(statuses.at(-1)?.health).toBe('stopped');
  });

  it('stop() gives up on a run that ignores its signal after its timeout', async () => {
    const { monitor } = monitorOf(spec({ timeoutMs: 60_000, doWork: () => sleep(30_000) }));
    monitor.start(0);
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = monitor.stop(500).then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(stopped).toBe(true);
    expect(monitor.status().health).toBe('stopped');
  });

  it('stays stopped when an abandoned run ends after stop()', async () => {
    const { monitor } = monitorOf(spec({ timeoutMs: 2_000, doWork: () => sleep(5_000) }));
    monitor.start(0);
    await vi.advanceTimersByTimeAsync(0);
    const stopping = monitor.stop(500);
    await vi.advanceTimersByTimeAsync(500);
    await stopping;
    expect(monitor.status().health).toBe('stopped');
    // The abandoned run times out at 2 s and ends at 5 s; the monitor is still stopped.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(monitor.status().health).toBe('stopped');
  });

  it('schedules nothing after stop()', async () => {
    let calls = 0;
    const { monitor } = monitorOf(spec({ doWork: async () => void (calls += 1) }));
    monitor.start(0);
    await vi.advanceTimersByTimeAsync(2_500);
    const before = calls;
    await monitor.stop(1_000);
    await vi.advanceTimersByTimeAsync(10_000);
    await monitor.tick();
    expect(calls).toBe(before);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stop() before the first run cancels it', async () => {
    let calls = 0;
    const { monitor } = monitorOf(spec({ doWork: async () => void (calls += 1) }));
    monitor.start(1_000);
    await monitor.stop(1_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toBe(0);
    expect(monitor.status().health).toBe('stopped');
  });

  it('describes its schedule', () => {
    const noop = async () => undefined;
    expect(new PeriodicMonitor(spec({ schedule: { kind: 'interval', intervalMs: 3_600_000 }, doWork: noop }), clock, () => {}).status().schedule).toBe('every 1 h');
    expect(new PeriodicMonitor(spec({ schedule: { kind: 'interval', intervalMs: 120_000 }, doWork: noop }), clock, () => {}).status().schedule).toBe('every 2 min');
    expect(new PeriodicMonitor(spec({ schedule: { kind: 'interval', intervalMs: 250 }, doWork: noop }), clock, () => {}).status().schedule).toBe('every 250 ms');
    expect(
      new PeriodicMonitor(spec({ schedule: { kind: 'calendar', rule: '15 3 * * *', timezone: () => 'UTC' }, doWork: noop }), clock, () => {}).status()
        .schedule,
    ).toBe('cron 15 3 * * *');
  });

  it('runs a calendar job at its time in its time zone', async () => {
    // 03:14:00 in Chicago (UTC-6 in January) is 09:14 UTC.
    vi.setSystemTime(Date.UTC(2025, 0, 15, 9, 14, 0));
    const runs: number[] = [];
    const { monitor } = monitorOf(
      spec({
        schedule: { kind: 'calendar', rule: '15 3 * * *', timezone: () => 'America/Chicago' },
        doWork: async () => void runs.push(Date.now()),
      }),
    );
    monitor.start(0);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toHaveLength(1);
    expect(new Date(runs[0]!).toISOString()).toBe('2025-01-15T09:15:00.000Z');
    await monitor.stop(1_000);
  });

  it('plans a calendar job only after its start delay, and not at all when stopped before it', async () => {
    vi.setSystemTime(Date.UTC(2025, 0, 15, 9, 14, 0));
    const runs: number[] = [];
    const calendar = () =>
      monitorOf(spec({ schedule: { kind: 'calendar', rule: '15 3 * * *', timezone: () => 'America/Chicago' }, doWork: async () => void runs.push(Date.now()) }));
    const { monitor } = calendar();
    monitor.start(5_000);
    await vi.advanceTimersByTimeAsync(61_000);
    expect(runs.map((at) => new Date(at).toISOString())).toEqual(['2025-01-15T09:15:00.000Z']);
    await monitor.stop(1_000);

    vi.setSystemTime(Date.UTC(2025, 0, 16, 9, 14, 0));
    const { monitor: stoppedEarly } = calendar();
    stoppedEarly.start(5_000);
    await stoppedEarly.stop(1_000);
    await vi.advanceTimersByTimeAsync(61_000);
    expect(runs).toHaveLength(1);
  });
});

describe('MonitorManager', () => {
  const work = (log: string[], name: string) => async () => void log.push(name);

  it('with monitors suppressed, runs nothing and reports every monitor as suppressed', async () => {
    const events = new EventBus();
    const health: MonitorStatus[] = [];
    events.on('monitor.health', (s) => health.push(s));
    const manager = new MonitorManager(events, clock, { suppressed: true, staggerMs: 100 });
    const log: string[] = [];
    manager.register(spec({ name: 'a', doWork: work(log, 'a') }));
    manager.start();
    manager.register(spec({ name: 'b', doWork: work(log, 'b') }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(log).toEqual([]);
    expect(manager.statuses().map((s) => [s.name, s.health])).toEqual([
      ['a', 'suppressed'],
      ['b', 'suppressed'],
    ]);
    expect(health.map((s) => s.health)).toEqual(['suppressed', 'suppressed']);
    await manager.stop(1_000);
  });

  it('emits monitor.health on the event bus after a run that changes the health', async () => {
    const events = new EventBus();
    const health: MonitorStatus[] = [];
    events.on('monitor.health', (s) => health.push(s));
    const manager = new MonitorManager(events, clock, { suppressed: false, staggerMs: 100 });
    let fail = false;
    manager.register(
      spec({
        name: 'a',
        doWork: async () => {
          if (fail) throw new Error('down');
        },
      }),
    );
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({ name: 'a', health: 'ok', runCount: 1 });
    expect(monitorStatusSchema.safeParse(health[0]).success).toBe(true);
    fail = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(health.at(-1)).toMatchObject({ name: 'a', health: 'error', lastError: 'down' });
    await manager.stop(1_000);
    expect(health.at(-1)?.health).toBe('stopped');
    expect(manager.statuses()[0]?.health).toBe('stopped');
  });

  it('tells panels of runs that change nothing but the heartbeat at most once a minute', async () => {
    const events = new EventBus();
    const health: MonitorStatus[] = [];
    events.on('monitor.health', (s) => health.push(s));
    const manager = new MonitorManager(events, clock, { suppressed: false, staggerMs: 100 });
    manager.register(spec({ name: 'a', doWork: async () => undefined }));
    manager.start();
    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_REPORT_MS);
    // Every second a run; the first one and one a minute after it reach the panels.
    expect(manager.statuses()[0]?.runCount).toBe(181);
    expect(health.map((s) => s.lastHeartbeat)).toEqual([START, START + HEARTBEAT_REPORT_MS, START + 2 * HEARTBEAT_REPORT_MS, START + 3 * HEARTBEAT_REPORT_MS]);
    await manager.stop(1_000);
  });

  it('staggers the first runs of its monitors', async () => {
    const manager = new MonitorManager(new EventBus(), clock, { suppressed: false, staggerMs: 500 });
    const firstRun = new Map<string, number>();
    for (const name of ['a', 'b', 'c']) {
      manager.register(
        spec({
          name,
          schedule: { kind: 'interval', intervalMs: 60_000 },
          doWork: async () => void (firstRun.has(name) || firstRun.set(name, Date.now())),
        }),
      );
    }
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect([...firstRun.keys()]).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(499);
    expect([...firstRun.keys()]).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1);
    expect([...firstRun.keys()]).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(500);
    expect(firstRun.get('a')! < firstRun.get('b')! && firstRun.get('b')! < firstRun.get('c')!).toBe(true);
    await manager.stop(1_000);
  });

  it('starts a monitor registered after start at once, and refuses a duplicate name', async () => {
    const manager = new MonitorManager(new EventBus(), clock, { suppressed: false, staggerMs: 500 });
    manager.start();
    const log: string[] = [];
    manager.register(spec({ name: 'late', doWork: work(log, 'late') }));
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['late']);
    expect(() => manager.register(spec({ name: 'late', doWork: work(log, 'again') }))).toThrow(/registered twice/);
    expect(manager.get('late')?.name).toBe('late');
    await manager.stop(1_000);
  });

  it('stop() waits for every running monitor', async () => {
    const manager = new MonitorManager(new EventBus(), clock, { suppressed: false, staggerMs: 0 });
    const finished: string[] = [];
    for (const [name, cleanupMs] of [
      ['a', 100],
      ['b', 300],
    ] as const) {
      manager.register(
        spec({
          name,
          doWork: (s) =>
            new Promise<void>((resolve) =>
              s.addEventListener('abort', () =>
                setTimeout(() => {
                  finished.push(name);
                  resolve();
                }, cleanupMs),
              ),
            ),
        }),
      );
    }
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    const stopping = manager.stop(5_000);
    await vi.advanceTimersByTimeAsync(300);
    await stopping;
    expect(finished.sort()).toEqual(['a', 'b']);
    expect(manager.statuses().every((s) => s.health === 'stopped')).toBe(true);
  });
});
