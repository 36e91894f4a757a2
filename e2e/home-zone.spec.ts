import { expect, test } from './fixtures';
import { HubClient } from './hub-client';
import { Panel } from './panel';

const HOME_ZONE = 'Asia/Tokyo';
// Sixteen or seventeen hours from the home zone: a time shown in the browser's zone cannot pass for the home's.
test.use({ timezoneId: 'America/Los_Angeles', locale: 'en-US' });

function timeIn(zone: string, epochMs: number, withSeconds: boolean): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}) }).format(epochMs);
}

test('the header clock and the System tab show times in the home zone, not in the browser zone', async ({ page, server }) => {
  const panel = new Panel(page);
  await panel.open(server.url);
  await panel.openSettings();
  await panel.setText('console.timezone', HOME_ZONE);
  await expect(page.getByTestId('setting-save-console.timezone')).toBeDisabled();

  const clock = page.getByTestId('header-clock');
  await expect
    .poll(async () => {
      const shown = await clock.textContent();
      const now = Date.now();
      return [now, now - 60_000].some((t) => timeIn(HOME_ZONE, t, false) === shown);
    })
    .toBe(true);
  expect(await clock.textContent()).not.toBe(timeIn('America/Los_Angeles', Date.now(), false));

  await panel.openSettings('system');
  const hub = await HubClient.connect(server.url);
  try {
    await expect
      .poll(async () => {
        const { monitors } = await hub.call('hub.snapshot', {});
        const beaten = monitors.filter((m) => m.lastHeartbeat !== null);
        if (beaten.length === 0) return 'no heartbeat yet';
        const cells = await Promise.all(beaten.map((m) => page.locator(`[data-testid="monitor-row"][data-monitor="${m.name}"] td`).nth(3).textContent()));
        return beaten.every((m, i) => cells[i] === timeIn(HOME_ZONE, m.lastHeartbeat!, true)) ? 'home zone' : `shown ${cells.join(', ')}`;
      })
      .toBe('home zone');
  } finally {
    hub.close();
  }
});
