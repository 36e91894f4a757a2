import { expect, test } from './live-fixtures';
import { HubClient } from './hub-client';
import { HomePanel, sameColour } from './panel';

/** The hub marks states stale only after the upstream stays away for its grace period (STALE_GRACE_MS, 10 s). */
const STALE_WITHIN_MS = 25_000;

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
    // The canvas paints the disc in that state's colour where the item is.
    const colour = await panel.themeColour(`--state-${expected}`);
    await expect.poll(async () => sameColour(await panel.iconPixel(panel.entity(name), { dx: 0.85, dy: 0 }), colour), `${name}'s disc is ${expected}`).toBe(true);
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
  await live.setHaState(LIGHTS['Porch Light'], porchNext);
  const porchToken = porchNext === 'on' ? 'active' : 'inactive';
  await expect(porch).toHaveAttribute('data-state', porchToken);
  const porchColour = await panel.themeColour(`--state-${porchToken}`);
  await expect.poll(async () => sameColour(await panel.iconPixel(porch, { dx: 0.85, dy: 0 }), porchColour)).toBe(true);
});

test('a thermostat offers only the modes its device has, and a chosen mode reaches Home Assistant', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  await panel.entity('Hallway Thermostat').click();
  const mode = page.getByTestId('detail-panel').locator('[role="group"][data-testid^="control-hvac-"]');
  await expect(mode.locator('button:not([disabled])')).toHaveCount(4);
  expect(await mode.locator('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-value')))).toEqual(['off', 'heat', 'cool', 'heat_cool']);
  await mode.locator('button[data-value="cool"]').click();
  await expect.poll(() => live.haState('climate.thermostat'), { timeout: 10_000 }).toBe('cool');
  await expect(mode.locator('button[data-value="cool"]')).toHaveAttribute('aria-pressed', 'true');
});

test('stopping Home Assistant marks states stale and shows the indicator; restarting clears both without a reload', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  const light = panel.entity('Living Room Ceiling');
  await expect(light).not.toHaveAttribute('data-stale', 'true');
  await page.evaluate(() => ((globalThis as unknown as { loadMarker: string }).loadMarker = 'first-load'));

  await live.stopHomeAssistant();
  // Shown once the drop outlasts the grace period, like the stale mark.
  await expect(page.getByTestId('integration-indicator')).toHaveAttribute('data-health', 'unreachable', { timeout: STALE_WITHIN_MS });
  await expect(light).toHaveAttribute('data-stale', 'true', { timeout: STALE_WITHIN_MS });
  await panel.openSettings('system');
  await expect(page.locator('[data-testid="integration-health-row"][data-integration="home_assistant"]')).toHaveAttribute('data-health', 'unreachable');
  await page.getByTestId('close-settings').click();

  await live.startHomeAssistant();
  await expect(page.getByTestId('integration-indicator')).toHaveAttribute('data-health', 'ok', { timeout: 90_000 });
  await expect(light).not.toHaveAttribute('data-stale', 'true');
  expect(await page.evaluate(() => (globalThis as unknown as { loadMarker?: string }).loadMarker)).toBe('first-load');
});

test('an open collection shows its members change live, and marks them stale when Home Assistant goes away', async ({ page, live }) => {
  const hub = await HubClient.connect(live.server.url);
  try {
    const [location] = await hub.call('location.list', {});
    const view = await hub.call('location.view.get', { locationViewId: location!.views[0]!.id });
    const lightIds = view.entities.filter((e) => Object.hasOwn(LIGHTS, e.name)).map((e) => e.id);
    expect(lightIds).toHaveLength(Object.keys(LIGHTS).length);
    await hub.call('edit.begin', {});
    const collection = await hub.call('collection.create', { name: 'All lights', type: 'other', viewType: 'list', locationViewId: view.view.id });
    await hub.call('collection.members.set', { collectionId: collection.id, entityIds: lightIds });
    await hub.call('collection.place', { collectionId: collection.id, locationId: location!.id, placement: { kind: 'icon', x: 1150, y: 760, scale: 0.8, rotate: 0 } });
    await hub.call('edit.end', {});
  } finally {
    hub.close();
  }

  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  await page.locator('[data-collection-id]').click();
  const porchId = await panel.entity('Porch Light').getAttribute('data-entity-id');
  const porchState = page.getByTestId(`collection-member-${porchId}`).locator('.member-state');
  const porchNext = (await live.haState(LIGHTS['Porch Light'])) === 'on' ? 'off' : 'on';
  await live.setHaState(LIGHTS['Porch Light'], porchNext);
  await expect(porchState).toHaveAttribute('data-state', porchNext === 'on' ? 'active' : 'inactive');
  await expect(porchState).not.toHaveAttribute('data-stale', 'true');

  await live.stopHomeAssistant();
  await expect(porchState).toHaveAttribute('data-stale', 'true', { timeout: STALE_WITHIN_MS });
});

test('a token refused and then accepted again: the panel recovers by itself, without the token typed again', async ({ page, live }) => {
  // The hub waits a minute before it tries a refused token again (see the client's refusedTokenRetryMaxMs).
  test.setTimeout(150_000);
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  const light = panel.entity('Living Room Ceiling');
  await expect(page.getByTestId('integration-indicator')).toHaveAttribute('data-health', 'ok');

  live.simulator.setFault({ kind: 'auth_failure' });
  live.simulator.setFault({ kind: 'drop_sockets' });
  await expect(page.getByTestId('integration-indicator')).toHaveAttribute('data-health', 'auth_failed', { timeout: STALE_WITHIN_MS });
  await expect(page.getByTestId('integration-indicator')).toContainText('Sign-in failed');
  await expect(light).toHaveAttribute('data-stale', 'true', { timeout: STALE_WITHIN_MS });

  live.simulator.setFault(null);
  await expect(page.getByTestId('integration-indicator')).toHaveAttribute('data-health', 'ok', { timeout: 100_000 });
  await expect(light).not.toHaveAttribute('data-stale', 'true');
});
