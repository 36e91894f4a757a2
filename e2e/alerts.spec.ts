import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HubClient } from './hub-client';
import { SmtpTestServer } from '../src-main/modules/notify/__tests__/smtp-test-server';
import { EMAIL_LINK_BASE, expect, test } from './live-fixtures';
import { HomePanel, Panel } from './panel';
import { PanelServerProcess } from './panel-server-process';

const HALLWAY_MOTION = 'binary_sensor.hallway_motion';
const PORCH_LIGHT = 'light.porch';

async function withHub<T>(url: string, work: (hub: HubClient) => Promise<T>): Promise<T> {
  const hub = await HubClient.connect(url);
  try {
    return await work(hub);
  } finally {
    hub.close();
  }
}

test('in Away, motion raises a critical banner with its sound and the item ringed, mails a link to it, and acknowledging clears it on every panel', async ({ browser, page, live }) => {
  const smtp = await SmtpTestServer.start();
  await withHub(live.server.url, async (hub) => {
    const notify = (key: string, value: string | number | boolean) => hub.call('settings.update', { subsystem: 'notify', key, value });
    await notify('smtp_host', '127.0.0.1');
    await notify('smtp_port', smtp.port);
    await notify('smtp_security', 'none');
    await notify('from_address', 'hub@example.com');
    await notify('recipients', 'owner@example.com');
    await notify('batch_window_seconds', 10);
    await notify('enabled', true);
    await hub.call('settings.update', { subsystem: 'security', key: 'away_delay_seconds', value: 0 });
    await hub.call('security.set', { state: 'away' });
  });
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  const other = await browser.newPage();
  await new HomePanel(other).open(live.server.url);
  await expect(page.getByTestId('security-mode')).toHaveAttribute('data-state', 'away');

  await live.setHaState(HALLWAY_MOTION, 'on');
  for (const p of [page, other]) {
    const banner = p.locator('[data-testid^="alert-banner-"]');
    await expect(banner).toHaveAttribute('data-level', 'critical');
    await expect(banner).toContainText('Motion: Hallway Motion');
  }
  await expect(panel.entity('Hallway Motion')).toHaveAttribute('data-alerting', 'true');
  await expect(page.getByTestId('alert-sound')).not.toHaveAttribute('data-plays-critical', '0');

  // One mail for the batch, with a link that opens this alert on the panel.
  const [mail] = await smtp.waitForMail(1, 20_000);
  await smtp.close();
  expect(mail!.to).toEqual(['owner@example.com']);
  expect(mail!.parsed.text).toContain('Motion: Hallway Motion');
  const link = new RegExp(`${EMAIL_LINK_BASE.replace(/[.]/g, '\\.')}(/#/alert/\\d+)`).exec(mail!.parsed.text ?? '');
  expect(link, mail!.parsed.text).not.toBeNull();
  const linked = await browser.newPage();
  await linked.goto(`${live.server.url}${link![1]}`);
  await expect(linked.getByTestId('alert-details')).toContainText('Motion: Hallway Motion');
  await linked.close();

  await page.locator('[data-testid^="alert-ack-"]').first().click();
  for (const p of [page, other]) await expect(p.getByTestId('alert-banners')).toBeHidden();
  await expect(panel.entity('Hallway Motion')).not.toHaveAttribute('data-alerting', 'true');
  await other.close();
});

test('Home Assistant going away raises a connection alert that clears when it is back', async ({ page, live }) => {
  await withHub(live.server.url, (hub) => hub.call('settings.update', { subsystem: 'alerts', key: 'health_alarm_delay_seconds', value: 0 }));
  await new Panel(page).open(live.server.url);
  await live.stopHomeAssistant();
  const banner = page.locator('[data-source="health_status"]');
  await expect(banner).toContainText('Home Assistant is unreachable', { timeout: 15_000 });
  await live.startHomeAssistant();
  await expect(banner).toBeHidden({ timeout: 30_000 });
});

test('a rule made in the Triggers tab fires and sets a light in Home Assistant', async ({ page, live }) => {
  await live.setHaState(PORCH_LIGHT, 'off');
  const panel = new Panel(page);
  await panel.open(live.server.url);
  await panel.openSettings('triggers');
  await expect(page.getByTestId('triggers')).toContainText('Motion: Hallway Motion');
  await page.getByTestId('rule-new').click();
  await page.getByTestId('rule-name').fill('Hallway motion lights the porch');
  await page.getByTestId('rule-type').selectOption('automation');
  await page.getByTestId('rule-clause-state-0').selectOption({ label: 'Hallway Motion · Movement' });
  await page.getByTestId('rule-clause-value-0').selectOption('active');
  await page.getByTestId('rule-add-control').click();
  await page.getByTestId('rule-control-state-0').selectOption({ label: 'Porch Light · On / off' });
  await page.getByTestId('rule-control-value-0').selectOption('on');
  await page.getByTestId('rule-save').click();
  await expect(page.getByTestId('triggers')).toContainText('Hallway motion lights the porch');

  await live.setHaState(HALLWAY_MOTION, 'on');
  await expect.poll(() => live.haState(PORCH_LIGHT), { timeout: 10_000 }).toBe('on');
  const card = page.locator('[data-testid^="rule-"]', { hasText: 'Hallway motion lights the porch' }).first();
  await card.getByRole('button', { name: 'Firings' }).click();
  await expect(card.locator('.rule-firings')).toContainText('set Porch Light On / off to on');
});

test('at the night-start time the header switches to Night by itself', async ({ page }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-e2e-night-'));
  // Three seconds before 22:00 in the home's default zone (the server's machine zone), where Night starts by default.
  const server = new PanelServerProcess(dataDir, { HI_CLOCK_START: '2026-12-01T21:59:57-06:00', TZ: 'America/Chicago' });
  await server.start(0);
  try {
    await new Panel(page).open(server.url);
    const mode = page.getByTestId('security-mode');
    await expect(mode).toHaveAttribute('data-state', 'day');
    await expect(mode).toHaveAttribute('data-state', 'night', { timeout: 15_000 });
    await expect(mode).toHaveText(/Night/);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
