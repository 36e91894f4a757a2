import type { Locator } from '@playwright/test';
import { expect, test } from './live-fixtures';
import { HomePanel } from './panel';

// The specs compile without the DOM library: the little of it used in the page is typed here.
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
interface PageGlobals {
  document: { documentElement: unknown };
  getComputedStyle(element: unknown): { getPropertyValue(name: string): string };
}

/** Pixels of the chart's canvas drawn in the theme's accent colour: the average line, or the dot of a lone value. */
function accentPixels(chart: Locator): Promise<number> {
  return chart.evaluate((host) => {
    const page = globalThis as unknown as PageGlobals;
    const canvas = (host as unknown as { querySelector(selector: string): PageCanvas | null }).querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return 0;
    const accent = page.getComputedStyle(page.document.documentElement).getPropertyValue('--accent').trim();
    const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(accent);
    if (!hex) return 0;
    const [r, g, b] = [1, 2, 3].map((i) => parseInt(hex[i]!, 16));
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 200 && Math.abs(data[i]! - r!) < 24 && Math.abs(data[i + 1]! - g!) < 24 && Math.abs(data[i + 2]! - b!) < 24) count += 1;
    }
    return count;
  });
}

test('a sensor with history draws its chart, switches ranges, and shows a timeline of a mode', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  // A mode change upstream, so the mode's timeline has more than its first value.
  await live.setHaState('climate.thermostat', 'cool');
  await panel.entity('Hallway Thermostat').click();
  const section = page.getByTestId('detail-history-chart');
  await expect(section).toBeVisible();
  // The list of recent changes stays beside the chart.
  await expect(page.getByTestId('detail-history')).toBeVisible();

  const chart = section.getByTestId('history-chart');
  await expect(chart).toHaveAttribute('data-kind', 'numeric');
  await expect(chart.locator('canvas')).toHaveCount(1);
  await expect.poll(() => accentPixels(chart)).toBeGreaterThan(10);
  const dayFrom = Number(await chart.getAttribute('data-from'));

  const hour = section.getByTestId('history-range-hour');
  expect((await hour.boundingBox())!.height).toBeGreaterThanOrEqual(48);
  await hour.click();
  await expect(hour).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => Number(await chart.getAttribute('data-from'))).toBeGreaterThan(dayFrom);
  await expect.poll(() => accentPixels(chart)).toBeGreaterThan(10);

  await section.getByTestId('history-range-month').click();
  await expect.poll(async () => Number(await chart.getAttribute('data-from'))).toBeLessThan(dayFrom);

  // The thermostat's mode is a named value: a timeline.
  await section.getByRole('button', { name: 'HVAC mode' }).click();
  await expect(section.getByTestId('history-chart')).toHaveAttribute('data-kind', 'enumerated');

  // One chart per open detail, gone with it.
  await page.getByTestId('detail-close').click();
  await expect(page.locator('.uplot')).toHaveCount(0);
});
