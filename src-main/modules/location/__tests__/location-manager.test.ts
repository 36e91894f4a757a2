import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocationSummary } from '../../../../src-shared/model/location';
import { call, callFails, countRows, HOSTILE_PLAN, PLAIN_PLAN, rows, uploadBuffer } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { LOCATIONS_DIR } from '../location-manager';

describe('LocationManager through a hub', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await createTestHub();
    await call(t, 'edit.begin', {});
  });
  afterEach(async () => {
    await t.close();
  });

  const create = (name: string) => call(t, 'location.create', { name });
  const list = () => call(t, 'location.list', {});
  const locationRow = (id: number) => rows<{ name: string; svg_filename: string | null; svg_view_box_str: string; updated_at: number }>(t, 'location', { id })[0];
  const uploadPlan = (name: string, text: string, chunkBytes?: number) => uploadBuffer(t, name, Buffer.from(text, 'utf8'), { chunkBytes });

  it('creates locations in order, each with one default view', async () => {
    expect(await list()).toEqual([]);
    const ground = await create('Ground floor');
    const upper = await create('Upper floor');
    expect(ground).toMatchObject({ name: 'Ground floor', order: 0, backgroundUrl: null, viewBox: { x: 0, y: 0, width: 1200, height: 800 } });
    expect(upper.order).toBe(1);
    expect(ground.views).toHaveLength(1);
    expect(ground.views[0]).toMatchObject({ locationId: ground.id, type: 'default', style: 'color', order: 0 });
    expect((await list()).map((l) => l.name)).toEqual(['Ground floor', 'Upper floor']);
  });

  it('renames a location and stamps it with the clock', async () => {
    const ground = await create('Ground');
    t.clock.advance(60_000);
    await call(t, 'location.rename', { locationId: ground.id, name: 'Ground floor' });
    expect((await list())[0]!.name).toBe('Ground floor');
    expect(locationRow(ground.id)!.updated_at).toBe(t.clock.now());
    expect((await callFails(t, 'location.rename', { locationId: 9999, name: 'x' })).code).toBe('not_found');
    expect((await callFails(t, 'location.rename', { locationId: ground.id, name: '   ' })).code).toBe('invalid_argument');
  });

  it('reorders locations, and refuses an order that does not name each exactly once', async () => {
    const [a, b, c] = [await create('A'), await create('B'), await create('C')];
    await call(t, 'location.reorder', { locationIds: [c.id, a.id, b.id] });
    expect((await list()).map((l) => l.name)).toEqual(['C', 'A', 'B']);

    for (const locationIds of [[c.id, a.id], [c.id, a.id, b.id, 9999], [c.id, a.id, a.id]]) {
      const error = await callFails(t, 'location.reorder', { locationIds });
      expect(error.code, JSON.stringify(locationIds)).toBe('invalid_argument');
      expect(error.message).toMatch(/exactly once/);
    }
    expect((await list()).map((l) => l.name)).toEqual(['C', 'A', 'B']);
  });

  it('deletes a location but never the last one', async () => {
    const a = await create('A');
    const b = await create('B');
    await call(t, 'location.delete', { locationId: a.id });
    expect((await list()).map((l) => l.id)).toEqual([b.id]);
    const error = await callFails(t, 'location.delete', { locationId: b.id });
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/last location/);
    expect(countRows(t, 'location')).toBe(1);
    expect((await callFails(t, 'location.delete', { locationId: a.id })).code).toBe('not_found');
  });

  it('creates, updates, reorders and deletes views; the last view stays', async () => {
    const home = await create('Home');
    const everything = home.views[0]!;
    const security = await call(t, 'location.view.create', { locationId: home.id, name: 'Security', type: 'security' });
    expect(security).toMatchObject({ locationId: home.id, name: 'Security', type: 'security', order: 1, viewBox: home.viewBox });

    const updated = await call(t, 'location.view.update', {
      locationViewId: security.id,
      name: 'Doors and windows',
      type: 'automation',
      style: 'greyscale',
      viewBox: { x: 100, y: 50, width: 600, height: 400 },
      rotate: 90,
    });
    expect(updated).toMatchObject({ name: 'Doors and windows', type: 'automation', style: 'greyscale', viewBox: { x: 100, y: 50, width: 600, height: 400 }, rotate: 90 });
    // And it round-trips through the store.
    const fetched = await call(t, 'location.view.get', { locationViewId: security.id });
    expect(fetched.view).toEqual(updated);
    // A partial update changes only what it names.
    const renamed = await call(t, 'location.view.update', { locationViewId: security.id, name: 'Security' });
    expect(renamed).toEqual({ ...updated, name: 'Security' });
    expect((await callFails(t, 'location.view.update', { locationViewId: security.id, style: 'sepia' })).code).toBe('invalid_argument');
    expect((await callFails(t, 'location.view.update', { locationViewId: security.id, viewBox: { x: 0, y: 0, width: 0, height: 10 } })).code).toBe(
      'invalid_argument',
    );

    await call(t, 'location.view.reorder', { locationId: home.id, locationViewIds: [security.id, everything.id] });
    expect((await list())[0]!.views.map((v) => v.id)).toEqual([security.id, everything.id]);
    expect((await callFails(t, 'location.view.reorder', { locationId: home.id, locationViewIds: [security.id] })).code).toBe('invalid_argument');

    await call(t, 'location.view.delete', { locationViewId: everything.id });
    const error = await callFails(t, 'location.view.delete', { locationViewId: security.id });
    expect(error.code).toBe('conflict');
    expect((await list())[0]!.views.map((v) => v.id)).toEqual([security.id]);
    expect((await callFails(t, 'location.view.get', { locationViewId: everything.id })).code).toBe('not_found');
  });

  it('location.view.get answers the placed entities with their placements and states, leaving out archived ones', async () => {
    const home = await create('Home');
    const viewId = home.views[0]!.id;
    const light = await call(t, 'entity.create', { name: 'Kitchen light', type: 'light', locationViewId: viewId, placement: { kind: 'icon', x: 120, y: 80, scale: 1.5, rotate: 30 } });
    const pipe = await call(t, 'entity.create', { name: 'Water main', type: 'plumbing_line', locationViewId: viewId });
    const door = await call(t, 'entity.create', { name: 'Front door', type: 'door', locationViewId: viewId });
    await call(t, 'entity.archive', { entityId: door.id });

    const data = await call(t, 'location.view.get', { locationViewId: viewId });
    expect(data.location.id).toBe(home.id);
    expect(data.view.id).toBe(viewId);
    expect(data.entities.map((e) => e.name)).toEqual(['Kitchen light', 'Water main']);
    const placedLight = data.entities.find((e) => e.id === light.id)!;
    expect(placedLight.placement).toEqual({ kind: 'icon', x: 120, y: 80, scale: 1.5, rotate: 30 });
    expect(placedLight.states.map((s) => s.type)).toEqual(['on_off', 'light_dimmer']);
    expect(placedLight.states.every((s) => s.value === null && !s.controllable)).toBe(true);
    const placedPipe = data.entities.find((e) => e.id === pipe.id)!;
    expect(placedPipe.placement).toMatchObject({ kind: 'path', style: 'line' });
    expect(placedPipe.states).toEqual([]);
    expect(data.entities.some((e) => e.id === door.id)).toBe(false);
    expect(data.collections).toEqual([]);
  });

  describe('backgrounds', () => {
    it('stores an uploaded plan sanitised, under <data>/locations, and takes its viewBox', async () => {
      const home = await create('Home');
      const uploadId = await uploadPlan('ground.svg', PLAIN_PLAN, 100);
      const answer = await call(t, 'location.background.set', { locationId: home.id, uploadId });
      expect(answer.removed).toEqual([]);
      expect(answer.location.viewBox).toEqual({ x: 0, y: 0, width: 400, height: 300 });
      expect(answer.location.views.every((v) => v.viewBox.width === 400 && v.viewBox.height === 300)).toBe(true);
      const url = answer.location.backgroundUrl;
      expect(url).toMatch(new RegExp(`^data/${LOCATIONS_DIR}/${home.id}-[0-9a-f]+\\.svg$`));
      const file = path.join(t.dataDir, url!.replace(/^data\//, ''));
      expect(existsSync(file)).toBe(true);
      const stored = readFileSync(file, 'utf8');
      expect(stored).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(stored).toContain('<rect id="hall"');
      expect(stored).toContain('>Hall</text>');
      expect(stored).not.toMatch(/<script/i);
      expect(locationRow(home.id)!.svg_filename).toBe(path.basename(file));
      // The upload was consumed: it cannot be used twice.
      expect((await callFails(t, 'location.background.set', { locationId: home.id, uploadId })).code).toBe('not_found');
    });

    it('defuses a hostile plan and says what it removed', async () => {
      const home = await create('Home');
      const uploadId = await uploadPlan('evil.svg', HOSTILE_PLAN);
      const answer = await call(t, 'location.background.set', { locationId: home.id, uploadId });
      expect(answer.removed).toEqual(
        expect.arrayContaining(['<script> element', 'onload event handler on <svg>', 'onclick event handler on <rect>', '<a> wrapper (its contents were kept)']),
      );
      const stored = readFileSync(path.join(t.dataDir, answer.location.backgroundUrl!.replace(/^data\//, '')), 'utf8');
      expect(stored).not.toMatch(/<script/i);
      expect(stored).not.toMatch(/\bon[a-z]+\s*=/i);
      expect(stored).not.toMatch(/javascript:/i);
      expect(stored).not.toContain('alert');
      expect(stored).toContain('<circle');
      expect(answer.location.viewBox).toEqual({ x: 0, y: 0, width: 500, height: 250 });
    });

    it('refuses malformed XML with a message naming the file and the reason, and leaves the location as it was', async () => {
      const home = await create('Home');
      const first = await call(t, 'location.background.set', { locationId: home.id, uploadId: await uploadPlan('ground.svg', PLAIN_PLAN) });
      const before = locationRow(home.id);
      const viewsBefore = rows(t, 'location_view', { location_id: home.id });
      const filesBefore = readdirSync(path.join(t.dataDir, LOCATIONS_DIR)).sort();
      t.clock.advance(1_000);

      const broken = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n  <g>\n    <rect width="5" height="5"/>\n</svg>\n';
      const error = await callFails(t, 'location.background.set', { locationId: home.id, uploadId: await uploadPlan('broken-plan.svg', broken) });
      expect(error.code).toBe('invalid_argument');
      expect(error.message).toContain('broken-plan.svg');
      expect(error.message).toMatch(/not valid SVG/);
      expect(error.message).toMatch(/line \d+/);

      const notSvg = await callFails(t, 'location.background.set', { locationId: home.id, uploadId: await uploadPlan('notes.svg', '<html><body>hi</body></html>') });
      expect(notSvg.code).toBe('invalid_argument');
      expect(notSvg.message).toContain('notes.svg');
      expect(notSvg.message).toMatch(/root element is <html>/);

      expect(locationRow(home.id)).toEqual(before);
      expect(rows(t, 'location_view', { location_id: home.id })).toEqual(viewsBefore);
      expect((await call(t, 'location.list', {}))[0]!.backgroundUrl).toBe(first.location.backgroundUrl);
      expect(readdirSync(path.join(t.dataDir, LOCATIONS_DIR)).sort()).toEqual(filesBefore);
      // A refusal is not an undo step.
      expect((await call(t, 'edit.begin', {})).undoLabels.filter((l) => l.startsWith('new floor plan'))).toHaveLength(1);
    });

    it('needs edit mode and an existing location', async () => {
      const home = await create('Home');
      const missing = await callFails(t, 'location.background.set', { locationId: 9999, uploadId: await uploadPlan('a.svg', PLAIN_PLAN) });
      expect(missing.code).toBe('not_found');
      await call(t, 'edit.end', {});
      const error = await callFails(t, 'location.background.set', { locationId: home.id, uploadId: await uploadPlan('a.svg', PLAIN_PLAN) });
      expect(error.code).toBe('conflict');
      expect(locationRow(home.id)!.svg_filename).toBeNull();
    });
  });

  it('lists locations with views in the snapshot', async () => {
    const home = await create('Home');
    const snapshot = await call(t, 'hub.snapshot', {});
    expect(snapshot.home.locations.map((l: LocationSummary) => l.id)).toEqual([home.id]);
    expect(snapshot.home.edit.editingPanelId).toBe(t.panel.id);
    expect(snapshot.view).toBeNull();
  });

  it('brings the view a panel opens on with the snapshot when asked: the one named, else the first', async () => {
    expect((await call(t, 'hub.snapshot', { view: 'default' })).view).toBeNull();
    const home = await create('Home');
    const first = home.views[0]!;
    const security = await call(t, 'location.view.create', { locationId: home.id, name: 'Security', type: 'security' });
    expect((await call(t, 'hub.snapshot', { view: 'default' })).view).toEqual(await call(t, 'location.view.get', { locationViewId: first.id }));
    expect((await call(t, 'hub.snapshot', { view: security.id })).view).toEqual(await call(t, 'location.view.get', { locationViewId: security.id }));
    // A view that is gone (a stale address on a panel) opens the first one instead.
    expect((await call(t, 'hub.snapshot', { view: 9_999 })).view?.view.id).toBe(first.id);
    expect((await callFails(t, 'hub.snapshot', { view: 'all' })).code).toBe('invalid_argument');
  });
});
