import type { Page } from '@playwright/test';
import { HaSimulator } from '../src-main/simulator/ha-simulator';
import { expect, test } from './fixtures';
import { HubClient } from './hub-client';
import { HomePanel } from './panel';

const HA_TOKEN = 'e2e-token';
const IMPORTED_DOMAINS = ['light', 'switch', 'binary_sensor', 'sensor', 'lock', 'cover', 'climate', 'fan', 'media_player', 'camera'];

interface Disc {
  name: string;
  x: number;
  y: number;
  r: number;
}

/** Every icon's disc on screen, by its item's name, as drawn. */
async function discs(page: Page): Promise<Disc[]> {
  return page.locator('[data-entity-id]').evaluateAll((items) =>
    items.flatMap((item) => {
      const disc = item.querySelector('.icon-hit');
      if (!disc) return [];
      const box = disc.getBoundingClientRect();
      const name = item.querySelector('text, title')?.textContent ?? item.getAttribute('data-entity-id') ?? '';
      return [{ name, x: box.left + box.width / 2, y: box.top + box.height / 2, r: box.width / 2 }];
    }),
  );
}

/** No two discs overlap (half a pixel of rounding allowed), and each lies inside `plan`. */
function expectApartAndInside(all: readonly Disc[], plan: { x: number; y: number; width: number; height: number }): void {
  for (const [i, a] of all.entries()) {
    expect(a.x - a.r >= plan.x - 0.5 && a.x + a.r <= plan.x + plan.width + 0.5, `${a.name} inside the plan across`).toBe(true);
    expect(a.y - a.r >= plan.y - 0.5 && a.y + a.r <= plan.y + plan.height + 0.5, `${a.name} inside the plan down`).toBe(true);
    for (const b of all.slice(i + 1)) {
      expect(Math.hypot(a.x - b.x, a.y - b.y), `${a.name} and ${b.name} apart`).toBeGreaterThanOrEqual(a.r + b.r - 0.5);
    }
  }
}

test('"Place all" after an import lays the items out apart from each other and from what was there, inside the plan', async ({ page, server }) => {
  const simulator = new HaSimulator({ profile: 'small_house', token: HA_TOKEN, port: 0 });
  const { url: haUrl } = await simulator.start();
  try {
    const hub = await HubClient.connect(server.url);
    try {
      await hub.call('home.setup', { profile: 'single_story' });
      await hub.call('integration.configure', { key: 'home_assistant', fields: { url: haUrl, token: HA_TOKEN }, importDomains: IMPORTED_DOMAINS });
      await hub.call('integration.enable', { key: 'home_assistant' });
    } finally {
      hub.close();
    }
    const panel = new HomePanel(page);
    await panel.open(server.url);
    await panel.planComplete();
    const starters = await page.locator('[data-entity-id]').count();
    await panel.openSettings('integrations');
    await page.getByTestId('integration-sync-home_assistant').click();
    const step = page.getByTestId('integration-place-home_assistant');
    await expect(step).toBeVisible({ timeout: 20_000 });
    const imported = Number(/(\d+) imported/.exec((await step.textContent()) ?? '')?.[1]);
    expect(imported).toBeGreaterThan(20);

    await page.getByTestId('integration-place-all-home_assistant').click();
    // Every item found a spot: the step goes away and no error is shown.
    await expect(step).toBeHidden({ timeout: 20_000 });
    await page.getByTestId('close-settings').click();
    await expect(page.locator('[data-entity-id]')).toHaveCount(starters + imported);
    await expect(page.getByTestId('edit-toolbar')).toBeHidden();

    const plan = await page.locator('.plan-background').boundingBox();
    expect(plan).not.toBeNull();
    const all = await discs(page);
    expect(all.length).toBe(starters + imported);
    expectApartAndInside(all, plan!);
  } finally {
    await simulator.stop();
  }
});

test('items added in edit mode land apart, near the middle of what is on screen', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('empty');
  await panel.startEditing();
  for (const name of ['Lamp one', 'Lamp two', 'Lamp three', 'Lamp four']) {
    await page.getByTestId('edit-add').click();
    await page.getByTestId('type-option-light').click();
    await page.getByTestId('new-entity-name').fill(name);
    await page.getByTestId('type-picker-confirm').click();
    await expect(panel.entity(name)).toBeVisible();
  }
  await panel.stopEditing();
  const canvas = (await page.getByTestId('plan-canvas').boundingBox())!;
  const all = await discs(page);
  expect(all).toHaveLength(4);
  expectApartAndInside(all, canvas);
  // The first at the very middle, the others beside it.
  const middle = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
  for (const disc of all) expect(Math.hypot(disc.x - middle.x, disc.y - middle.y), disc.name).toBeLessThan(canvas.width / 4);
});
