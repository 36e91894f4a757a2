import type { Page } from '@playwright/test';
import { expect, test, type LiveHome } from './live-fixtures';
import { HomePanel } from './panel';

/** Where the screenshots of the controls go (a test artefact); none are taken when unset. */
const SCREENSHOTS = process.env.HI_CONTROLS_SCREENSHOTS;

async function shoot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

/** Home Assistant's service calls of one domain and service, as the simulator received them. */
const callsOf = (live: LiveHome, domain: string, service: string) => live.simulator.recentCalls().filter((c) => c.domain === domain && c.service === service);

async function haAttributes(live: LiveHome, entityId: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${live.haUrl}/api/states/${entityId}`, { headers: { Authorization: 'Bearer e2e-token' } });
  return ((await response.json()) as { attributes: Record<string, unknown> }).attributes;
}

test('a light switched with the switch changes in Home Assistant and back on the plan', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  const light = panel.entity('Kitchen Ceiling');
  const before = await live.haState('light.kitchen_ceiling');
  await light.click();
  const toggle = page.getByTestId('detail-panel').getByRole('switch');
  await expect(toggle).toHaveAttribute('aria-checked', before === 'on' ? 'true' : 'false');
  const box = (await toggle.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(48);

  await toggle.click();
  const after = before === 'on' ? 'off' : 'on';
  await expect.poll(() => live.haState('light.kitchen_ceiling'), { timeout: 10_000 }).toBe(after);
  await expect(light).toHaveAttribute('data-state', after === 'on' ? 'active' : 'inactive');
  await expect(toggle).toHaveAttribute('aria-checked', after === 'on' ? 'true' : 'false');
  await expect(page.getByTestId('detail-panel').locator('.pending-mark')).toHaveCount(0);
});

test('a slider dragged by a finger sets the brightness once, on release', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  await panel.entity('Kitchen Ceiling').click();
  const slider = page.getByTestId('detail-panel').locator('[role="slider"][data-testid^="control-dimmer-"]');
  await expect(slider).toBeVisible();
  const box = (await slider.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(48);
  const callsBefore = callsOf(live, 'light', 'turn_on').length;

  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.8, y);
  await page.mouse.down();
  for (let step = 1; step <= 10; step++) await page.mouse.move(box.x + box.width * (0.8 - step * 0.055), y);
  // The value follows the finger while nothing has been sent.
  await expect(slider).toHaveAttribute('aria-valuenow', '25');
  await expect(page.getByTestId('detail-panel').locator('output[data-testid$="-value"]').first()).toHaveText('25%');
  expect(callsOf(live, 'light', 'turn_on').length).toBe(callsBefore);
  await shoot(page, 'controls-slider-dragging');
  await page.mouse.up();

  await expect.poll(() => haAttributes(live, 'light.kitchen_ceiling').then((a) => a.brightness), { timeout: 10_000 }).toBe(64);
  const sent = callsOf(live, 'light', 'turn_on').slice(callsBefore);
  expect(sent.map((c) => c.service_data.brightness_pct)).toEqual([25]);
  await expect(slider).toHaveAttribute('aria-valuenow', '25');
});

test('unlocking asks first; locking does not', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  await panel.entity('Front Door Lock').click();
  const detail = page.getByTestId('detail-panel');
  if ((await live.haState('lock.front_door')) !== 'locked') {
    await detail.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect.poll(() => live.haState('lock.front_door'), { timeout: 10_000 }).toBe('locked');
  }

  await detail.getByRole('button', { name: 'Unlock', exact: true }).click();
  const question = detail.getByRole('alertdialog', { name: 'Unlock Front Door Lock?' });
  await expect(question).toBeVisible();
  await shoot(page, 'controls-unlock-question');
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toBeHidden();
  expect(callsOf(live, 'lock', 'unlock')).toEqual([]);

  await detail.getByRole('button', { name: 'Unlock', exact: true }).click();
  await question.getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(() => live.haState('lock.front_door'), { timeout: 10_000 }).toBe('unlocked');
  await expect(detail.getByRole('button', { name: 'Unlock', exact: true })).toHaveAttribute('aria-pressed', 'true');

  await detail.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(question).toBeHidden();
  await expect.poll(() => live.haState('lock.front_door'), { timeout: 10_000 }).toBe('locked');
});

test('thermostat buttons send one target after the taps; the garage door stops on Stop', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  await panel.entity('Hallway Thermostat').click();
  const detail = page.getByTestId('detail-panel');
  const target = detail.locator('[data-testid^="control-temp-target-"]');
  const start = Number(await haAttributes(live, 'climate.thermostat').then((a) => a.temperature));
  await expect(target).toHaveText(`${start} °C`);
  const up = detail.getByRole('button', { name: /^Raise / });
  for (let tap = 0; tap < 3; tap++) await up.click();
  await expect(target).toHaveText(`${start + 1.5} °C`);
  await expect.poll(() => haAttributes(live, 'climate.thermostat').then((a) => a.temperature), { timeout: 10_000 }).toBe(start + 1.5);
  expect(callsOf(live, 'climate', 'set_temperature').map((c) => c.service_data.temperature)).toEqual([start + 1.5]);
  await shoot(page, 'controls-thermostat');

  await page.getByTestId('detail-close').click();
  await page.locator('[data-entity-id][aria-label^="Garage Door,"]').click();
  await detail.getByRole('button', { name: 'Stop' }).click();
  await expect.poll(() => callsOf(live, 'cover', 'stop_cover').length, { timeout: 10_000 }).toBe(1);
  await expect(detail.locator('[data-testid^="control-error-"]')).toHaveCount(0);
});

test('with Home Assistant gone, a control fails in plain words and the switch goes back', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  await panel.entity('Kitchen Ceiling').click();
  const detail = page.getByTestId('detail-panel');
  const toggle = detail.getByRole('switch');
  const checked = await toggle.getAttribute('aria-checked');
  await live.stopHomeAssistant();

  await toggle.click();
  const error = detail.locator('[data-testid^="control-error-"]');
  await expect(error).toHaveText('Home Assistant is unreachable; the light was not changed.', { timeout: 15_000 });
  await expect(toggle).toHaveAttribute('aria-checked', checked!);
  await expect(detail).not.toContainText(/UND_ERR|ECONN|fetch failed|socket/i);
  await shoot(page, 'controls-unreachable');
});
