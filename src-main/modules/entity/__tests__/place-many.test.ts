import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocationSummary, PlacedEntity, ViewBox } from '../../../../src-shared/model/location';
import { PLAN_ICON_DISC_RADIUS, PLAN_ICON_UNIT_FRACTION } from '../../../../src-shared/model/placement';
import { call, callFails, countRows, rows } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { insidePolygon } from '../../location/free-spot-planner';

const TYPES = ['light', 'switch', 'motion_sensor', 'door', 'thermostat'] as const;

describe('entity.placeMany through a hub', () => {
  let t: TestHub;
  let home: LocationSummary;
  let viewId: number;

  beforeEach(async () => {
    t = await createTestHub();
    await call(t, 'edit.begin', {});
    home = await call(t, 'location.create', { name: 'Home' });
    viewId = home.views[0]!.id;
  });
  afterEach(async () => {
    await t.close();
  });

  /** Entities as a sync creates them: on no location and in no view. */
  function imported(names: readonly string[]): number[] {
    const insert = t.hub.store.sqlite.prepare(
      `insert into entity (name, entity_type_str, integration_name, integration_id, created_at, updated_at) values (?, ?, 'home_assistant', ?, 1, 1)`,
    );
    return names.map((name, i) => Number(insert.run(name, TYPES[i % TYPES.length], `sim.item_${i}`).lastInsertRowid));
  }
  const numbered = (count: number, prefix = 'Device') => Array.from({ length: count }, (_, i) => `${prefix} ${String(i).padStart(4, '0')}`);
  const viewData = (id = viewId) => call(t, 'location.view.get', { locationViewId: id });
  const planRows = () => ({ views: rows(t, 'entity_view'), positions: rows(t, 'entity_position'), paths: rows(t, 'entity_path') });

  /** No two icons' discs overlap, and every disc is inside `box`; icons are sized by a view `viewWidth` wide. */
  function expectApartAndInside(entities: readonly PlacedEntity[], box: ViewBox, viewWidth = box.width): void {
    const unit = viewWidth * PLAN_ICON_UNIT_FRACTION;
    const icons = entities.map((e) => (e.placement.kind === 'icon' ? e.placement : null)).filter((p) => p !== null);
    expect(icons).toHaveLength(entities.length);
    for (const [i, a] of icons.entries()) {
      const ra = unit * PLAN_ICON_DISC_RADIUS * a.scale;
      expect(a.x - ra >= box.x && a.x + ra <= box.x + box.width && a.y - ra >= box.y && a.y + ra <= box.y + box.height, `icon at ${a.x},${a.y} inside`).toBe(true);
      for (const b of icons.slice(i + 1)) {
        const rb = unit * PLAN_ICON_DISC_RADIUS * b.scale;
        if (Math.hypot(a.x - b.x, a.y - b.y) < ra + rb) throw new Error(`icons at ${a.x},${a.y} and ${b.x},${b.y} overlap`);
      }
    }
  }

  it('places 1,000 imported items in one call, apart and inside the view, as one undo step', async () => {
    const ids = imported(numbered(1000));
    const before = planRows();
    const undoBefore = t.hub.edits.state().undoLabels;
    const result = await call(t, 'entity.placeMany', { locationViewId: viewId, entityIds: ids });
    expect(result.placed).toBe(1000);
    expect(result.notPlaced).toEqual([]);
    expect(result.scale).toBeLessThan(1);
    const data = await viewData();
    expect(data.entities.map((e) => e.id).sort((a, b) => a - b)).toEqual(ids);
    expectApartAndInside(data.entities, data.view.viewBox);
    expect(t.hub.edits.state().undoLabels).toEqual(['place 1000 items', ...undoBefore]);

    expect((await call(t, 'edit.undo', {})).undoLabels).toEqual(undoBefore);

    // Undo took all of it off again, in one step.
    expect(planRows()).toEqual(before);
    expect((await viewData()).entities).toEqual([]);
  });

  it('keeps items already on the location where they are, and keeps new ones clear of them', async () => {
    const lamp = await call(t, 'entity.create', { name: 'Lamp', type: 'light', locationViewId: viewId, placement: { kind: 'icon', x: 600, y: 400, scale: 1.5, rotate: 0 } });
    const security = await call(t, 'location.view.create', { locationId: home.id, name: 'Security', type: 'security' });
    const ids = imported(numbered(30));
    const result = await call(t, 'entity.placeMany', { locationViewId: security.id, entityIds: [lamp.id, ...ids] });
    expect(result).toEqual({ placed: 31, notPlaced: [], scale: 1 });
    const data = await viewData(security.id);
    expect(data.entities.find((e) => e.id === lamp.id)!.placement).toEqual({ kind: 'icon', x: 600, y: 400, scale: 1.5, rotate: 0 });
    expectApartAndInside(data.entities, data.view.viewBox);
  });

  it('puts the items of a room drawn on the plan inside that room', async () => {
    const kitchen = 'M 100 100 L 500 100 L 500 400 L 100 400 Z';
    await call(t, 'entity.create', { name: 'Kitchen', type: 'room_area', locationViewId: viewId, placement: { kind: 'path', style: 'area', svgPath: kitchen } });
    const ids = imported(['Kitchen light', 'Kitchen fridge', 'Porch light', 'Kitchen motion']);
    await call(t, 'entity.placeMany', { locationViewId: viewId, entityIds: ids });
    const outline = [
      { x: 100, y: 100 },
      { x: 500, y: 100 },
      { x: 500, y: 400 },
      { x: 100, y: 400 },
    ];
    const data = await viewData();
    for (const entity of data.entities.filter((e) => e.placement.kind === 'icon')) {
      if (entity.placement.kind !== 'icon') continue;
      expect(insidePolygon(entity.placement, outline), entity.name).toBe(entity.name.startsWith('Kitchen'));
    }
  });

  it('plans in what a rotated view shows', async () => {
    await call(t, 'location.view.update', { locationViewId: viewId, viewBox: { x: 0, y: 0, width: 1200, height: 800 }, rotate: 90 });
    const ids = imported(numbered(200));
    expect((await call(t, 'entity.placeMany', { locationViewId: viewId, entityIds: ids })).placed).toBe(200);
    const data = await viewData();
    // Turned as the panel draws them, every icon is inside the view and the plan.
    const pivot = { x: 600, y: 400 };
    const turned = data.entities.map((e) => {
      if (e.placement.kind !== 'icon') throw new Error('not an icon');
      const { x, y } = e.placement;
      return { ...e, placement: { ...e.placement, x: pivot.x - (y - pivot.y), y: pivot.y + (x - pivot.x) } };
    });
    expectApartAndInside(turned, { x: 200, y: 0, width: 800, height: 800 }, 1200);
    expectApartAndInside(data.entities, data.location.viewBox, 1200);
  });

  it('answers by name the items a crowded view has no room for, and leaves them out of it', async () => {
    // A strip: two rows of the smallest icons at most.
    await call(t, 'location.view.update', { locationViewId: viewId, viewBox: { x: 0, y: 380, width: 1200, height: 40 } });
    const ids = imported(numbered(200));
    const result = await call(t, 'entity.placeMany', { locationViewId: viewId, entityIds: ids });
    expect(result.notPlaced.length).toBeGreaterThan(0);
    expect(result.placed + result.notPlaced.length).toBe(200);
    expect(result.notPlaced[0]!.name).toMatch(/^Device \d{4}$/);
    const data = await viewData();
    expect(data.entities).toHaveLength(result.placed);
    const inView = new Set(data.entities.map((e) => e.id));
    expect(result.notPlaced.every((n) => !inView.has(n.entityId))).toBe(true);
    expect(countRows(t, 'entity_position')).toBe(result.placed);
    expectApartAndInside(data.entities, data.view.viewBox);
  });

  it('refuses unknown or archived items with a clear message, and places nothing', async () => {
    const ids = imported(['Hall light', 'Porch light']);
    const before = planRows();
    const undoBefore = t.hub.edits.state().undoLabels;
    const unknown = await callFails(t, 'entity.placeMany', { locationViewId: viewId, entityIds: [...ids, 99_999] });
    expect(unknown.code).toBe('not_found');
    expect(unknown.message).toBe('Nothing was placed: no item 99999.');
    t.hub.store.sqlite.prepare('update entity set archived_at = 5 where id = ?').run(ids[1]);
    const archived = await callFails(t, 'entity.placeMany', { locationViewId: viewId, entityIds: ids });
    expect(archived.message).toBe('Nothing was placed: Porch light is in the Archive.');
    expect((await callFails(t, 'entity.placeMany', { locationViewId: 99_999, entityIds: [ids[0]!] })).code).toBe('not_found');
    expect((await callFails(t, 'entity.placeMany', { locationViewId: viewId, entityIds: [] })).code).toBe('invalid_argument');
    expect((await callFails(t, 'entity.placeMany', { locationViewId: viewId, entityIds: [0.5] })).code).toBe('invalid_argument');
    expect(planRows()).toEqual(before);
    expect(t.hub.edits.state().undoLabels).toEqual(undoBefore);
  });

  it('entity.view.set, one item at a time, also finds each a free spot', async () => {
    const ids = imported(numbered(40));
    for (const entityId of ids) await call(t, 'entity.view.set', { entityId, locationViewId: viewId, inView: true });
    const data = await viewData();
    expect(data.entities).toHaveLength(40);
    expectApartAndInside(data.entities, data.view.viewBox);
  });

  it('needs edit mode', async () => {
    const ids = imported(['Hall light']);
    await call(t, 'edit.end', {});
    const error = await callFails(t, 'entity.placeMany', { locationViewId: viewId, entityIds: ids });
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/edit mode/);
    expect(countRows(t, 'entity_view')).toBe(0);
  });
});

describe('new items in edit mode', () => {
  let t: TestHub;
  let viewId: number;

  beforeEach(async () => {
    t = await createTestHub();
    await call(t, 'edit.begin', {});
    viewId = (await call(t, 'location.create', { name: 'Home' })).views[0]!.id;
  });
  afterEach(async () => {
    await t.close();
  });

  it('land at a free spot near the point the panel is looking at, never on one another', async () => {
    const near = { x: 300, y: 250 };
    const created: PlacedEntity[] = [];
    for (let i = 0; i < 12; i++) created.push(await call(t, 'entity.create', { name: `Light ${i}`, type: 'light', locationViewId: viewId, near }));
    expect(created[0]!.placement).toEqual({ kind: 'icon', x: 300, y: 250, scale: 1, rotate: 0 });
    const spots = created.map((e) => (e.placement.kind === 'icon' ? e.placement : null));
    expect(new Set(spots.map((s) => `${s!.x},${s!.y}`)).size).toBe(12);
    const unit = 1200 * PLAN_ICON_UNIT_FRACTION;
    for (const [i, a] of spots.entries()) {
      expect(Math.hypot(a!.x - near.x, a!.y - near.y)).toBeLessThan(4 * 3 * unit);
      for (const b of spots.slice(i + 1)) expect(Math.hypot(a!.x - b!.x, a!.y - b!.y)).toBeGreaterThanOrEqual(2 * unit * PLAN_ICON_DISC_RADIUS);
    }
    // Without a point, the middle of the view.
    const middle = await call(t, 'entity.create', { name: 'Fan', type: 'ceiling_fan', locationViewId: viewId });
    expect(middle.placement).toEqual({ kind: 'icon', x: 600, y: 400, scale: 1, rotate: 0 });
    // Areas and lines are still drawn as shapes in the middle.
    expect((await call(t, 'entity.create', { name: 'Den', type: 'room_area', locationViewId: viewId, near })).placement).toMatchObject({ kind: 'path', style: 'area' });
  });
});
