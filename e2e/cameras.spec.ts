import type { Locator } from '@playwright/test';
import { expect, HA_TOKEN, test, type LiveHome } from './live-fixtures';
import { HubClient } from './hub-client';
import { HomePanel } from './panel';

const CAMERA_NAME = 'Front Door Camera';

/** Imports the simulator's camera too and puts it on the plan, beside what the live fixture placed. */
async function placeCamera(live: LiveHome): Promise<void> {
  const hub = await HubClient.connect(live.server.url);
  try {
    await hub.call('integration.configure', { key: 'home_assistant', importDomains: ['light', 'switch', 'binary_sensor', 'lock', 'cover', 'climate', 'camera'] });
    const report = await hub.call('integration.sync', { key: 'home_assistant' });
    const [location] = await hub.call('location.list', {});
    const viewId = location!.views[0]!.id;
    await hub.call('edit.begin', {});
    for (const item of report.unplaced) {
      await hub.call('entity.view.set', { entityId: item.entityId, locationViewId: viewId, inView: true });
      await hub.call('entity.place', { entityId: item.entityId, locationId: location!.id, placement: { kind: 'icon', x: 900, y: 600, scale: 1, rotate: 0 } });
    }
    await hub.call('edit.end', {});
  } finally {
    hub.close();
  }
}

const frameCount = async (canvas: Locator) => Number(await canvas.getAttribute('data-frames'));

test('a camera on the plan shows its live picture through the hub, recovers from a drop, and is in the cameras view', async ({ page, live }) => {
  // Every camera stream drops after 8 frames, as a camera falling off the network does.
  live.simulator.setCameraStreamBehaviour({ fps: 10, dropAfterFrames: 8 });
  await placeCamera(live);
  const seen: string[] = [];
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('response', async (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (type.startsWith('text/') || type.startsWith('application/json')) seen.push(await response.text().catch(() => ''));
  });
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => seen.push(String(frame.payload))));

  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  await panel.entity(CAMERA_NAME).click();
  const canvas = page.getByTestId('detail-camera').getByTestId('camera-canvas');
  await expect.poll(() => frameCount(canvas), { timeout: 10_000 }).toBeGreaterThan(3);

  // More frames than one connection carries: the panel opened the stream again by itself after each drop.
  await expect.poll(() => frameCount(canvas), { timeout: 20_000 }).toBeGreaterThan(20);
  expect(live.simulator.cameraStreams().served).toBeGreaterThanOrEqual(3);

  await page.getByTestId('open-cameras').click();
  const tile = page.getByTestId('camera-tile').filter({ hasText: CAMERA_NAME });
  await expect(tile).toBeVisible();
  const tileCanvas = tile.getByTestId('camera-canvas');
  await expect.poll(() => frameCount(tileCanvas), { timeout: 10_000 }).toBeGreaterThan(2);
  await page.screenshot({ path: `${test.info().outputDir}/cameras-view.png` });

  // The page only ever asks the hub; the integration's address is a setting it may show, its camera URLs are not.
  const hub = new URL(live.server.url).origin;
  for (const url of requested) {
    expect(new URL(url).origin, url).toBe(hub);
    expect(url).not.toContain(HA_TOKEN);
    expect(url).not.toContain('camera_proxy');
  }
  for (const text of seen) {
    expect(text).not.toContain(HA_TOKEN);
    expect(text).not.toContain('camera_proxy');
  }
  expect(requested.some((url) => /\/stream\/\d+/.test(url))).toBe(true);
});
