import { expect, test } from './fixtures';
import { HubClient } from './hub-client';
import { HomePanel } from './panel';

interface FirstFrame {
  painted: number;
  elements: number;
  names: number;
  items: string | null;
}

interface PageElement {
  getAttribute(name: string): string | null;
  dataset: Record<string, string | undefined>;
}

/** The page's globals this spec touches (e2e code is typed for Node, without the DOM). */
interface PageGlobals {
  firstFrame: FirstFrame | null;
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): { length: number } };
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: { childList: boolean; subtree: boolean; attributes: boolean; attributeFilter: string[] }): void;
    disconnect(): void;
  };
}

/** Runs in the page before its scripts: what the plan held when its canvas was first painted. */
function recordFirstFrame(): void {
  const page = globalThis as unknown as PageGlobals;
  const { document } = page;
  page.firstFrame = null;
  const observer = new page.MutationObserver(() => {
    const painted = document.querySelector('canvas[data-testid="plan-icons"]')?.dataset.painted;
    if (painted === undefined) return;
    observer.disconnect();
    page.firstFrame = {
      painted: Number(painted),
      elements: document.querySelectorAll('[data-entity-id]').length,
      names: document.querySelectorAll('.plan-label').length,
      items: document.querySelector('[data-testid="plan-canvas"]')?.getAttribute('data-items') ?? null,
    };
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-painted'] });
}

async function starterHome(url: string): Promise<{ icons: number; paths: number }> {
  const hub = await HubClient.connect(url);
  try {
    await hub.call('home.setup', { profile: 'single_story' });
    const { view } = await hub.call('hub.snapshot', { view: 'default' });
    const entities = view?.entities ?? [];
    return { icons: entities.filter((e) => e.placement.kind === 'icon').length, paths: entities.filter((e) => e.placement.kind === 'path').length };
  } finally {
    hub.close();
  }
}

test('the first frame of a view paints every icon; hit targets, then names clear of the room names, follow', async ({ page, server }) => {
  const home = await starterHome(server.url);
  expect(home.icons).toBeGreaterThan(5);
  await page.addInitScript(recordFirstFrame);
  const panel = new HomePanel(page);
  await panel.open(server.url);
  const firstFrame = () => page.evaluate(() => (globalThis as unknown as PageGlobals).firstFrame);
  await expect.poll(firstFrame).not.toBeNull();
  const first = await firstFrame();
  // Every icon on the canvas, and in the SVG only what shows there: areas and lines, no names before the room names are known.
  expect(first).toEqual({ painted: home.icons, elements: home.paths, names: 0, items: 'shown' });

  await panel.planComplete();
  await expect(page.locator('[data-entity-id]')).toHaveCount(home.icons + home.paths);
  await expect(page.locator('.plan-label').first()).toBeVisible();
});

test('names still show when the plan drawing cannot be read', async ({ page, server }) => {
  await starterHome(server.url);
  const drawingRequests: string[] = [];
  await page.route('**/data/locations/**', (route) => {
    drawingRequests.push(route.request().url());
    return route.fulfill({ status: 500, body: 'broken' });
  });
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await expect(page.locator('.plan-label').first()).toBeVisible();
  expect(drawingRequests.length).toBeGreaterThan(0);
});
