import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call } from '../../../test-support/home-helpers';
import { KITCHEN_LIGHT, smallHome, stateIdFor, syncInto } from '../../../test-support/integration-fixtures';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';

const KEY = 'hass';

/** A view's shape is kept between builds, its values are not: every build shows the latest, every write a new read. */
describe('a location view between writes', () => {
  let t: TestHub;
  let viewId: number;
  let lightId: number;
  let onOff: number;

  beforeEach(async () => {
    t = await createTestHub();
    await call(t, 'edit.begin', {});
    await syncInto(t, KEY, smallHome());
    t.hub.statuses.reloadLinks();
    const home = await call(t, 'location.create', { name: 'Home' });
    viewId = home.views[0]!.id;
    lightId = t.hub.store.sqlite.prepare('select id from entity where integration_id = ?').pluck().get(KITCHEN_LIGHT) as number;
    await call(t, 'entity.view.set', { entityId: lightId, locationViewId: viewId, inView: true });
    await call(t, 'entity.place', { entityId: lightId, locationId: home.id, placement: { kind: 'icon', x: 100, y: 100, scale: 1, rotate: 0 } });
    onOff = stateIdFor(t, KITCHEN_LIGHT, 'on_off');
    // The default rules that a changed home gets are written after the change: a write of its own.
    await t.hub.rules.idle();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  const lightOnView = async () => (await call(t, 'location.view.get', { locationViewId: viewId })).entities.find((e) => e.id === lightId)!;
  const switchLight = (value: string) => t.hub.statuses.ingest(KEY, [{ upstreamId: KITCHEN_LIGHT, values: [{ key: 'on_off', value }], ts: t.clock.now() }]);

  it('reads the states once while nothing is written, and shows each new value', async () => {
    const reads = vi.spyOn(t.hub.entities, 'stateShapesOfView');
    switchLight('on');
    expect((await lightOnView()).states.find((s) => s.id === onOff)).toMatchObject({ value: 'on', stale: false, display: { text: 'On' } });
    t.clock.advance(1_000);
    switchLight('off');
    const after = (await lightOnView()).states.find((s) => s.id === onOff)!;
    expect(after).toMatchObject({ value: 'off', ts: t.clock.now(), display: { text: 'Off' } });
    expect(reads).toHaveBeenCalledTimes(1);
    // The snapshot's view is the same build.
    expect((await call(t, 'hub.snapshot', { view: viewId })).view?.entities.find((e) => e.id === lightId)?.states).toEqual((await lightOnView()).states);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('reads the view again after any write: a rename, a move, an archive', async () => {
    await lightOnView();
    await call(t, 'entity.update', { entityId: lightId, name: 'Pantry light' });
    expect((await lightOnView()).name).toBe('Pantry light');
    const { locationId } = t.hub.store.sqlite.prepare('select location_id as locationId from location_view where id = ?').get(viewId) as { locationId: number };
    await call(t, 'entity.place', { entityId: lightId, locationId, placement: { kind: 'icon', x: 300, y: 200, scale: 1, rotate: 0 } });
    expect((await lightOnView()).placement).toEqual({ kind: 'icon', x: 300, y: 200, scale: 1, rotate: 0 });
    await call(t, 'entity.archive', { entityId: lightId });
    expect((await call(t, 'location.view.get', { locationViewId: viewId })).entities.map((e) => e.id)).not.toContain(lightId);
  });
});
