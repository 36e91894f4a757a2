import { expect, test } from './fixtures';
import { HomePanel, pdfBytes } from './panel';

const PLAN = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 600">
  <rect x="20" y="20" width="960" height="560" fill="#f6f4ef" stroke="#333" stroke-width="12"/>
  <path d="M 500 20 V 580" stroke="#333" stroke-width="8"/>
  <text x="250" y="300">Workshop</text><text x="750" y="300">Studio</text>
</svg>`;
const HOSTILE_PLAN = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" onload="document.title='pwned'">
  <script>document.title='pwned'</script>
  <rect x="10" y="10" width="380" height="280" fill="#eee"/>
  <foreignObject width="100" height="100"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:parent.document.title='pwned'"></iframe></foreignObject>
</svg>`;

test('choose the two-story profile and see both floors, switch views, pan and zoom', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('two_story');
  const locationTabs = page.getByTestId('location-switcher').locator('[data-testid^="location-tab-"]');
  await expect(locationTabs).toHaveText(['Ground floor', 'Upper floor']);
  await expect(panel.entity('Dishwasher')).toBeVisible();
  await panel.planComplete();
  const groundCount = await page.locator('[data-entity-id]').count();
  expect(groundCount).toBeGreaterThanOrEqual(12);
  for (const element of await page.locator('[data-entity-id]').all()) {
    await expect(element).toHaveAttribute('data-state', /.+/);
  }

  await locationTabs.nth(1).click();
  await expect(panel.entity('Family room TV')).toBeVisible();
  await expect(panel.entity('Dishwasher')).toHaveCount(0);

  await locationTabs.nth(0).click();
  await page.getByTestId('location-switcher').getByText('Security').click();
  await expect(panel.entity('Front door')).toBeVisible();
  await expect(panel.entity('Dishwasher')).toHaveCount(0);
  await expect(panel.entity('Kitchen light')).toHaveCount(0);
  await page.getByTestId('location-switcher').getByText('Everything').click();
  await expect(panel.entity('Dishwasher')).toBeVisible();

  const canvas = page.getByTestId('plan-canvas');
  const initial = await canvas.getAttribute('viewBox');
  const centre = await panel.centreOf(canvas);
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.wheel(0, -600);
  await expect(canvas).not.toHaveAttribute('viewBox', initial!);
  const zoomed = await canvas.getAttribute('viewBox');
  const [, , zoomedWidth] = zoomed!.split(' ').map(Number);
  expect(zoomedWidth).toBeLessThan(Number(initial!.split(' ')[2]));
  // The plan follows the finger during the drag (as a moved layer) and after it (drawn with the new viewBox).
  const dishwasher = panel.entity('Dishwasher');
  const before = await panel.centreOf(dishwasher);
  await page.mouse.down();
  await page.mouse.move(centre.x + 75, centre.y + 40, { steps: 5 });
  const during = await panel.centreOf(dishwasher);
  expect(during.x - before.x).toBeCloseTo(75, 0);
  expect(during.y - before.y).toBeCloseTo(40, 0);
  await page.mouse.move(centre.x + 150, centre.y + 80, { steps: 5 });
  await page.mouse.up();
  await expect(canvas).not.toHaveAttribute('viewBox', zoomed!);
  const after = await panel.centreOf(dishwasher);
  expect(after.x - before.x).toBeCloseTo(150, 0);
  expect(after.y - before.y).toBeCloseTo(80, 0);
  await page.getByTestId('zoom-reset').click();
  await expect(canvas).toHaveAttribute('viewBox', initial!);
});

test('add a light in edit mode, drag it, scale it, and find it where it was after a reload', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('single_story');
  await panel.startEditing();
  await page.getByTestId('edit-add').click();
  await page.getByTestId('type-option-light').click();
  await page.getByTestId('new-entity-name').fill('Porch light');
  await page.getByTestId('type-picker-confirm').click();
  const light = panel.entity('Porch light');
  await expect(light).toBeVisible();
  await expect(light).toHaveAttribute('data-state', /.+/);
  const placedAt = await light.getAttribute('transform');

  await light.click();
  await expect(light).toHaveAttribute('data-selected', 'true');
  await panel.drag(await panel.centreOf(light), { x: 120, y: 60 });
  await expect(light).not.toHaveAttribute('transform', placedAt!);
  const movedTo = await light.getAttribute('transform');

  const handle = page.getByTestId('handle-scale');
  await expect(handle).toBeVisible();
  // The disc, not the whole item: its name keeps its size whatever the item's scale.
  const discWidth = async (item: typeof light) => (await item.locator('.icon-hit').boundingBox())!.width;
  const widthBefore = await discWidth(light);
  await panel.drag(await panel.centreOf(handle), { x: 60, y: 60 });
  await expect.poll(() => discWidth(light)).toBeGreaterThan(widthBefore * 1.3);
  await expect(page.getByTestId('edit-undo')).toBeEnabled();
  await panel.stopEditing();
  const scaledWidth = await discWidth(light);

  await page.reload();
  const reloaded = panel.entity('Porch light');
  await expect(reloaded).toHaveAttribute('transform', movedTo!);
  expect(Math.abs((await discWidth(reloaded)) - scaledWidth)).toBeLessThan(2);
});

test('draw an area in edit mode', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('apartment');
  await panel.startEditing();
  await page.getByTestId('edit-draw-area').click();
  const box = (await page.getByTestId('plan-canvas').boundingBox())!;
  const corners = [
    [0.3, 0.3],
    [0.5, 0.3],
    [0.5, 0.5],
    [0.3, 0.5],
  ];
  for (const [fx, fy] of corners) {
    await page.mouse.click(box.x + box.width * fx!, box.y + box.height * fy!);
    await page.waitForTimeout(350); // taps, not a double-tap
  }
  await expect(page.getByTestId('draw-draft')).toHaveAttribute('data-points', '4');
  await page.getByTestId('draw-finish').click();
  await page.getByTestId('type-option-room_area').click();
  await page.getByTestId('new-entity-name').fill('Reading nook');
  await page.getByTestId('type-picker-confirm').click();
  const area = page.locator('path[data-entity-id].entity-area', { has: page.locator('title', { hasText: 'Reading nook' }) });
  await expect(area).toHaveCount(1);
  expect(await area.getAttribute('d')).toMatch(/^M\s*[\d.]+[ ,][\d.]+( L\s*[\d.]+[ ,][\d.]+){3} ?Z$/);
  await page.reload();
  await expect(area).toHaveCount(1);
});

test('upload a floor plan, and a hostile one that is defused', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('empty');
  await expect(page.getByTestId('plan-no-background')).toBeVisible();
  await panel.startEditing();
  await page.getByTestId('edit-locations').click();
  await page.locator('[data-testid^="location-expand-"]').first().click();
  await page.getByTestId('background-upload').setInputFiles({ name: 'workshop.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(PLAN) });
  await expect(page.getByTestId('background-error')).toHaveCount(0);
  await page.getByTestId('locations-panel-close').click();
  const image = page.getByTestId('plan-canvas').locator('image');
  await expect(image).toHaveAttribute('href', /^data\/locations\/.+\.svg$/);
  const href = (await image.getAttribute('href'))!;
  const served = await page.request.get(`${server.url}/${href}`);
  expect(served.status()).toBe(200);
  expect(await served.text()).toContain('Workshop');
  // The new plan's 0 0 1000 600, fitted with a 3 % margin all round.
  await expect(page.getByTestId('plan-canvas')).toHaveAttribute('viewBox', '-30 -30 1060 660');

  await page.getByTestId('edit-locations').click();
  await page.locator('[data-testid^="location-expand-"]').first().click();
  await page.getByTestId('background-upload').setInputFiles({ name: 'broken.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>') });
  await expect(page.getByTestId('background-error')).toContainText('broken.svg');
  await page.getByTestId('background-upload').setInputFiles({ name: 'hostile.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(HOSTILE_PLAN) });
  await expect(page.getByTestId('background-removed')).toContainText(/script/i);
  await page.getByTestId('locations-panel-close').click();
  const hostileHref = (await image.getAttribute('href'))!;
  expect(hostileHref).not.toBe(href);
  const stored = await (await page.request.get(`${server.url}/${hostileHref}`)).text();
  expect(stored).not.toMatch(/<script|onload|foreignObject|javascript:/i);
  expect(await page.title()).toBe('Home Information');
});

test('attach a note and a PDF to the dishwasher, open it, edit the note and restore the earlier version', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('single_story');
  await panel.entity('Dishwasher').click();
  const detail = page.getByTestId('detail-panel');
  await expect(detail).toContainText('Dishwasher');
  // No integration feeds it: its history says so instead of showing an empty chart.
  await expect(detail.getByTestId('detail-history')).toContainText('no history is recorded');
  await expect(detail.getByTestId('detail-history-chart')).toHaveCount(0);

  await detail.getByTestId('attribute-add').click();
  await detail.getByTestId('attribute-new-name').fill('Notes');
  await detail.getByTestId('attribute-new-type').selectOption('note');
  await detail.getByTestId('note-editor').click();
  await page.keyboard.type('Salt refill every 3 months.');
  await detail.getByTestId('attribute-new-save').click();
  await expect(detail.getByTestId('detail-attributes')).toContainText('Salt refill every 3 months.');

  await detail.getByTestId('attribute-add').click();
  await detail.getByTestId('attribute-new-name').fill('Manual');
  await detail.getByTestId('attribute-new-type').selectOption('file');
  await detail.getByTestId('attribute-new-file').setInputFiles({ name: 'dishwasher-manual.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Dishwasher manual') });
  await detail.getByTestId('attribute-new-save').click();
  const open = detail.locator('[data-testid^="attribute-open-"]');
  await expect(open).toHaveCount(1);
  await expect(detail).toContainText('dishwasher-manual.pdf');
  // The manual opens in the in-app viewer, never in a window of its own; a big close button and Esc close it.
  await open.click();
  const viewer = page.getByTestId('document-viewer');
  await expect(viewer).toBeVisible();
  expect(page.context().pages()).toHaveLength(1);
  const frame = viewer.getByTestId('document-viewer-frame');
  const opened = await page.request.get(new URL((await frame.getAttribute('src'))!, page.url()).toString());
  expect(opened.headers()['content-type']).toBe('application/pdf');
  expect((await opened.body()).subarray(0, 5).toString()).toBe('%PDF-');
  // Shown, not blocked: the PDF viewer loads inside the frame under the app's CSP.
  await expect.poll(() => page.frames().some((f) => f.url().startsWith('chrome-extension://'))).toBe(true);
  const close = viewer.getByTestId('document-viewer-close');
  const box = (await close.boundingBox())!;
  expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(64);
  expect(box.x + box.width).toBeGreaterThan(page.viewportSize()!.width - 40);
  expect(box.y).toBeLessThan(40);
  await page.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);
  await open.click();
  await close.click();
  await expect(viewer).toHaveCount(0);

  const note = detail.locator('[data-testid^="attribute-"][data-type="note"]');
  const noteId = (await note.getAttribute('data-testid'))!.replace('attribute-', '');
  await detail.getByTestId(`attribute-edit-${noteId}`).click();
  await detail.getByTestId('note-editor').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Salt refill every 2 months.');
  await detail.getByTestId('attribute-save').click();
  // The first note view is the current value; history entries below show earlier ones the same way.
  const noteText = note.locator('.note-view').first();
  await expect(noteText).toHaveText('Salt refill every 2 months.');

  await detail.getByTestId(`attribute-history-${noteId}`).click();
  const entries = detail.getByTestId('attribute-history-entry');
  await expect(entries).toHaveCount(1);
  await entries.first().locator('[data-testid^="attribute-history-restore-"]').click();
  await expect(noteText).toHaveText('Salt refill every 3 months.');
  // The restore is itself recorded: the replaced version can be brought back the same way.
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText('every 2 months');
});

test('delete an entity and restore it from the archive', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('single_story');
  await panel.startEditing();
  const fridge = panel.entity('Refrigerator');
  const at = await fridge.getAttribute('transform');
  await fridge.click();
  await page.getByTestId('edit-delete').click();
  await page.getByTestId('confirm-delete').click();
  await expect(panel.entity('Refrigerator')).toHaveCount(0);

  await page.getByTestId('edit-archive').click();
  const restore = page.locator('[data-testid^="restore-entity-"]');
  await expect(restore).toHaveCount(1);
  await restore.click();
  await expect(panel.entity('Refrigerator')).toHaveAttribute('transform', at!);
  await page.reload();
  await expect(panel.entity('Refrigerator')).toBeVisible();
});
