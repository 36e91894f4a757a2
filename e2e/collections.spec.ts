import { expect, test } from './fixtures';
import { HomePanel } from './panel';
import { test as liveTest } from './live-fixtures';

test('make a collection in edit mode, fill it, place it, open it from the plan, rename and delete it', async ({ page, server }) => {
  const panel = new HomePanel(page);
  await panel.open(server.url);
  await panel.setUp('single_story');
  await panel.startEditing();
  await page.getByTestId('edit-collections').click();
  const dialog = page.getByTestId('collections-dialog');
  await expect(dialog).toBeVisible();
  // The starter profile's own collection is listed.
  await expect(dialog.locator('[data-testid^="collection-row-"]')).toHaveCount(1);
  await expect(dialog.locator('[data-testid^="collection-row-"]')).toContainText('Appliances');

  // A name that is too long is refused with a message and kept as typed, not cut short.
  const nameInput = page.getByTestId('new-collection-name');
  await nameInput.fill('L'.repeat(201));
  await page.getByTestId('new-collection-name-save').click();
  await expect(page.getByTestId('new-collection-name-problem')).toHaveText('A name can be at most 200 characters; this one has 201.');
  await expect(nameInput).toHaveValue('L'.repeat(201));
  await expect(dialog.locator('[data-testid^="collection-row-"]')).toHaveCount(1);

  await nameInput.fill('Downstairs lights');
  await page.getByTestId('new-collection-type').selectOption('other');
  await page.getByTestId('new-collection-name-save').click();
  await expect(nameInput).toHaveValue('');
  const row = dialog.locator('[data-testid^="collection-row-"]', { hasText: 'Downstairs lights' });
  await expect(row).toBeVisible();
  const collectionId = Number((await row.getAttribute('data-testid'))!.replace('collection-row-', ''));
  await expect(page.getByTestId(`collection-editor-${collectionId}`)).toBeVisible();

  // Members come from the home's items, found with the search box.
  const candidate = (name: string) => dialog.locator('[data-testid^="collection-candidate-"]', { hasText: name });
  await page.getByTestId('collection-member-search').fill('kitchen li');
  await expect(dialog.locator('[data-testid^="collection-candidate-"]')).toHaveCount(1);
  await candidate('Kitchen light').click();
  await expect(candidate('Kitchen light')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('collection-member-search').fill('dining');
  await candidate('Dining light').click();
  await expect(candidate('Dining light')).toHaveAttribute('aria-pressed', 'true');
  await expect(row).toContainText('2 items');
  await page.getByTestId('collection-member-search').fill('nothing like this');
  await expect(page.getByTestId('collection-member-none')).toBeVisible();

  await page.getByTestId('collection-show-list').click();
  await expect(page.getByTestId('collection-show-list')).toHaveAttribute('aria-pressed', 'true');

  // Touch targets a finger can hit.
  for (const control of [page.getByTestId('collection-place'), page.getByTestId('collection-show-list'), page.getByTestId(`collection-open-${collectionId}`)]) {
    expect((await control.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  }

  await page.getByTestId('collection-place').click();
  await expect(page.getByTestId('collection-on-view')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('collections-dialog.png') });
  await page.getByTestId('collections-dialog-close').click();
  await panel.stopEditing();

  // On the plan, inside the screen, and it opens to show both members.
  const icon = page.locator(`[data-collection-id="${collectionId}"]`);
  await expect(icon).toBeVisible();
  const box = (await icon.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  await icon.click();
  const sheet = page.getByTestId('collection-panel');
  await expect(sheet).toBeVisible();
  await expect(page.getByTestId('collection-name')).toHaveText('Downstairs lights');
  await expect(page.getByTestId('collection-list').locator('.member-name')).toHaveText(['Kitchen light', 'Dining light']);
  await page.getByTestId('collection-close').click();

  // Rename, then delete with a confirmation.
  await panel.startEditing();
  await page.getByTestId('edit-collections').click();
  await page.getByTestId(`collection-open-${collectionId}`).click();
  await page.getByTestId(`collection-rename-${collectionId}`).fill('Ground floor lights');
  await page.getByTestId(`collection-rename-${collectionId}-save`).click();
  await expect(page.getByTestId(`collection-row-${collectionId}`)).toContainText('Ground floor lights');

  await page.getByTestId(`collection-delete-${collectionId}`).click();
  await expect(page.getByTestId('collection-delete-confirm-dialog')).toContainText('Delete Ground floor lights?');
  await page.getByTestId('collection-delete-confirm-cancel').click();
  await expect(page.getByTestId(`collection-row-${collectionId}`)).toBeVisible();
  await page.getByTestId(`collection-delete-${collectionId}`).click();
  await page.getByTestId('collection-delete-confirm').click();
  await expect(page.getByTestId(`collection-row-${collectionId}`)).toHaveCount(0);
  await expect(dialog.locator('[data-testid^="collection-row-"]')).toHaveCount(1);
  await page.getByTestId('collections-dialog-close').click();
  await expect(icon).toHaveCount(0);

  // Each step was an edit: undo brings the deleted collection back onto the plan.
  await page.getByTestId('edit-undo').click();
  await expect(icon).toBeVisible();
});

liveTest('a collection made in the UI shows its members change live', async ({ page, live }) => {
  const panel = new HomePanel(page);
  await panel.open(live.server.url);
  await panel.startEditing();
  await page.getByTestId('edit-collections').click();
  await page.getByTestId('new-collection-name').fill('Outside');
  await page.getByTestId('new-collection-name-save').click();
  const dialog = page.getByTestId('collections-dialog');
  const row = dialog.locator('[data-testid^="collection-row-"]', { hasText: 'Outside' });
  const collectionId = Number((await row.getAttribute('data-testid'))!.replace('collection-row-', ''));
  await page.getByTestId('collection-member-search').fill('porch');
  await dialog.locator('[data-testid^="collection-candidate-"]', { hasText: 'Porch Light' }).click();
  await expect(row).toContainText('1 item');
  await page.getByTestId('collection-place').click();
  await page.getByTestId('collections-dialog-close').click();
  await panel.stopEditing();

  await page.locator(`[data-collection-id="${collectionId}"]`).click();
  const porchId = await panel.entity('Porch Light').getAttribute('data-entity-id');
  const porchState = page.getByTestId(`collection-member-${porchId}`).locator('.member-state');
  for (const next of (await live.haState('light.porch')) === 'on' ? ['off', 'on'] : ['on', 'off']) {
    await live.setHaState('light.porch', next);
    await expect(porchState).toHaveAttribute('data-state', next === 'on' ? 'active' : 'inactive');
  }
});
