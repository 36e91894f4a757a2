import { expect, test } from './live-fixtures';
import { HomePanel } from './panel';

const LIGHTS = {
  'Living Room Ceiling': 'light.living_room_ceiling',
  'Kitchen Ceiling': 'light.kitchen_ceiling',
  'Bedroom Ceiling': 'light.bedroom_ceiling',
  'Office Desk Lamp': 'light.office_desk',
  'Porch Light': 'light.porch',
} as const;

test('lights on the plan match the simulator', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  for (const [name, entityId] of Object.entries(LIGHTS)) {
    const expected = (await live.haState(entityId)) === 'on' ? 'active' : 'inactive';
    await expect(panel.entity(name)).toHaveAttribute('data-state', expected);
  }
  await expect(page.getByTestId('integration-indicator')).toHaveAttribute('data-health', 'ok');
});

test('tapping a light toggles it in the simulator, and a change in the simulator shows on the panel', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  const light = panel.entity('Kitchen Ceiling');
  const before = await live.haState(LIGHTS['Kitchen Ceiling']);
  await light.click();
  const toggle = page.getByTestId('detail-panel').locator('[data-testid^="control-toggle-"]');
  await expect(toggle).toBeVisible();
  await toggle.click();
  const after = before === 'on' ? 'off' : 'on';
  await expect.poll(() => live.haState(LIGHTS['Kitchen Ceiling']), { timeout: 10_000 }).toBe(after);
  await expect(light).toHaveAttribute('data-state', after === 'on' ? 'active' : 'inactive');

  const porch = panel.entity('Porch Light');
  const porchNow = await live.haState(LIGHTS['Porch Light']);
  const porchNext = porchNow === 'on' ? 'off' : 'on';
  const changed = await fetch(`${live.haUrl}/sim/states/${LIGHTS['Porch Light']}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ state: porchNext }),
  });
  expect(changed.ok).toBe(true);
  await expect(porch).toHaveAttribute('data-state', porchNext === 'on' ? 'active' : 'inactive');
});

test('stopping Home Assistant marks states stale and shows the indicator; restarting clears both without a reload', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  const light = panel.entity('Living Room Ceiling');
  await expect(light).not.toHaveAttribute('data-stale', 'true');
  await page.evaluate(() => ((globalThis as unknown as { loadMarker: string }).loadMarker = 'first-load'));

  await live.stopHomeAssistant();
  await expect(page.getByTestId('integration-indicator')).toHaveAttribute('data-health', 'unreachable', { timeout: 10_000 });
  await expect(light).toHaveAttribute('data-stale', 'true', { timeout: 10_000 });
  await panel.openSettings('system');
  await expect(page.locator('[data-testid="integration-health-row"][data-integration="home_assistant"]')).toHaveAttribute('data-health', 'unreachable');
  await page.getByTestId('close-settings').click();

  await live.startHomeAssistant();
  await expect(page.getByTestId('integration-indicator')).toHaveAttribute('data-health', 'ok', { timeout: 90_000 });
  await expect(light).not.toHaveAttribute('data-stale', 'true');
  expect(await page.evaluate(() => (globalThis as unknown as { loadMarker?: string }).loadMarker)).toBe('first-load');
});
