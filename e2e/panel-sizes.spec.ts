import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { HaSimulator } from '../src-main/simulator/ha-simulator';
import { expect, test } from './fixtures';
import { HubClient } from './hub-client';
import { HomePanel } from './panel';
import { PanelServerProcess } from './panel-server-process';

const HA_TOKEN = 'e2e-token';
const IMPORTED_DOMAINS = ['light', 'switch', 'binary_sensor', 'sensor', 'lock', 'cover', 'climate', 'fan', 'media_player', 'camera'];
const SIZES = [
  { name: '1024x600', width: 1024, height: 600 },
  { name: '1280x800', width: 1280, height: 800 },
  { name: '800x1280', width: 800, height: 1280 },
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '2560x1440', width: 2560, height: 1440 },
] as const;
const THEMES = ['light', 'dark'] as const;
/** The smallest touch target. */
const MIN_TOUCH_PX = 44;

interface Rect {
  label: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

// One hub for every size: the single-story starter home with the simulated Home Assistant's devices placed on it by
// "Place all" and the starter collection shown, as a person sets up the demo.
let dataDir = '';
let server: PanelServerProcess;
let simulator: HaSimulator;
/** One panel for every size, as a panel is turned or a window resized: it opens once. */
let shared: Page;

test.beforeAll(async ({ browser }) => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-e2e-sizes-'));
  simulator = new HaSimulator({ profile: 'small_house', token: HA_TOKEN, port: 0 });
  const { url: haUrl } = await simulator.start();
  server = new PanelServerProcess(dataDir);
  await server.start(0);
  const hub = await HubClient.connect(server.url);
  try {
    const [home] = await hub.call('home.setup', { profile: 'single_story' });
    const viewId = home!.views[0]!.id;
    await hub.call('integration.configure', { key: 'home_assistant', fields: { url: haUrl, token: HA_TOKEN }, importDomains: IMPORTED_DOMAINS });
    await hub.call('integration.enable', { key: 'home_assistant' });
    const report = await hub.call('integration.sync', { key: 'home_assistant' });
    await hub.call('edit.begin', {});
    await hub.call('entity.placeMany', { locationViewId: viewId, entityIds: report.unplaced.map((item) => item.entityId) });
    const [appliances] = await hub.call('collection.list', {});
    await hub.call('collection.placeInView', { collectionId: appliances!.id, locationViewId: viewId });
    await hub.call('edit.end', {});
  } finally {
    hub.close();
  }
  shared = await browser.newPage({ hasTouch: true, viewport: { width: SIZES[0].width, height: SIZES[0].height } });
  await new HomePanel(shared).open(server.url);
});

test.afterAll(async () => {
  await shared?.close();
  await server?.stop();
  await simulator?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function setTheme(page: Page, theme: (typeof THEMES)[number]): Promise<void> {
  const hub = await HubClient.connect(server.url);
  try {
    await hub.call('settings.update', { subsystem: 'console', key: 'theme', value: theme });
  } finally {
    hub.close();
  }
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** The header's, the switcher's and the edit toolbar's controls as drawn, each also clipped by its scrolling parent. */
function toolbarControls(page: Page): Promise<{ rects: Rect[]; clipped: string[] }> {
  return page.locator('html').evaluate((root) => {
    const document = root.ownerDocument;
    const window = document.defaultView;
    const selector = [
      '.app-header .app-title',
      '.app-header .header-clock',
      '.app-header .header-actions > *',
      '.location-switcher .switcher-tab',
      '.edit-toolbar > *:not(.toolbar-spacer)',
      '.plan-controls > *',
    ].join(', ');
    const rects: Rect[] = [];
    const clipped: string[] = [];
    for (const element of document.querySelectorAll(selector)) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const label = element.dataset.testid ?? element.className;
      rects.push({ label, left: box.left, top: box.top, right: box.right, bottom: box.bottom });
      // Cut off: its text overflows it (unless it is meant to end in an ellipsis), it lies outside the window, or
      // outside a parent that hides its overflow.
      if (window.getComputedStyle(element).textOverflow !== 'ellipsis' && element.scrollWidth > element.clientWidth + 1) clipped.push(`${label} (its text)`);
      let inside = box.left >= -0.5 && box.top >= -0.5 && box.right <= window.innerWidth + 0.5 && box.bottom <= window.innerHeight + 0.5;
      for (let parent = element.parentElement; parent && inside; parent = parent.parentElement) {
        if (window.getComputedStyle(parent).overflowX === 'visible') continue;
        const clip = parent.getBoundingClientRect();
        inside = box.left >= clip.left - 0.5 && box.right <= clip.right + 0.5;
      }
      if (!inside) clipped.push(label);
    }
    return { rects, clipped };
  });
}

function overlapping(rects: readonly Rect[]): string[] {
  const found: string[] = [];
  for (const [i, a] of rects.entries()) {
    for (const b of rects.slice(i + 1)) {
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) found.push(`${a.label} / ${b.label}`);
    }
  }
  return found;
}

async function expectToolbarsClear(page: Page, where: string): Promise<void> {
  const { rects, clipped } = await toolbarControls(page);
  expect(rects.length, `${where}: controls found`).toBeGreaterThan(3);
  expect.soft(overlapping(rects), `${where}: overlapping controls`).toEqual([]);
  expect.soft(clipped, `${where}: controls cut off`).toEqual([]);
}

/** Where the edit toolbar is too narrow, its More menu: a real menu, with rows a finger can hit, closed by Esc. */
async function checkMoreMenu(page: Page, size: (typeof SIZES)[number]): Promise<void> {
  const more = page.getByTestId('edit-more');
  // The widest panels have room for every action.
  if (size.width >= 1920) {
    await expect(more).toHaveCount(0);
    return;
  }
  if ((await more.count()) === 0) return;
  await expect(more).toHaveAttribute('aria-haspopup', 'menu');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await more.click();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  const menu = page.getByRole('menu', { name: 'More editing actions' });
  await expect(menu).toBeVisible();
  const rows = await menu.getByRole('menuitem').or(menu.getByRole('menuitemcheckbox')).evaluateAll((items) =>
    items.map((item) => {
      const box = item.getBoundingClientRect();
      const window = item.ownerDocument.defaultView;
      return { name: item.textContent ?? '', height: box.height, inside: box.left >= 0 && box.right <= window.innerWidth && box.bottom <= window.innerHeight };
    }),
  );
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect.soft(row.height, `${row.name} row height`).toBeGreaterThanOrEqual(MIN_TOUCH_PX);
    expect.soft(row.inside, `${row.name} row on screen`).toBe(true);
  }
  await expect(menu.getByRole('menuitem').or(menu.getByRole('menuitemcheckbox')).first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(more).toBeFocused();
}

/** The plan drawn the same two frames running: fitted, with nothing left to lay out. */
async function planSettled(page: Page): Promise<void> {
  const steady = () =>
    page.getByTestId('plan-canvas').evaluate(
      (canvas) =>
        new Promise<boolean>((resolve) => {
          const before = canvas.getAttribute('viewBox');
          const frame = canvas.ownerDocument.defaultView.requestAnimationFrame;
          frame(() => frame(() => resolve(before === canvas.getAttribute('viewBox'))));
        }),
    );
  await expect.poll(steady, { message: 'the plan settles' }).toBe(true);
  await new HomePanel(page).planComplete();
}

/** The plan point (in the plan's own coordinates) at the centre of the canvas, and the area its viewBox shows. */
async function planPointAtCentre(page: Page): Promise<{ x: number; y: number; area: number }> {
  return page.getByTestId('plan-canvas').evaluate((canvas) => {
    const content = canvas.querySelector('image.plan-background, rect.plan-blank')!.parentElement!;
    const box = canvas.getBoundingClientRect();
    const toPlan = content.getScreenCTM()!.inverse();
    const at = new (canvas.ownerDocument.defaultView.DOMPoint)(box.left + box.width / 2, box.top + box.height / 2).matrixTransform(toPlan);
    const [, , width = 0, height = 0] = (canvas.getAttribute('viewBox') ?? '').split(' ').map(Number);
    return { x: at.x, y: at.y, area: width * height };
  });
}

/** The clock's text lies on one line, and the clock is no taller than that line. */
async function clockLines(page: Page): Promise<{ lines: number; height: number; lineHeight: number }> {
  return page.getByTestId('header-clock').evaluate((clock) => {
    const range = clock.ownerDocument.createRange();
    range.selectNodeContents(clock);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    const style = clock.ownerDocument.defaultView.getComputedStyle(clock);
    // "normal" is about 1.2 font sizes.
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    return { lines: tops.size, height: clock.getBoundingClientRect().height, lineHeight };
  });
}

interface PlanLayout {
  plan: Rect;
  items: Rect[];
  discs: Rect[];
  names: Rect[];
  roomLabels: Rect[];
}

/** Where the plan, its items, their icons and names, and the background's own room labels are on screen. */
async function planLayout(page: Page): Promise<PlanLayout> {
  return page.locator('html').evaluate(async (root) => {
    const document = root.ownerDocument;
    const window = document.defaultView;
    const rect = (label: string, box: Omit<Rect, 'label'>): Rect => ({ label, left: box.left, top: box.top, right: box.right, bottom: box.bottom });
    const labelOf = (element: { closest(selector: string): { getAttribute(name: string): string | null } | null }) =>
      element.closest('[data-item]')?.getAttribute('data-item') ?? '';
    const wrap = document.querySelector('.plan-canvas-wrap')!;
    const items = [...document.querySelectorAll('[data-entity-id], [data-collection-id]')].map((e) => rect(labelOf(e), e.getBoundingClientRect()));
    const discs = [...document.querySelectorAll('.plan-icon .icon-hit')].map((e) => rect(labelOf(e), e.getBoundingClientRect()));
    const names = [...document.querySelectorAll('.plan-label')].map((e) => rect(e.textContent ?? '', e.getBoundingClientRect()));
    // The room labels are the <text> of the background drawing: drawn here, off screen, and carried over to the plan.
    const background = document.querySelector('image.plan-background');
    const roomLabels: Rect[] = [];
    const toScreen = background?.parentElement?.getScreenCTM();
    if (background && toScreen) {
      const source = await (await window.fetch(background.href.baseVal)).text();
      const drawing = new window.DOMParser().parseFromString(source, 'image/svg+xml').documentElement;
      const holder = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      holder.setAttribute('style', 'position: fixed; left: -10000px; top: 0; width: 10px; height: 10px; visibility: hidden');
      holder.append(document.importNode(drawing, true));
      document.body.append(holder);
      try {
        // The drawing's own viewBox, laid over the <image>'s box (the starter plans keep their aspect).
        const [vx = 0, vy = 0, vw = 0] = (drawing.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
        const x = background.x.baseVal.value;
        const y = background.y.baseVal.value;
        const scale = vw > 0 ? background.width.baseVal.value / vw : 1;
        const at = (px: number, py: number) => new window.DOMPoint(x + (px - vx) * scale, y + (py - vy) * scale).matrixTransform(toScreen);
        for (const text of holder.querySelectorAll('text')) {
          const box = text.getBBox();
          if (box.width === 0) continue;
          const corners = [at(box.x, box.y), at(box.x + box.width, box.y + box.height)];
          roomLabels.push({
            label: text.textContent ?? '',
            left: Math.min(corners[0]!.x, corners[1]!.x),
            top: Math.min(corners[0]!.y, corners[1]!.y),
            right: Math.max(corners[0]!.x, corners[1]!.x),
            bottom: Math.max(corners[0]!.y, corners[1]!.y),
          });
        }
      } finally {
        holder.remove();
      }
    }
    return { plan: rect('plan', wrap.getBoundingClientRect()), items, discs, names, roomLabels };
  });
}

const outside = (inner: Rect, outer: Rect): boolean =>
  inner.left < outer.left - 0.5 || inner.top < outer.top - 0.5 || inner.right > outer.right + 0.5 || inner.bottom > outer.bottom + 0.5;

function covering(names: readonly Rect[], labels: readonly Rect[]): string[] {
  const found: string[] = [];
  for (const name of names) {
    for (const label of labels) {
      if (name.left < label.right && label.left < name.right && name.top < label.bottom && label.top < name.bottom) found.push(`${name.label} covers ${label.label}`);
    }
  }
  return found;
}

for (const size of SIZES) {
  // The shared page instead of a fixture of the test's own.
  // eslint-disable-next-line no-empty-pattern
  test(`the panel at ${size.name}: one-line header and clock, clear toolbars, every item of the first view on screen`, async ({}, testInfo) => {
    const page = shared;
    await page.setViewportSize({ width: size.width, height: size.height });
    const panel = new HomePanel(page);
    await expect(page.locator('[data-entity-id]').first()).toBeVisible();
    await planSettled(page);
    for (const theme of THEMES) {
      await setTheme(page, theme);
      await screenshot(page, testInfo, `${size.name}-${theme}`);

      await expectToolbarsClear(page, `${size.name} ${theme}`);
      const clock = await clockLines(page);
      expect.soft(clock.lines, 'the clock on one line').toBe(1);
      expect.soft(clock.height, 'the clock one line high').toBeLessThanOrEqual(clock.lineHeight + 0.5);

      const layout = await planLayout(page);
      expect.soft(layout.plan.bottom, 'the plan reaches the bottom of the window').toBeGreaterThanOrEqual(size.height - 1);
      expect.soft(layout.items.length).toBeGreaterThan(20);
      expect.soft(layout.items.filter((item) => outside(item, layout.plan)).map((item) => item.label), 'items off the plan').toEqual([]);
      const small = layout.discs.filter((disc) => disc.right - disc.left < MIN_TOUCH_PX || disc.bottom - disc.top < MIN_TOUCH_PX);
      expect.soft(small.map((disc) => `${disc.label} ${Math.round(disc.right - disc.left)} px`).slice(0, 5), `icons under 44 px (${small.length} in all)`).toEqual([]);
      expect.soft(layout.roomLabels.length, 'room labels found in the plan drawing').toBeGreaterThan(5);
      expect.soft(covering(layout.names, layout.roomLabels), 'names over room labels').toEqual([]);

      await panel.startEditing();
      await screenshot(page, testInfo, `${size.name}-${theme}-editing`);
      await expectToolbarsClear(page, `${size.name} ${theme} editing`);
      if (theme === 'light') await checkMoreMenu(page, size);
      await panel.stopEditing();
    }
  });
}

// The shared page instead of a fixture of the test's own.
// eslint-disable-next-line no-empty-pattern
test('a portrait panel turns the landscape plan to fill it, with every icon and name upright and items still opening on a tap', async ({}, testInfo) => {
  const page = shared;
  await page.setViewportSize({ width: 800, height: 1280 });
  const canvas = page.getByTestId('plan-canvas');
  await expect(page.locator('[data-entity-id]').first()).toBeVisible();
  await expect(canvas).toHaveAttribute('data-turn', '90');
  await planSettled(page);
  await setTheme(page, 'light');
  await screenshot(page, testInfo, '800x1280-turned');

  // The plan's drawing takes the height left under the header, not a 3:2 strip across the middle.
  const fill = await page.locator('html').evaluate((root) => {
    const document = root.ownerDocument;
    const area = document.querySelector('.plan-canvas-wrap')!.getBoundingClientRect();
    const drawing = document.querySelector('image.plan-background')!.getBoundingClientRect();
    return { area: area.height, drawing: drawing.height, drawingWidth: drawing.width };
  });
  expect(fill.drawing / fill.area, `the plan's drawing is ${Math.round(fill.drawing)} of ${Math.round(fill.area)} px high`).toBeGreaterThanOrEqual(0.8);
  expect(fill.drawing, 'the landscape drawing stands turned').toBeGreaterThan(fill.drawingWidth);

  // Upright: each icon and its name reach the screen unrotated (the turn and the item's turn back cancel out). The
  // canvas paints glyphs with the same turns as the SVG item (plan-icon-painter.ts).
  const turned = await page.locator('.plan-icon').evaluateAll((icons) =>
    icons.flatMap((icon) => {
      const label = icon.getAttribute('data-item') ?? '';
      const matrix = (icon as unknown as { getScreenCTM(): { a: number; b: number; c: number; d: number } | null }).getScreenCTM();
      const name = icon.querySelector('.plan-label')?.getBoundingClientRect();
      const problems: string[] = [];
      // The demo places its items unrotated: a glyph drawn upright has no rotation left on screen.
      if (!matrix || Math.abs(matrix.b) > 1e-6 || Math.abs(matrix.c) > 1e-6 || matrix.a <= 0 || matrix.d <= 0) problems.push(`${label} icon turned`);
      if (name && name.width <= name.height) problems.push(`${label} name stands on end`);
      return problems;
    }),
  );
  expect.soft(turned, 'icons or names not upright').toEqual([]);
  // The canvas paints each disc where the turned plan put its item.
  const home = new HomePanel(page);
  const unpainted: string[] = [];
  for (const icon of await page.locator('.plan-icon').all()) {
    const [, , , alpha] = await home.iconPixel(icon, { dx: 0.85, dy: 0 });
    if (!alpha) unpainted.push((await icon.getAttribute('data-item')) ?? '');
  }
  expect.soft(unpainted, 'icons with no disc painted under them').toEqual([]);

  const layout = await planLayout(page);
  expect.soft(layout.names.length, 'names shown').toBeGreaterThan(5);
  expect.soft(overlapping(layout.names), 'names over names').toEqual([]);
  expect.soft(layout.roomLabels.length, 'room labels found in the plan drawing').toBeGreaterThan(5);
  expect.soft(covering(layout.names, layout.roomLabels), 'names over room labels').toEqual([]);
  expect.soft(layout.items.filter((item) => outside(item, layout.plan)).map((item) => item.label), 'items off the plan').toEqual([]);

  // A tap on an icon's disc, where no other item lies on top of it, opens that item.
  const target = await page.locator('.plan-icon[data-entity-id]').evaluateAll((icons) => {
    for (const icon of icons) {
      const box = icon.querySelector('.icon-hit')!.getBoundingClientRect();
      const at = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      if (icon.ownerDocument.elementFromPoint(at.x, at.y)?.closest('[data-item]') === icon) return { ...at, name: (icon.getAttribute('aria-label') ?? '').split(',')[0]! };
    }
    return null;
  });
  expect(target, 'an icon free to tap').not.toBeNull();
  await page.touchscreen.tap(target!.x, target!.y);
  await expect(page.getByTestId('detail-panel')).toBeVisible();
  await expect(page.getByTestId('detail-name')).toHaveText(target!.name);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('detail-panel')).toBeHidden();

  // Editing shows the plan unturned, where the rotate handle and the glyph it turns agree.
  const panel = new HomePanel(page);
  await panel.startEditing();
  await expect(canvas).toHaveAttribute('data-turn', '0');
  await panel.stopEditing();
  await expect(canvas).toHaveAttribute('data-turn', '90');
});

test('the plan follows the panel turning until someone pans or zooms it, and Reset zoom fits it again', async () => {
  const page = shared;
  await page.setViewportSize({ width: 1280, height: 800 });
  const panel = new HomePanel(page);
  const canvas = page.getByTestId('plan-canvas');
  await expect(page.locator('[data-entity-id]').first()).toBeVisible();
  const offPlan = async () => {
    const layout = await planLayout(page);
    return layout.items.filter((item) => outside(item, layout.plan)).map((item) => item.label);
  };

  await page.setViewportSize({ width: 800, height: 1280 });
  await expect.poll(offPlan, { message: 'every item on screen once turned' }).toEqual([]);
  const fitted = await canvas.getAttribute('viewBox');

  // A zoom is the person's: turning the panel back keeps it.
  const centre = await panel.centreOf(canvas);
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.wheel(0, -400);
  await expect(canvas).not.toHaveAttribute('viewBox', fitted!);
  const zoomed = await canvas.getAttribute('viewBox');
  const zoomedOn = await planPointAtCentre(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(async () => (await canvas.boundingBox())?.width).toBe(1280);
  // The resize observed and the plan drawn again, had it been fitted again.
  await planSettled(page);
  // The plan turned back under the zoom (portrait turns it, see plan-turn.ts): the same part of it, as large, stays in view.
  await expect(canvas).toHaveAttribute('data-turn', '0');
  const kept = await planPointAtCentre(page);
  expect(Math.hypot(kept.x - zoomedOn.x, kept.y - zoomedOn.y), 'the same plan point at the centre').toBeLessThan(1);
  expect(kept.area / zoomedOn.area, 'the same zoom').toBeCloseTo(1, 3);

  await page.getByTestId('zoom-reset').click();
  await expect.poll(offPlan, { message: 'every item on screen after Reset zoom' }).toEqual([]);
  await expect(canvas).not.toHaveAttribute('viewBox', zoomed!);
});

// Last: it stops Home Assistant for the rest of the file.
test('a crowded header (a lock, Home Assistant unreachable) stays on one line, its title giving way first', async ({ page }, testInfo) => {
  const hub = await HubClient.connect(server.url);
  try {
    await hub.call('console.pin.set', { newPin: '2468' });
  } finally {
    hub.close();
  }
  await simulator.stop();
  await page.goto(server.url);
  // A panel that connects while a PIN is set may open locked.
  await expect(page.locator('[data-testid="lock-screen"], [data-testid="connection-state"][data-state="connected"]')).toBeVisible();
  if (await page.getByTestId('lock-screen').isVisible()) {
    for (const digit of '2468') await page.getByTestId(`lock-key-${digit}`).click();
    await page.getByTestId('lock-unlock').click();
  }
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('console-lock')).toBeVisible();
  await expect(page.getByTestId('integration-indicator')).not.toHaveAttribute('data-health', 'ok', { timeout: 30_000 });
  for (const size of SIZES.filter((s) => s.width < 1280)) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await expect.poll(async () => (await page.locator('.app-header').boundingBox())?.width).toBe(size.width);
    await screenshot(page, testInfo, `${size.name}-crowded-header`);
    await expectToolbarsClear(page, `${size.name} crowded header`);
    const clock = await clockLines(page);
    expect.soft(clock.lines, 'the clock on one line').toBe(1);
    expect.soft(clock.height, 'the clock one line high').toBeLessThanOrEqual(clock.lineHeight + 0.5);
    const header = await page.locator('.app-header').evaluate((element) => ({ height: element.getBoundingClientRect().height, scrollWidth: element.scrollWidth, width: element.clientWidth }));
    expect.soft(header.scrollWidth, 'nothing beyond the header').toBeLessThanOrEqual(header.width);
    expect.soft(header.height).toBe(64);
  }
});
