import type { Locator, Page, TestInfo } from '@playwright/test';
import { HubClient } from './hub-client';
import { HomePanel } from './panel';
import { expect, test, ZM_PASSWORD, type ZmHome } from './zm-fixtures';

const HOUR_MS = 3_600_000;
const frameCount = async (canvas: Locator) => Number(await canvas.getAttribute('data-frames'));

/** Every URL the page asks for, to check that none carries the token or the simulator's address. */
function recordRequests(page: Page): string[] {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  return requested;
}

function expectOnlyHubUrls(requested: readonly string[], zm: ZmHome): void {
  const hub = new URL(zm.server.url).origin;
  const zmPort = new URL(zm.zmUrl).port;
  for (const url of requested) {
    expect(new URL(url).origin, url).toBe(hub);
    expect(url).not.toContain('token');
    expect(url).not.toContain(`:${zmPort}`);
    expect(url).not.toContain('nph-zms');
    expect(url).not.toContain(ZM_PASSWORD);
  }
}

test('ZoneMinder motion in Away raises an alert that shows the camera live, opens its details and plays its recording', async ({ page, zm }) => {
  const hub = await HubClient.connect(zm.server.url);
  try {
    await hub.call('settings.update', { subsystem: 'security', key: 'away_delay_seconds', value: 0 });
    await hub.call('security.set', { state: 'away' });
  } finally {
    hub.close();
  }
  const requested = recordRequests(page);
  const panel = new HomePanel(page);
  await panel.open(zm.server.url);
  await expect(page.getByTestId('security-mode')).toHaveAttribute('data-state', 'away');
  await expect(panel.entity('Front door')).toBeVisible();

  // Nobody touches the panel from here on: auto-view only acts on a panel left alone.
  const event = zm.simulator.motion(1, 30);
  const front = zm.cameras.find((c) => c.name === 'Front door')!;
  const banner = page.locator('[data-testid^="alert-banner-"]');
  await expect(banner).toContainText('Motion: Front door', { timeout: 15_000 });
  const live = banner.getByTestId('alert-live');
  await expect(live).toHaveAttribute('data-entity-id', String(front.entityId));
  await expect.poll(() => frameCount(live.getByTestId('camera-canvas')), { timeout: 10_000 }).toBeGreaterThan(3);

  // Auto-view opened the camera's details, with its live picture.
  const detail = page.getByTestId('detail-camera');
  await expect(detail).toBeVisible();
  await expect.poll(() => frameCount(detail.getByTestId('camera-canvas')), { timeout: 10_000 }).toBeGreaterThan(3);
  await page.screenshot({ path: `${test.info().outputDir}/alert-live.png` });

  // The alarm names ZoneMinder's event: "Play recording" plays exactly that one, through the hub.
  const play = banner.locator('[data-testid^="alert-play-"]');
  await expect(play).toHaveAttribute('data-event-id', String(event.id));
  const playBox = (await play.boundingBox())!;
  expect(playBox.width).toBeGreaterThanOrEqual(48);
  expect(playBox.height).toBeGreaterThanOrEqual(48);
  // The banner keeps its live picture and both finger-sized buttons on a portrait panel too.
  await page.setViewportSize({ width: 800, height: 1280 });
  expect(await layoutProblems(banner)).toEqual([]);
  await attachScreenshot(page, test.info(), 'alert-recording-800x1280');
  await page.setViewportSize({ width: 1280, height: 800 });

  await play.click();
  const dialog = page.getByTestId('video-browser-dialog');
  const player = dialog.getByTestId('video-player');
  await expect(player).toHaveAttribute('data-event-id', String(event.id));
  await expect(player.getByTestId('camera-stream')).toHaveAttribute('data-entity-id', String(front.entityId));
  await expect.poll(() => frameCount(player.getByTestId('camera-canvas')), { timeout: 10_000 }).toBeGreaterThan(3);
  // Its entry in the list is the one shown as playing.
  await expect(dialog.locator(`[data-testid="video-event"][data-event-id="${event.id}"]`)).toHaveAttribute('aria-pressed', 'true');
  const played = requested.filter((url) => new URL(url).pathname.endsWith('/play')).map((url) => new URL(url).pathname);
  expect(played).toEqual([`/event/${front.entityId}/${event.id}/play`]);
  await page.screenshot({ path: `${test.info().outputDir}/alert-recording.png` });

  // Acknowledged on another panel meanwhile: the banner and its live picture go, the recording plays on.
  const other = await HubClient.connect(zm.server.url);
  try {
    await other.call('alert.acknowledgeAll', {});
  } finally {
    other.close();
  }
  await expect(page.getByTestId('alert-live')).toHaveCount(0);
  const framesThen = await frameCount(player.getByTestId('camera-canvas'));
  await expect.poll(() => frameCount(player.getByTestId('camera-canvas')), { timeout: 10_000 }).toBeGreaterThan(framesThen + 2);
  await expect(player).toHaveAttribute('data-event-id', String(event.id));
  await dialog.getByTestId('video-browser-close').click();
  await expect(dialog).toHaveCount(0);
  expectOnlyHubUrls(requested, zm);
  expect(requested.some((url) => /\/stream\/\d+/.test(url))).toBe(true);
});

test('the recordings browser groups events by hour with counts, pages earlier, and plays one', async ({ page, zm }) => {
  const now = Date.now();
  const today = now - (now % (24 * HOUR_MS));
  const yesterday = today - 24 * HOUR_MS;
  const record = (monitorId: number, start: number) => zm.simulator.addEvent({ monitorId, start, end: start + 20_000, alarmFrames: 4 });
  // Yesterday (UTC is the home zone here): two at 10:xx on both cameras, one at 15:40.
  record(1, yesterday + 10 * HOUR_MS + 5 * 60_000);
  record(2, yesterday + 10 * HOUR_MS + 20 * 60_000);
  record(1, yesterday + 15 * HOUR_MS + 40 * 60_000);
  // Today: a few minutes ago.
  const todayStarts = [now - 5 * 60_000, now - 3 * 60_000, now - 2 * 60_000].filter((start) => start >= today);
  for (const [index, start] of todayStarts.entries()) record(index === 1 ? 2 : 1, start);

  const requested = recordRequests(page);
  const panel = new HomePanel(page);
  await panel.open(zm.server.url);
  await page.getByTestId('open-cameras').click();
  await page.getByTestId('recordings-open').click();
  const dialog = page.getByTestId('video-browser-dialog');
  await expect(dialog).toBeVisible();

  const groups = dialog.getByTestId('video-group');
  const readGroups = () => groups.evaluateAll((buttons) => buttons.map((b) => ({ start: Number(b.getAttribute('data-start')), count: Number(b.getAttribute('data-count')) })));
  await expect(groups).toHaveCount(24);
  const todayGroups = await readGroups();
  expect(todayGroups[0]!.start).toBe(today);
  for (const group of todayGroups) {
    expect(group.start % HOUR_MS, 'groups start on the hour').toBe(0);
    expect(group.count, new Date(group.start).toISOString()).toBe(todayStarts.filter((s) => s >= group.start && s < group.start + HOUR_MS).length);
  }
  for (const group of await groups.all()) {
    const box = (await group.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeGreaterThanOrEqual(44);
  }
  await expect(dialog.getByTestId('video-later')).toBeDisabled();

  await dialog.getByTestId('video-earlier').click();
  await expect(groups.first()).toHaveAttribute('data-start', String(yesterday));
  const yesterdayCounts = (await readGroups()).map((g) => g.count);
  expect(yesterdayCounts).toEqual(Array.from({ length: 24 }, (_, hour) => (hour === 10 ? 2 : hour === 15 ? 1 : 0)));
  await expect(dialog.getByTestId('video-later')).toBeEnabled();

  await groups.nth(10).click();
  const events = dialog.getByTestId('video-event');
  await expect(events).toHaveCount(2);
  await expect(dialog.getByTestId('video-group-title')).toContainText('2 recordings');
  await expect(events.first()).toContainText('10:20');
  await expect(events.first()).toContainText('Back yard');
  const thumbnail = events.first().getByTestId('video-event-thumbnail');
  await expect(thumbnail).toHaveAttribute('loading', 'lazy');
  await expect.poll(() => thumbnail.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);

  await events.nth(1).click();
  const player = dialog.getByTestId('video-player');
  await expect(player).toContainText('Front door');
  await expect.poll(() => frameCount(player.getByTestId('camera-canvas')), { timeout: 10_000 }).toBeGreaterThan(3);
  await page.screenshot({ path: `${test.info().outputDir}/recordings.png` });

  // A week by day: yesterday's three.
  await dialog.getByTestId('video-grouping-day').click();
  await expect(groups).toHaveCount(7);
  expect((await readGroups()).reduce((sum, g) => sum + g.count, 0)).toBe(3);

  expectOnlyHubUrls(requested, zm);
  expect(requested.some((url) => /\/event\/\d+\/\d+\/thumbnail/.test(url))).toBe(true);
  expect(requested.some((url) => /\/event\/\d+\/\d+\/play/.test(url))).toBe(true);
});

test('a camera’s details open its own recordings', async ({ page, zm }) => {
  const back = zm.cameras.find((c) => c.name === 'Back yard')!;
  const start = Date.now() - 60_000;
  zm.simulator.addEvent({ monitorId: 1, start, end: start + 10_000 });
  zm.simulator.addEvent({ monitorId: back.monitorId, start: start + 1_000, end: start + 11_000 });
  const panel = new HomePanel(page);
  await panel.open(zm.server.url);
  await panel.entity('Back yard').click();
  await page.getByTestId('detail-camera').getByTestId('recordings-open').click();
  const dialog = page.getByTestId('video-browser-dialog');
  await expect(dialog).toContainText('Recordings of Back yard');
  const events = dialog.getByTestId('video-event');
  await expect(events).toHaveCount(1);
  await expect(events.first()).toHaveAttribute('data-entity-id', String(back.entityId));
  await dialog.getByTestId('video-browser-close').click();
  await expect(dialog).toHaveCount(0);
});

test('the cameras view opened by its address lists every camera once the hub answers, live', async ({ page, zm }) => {
  // Straight to #/cameras: the view asks for the cameras before the page has connected to the hub.
  await page.goto(`${zm.server.url}/#/cameras`);
  const tiles = page.getByTestId('camera-tile');
  await expect(tiles).toHaveCount(zm.cameras.length);
  for (const tile of await tiles.all()) await expect.poll(() => frameCount(tile.getByTestId('camera-canvas')), { timeout: 10_000 }).toBeGreaterThan(2);
  // ZoneMinder's motion, as its gateway words it, shows on the tile.
  const front = tiles.filter({ hasText: 'Front door' }).getByTestId('camera-motion');
  await expect(front).toHaveAttribute('data-motion', 'false');
  zm.simulator.motion(1, 30);
  await expect(front).toHaveAttribute('data-motion', 'true', { timeout: 15_000 });
});

const LAYOUT_SIZES = [
  { width: 1024, height: 600 },
  { width: 800, height: 1280 },
  { width: 1920, height: 1080 },
] as const;

/**
 * What does not fit in `root` at this size: an element reaching past the viewport's sides (the timeline strip's own
 * groups excepted: the strip scrolls sideways by design, the strip itself must fit), a page wider than the viewport, or
 * a visible control smaller than a finger (44 px).
 */
function layoutProblems(root: Locator): Promise<string[]> {
  return root.evaluate((el) => {
    const document = el.ownerDocument;
    const width = document.defaultView!.innerWidth;
    const problems: string[] = [];
    const name = (node: { tagName: string; className: unknown; getAttribute(name: string): string | null }) => `${node.tagName.toLowerCase()}${node.getAttribute('data-testid') ? `[${node.getAttribute('data-testid')}]` : node.className ? `.${String(node.className).split(' ')[0]}` : ''}`;
    if (document.documentElement.scrollWidth > width) problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    for (const node of [el, ...el.querySelectorAll('*')]) {
      if (node.parentElement?.closest('.video-timeline')) continue;
      const box = node.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left < -0.5 || box.right > width + 0.5) problems.push(`${name(node)} spans ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
    }
    for (const control of el.querySelectorAll('button, a[href], input, select')) {
      const box = control.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.width < 44 || box.height < 44) problems.push(`${name(control)} "${control.textContent?.trim().slice(0, 20)}" is ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
    return problems;
  });
}

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('the cameras view and the recordings browser fit 1024x600, 800x1280 and 1920x1080', async ({ page, zm }, testInfo) => {
  const now = Date.now();
  // Seconds ago, not minutes: the browser opens on today, and minutes ago is yesterday just after midnight.
  for (const [index, secondsAgo] of [60, 50, 40, 30, 20, 10].entries()) {
    const start = now - secondsAgo * 1_000;
    zm.simulator.addEvent({ monitorId: zm.cameras[index % zm.cameras.length]!.monitorId, start, end: start + 5_000, alarmFrames: 3 });
  }
  await page.goto(`${zm.server.url}/#/cameras`);
  const tiles = page.getByTestId('camera-tile');
  await expect(tiles).toHaveCount(zm.cameras.length);
  for (const size of LAYOUT_SIZES) {
    const label = `${size.width}x${size.height}`;
    await page.setViewportSize(size);
    const screen = page.getByTestId('cameras-screen');
    for (const tile of await tiles.all()) await expect.poll(() => frameCount(tile.getByTestId('camera-canvas')), { timeout: 10_000 }).toBeGreaterThan(1);
    await expect(tiles.first()).toBeInViewport({ ratio: 1 });
    expect(await layoutProblems(screen), `cameras at ${label}`).toEqual([]);
    await attachScreenshot(page, testInfo, `cameras-${label}`);

    await screen.getByTestId('recordings-open').click();
    const dialog = page.getByTestId('video-browser-dialog');
    const timeline = dialog.getByTestId('video-timeline');
    await expect(timeline).toBeInViewport();
    const events = dialog.getByTestId('video-event');
    await expect(events.first()).toBeVisible();
    await expect(events.first()).toBeInViewport();
    // On a narrow screen the strip scrolls sideways; the chosen hour is in sight. Not ratio 1: the bars share the
    // width in fractions of a pixel, and the last hour of the day, scrolled fully into view, can lose a third of one.
    await expect(timeline.locator('[aria-pressed="true"]')).toBeInViewport({ ratio: 0.95 });
    await events.first().click();
    const player = dialog.getByTestId('video-player');
    await expect.poll(() => frameCount(player.getByTestId('camera-canvas')), { timeout: 10_000 }).toBeGreaterThan(1);
    await expect(player, `the whole playback is in sight at ${label}`).toBeInViewport({ ratio: 1 });
    expect(await layoutProblems(dialog), `recordings at ${label}`).toEqual([]);
    await attachScreenshot(page, testInfo, `recordings-${label}`);
    await dialog.getByTestId('video-browser-close').click();
    await expect(dialog).toHaveCount(0);
  }
});
