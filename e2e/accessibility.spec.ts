import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { HubClient } from './hub-client';
import { HomePanel, sameColour } from './panel';

const PLAN = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 600">
  <rect x="20" y="20" width="960" height="560" fill="#ffffff" stroke="#222" stroke-width="12"/>
  <path d="M 500 20 V 580" stroke="#222" stroke-width="8"/>
  <text x="250" y="300" font-size="40">Workshop</text><text x="750" y="300" font-size="40">Studio</text>
</svg>`;
/** More than two of the hub's 256 KB chunks, so that an upload can be caught between them. */
const LARGE_PLAN = PLAN.replace('</svg>', `<!-- ${'padding '.repeat(100_000)}--></svg>`);
const MAX_TABS = 80;

/** What has the keyboard focus, as the test needs to know it. */
const focused = (page: Page) =>
  page.locator('body').evaluate((body) => {
    const active = body.ownerDocument.activeElement;
    return {
      entityId: active?.getAttribute('data-entity-id') ?? null,
      testId: active?.getAttribute('data-testid') ?? null,
      inSettings: Boolean(active?.closest('[data-testid="settings-dialog"]')),
    };
  });

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

async function setTheme(page: Page, url: string, theme: 'light' | 'dark'): Promise<void> {
  const hub = await HubClient.connect(url);
  try {
    await hub.call('settings.update', { subsystem: 'console', key: 'theme', value: theme });
  } finally {
    hub.close();
  }
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

test('Tab reaches the plan’s items, Enter opens one, Esc closes its details and gives the focus back', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('single_story');

  let item = await focused(page);
  for (let i = 0; i < MAX_TABS && item.entityId === null; i++) {
    await page.keyboard.press('Tab');
    item = await focused(page);
  }
  expect(item.entityId, 'a plan item gets the focus within the first tabs').not.toBeNull();
  const shape = page.locator(`[data-entity-id="${item.entityId}"][data-item]`);
  await expect(shape).toHaveAttribute('role', 'button');
  const label = (await shape.getAttribute('aria-label')) ?? '';
  // Its name and its state: "Front door, Closed".
  expect(label).toMatch(/^[^,]+, .+/);
  // A focus ring in the text colour on the disc's rim, painted on the plan's canvas.
  const ink = await panel.themeColour('--text');
  await expect.poll(async () => sameColour(await panel.iconPixel(shape, { dx: 1, dy: 0 }), ink, 40), 'the focused disc is ringed').toBe(true);

  await page.keyboard.press('Enter');
  const detail = page.getByTestId('detail-panel');
  await expect(detail).toBeVisible();
  await expect(page.getByTestId('detail-name')).toHaveText(label.split(',')[0]!);
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  expect((await focused(page)).entityId).toBe(item.entityId);
  await page.keyboard.press('Tab');
  await expect.poll(async () => sameColour(await panel.iconPixel(shape, { dx: 1, dy: 0 }), ink, 40), 'the ring goes with the focus').toBe(false);

  // Space opens it too; so does a tap, and Esc still closes what a tap opened.
  await page.keyboard.press(' ');
  await expect(detail).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await panel.entity('Dishwasher').click();
  await expect(page.getByTestId('detail-name')).toHaveText('Dishwasher');
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
});

test('the settings dialog is modal: focus starts and stays inside, Esc closes it and the focus goes back', async ({ page, server }, testInfo) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('single_story');
  // press() focuses the button and presses the key on it, as a keyboard user who tabbed there would.
  await page.getByTestId('open-settings').press('Enter');
  const dialog = page.getByTestId('settings-dialog');
  await expect(dialog).toBeVisible();
  expect(await dialog.evaluate((element) => element.tagName === 'DIALOG' && element.matches(':modal'))).toBe(true);
  expect(await focused(page)).toMatchObject({ testId: 'settings-tab-settings', inSettings: true });
  await screenshot(page, testInfo, 'settings-dialog');
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    expect((await focused(page)).inSettings, `focus after ${i + 1} tabs`).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect((await focused(page)).testId).toBe('open-settings');
});

test('an edit dialog closes on Esc and gives the focus back to the toolbar button that opened it', async ({ page, server }, testInfo) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('single_story');
  await panel.startEditing();
  await page.getByTestId('edit-locations').press('Enter');
  const dialog = page.getByTestId('locations-panel');
  await expect(dialog).toBeVisible();
  await screenshot(page, testInfo, 'edit-dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect((await focused(page)).testId).toBe('edit-locations');
});

test('"Start empty" leads to uploading a floor plan', async ({ page, server }, testInfo) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await page.getByTestId('profile-empty').click();
  await expect(page.getByTestId('first-run-plan-step')).toBeVisible();
  await expect(page.getByTestId('first-run-without-plan')).toBeVisible();
  await screenshot(page, testInfo, 'first-run-plan-step');
  await page.getByTestId('first-run-plan-upload').setInputFiles({ name: 'workshop.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(PLAN) });
  const image = page.getByTestId('plan-canvas').locator('image.plan-background');
  await expect(image).toHaveAttribute('href', /^data\/locations\/.+\.svg$/);
  await expect(page.getByTestId('plan-no-background')).toHaveCount(0);
  // The upload did not leave the panel in edit mode.
  await expect(page.getByTestId('edit-toolbar')).toHaveCount(0);
});

test('a plan without a drawing offers the upload on the canvas', async ({ page, server }, testInfo) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('empty');
  await expect(page.getByTestId('plan-no-background')).toBeVisible();
  await screenshot(page, testInfo, 'no-plan-prompt');
  await page.getByTestId('plan-upload').setInputFiles({ name: 'workshop.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(PLAN) });
  await expect(page.getByTestId('plan-canvas').locator('image.plan-background')).toHaveAttribute('href', /^data\/locations\/.+\.svg$/);
  await expect(page.getByTestId('edit-toolbar')).toHaveCount(0);
});

test('an upload cancelled part-way leaves nothing behind', async ({ page, server }, testInfo) => {
  // The second chunk is held back until Cancel has been pressed, so the upload is caught mid-way every time.
  let holding = true;
  let heldChunk: (() => void) | null = null;
  const sent: string[] = [];
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    const hub = ws.connectToServer();
    let chunks = 0;
    ws.onMessage((message) => {
      const name = (JSON.parse(String(message)) as { name?: string }).name ?? '';
      sent.push(name);
      if (name === 'file.upload.chunk' && ++chunks === 2 && holding) heldChunk = () => hub.send(message);
      else hub.send(message);
    });
  });
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('empty');

  await page.getByTestId('plan-upload').setInputFiles({ name: 'large.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(LARGE_PLAN) });
  await expect(page.getByTestId('plan-progress')).toBeVisible();
  await expect.poll(() => heldChunk !== null).toBe(true);
  await page.getByTestId('plan-cancel').click();
  holding = false;
  (heldChunk as (() => void) | null)?.();

  await expect(page.getByTestId('plan-cancelled')).toContainText('Upload cancelled');
  await screenshot(page, testInfo, 'upload-cancelled');
  await expect.poll(() => sent.includes('file.upload.cancel')).toBe(true);
  await expect.poll(() => readdirSync(path.join(server.dataDir, 'uploads'))).toEqual([]);
  expect(readdirSync(path.join(server.dataDir, 'files')).filter((name) => name !== 'thumbnails')).toEqual([]);
  expect(sent).not.toContain('location.background.set');
  await expect(page.getByTestId('plan-canvas').locator('image.plan-background')).toHaveCount(0);
  await expect(page.getByTestId('plan-no-background')).toBeVisible();
});

test('the dark theme shows the floor plan dark, and only the plan', async ({ page, server }, testInfo) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('two_story');
  const background = page.getByTestId('plan-canvas').locator('image.plan-background');
  await expect(background).toHaveCount(1);
  await setTheme(page, server.url, 'light');
  await screenshot(page, testInfo, 'plan-light');
  expect(await background.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).filter)).toBe('none');

  await setTheme(page, server.url, 'dark');
  expect(await background.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).filter)).toMatch(/invert/);
  // The items keep their own colours.
  const icon = page.locator('[data-entity-id][data-item]').first();
  expect(await icon.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).filter)).toBe('none');
  await screenshot(page, testInfo, 'plan-dark');
});
