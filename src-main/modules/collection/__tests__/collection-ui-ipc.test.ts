import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocationSummary, PlacedEntity } from '../../../../src-shared/model/location';
import { PLAN_ICON_DISC_RADIUS, PLAN_ICON_UNIT_FRACTION } from '../../../../src-shared/model/placement';
import { call, callFails, countRows, homeWithTwoAppliances, rows } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';

type IconAt = { x: number; y: number; scale: number };

/** The gap between two icon discs; negative when they overlap. */
function gapBetween(a: IconAt, b: IconAt, iconUnit: number): number {
  const radius = (icon: IconAt) => PLAN_ICON_DISC_RADIUS * iconUnit * icon.scale;
  return Math.hypot(a.x - b.x, a.y - b.y) - radius(a) - radius(b);
}

function iconOf(item: { placement: PlacedEntity['placement'] }): IconAt {
  if (item.placement.kind !== 'icon') throw new Error(`expected an icon, got ${item.placement.kind}`);
  return item.placement;
}

describe('collections made from the panel', () => {
  let t: TestHub;
  let home: LocationSummary;
  let viewId: number;
  let fridge: PlacedEntity;
  let washer: PlacedEntity;

  beforeEach(async () => {
    t = await createTestHub();
    ({ home, viewId, fridge, washer } = await homeWithTwoAppliances(t));
  });
  afterEach(async () => {
    await t.close();
  });

  const create = (name: string) => call(t, 'collection.create', { name, type: 'appliances', viewType: 'grid' });

  it('offers every item that is not archived as a member, by name', async () => {
    const lamp = await call(t, 'entity.create', { name: 'Attic lamp', type: 'light', locationViewId: viewId });
    await call(t, 'entity.archive', { entityId: washer.id });
    expect(await call(t, 'collection.candidates.list', {})).toEqual([
      { id: lamp.id, name: 'Attic lamp', type: 'light' },
      { id: fridge.id, name: 'Refrigerator', type: 'refrigerator' },
    ]);
    // Reading needs no edit mode.
    await call(t, 'edit.end', {});
    expect(await call(t, 'collection.candidates.list', {})).toHaveLength(2);
  });

  it('refuses a name over 200 characters instead of cutting it, and keeps one of exactly 200', async () => {
    const error = await callFails(t, 'collection.create', { name: 'n'.repeat(201), type: 'other', viewType: 'grid' });
    expect(error.code).toBe('invalid_argument');
    expect(error.issues).toEqual([{ path: ['name'], message: 'A name can be at most 200 characters.' }]);
    expect(countRows(t, 'collection')).toBe(0);

    const kept = await create('n'.repeat(200));
    expect(kept.name).toHaveLength(200);
    expect((await callFails(t, 'collection.update', { collectionId: kept.id, name: 'm'.repeat(201) })).code).toBe('invalid_argument');
    expect((await call(t, 'collection.get', { collectionId: kept.id })).collection.name).toBe('n'.repeat(200));
    expect((await callFails(t, 'collection.create', { name: '   ', type: 'other', viewType: 'grid' })).code).toBe('invalid_argument');
  });

  it('places a collection on a view at a free spot near the given point, clear of the icons already there', async () => {
    const collection = await create('Appliances');
    const view = await call(t, 'location.view.get', { locationViewId: viewId });
    const { x, y, width, height } = view.view.viewBox;
    const near = { x: Math.round(x + width / 2), y: Math.round(y + height / 2) };

    const placed = await call(t, 'collection.placeInView', { collectionId: collection.id, locationViewId: viewId, near });

    expect(placed).toMatchObject({ id: collection.id, name: 'Appliances' });
    const icon = iconOf(placed);
    const iconUnit = width * PLAN_ICON_UNIT_FRACTION;
    for (const other of view.entities) expect(gapBetween(icon, iconOf(other), iconUnit)).toBeGreaterThanOrEqual(0);
    // Near the middle: within a few icons of it, inside the view.
    expect(Math.hypot(icon.x - near.x, icon.y - near.y)).toBeLessThan(iconUnit * 6);
    expect(icon.x).toBeGreaterThan(x);
    expect(icon.x).toBeLessThan(x + width);
    expect((await call(t, 'location.view.get', { locationViewId: viewId })).collections).toEqual([placed]);
  });

  it('keeps the place of a collection already placed on the location', async () => {
    const collection = await create('Appliances');
    await call(t, 'collection.place', { collectionId: collection.id, locationId: home.id, placement: { kind: 'path', svgPath: 'M 0 0 L 9 0 L 9 9 Z', style: 'area' } });
    const placed = await call(t, 'collection.placeInView', { collectionId: collection.id, locationViewId: viewId });
    expect(placed.placement).toEqual({ kind: 'path', svgPath: 'M 0 0 L 9 0 L 9 9 Z', style: 'area' });
    expect(countRows(t, 'collection_position')).toBe(0);
    expect(countRows(t, 'collection_path')).toBe(1);
  });

  it('is one undo step that takes the collection off the view again', async () => {
    const collection = await create('Appliances');
    await call(t, 'collection.placeInView', { collectionId: collection.id, locationViewId: viewId });
    expect(countRows(t, 'collection_view')).toBe(1);

    const undone = await call(t, 'edit.undo', {});
    expect(undone.undoLabels[0]).toBe('add collection Appliances');
    expect(countRows(t, 'collection_view')).toBe(0);
    expect(countRows(t, 'collection_position')).toBe(0);
    expect((await call(t, 'location.view.get', { locationViewId: viewId })).collections).toEqual([]);
    expect(await call(t, 'collection.list', {})).toHaveLength(1);
  });

  it('needs edit mode, and a known collection and view, and then writes nothing', async () => {
    const collection = await create('Appliances');
    expect((await callFails(t, 'collection.placeInView', { collectionId: collection.id, locationViewId: 9999 })).code).toBe('not_found');
    expect((await callFails(t, 'collection.placeInView', { collectionId: 9999, locationViewId: viewId })).code).toBe('not_found');
    const bad = await callFails(t, 'collection.placeInView', { collectionId: collection.id, locationViewId: viewId, near: { x: 'middle', y: 1 } });
    expect(bad.code).toBe('invalid_argument');

    await call(t, 'edit.end', {});
    expect((await callFails(t, 'collection.placeInView', { collectionId: collection.id, locationViewId: viewId })).code).toBe('conflict');
    expect(rows(t, 'collection_view')).toEqual([]);
    expect(rows(t, 'collection_position')).toEqual([]);
    await call(t, 'edit.begin', {});
    expect((await call(t, 'edit.begin', {})).undoLabels).toEqual([]);
  });
});
