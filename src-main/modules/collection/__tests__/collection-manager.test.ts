import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocationSummary, PlacedEntity } from '../../../../src-shared/model/location';
import { call, callFails, countRows, homeWithTwoAppliances, rows } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';

describe('CollectionManager through a hub', () => {
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

  const create = (name: string, locationViewId?: number) =>
    call(t, 'collection.create', { name, type: 'appliances', viewType: 'grid', ...(locationViewId ? { locationViewId } : {}) });

  it('creates collections in order and lists them', async () => {
    const a = await create('Appliances');
    const b = await create('Kitchen');
    expect(a).toEqual({ id: a.id, name: 'Appliances', type: 'appliances', viewType: 'grid', order: 0, entityIds: [] });
    expect(b.order).toBe(1);
    expect((await call(t, 'collection.list', {})).map((c) => c.name)).toEqual(['Appliances', 'Kitchen']);
    expect((await callFails(t, 'collection.create', { name: 'X', type: 'gadgets', viewType: 'grid' })).code).toBe('invalid_argument');
  });

  it('sets members in order, refusing duplicates and unknown entities', async () => {
    const collection = await create('Appliances');
    await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [washer.id, fridge.id] });
    const got = await call(t, 'collection.get', { collectionId: collection.id });
    expect(got.collection.entityIds).toEqual([washer.id, fridge.id]);
    expect(got.entities.map((e) => [e.name, e.type])).toEqual([
      ['Washer', 'clothes_washer'],
      ['Refrigerator', 'refrigerator'],
    ]);
    expect(got.entities[1]!.states.map((s) => s.type)).toEqual(['temperature']);

    expect((await callFails(t, 'collection.members.set', { collectionId: collection.id, entityIds: [fridge.id, fridge.id] })).code).toBe('invalid_argument');
    expect((await callFails(t, 'collection.members.set', { collectionId: collection.id, entityIds: [fridge.id, 9999] })).code).toBe('not_found');
    expect((await callFails(t, 'collection.members.set', { collectionId: 9999, entityIds: [] })).code).toBe('not_found');
    expect((await call(t, 'collection.get', { collectionId: collection.id })).collection.entityIds).toEqual([washer.id, fridge.id]);

    await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [] });
    expect(countRows(t, 'collection_entity')).toBe(0);
  });

  it('hides archived members', async () => {
    const collection = await create('Appliances');
    await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [washer.id, fridge.id] });
    await call(t, 'entity.archive', { entityId: washer.id });
    expect((await call(t, 'collection.get', { collectionId: collection.id })).entities.map((e) => e.id)).toEqual([fridge.id]);
    expect((await call(t, 'collection.list', {}))[0]!.entityIds).toEqual([fridge.id]);
  });

  it('switches grid and list outside edit mode, but needs edit mode to rename', async () => {
    const collection = await create('Appliances');
    await call(t, 'edit.end', {});
    await call(t, 'collection.update', { collectionId: collection.id, viewType: 'list' });
    expect((await call(t, 'collection.get', { collectionId: collection.id })).collection.viewType).toBe('list');
    expect((await callFails(t, 'collection.update', { collectionId: collection.id, name: 'Stuff' })).code).toBe('conflict');
    await call(t, 'edit.begin', {});
    await call(t, 'collection.update', { collectionId: collection.id, name: 'Stuff', type: 'devices' });
    expect((await call(t, 'collection.get', { collectionId: collection.id })).collection).toMatchObject({ name: 'Stuff', type: 'devices', viewType: 'list' });
  });

  it('is shown on a view once it is in the view and placed, as an icon or a path but never both', async () => {
    const collection = await create('Appliances', viewId);
    await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [fridge.id] });
    // In the view, but not yet placed on the location: not drawn.
    expect((await call(t, 'location.view.get', { locationViewId: viewId })).collections).toEqual([]);

    await call(t, 'collection.place', { collectionId: collection.id, locationId: home.id, placement: { kind: 'icon', x: 40, y: 50, scale: 1, rotate: 0 } });
    const placed = (await call(t, 'location.view.get', { locationViewId: viewId })).collections;
    expect(placed).toEqual([{ ...collection, entityIds: [fridge.id], placement: { kind: 'icon', x: 40, y: 50, scale: 1, rotate: 0 } }]);

    await call(t, 'collection.place', { collectionId: collection.id, locationId: home.id, placement: { kind: 'path', svgPath: 'M 0 0 L 9 0 L 9 9 Z', style: 'area' } });
    expect((await call(t, 'location.view.get', { locationViewId: viewId })).collections[0]!.placement).toEqual({ kind: 'path', svgPath: 'M 0 0 L 9 0 L 9 9 Z', style: 'area' });
    expect(rows(t, 'collection_position')).toEqual([]);
    expect(rows(t, 'collection_path')).toHaveLength(1);

    await call(t, 'collection.view.set', { collectionId: collection.id, locationViewId: viewId, inView: false });
    expect((await call(t, 'location.view.get', { locationViewId: viewId })).collections).toEqual([]);
  });

  it('deletes a collection, leaving its entities', async () => {
    const collection = await create('Appliances', viewId);
    await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [fridge.id] });
    await call(t, 'collection.delete', { collectionId: collection.id });
    expect(await call(t, 'collection.list', {})).toEqual([]);
    expect(countRows(t, 'collection_view')).toBe(0);
    expect(countRows(t, 'entity')).toBe(2);
    expect((await callFails(t, 'collection.delete', { collectionId: collection.id })).code).toBe('not_found');
    expect((await callFails(t, 'collection.get', { collectionId: collection.id })).code).toBe('not_found');
  });

  describe('unknown locations and views are not found, and change nothing', () => {
    it('collection.create into an unknown view', async () => {
      const error = await callFails(t, 'collection.create', { name: 'Ghost', type: 'other', viewType: 'grid', locationViewId: 9999 });
      // A refused create must not leave a collection behind (one that undo does not know about either).
      expect((await call(t, 'collection.list', {})).map((c) => c.name)).toEqual([]);
      expect(error.code).toBe('not_found');
      expect((await call(t, 'edit.begin', {})).undoLabels).not.toContain('add collection Ghost');
    });

    it('collection.place on an unknown location', async () => {
      const collection = await create('Appliances');
      const error = await callFails(t, 'collection.place', { collectionId: collection.id, locationId: 9999, placement: { kind: 'icon', x: 1, y: 1, scale: 1, rotate: 0 } });
      expect(error.code).toBe('not_found');
      expect(countRows(t, 'collection_position')).toBe(0);
    });

    it('collection.view.set on an unknown view', async () => {
      const collection = await create('Appliances');
      const error = await callFails(t, 'collection.view.set', { collectionId: collection.id, locationViewId: 9999, inView: true });
      expect(error.code).toBe('not_found');
      expect(countRows(t, 'collection_view')).toBe(0);
    });
  });
});
