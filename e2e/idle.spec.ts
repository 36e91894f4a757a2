import { expect, test } from './fixtures';
import { test as liveTest } from './live-fixtures';
import { Panel } from './panel';

const STEP_MS = 5_000;
const IDLE_MINUTES = 10;

type Callback = (...args: unknown[]) => unknown;

interface PageSocket {
  send(data: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** The page's globals this spec touches (e2e code is typed for Node, without the DOM). */
interface PageGlobals {
  setTimeout(handler: unknown, timeout?: number, ...args: unknown[]): number;
  setInterval(handler: unknown, timeout?: number, ...args: unknown[]): number;
  requestAnimationFrame(callback: Callback): number;
  WebSocket: new (url: string, protocols?: string | string[]) => PageSocket;
  idleCallbacks: { counting: boolean; ran: number; pings: number; pongs: number };
}

/**
 * Counts the page's timer, interval and animation-frame callbacks (the page clock's fakes, wrapped) once started,
 * and the heartbeat's pings and their answers.
 */
function countCallbacks(): void {
  const page = globalThis as unknown as PageGlobals;
  const counter = (page.idleCallbacks = { counting: false, ran: 0, pings: 0, pongs: 0 });
  const counted =
    (callback: Callback): Callback =>
    (...args) => {
      if (counter.counting) counter.ran += 1;
      return callback(...args);
    };
  const setTimeoutBefore = page.setTimeout.bind(page);
  const setIntervalBefore = page.setInterval.bind(page);
  const requestAnimationFrameBefore = page.requestAnimationFrame.bind(page);
  page.setTimeout = (handler, timeout, ...args) => setTimeoutBefore(typeof handler === 'function' ? counted(handler as Callback) : handler, timeout, ...args);
  page.setInterval = (handler, timeout, ...args) => setIntervalBefore(typeof handler === 'function' ? counted(handler as Callback) : handler, timeout, ...args);
  page.requestAnimationFrame = (callback) => requestAnimationFrameBefore(counted(callback));
  page.WebSocket = class extends page.WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event) => (counter.pongs += String(event.data).includes('"t":"pong"') ? 1 : 0));
    }

    override send(data: unknown): void {
      counter.pings += String(data).includes('"t":"ping"') ? 1 : 0;
      super.send(data);
    }
  };
}

test('an idle panel wakes for the minute of its clock, a heartbeat at most every 10 s and little else', async ({ page, server }) => {
  await page.clock.install({ time: new Date('2026-03-02T12:00:30Z') });
  await page.addInitScript(countCallbacks);
  const panel = new Panel(page);
  await panel.open(server.url);
  const clock = page.getByTestId('header-clock');
  await expect(clock).toHaveText(/\d{1,2}:\d{2}/);

  const pingsBefore = await page.evaluate(() => {
    const { idleCallbacks } = globalThis as unknown as PageGlobals;
    idleCallbacks.counting = true;
    return idleCallbacks.pings;
  });
  const shown = new Set<string>([(await clock.textContent()) ?? '']);
  for (let step = 0; step < (IDLE_MINUTES * 60_000) / STEP_MS; step++) {
    await page.clock.runFor(STEP_MS);
    // Each ping's answer arrives over the real socket before the page's time moves on.
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).idleCallbacks.pings - (globalThis as unknown as PageGlobals).idleCallbacks.pongs)).toBe(0);
    shown.add((await clock.textContent()) ?? '');
  }
  const { ran, pings: pingsAfter } = await page.evaluate(() => (globalThis as unknown as PageGlobals).idleCallbacks);

  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  // The header clock shows each of the minutes it went through.
  expect.soft(shown.size).toBe(IDLE_MINUTES + 1);
  const pings = pingsAfter - pingsBefore;
  // At most one every 10 s: fewer when the hub spoke meanwhile (a monitor's heartbeat), which shows it is there.
  expect.soft(pings).toBeGreaterThan(0);
  expect.soft(pings).toBeLessThanOrEqual((IDLE_MINUTES * 60_000) / 10_000);
  // A clock tick a minute, a heartbeat check every 10 s, a burn-in step every 3 minutes, and a few to spare; a panel
  // that redrew its clock every second ran over 600.
  expect.soft(ran).toBeLessThanOrEqual(IDLE_MINUTES + IDLE_MINUTES * 6 + Math.ceil(IDLE_MINUTES / 3) + 10);
});

liveTest('an item in alarm pulses a few times, not for as long as the alarm lasts', async ({ page, live }) => {
  await new Panel(page).open(live.server.url);
  const icons = page.getByTestId('plan-icons');
  await expect(icons).toHaveAttribute('data-pulsing', 'false');
  await live.setHaState('binary_sensor.basement_water_leak', 'on');
  await expect(page.locator('[data-entity-id][data-state="alarm"]').first()).toBeVisible();
  await expect(icons).toHaveAttribute('data-pulsing', 'true');
  // Four pulses of 1.2 s, then the canvas stops redrawing although the leak is still there: a pulse for as long as
  // it lasted would repaint the plan every frame until someone fixed it.
  await expect(icons).toHaveAttribute('data-pulsing', 'false', { timeout: 10_000 });
  await expect(page.locator('[data-entity-id][data-state="alarm"]').first()).toBeVisible();
});
