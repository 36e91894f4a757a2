import { HubClient } from './hub-client';
import { expect as baseExpect, test as baseTest } from './fixtures';
import { HA_TOKEN, expect, test } from './live-fixtures';
import { HomePanel, sameColour } from './panel';

/** The hub marks states stale only after the upstream stays away for its grace period (STALE_GRACE_MS, 10 s). */
const STALE_WITHIN_MS = 25_000;
// The specs compile without the DOM library: the little of it used in the page is typed here.
interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}
interface PageElement {
  className: string;
  innerHTML: string;
  textContent: string | null;
  getBoundingClientRect(): Rect;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  appendChild(child: PageElement): void;
  remove(): void;
}
interface PageGlobals {
  document: { body: PageElement; createElement(tag: string): PageElement; querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> };
}

const SENSORS = ['Living Room Temperature', 'Living Room Humidity', 'House Power', 'Front Door Lock Battery'];

test('sensor values show on the plan, follow the simulator, and are marked stale when it stops', async ({ page, live }) => {
  // The live home imports devices only; add Home Assistant's sensors and place them in a row.
  const hub = await HubClient.connect(live.server.url);
  try {
    const [location] = await hub.call('location.list', {});
    await hub.call('integration.configure', {
      key: 'home_assistant',
      fields: { url: live.haUrl, token: HA_TOKEN },
      importDomains: ['light', 'switch', 'binary_sensor', 'lock', 'cover', 'climate', 'sensor'],
    });
    const report = await hub.call('integration.sync', { key: 'home_assistant' });
    const sensors = report.unplaced.filter((item) => SENSORS.includes(item.name));
    expect(sensors.map((item) => item.name).sort()).toEqual([...SENSORS].sort());
    await hub.call('edit.begin', {});
    for (const [index, item] of sensors.entries()) {
      await hub.call('entity.view.set', { entityId: item.entityId, locationViewId: location!.views[0]!.id, inView: true });
      await hub.call('entity.place', { entityId: item.entityId, locationId: location!.id, placement: { kind: 'icon', x: 150 + index * 260, y: 700, scale: 1, rotate: 0 } });
    }
    await hub.call('edit.end', {});
  } finally {
    hub.close();
  }

  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  const temperature = panel.entity('Living Room Temperature');
  await expect(temperature).toBeAttached();
  const value = (await panel.shownValue(temperature)).getByTestId('plan-value');
  await expect(value).toHaveText(`${await live.haState('sensor.living_room_temperature')}°`);
  const humidity = panel.entity('Living Room Humidity');
  await expect((await panel.shownValue(humidity)).getByTestId('plan-value')).toHaveText('44%');
  await expect((await panel.shownValue(panel.entity('House Power'))).getByTestId('plan-value')).toHaveText('742.5 W');
  const battery = panel.entity('Front Door Lock Battery');
  await expect((await panel.shownValue(battery)).getByTestId('plan-value')).toHaveText('87%');
  // A battery sensor comes in as OTHER: drawn as a battery, not a question mark.
  await expect(battery).toHaveAttribute('data-glyph', 'battery_storage');

  // Readable at three metres on a 1280×800 panel: the disc at least 48 px, the value at least 16 px.
  const disc = await temperature.locator('.icon-hit').boundingBox();
  expect(disc!.width).toBeGreaterThanOrEqual(47.5);
  const fontPx = await value.evaluate((text) => (text as unknown as PageElement).getBoundingClientRect().height);
  expect(fontPx).toBeGreaterThanOrEqual(16);

  await live.setHaState('sensor.living_room_temperature', '23.7');
  await expect(value).toHaveText('23.7°');

  // A neighbour's disc never hides a value: the humidity sensor moves onto the end of the temperature's pill, and the
  // pill still shows there, above the disc.
  const pill = (await panel.shownValue(temperature)).locator('.value-badge');
  const pillEnd = async () => {
    const box = (await pill.boundingBox())!;
    return { x: box.x + box.width - box.height * 0.25, y: box.y + box.height / 2 };
  };
  const target = await page.evaluate((at) => {
    const plan = (globalThis as unknown as PageGlobals).document.querySelector('[data-testid="plan-canvas"] > g') as unknown as {
      getScreenCTM(): { inverse(): unknown };
    };
    const point = new (globalThis as unknown as { DOMPoint: new (x: number, y: number) => { matrixTransform(m: unknown): { x: number; y: number } } }).DOMPoint(at.x, at.y);
    const inPlan = point.matrixTransform(plan.getScreenCTM().inverse());
    return { x: Math.round(inPlan.x), y: Math.round(inPlan.y) };
  }, await pillEnd());
  const mover = await HubClient.connect(live.server.url);
  try {
    const [location] = await mover.call('location.list', {});
    await mover.call('edit.begin', {});
    await mover.call('entity.place', { entityId: Number(await humidity.getAttribute('data-entity-id')), locationId: location!.id, placement: { kind: 'icon', ...target, scale: 1, rotate: 0 } });
    await mover.call('edit.end', {});
  } finally {
    mover.close();
  }
  await expect
    .poll(async () => {
      const neighbour = (await humidity.locator('.icon-hit').boundingBox())!;
      const at = await pillEnd();
      const r = neighbour.width / 2;
      return Math.hypot(at.x - (neighbour.x + r), at.y - (neighbour.y + r)) < r * 0.6;
    })
    .toBe(true);
  const sample = await pillEnd();
  // The pill's own colour there, with its text hidden so that no glyph is sampled.
  await value.evaluate((text) => (text as unknown as PageElement).setAttribute('visibility', 'hidden'));
  const pillColour = await pill.evaluate((rect) => {
    const fill = (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(rect).fill;
    return (fill.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  });
  expect(sameColour(await panel.screenPixel(sample), pillColour, 8)).toBe(true);
  await page.screenshot({ path: test.info().outputPath('plan-values-neighbour.png') });
  await value.evaluate((text) => (text as unknown as PageElement).setAttribute('visibility', 'visible'));
  await expect(temperature).not.toHaveAttribute('data-stale', 'true');
  // The stale mark is a clock on a dark disc at the top left of the rim: not there while the value is live. Sampled
  // inside the clock's face, left of its hands.
  const markColour = [0x24, 0x29, 0x2f];
  const onMark = { dx: -0.8, dy: -0.7 };
  expect(sameColour(await panel.iconPixel(temperature, onMark), markColour, 40)).toBe(false);

  await live.stopHomeAssistant();
  await expect(temperature).toHaveAttribute('data-stale', 'true', { timeout: STALE_WITHIN_MS });
  await expect.poll(async () => sameColour(await panel.iconPixel(temperature, onMark), markColour, 40)).toBe(true);
  // The last known value stays, marked as such.
  await expect(value).toHaveText('23.7°');
  await expect.poll(async () => sameColour(await panel.iconPixel(battery, onMark), markColour, 40)).toBe(true);
  await page.screenshot({ path: test.info().outputPath('plan-values-stale.png') });
});

baseTest('no name is drawn over a room name of the plan drawing', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('single_story');
  // Stand an item just above the drawing's "Kitchen", where its name below it would cover that word.
  const hub = await HubClient.connect(server.url);
  const movedId = await (async () => {
    try {
      const [location] = await hub.call('location.list', {});
      const view = await hub.call('location.view.get', { locationViewId: location!.views[0]!.id });
      const item = view.entities.find((e) => e.placement.kind === 'icon')!;
      await hub.call('edit.begin', {});
      await hub.call('entity.place', { entityId: item.id, locationId: location!.id, placement: { kind: 'icon', x: 540, y: 205, scale: 1, rotate: 0 } });
      await hub.call('edit.end', {});
      return item.id;
    } finally {
      hub.close();
    }
  })();
  const moved = page.locator(`[data-entity-id="${movedId}"]`);
  await baseExpect.poll(async () => (await moved.boundingBox())?.y ?? 0).toBeGreaterThan(0);
  await baseExpect.poll(() => moved.getAttribute('transform')).toBe('translate(540 205)');

  // The drawing's words, measured in the page independently of the panel's own measuring: the same file drawn inline
  // over the plan's image.
  const overlaps = async () =>
    page.evaluate(async () => {
      const { document } = globalThis as unknown as PageGlobals;
      const image = document.querySelector('.plan-background')!;
      const frame = image.getBoundingClientRect();
      const source = await (await fetch(image.getAttribute('href')!)).text();
      const holder = document.createElement('div');
      holder.className = 'plan-text-measure';
      holder.innerHTML = source;
      const svg = holder.querySelector('svg')!;
      svg.setAttribute('width', String(frame.width));
      svg.setAttribute('height', String(frame.height));
      document.body.appendChild(holder);
      holder.getBoundingClientRect();
      const shift = (rect: Rect) => ({ left: rect.left + frame.left, top: rect.top + frame.top, right: rect.right + frame.left, bottom: rect.bottom + frame.top });
      const rooms = [...svg.querySelectorAll('text')].map((text) => ({ word: text.textContent, ...shift(text.getBoundingClientRect()) }));
      holder.remove();
      const names = [...document.querySelectorAll('.plan-label')].map((label) => {
        const { left, top, right, bottom } = label.getBoundingClientRect();
        return { name: label.textContent, left, top, right, bottom };
      });
      const hits = names.flatMap((n) => rooms.filter((r) => n.left < r.right && r.left < n.right && n.top < r.bottom && r.top < n.bottom).map((r) => `${n.name} over ${r.word}`));
      return { rooms: rooms.length, names: names.length, hits };
    });
  await baseExpect.poll(async () => (await overlaps()).hits).toEqual([]);
  const result = await overlaps();
  baseExpect(result.rooms).toBeGreaterThanOrEqual(10);
  baseExpect(result.names).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath('plan-room-names.png') });
});
