import { systemTimezone } from '../src-main/modules/console/home-timezone';
import { expect, test } from './fixtures';
import { Panel } from './panel';

test('the panel boots on an empty data dir', async ({ page, server }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const panel = new Panel(page);
  await panel.open(server.url);
  await expect(page.getByTestId('home-screen')).toContainText('No home on this panel yet');
  await expect(page.getByTestId('header-clock')).toHaveText(/\d{1,2}:\d{2}/);
  await panel.openSettings('system');
  await expect(page.getByTestId('monitor-row')).toHaveCount(7);
  // Home Assistant and ZoneMinder, neither set up yet.
  await expect(page.getByTestId('integration-health-row')).toHaveCount(2);
  for (const row of await page.getByTestId('integration-health-row').all()) await expect(row).toHaveAttribute('data-health', 'disabled');
  await expect(page.getByTestId('runtime-config')).toContainText(server.dataDir);
  expect(errors).toEqual([]);
});

test('a setting changed in the dialog survives a server restart', async ({ page, server }) => {
  const panel = new Panel(page);
  await panel.open(server.url);
  await panel.openSettings();
  await panel.setText('console.timezone', 'Europe/Berlin');
  await expect(page.getByTestId('setting-save-console.timezone')).toBeDisabled();
  await page.getByTestId('setting-input-console.theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await server.stop();
  await server.start();
  await page.reload();
  await panel.openSettings();
  await expect(panel.settingInput('console.timezone')).toHaveValue('Europe/Berlin');
  await expect(panel.settingInput('console.theme')).toHaveValue('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('an invalid value shows a message and keeps the old value', async ({ page, server }) => {
  const panel = new Panel(page);
  await panel.open(server.url);
  await panel.openSettings();
  await panel.settingInput('console.latitude').fill('123');
  await expect(page.getByTestId('setting-error-console.latitude')).toHaveText('Must be at most 90.');
  await expect(page.getByTestId('setting-save-console.latitude')).toBeDisabled();
  await panel.settingInput('console.timezone').fill('Mars/Olympus_Mons');
  await panel.settingInput('console.timezone').press('Enter');
  await expect(page.getByTestId('setting-error-console.timezone')).toContainText('time zone');
  // The draft stays in the field until the user fixes or cancels it.
  await expect(panel.settingInput('console.timezone')).toHaveValue('Mars/Olympus_Mons');

  await page.reload();
  await panel.openSettings();
  await expect(panel.settingInput('console.latitude')).toHaveValue('30.27');
  // The server inherits this process's environment: the home zone defaults to the same machine zone.
  await expect(panel.settingInput('console.timezone')).toHaveValue(systemTimezone());
});

test('an earlier value is restored from the setting history', async ({ page, server }) => {
  const panel = new Panel(page);
  await panel.open(server.url);
  await panel.openSettings();
  await panel.setText('console.latitude', '52.52');
  await expect(page.getByTestId('setting-console.latitude')).toHaveAttribute('data-default', 'false');
  await page.getByTestId('setting-history-console.latitude').click();
  const entries = page.getByTestId('setting-history-list-console.latitude').getByTestId('setting-history-entry');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText('30.27');
  await entries.first().getByRole('button', { name: 'Restore' }).click();
  await expect(panel.settingInput('console.latitude')).toHaveValue('30.27');
  await expect(entries).toHaveCount(2);
  await page.getByTestId('restore-defaults-console').click();
  await expect(page.getByTestId('setting-console.latitude')).toHaveAttribute('data-default', 'true');
});

test('killing the server shows the connection-lost banner; restarting clears it without a reload', async ({ page, server }) => {
  const panel = new Panel(page);
  await panel.open(server.url);
  await page.evaluate(() => ((globalThis as unknown as { loadMarker: string }).loadMarker = 'first-load'));

  await server.kill();
  await expect(page.getByTestId('connection-lost-banner')).toBeVisible({ timeout: 5_000 });
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'disconnected');
  await expect(page.locator('main')).toHaveAttribute('data-stale', 'true');

  await server.start();
  await expect(page.getByTestId('connection-lost-banner')).toBeHidden({ timeout: 15_000 });
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await expect(page.locator('main')).toHaveAttribute('data-stale', 'false');
  expect(await page.evaluate(() => (globalThis as unknown as { loadMarker?: string }).loadMarker)).toBe('first-load');

  // After the resync the panel is live again: a change from another panel arrives as a pushed delta.
  const other = await page.context().newPage();
  const otherPanel = new Panel(other);
  await otherPanel.open(server.url);
  await otherPanel.openSettings();
  await otherPanel.setText('console.timezone', 'Asia/Tokyo');
  await panel.openSettings();
  await expect(panel.settingInput('console.timezone')).toHaveValue('Asia/Tokyo');
});
