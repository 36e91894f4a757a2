import type { Page } from '@playwright/test';
import { test as baseTest } from './fixtures';
import { HubClient } from './hub-client';
import { expect, test as liveTest } from './live-fixtures';
import { HomePanel, Panel } from './panel';

const PIN = '2468';
const SCREENSHOTS = process.env.HI_CONSOLE_SCREENSHOTS;

async function shoot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  for (const [width, height] of [
    [1280, 800],
    [800, 1280],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}x${height}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function setPinInSettings(panel: Panel): Promise<void> {
  const { page } = panel;
  await panel.openSettings('system');
  await page.getByTestId('pin-new').fill(PIN);
  await page.getByTestId('pin-confirm').fill(PIN);
  await page.getByTestId('pin-save').click();
  await expect(page.getByTestId('pin-message')).toHaveText('The PIN was saved.');
  await page.getByTestId('pin-settings').scrollIntoViewIfNeeded();
  await shoot(page, 'pin-settings');
  await page.getByTestId('close-settings').click();
}

baseTest('lock the console: a wrong PIN is refused, the right one unlocks, and the hub refuses the locked panel', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('single_story');
  await expect(page.getByTestId('console-lock')).toHaveCount(0);
  await setPinInSettings(panel);

  await page.getByTestId('console-lock').click();
  const lock = page.getByTestId('lock-screen');
  await expect(lock).toBeVisible();
  await expect(page.getByTestId('lock-clock')).toBeVisible();
  await expect(page.getByTestId('lock-security-mode')).toBeVisible();
  // Nothing behind it is there to reach: not the header, the plan or the settings.
  await expect(page.getByTestId('open-settings')).toHaveCount(0);
  await expect(page.getByTestId('plan-canvas')).toHaveCount(0);
  for (let i = 0; i < 20; i += 1) await page.keyboard.press('Tab');
  const focusStaysOnLockScreen = await lock.evaluate((screen) => {
    const active = screen.ownerDocument.activeElement;
    return active === screen.ownerDocument.body || screen.contains(active) || !!active?.closest('[data-testid="alert-banners"]');
  });
  expect(focusStaysOnLockScreen).toBe(true);
  await shoot(page, 'lock-screen');

  // The hub holds the lock, not only the screen: a panel that connects now opens locked and is refused.
  const other = await HubClient.connect(server.url);
  try {
    expect((await other.call('hub.snapshot', {})).console).toMatchObject({ locked: true, pinSet: true });
    await expect(other.call('location.list', {})).rejects.toThrow('This panel is locked: unlock it with the PIN first.');
  } finally {
    other.close();
  }

  for (const digit of '1357') await page.getByTestId(`lock-key-${digit}`).click();
  await page.getByTestId('lock-unlock').click();
  await expect(page.getByTestId('lock-error')).toHaveText('Wrong PIN.');
  await expect(lock).toBeVisible();
  await shoot(page, 'lock-screen-wrong-pin');

  await page.getByTestId('lock-pin').fill(PIN);
  await page.getByTestId('lock-pin').press('Enter');
  await expect(lock).toBeHidden();
  await expect(page.getByTestId('plan-canvas')).toBeVisible();
  await expect(page.getByTestId('open-settings')).toBeVisible();
  await shoot(page, 'unlocked');
});

liveTest('the panel sleeps after idle, holds status changes under the overlay, and the waking touch does not reach the light under it', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  const kitchen = panel.entity('Kitchen Ceiling');
  await kitchen.click();
  const toggle = page.getByTestId('detail-panel').locator('[data-testid^="control-toggle-"]');
  await expect(toggle).toBeVisible();
  const kitchenBefore = await live.haState('light.kitchen_ceiling');
  const porch = panel.entity('Porch Light');
  const porchBefore = await porch.getAttribute('data-state');

  const hub = await HubClient.connect(live.server.url);
  try {
    await hub.call('settings.update', { subsystem: 'console', key: 'sleep_after_idle_seconds', value: 2 });
  } finally {
    hub.close();
  }
  const overlay = page.getByTestId('sleep-overlay');
  await expect(overlay).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('app-shell')).toHaveAttribute('data-asleep', 'true');
  await shoot(page, 'sleep-overlay');

  // Under the overlay nothing is redrawn: count DOM mutations in the plan while a light changes upstream.
  await page.locator('.app-main').evaluate((main) => {
    type Observer = { observe(target: unknown, options: object): void };
    const counter = globalThis as unknown as { mutations: number; observer: Observer; MutationObserver: new (callback: (records: unknown[]) => void) => Observer };
    counter.mutations = 0;
    counter.observer = new counter.MutationObserver((records) => (counter.mutations += records.length));
    counter.observer.observe(main, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const porchNext = porchBefore === 'active' ? 'off' : 'on';
  await live.setHaState('light.porch', porchNext);
  // The hub has the new value (so the panel was sent it) before we look.
  const hubAfter = await HubClient.connect(live.server.url);
  try {
    const [location] = await hubAfter.call('location.list', {});
    await expect
      .poll(async () => {
        const view = await hubAfter.call('location.view.get', { locationViewId: location!.views[0]!.id });
        return view.entities.find((e) => e.name === 'Porch Light')?.states[0]?.value;
      })
      .toBe(porchNext);
  } finally {
    hubAfter.close();
  }
  expect(await page.evaluate(() => (globalThis as unknown as { mutations: number }).mutations)).toBe(0);
  await expect(porch).toHaveAttribute('data-state', porchBefore!);

  // The waking touch lands on the overlay, right over the light's toggle, and goes no further.
  const { x, y } = await panel.centreOf(toggle);
  await page.touchscreen.tap(x, y);
  await expect(page.getByTestId('app-shell')).toHaveAttribute('data-asleep', 'false');
  // Awake: what changed while asleep is drawn at once.
  await expect(porch).toHaveAttribute('data-state', porchNext === 'on' ? 'active' : 'inactive');
  // A tap that reached the switch would have flipped it and marked it pending at once, before any answer.
  await expect(toggle).toBeChecked({ checked: kitchenBefore === 'on' });
  await expect(toggle).not.toHaveAttribute('data-pending', 'true');
  expect(await live.haState('light.kitchen_ceiling')).toBe(kitchenBefore);
});

liveTest('a new alarm about an item shows the view with it, ringed, for the auto-view time, then the panel goes back', async ({ page, live }) => {
  const hub = await HubClient.connect(live.server.url);
  let everything: number;
  let lightsOnly: number;
  try {
    const [home] = await hub.call('location.list', {});
    everything = home!.views[0]!.id;
    await hub.call('edit.begin', {});
    lightsOnly = (await hub.call('location.view.create', { locationId: home!.id, name: 'Lights only', type: 'automation' })).id;
    await hub.call('edit.end', {});
    await hub.call('settings.update', { subsystem: 'console', key: 'auto_view_seconds', value: 2 });
    await hub.call('settings.update', { subsystem: 'security', key: 'away_delay_seconds', value: 0 });
    await hub.call('security.set', { state: 'away' });
  } finally {
    hub.close();
  }
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  // Nobody touches the panel from here on: the view is chosen by address.
  await page.goto(`${live.server.url}/#/view/${lightsOnly}`);
  await expect(page.getByTestId('plan-canvas')).toBeVisible();
  await expect(panel.entity('Hallway Motion')).toHaveCount(0);

  await live.setHaState('binary_sensor.hallway_motion', 'on');
  await expect(page).toHaveURL(new RegExp(`#/view/${everything}$`));
  await expect(panel.entity('Hallway Motion')).toHaveAttribute('data-alerting', 'true');
  await shoot(page, 'auto-view');
  await expect(page).toHaveURL(new RegExp(`#/view/${lightsOnly}$`));
  await expect(panel.entity('Hallway Motion')).toHaveCount(0);
});
