import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, pngFixture, uploadBuffer } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { removeOrphanFiles } from '../orphan-files';

const DAY_MS = 24 * 3_600_000;

describe('removeOrphanFiles', () => {
  let t: TestHub;

  beforeEach(async () => {
    t = await createTestHub();
    await call(t, 'home.setup', { profile: 'single_story' });
  });

  afterEach(async () => {
    await t.close();
  });

  const ageEverything = (dir: string) => {
    const old = new Date(Date.now() - 2 * DAY_MS);
    for (const name of readdirSync(dir)) utimesSync(path.join(dir, name), old, old);
  };

  it('removes old unreferenced plans, attachments and thumbnails, and keeps referenced and recent ones', async () => {
    const [location] = await call(t, 'location.list', {});
    const dishwasher = (await call(t, 'location.view.get', { locationViewId: location!.views[0]!.id })).entities.find((e) => e.name === 'Dishwasher')!;
    const photo = await call(t, 'attribute.create', {
      owner: { kind: 'entity', id: dishwasher.id },
      name: 'Photo',
      valueType: 'file',
      uploadId: await uploadBuffer(t, 'photo.png', await pngFixture()),
    });
    const filesDir = path.join(t.dataDir, 'files');
    const locationsDir = path.join(t.dataDir, 'locations');
    writeFileSync(path.join(locationsDir, 'replaced-plan.svg'), '<svg/>');
    writeFileSync(path.join(filesDir, 'abandoned.pdf'), '%PDF-1.4');
    writeFileSync(path.join(filesDir, 'thumbnails', 'abandoned.webp'), 'x');
    for (const dir of [filesDir, locationsDir, path.join(filesDir, 'thumbnails')]) ageEverything(dir);
    writeFileSync(path.join(filesDir, 'just-uploaded.pdf'), '%PDF-1.4');

    expect(await removeOrphanFiles(t.hub.store.db, t.dataDir, Date.now(), DAY_MS)).toBe(3);

    expect(existsSync(path.join(locationsDir, 'replaced-plan.svg'))).toBe(false);
    expect(existsSync(path.join(filesDir, 'abandoned.pdf'))).toBe(false);
    expect(existsSync(path.join(filesDir, 'thumbnails', 'abandoned.webp'))).toBe(false);
    expect(existsSync(path.join(filesDir, 'just-uploaded.pdf'))).toBe(true);
    expect(existsSync(path.join(t.dataDir, photo.file!.url.replace(/^data\//, '')))).toBe(true);
    expect(existsSync(path.join(t.dataDir, photo.file!.thumbnailUrl!.replace(/^data\//, '')))).toBe(true);
    const plan = location!.backgroundUrl!.replace(/^data\//, '');
    expect(existsSync(path.join(t.dataDir, plan))).toBe(true);
  });
});
