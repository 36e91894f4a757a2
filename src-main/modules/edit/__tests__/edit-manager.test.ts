import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelKind } from '../../../../src-shared/enums';
import type { EventName, EventPayload } from '../../../../src-shared/ipc/contract';
import { events as eventSchemas } from '../../../../src-shared/ipc/contract';
import type { LocationSummary } from '../../../../src-shared/model/location';
import type { PanelSession } from '../../../ipc/panel-sessions';
import { call, callFails, countRows, PLAIN_PLAN, rows, uploadBuffer } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { MAX_UNDO_STEPS } from '../edit-manager';

/** Every row of the tables an edit of the plan can touch, to compare before and after. */
const PLAN_TABLES = [
  'location',
  'location_view',
  'entity',
  'entity_state',
  'entity_position',
  'entity_path',
  'entity_view',
  'collection',
  'collection_entity',
  'collection_position',
  'collection_path',
  'collection_view',
  'location_attribute',
  'location_attribute_history',
  'entity_attribute',
  'entity_attribute_history',
  'sensor',
  'sensor_history',
  'controller',
];

describe('EditManager through a hub', () => {
  let t: TestHub;
  let other: PanelSession;

  beforeEach(async () => {
    t = await createTestHub();
    other = t.hub.panels.open(PanelKind.TEST, false, t.clock.now());
  });
  afterEach(async () => {
    await t.close();
  });

  const dump = () => Object.fromEntries(PLAN_TABLES.map((table) => [table, rows(t, table)]));
  const begin = (panel?: PanelSession) => call(t, 'edit.begin', {}, panel);
  const undo = () => call(t, 'edit.undo', {});
  const locationNamed = async (name: string): Promise<LocationSummary | undefined> => (await call(t, 'location.list', {})).find((l) => l.name === name);

  /** Builds a small home and then clears the undo stack, so each test starts from a known plan. */
  async function seed() {
    await begin();
    const ground = await call(t, 'location.create', { name: 'Ground' });
    const upper = await call(t, 'location.create', { name: 'Upper' });
    const viewId = ground.views[0]!.id;
    const light = await call(t, 'entity.create', { name: 'Light', type: 'light', locationViewId: viewId, placement: { kind: 'icon', x: 100, y: 200, scale: 1, rotate: 0 } });
    await call(t, 'edit.end', {});
    await begin();
    return { ground, upper, viewId, light };
  }

  it('refuses every change of the plan outside edit mode, and changes nothing', async () => {
    const { ground, viewId, light } = await seed();
    await call(t, 'edit.end', {});
    const before = dump();
    const attempts: Array<[string, unknown]> = [
      ['location.create', { name: 'Attic' }],
      ['location.rename', { locationId: ground.id, name: 'Basement' }],
      ['location.reorder', { locationIds: [ground.id] }],
      ['location.delete', { locationId: ground.id }],
      ['location.view.create', { locationId: ground.id, name: 'Security', type: 'security' }],
      ['location.view.update', { locationViewId: viewId, style: 'greyscale' }],
      ['location.view.reorder', { locationId: ground.id, locationViewIds: [viewId] }],
      ['location.view.delete', { locationViewId: viewId }],
      ['entity.create', { name: 'Door', type: 'door', locationViewId: viewId }],
      ['entity.update', { entityId: light.id, name: 'Lamp' }],
      ['entity.place', { entityId: light.id, locationId: ground.id, placement: { kind: 'icon', x: 1, y: 1, scale: 1, rotate: 0 } }],
      ['entity.view.set', { entityId: light.id, locationViewId: viewId, inView: false }],
      ['entity.placeMany', { locationViewId: viewId, entityIds: [light.id] }],
      ['entity.archive', { entityId: light.id }],
      ['collection.create', { name: 'Lights', type: 'devices', viewType: 'grid' }],
    ];
    for (const [name, arg] of attempts) {
      const error = await callFails(t, name, arg);
      expect(error.code, name).toBe('conflict');
      expect(error.message, name).toMatch(/edit mode/);
    }
    const uploadId = await uploadBuffer(t, 'plan.svg', Buffer.from(PLAIN_PLAN));
    expect((await callFails(t, 'location.background.set', { locationId: ground.id, uploadId })).code).toBe('conflict');
    expect(dump()).toEqual(before);
    expect((await callFails(t, 'edit.undo', {})).code).toBe('conflict');
  });

  it('lets one panel edit at a time; closing the editing panel releases edit mode', async () => {
    const state = await begin(other);
    expect(state).toEqual({ editingPanelId: other.id, undoLabels: [] });
    const error = await callFails(t, 'edit.begin', {});
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/Another panel/);
    expect((await callFails(t, 'location.create', { name: 'Mine' })).code).toBe('conflict');
    // The panel that is not editing cannot end or undo the other's session either.
    expect(await call(t, 'edit.end', {})).toMatchObject({ editingPanelId: other.id });
    expect((await callFails(t, 'edit.undo', {})).code).toBe('conflict');

    await call(t, 'location.create', { name: 'Theirs' }, other);
    // Beginning again on the editing panel keeps its undo steps.
    expect((await begin(other)).undoLabels).toEqual(['add location Theirs']);

    // Closing a panel that is not editing changes nothing.
    const bystander = t.hub.panels.open(PanelKind.TEST, false, t.clock.now());
    t.hub.closePanel(bystander.id);
    expect(t.hub.edits.state().editingPanelId).toBe(other.id);

    t.hub.closePanel(other.id);
    expect(t.hub.edits.state()).toEqual({ editingPanelId: null, undoLabels: [] });
    expect(await begin()).toEqual({ editingPanelId: t.panel.id, undoLabels: [] });
    await call(t, 'location.create', { name: 'Mine' });
    expect((await call(t, 'location.list', {})).map((l) => l.name)).toEqual(['Theirs', 'Mine']);
  });

  it('undoes each edit in reverse order', async () => {
    await begin();
    const ground = await call(t, 'location.create', { name: 'Ground' });
    const viewId = ground.views[0]!.id;
    const light = await call(t, 'entity.create', { name: 'Light', type: 'light', locationViewId: viewId });
    await call(t, 'entity.place', { entityId: light.id, locationId: ground.id, placement: { kind: 'icon', x: 10, y: 20, scale: 2, rotate: 0 } });
    await call(t, 'entity.place', { entityId: light.id, locationId: ground.id, placement: { kind: 'path', svgPath: 'M 0 0 L 5 5', style: 'line' } });
    await call(t, 'location.rename', { locationId: ground.id, name: 'Ground floor' });
    const security = await call(t, 'location.view.create', { locationId: ground.id, name: 'Security', type: 'security' });
    await call(t, 'location.view.update', { locationViewId: security.id, style: 'greyscale', viewBox: { x: 1, y: 2, width: 3, height: 4 } });
    await call(t, 'entity.archive', { entityId: light.id });

    const state = await begin();
    expect(state.undoLabels).toEqual([
      'delete Light',
      'change view',
      'add view Security',
      'rename location to Ground floor',
      'reshape item',
      'move item',
      'add Light',
      'add location Ground',
    ]);

    const placed = async () => (await call(t, 'location.view.get', { locationViewId: viewId })).entities;
    expect(await placed()).toEqual([]);

    expect((await undo()).undoLabels[0]).toBe('change view');
    expect((await placed()).map((e) => e.id)).toEqual([light.id]);
    expect(await call(t, 'entity.archived.list', {})).toEqual([]);

    await undo();
    expect(await call(t, 'location.view.get', { locationViewId: security.id })).toMatchObject({ view: { style: 'color', viewBox: ground.viewBox } });

    await undo();
    expect((await callFails(t, 'location.view.get', { locationViewId: security.id })).code).toBe('not_found');
    expect(countRows(t, 'location_view', { location_id: ground.id })).toBe(1);

    await undo();
    expect((await locationNamed('Ground'))?.id).toBe(ground.id);

    await undo();
    expect((await placed())[0]!.placement).toEqual({ kind: 'icon', x: 10, y: 20, scale: 2, rotate: 0 });
    expect(countRows(t, 'entity_path', { entity_id: light.id })).toBe(0);

    await undo();
    expect((await placed())[0]!.placement).toEqual(light.placement);

    await undo();
    expect(await placed()).toEqual([]);
    for (const table of ['entity', 'entity_state', 'entity_view', 'entity_position', 'entity_path']) expect(countRows(t, table), table).toBe(0);

    expect(await undo()).toEqual({ editingPanelId: t.panel.id, undoLabels: [] });
    expect(await call(t, 'location.list', {})).toEqual([]);
    expect(countRows(t, 'location_view')).toBe(0);

    const error = await callFails(t, 'edit.undo', {});
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/Nothing to undo/);
  });

  it('undoes a location delete: the location, its views, placements, memberships and attributes come back with the same ids', async () => {
    const { ground, viewId, light } = await seed();
    const background = await call(t, 'location.background.set', { locationId: ground.id, uploadId: await uploadBuffer(t, 'ground.svg', Buffer.from(PLAIN_PLAN)) });
    const security = await call(t, 'location.view.create', { locationId: ground.id, name: 'Security', type: 'security' });
    const door = await call(t, 'entity.create', { name: 'Door', type: 'door', locationViewId: viewId });
    await call(t, 'entity.view.set', { entityId: door.id, locationViewId: security.id, inView: true });
    const room = await call(t, 'entity.create', { name: 'Kitchen', type: 'room_area', locationViewId: viewId });
    const collection = await call(t, 'collection.create', { name: 'Everything', type: 'other', viewType: 'list', locationViewId: viewId });
    await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [light.id, door.id] });
    await call(t, 'collection.place', { collectionId: collection.id, locationId: ground.id, placement: { kind: 'icon', x: 50, y: 60, scale: 1, rotate: 0 } });
    const owner = { kind: 'location' as const, id: ground.id };
    const note = await call(t, 'attribute.create', { owner, name: 'Paint', valueType: 'text', value: 'White' });
    t.clock.advance(1_000);
    await call(t, 'attribute.update', { owner, attributeId: note.id, value: 'Ivory' });
    expect(countRows(t, 'location_attribute_history')).toBe(1);
    expect(countRows(t, 'entity_path', { entity_id: room.id })).toBe(1);
    expect(countRows(t, 'collection_view')).toBe(1);

    const before = dump();
    const viewBefore = await call(t, 'location.view.get', { locationViewId: viewId });
    await call(t, 'location.delete', { locationId: ground.id });
    expect(countRows(t, 'location', { id: ground.id })).toBe(0);
    expect(countRows(t, 'location_view', { location_id: ground.id })).toBe(0);
    expect(countRows(t, 'entity_position', { location_id: ground.id })).toBe(0);
    expect(countRows(t, 'location_attribute')).toBe(0);
    expect(countRows(t, 'entity_view')).toBe(0);
    expect(countRows(t, 'entity')).toBe(3);

    const state = await undo();
    expect(state.undoLabels[0]).not.toMatch(/^delete location/);
    expect(dump()).toEqual(before);
    expect(await call(t, 'location.view.get', { locationViewId: viewId })).toEqual(viewBefore);
    expect((await call(t, 'location.view.get', { locationViewId: security.id })).entities.map((e) => e.id)).toEqual([door.id]);
    const list = await call(t, 'attribute.list', { owner });
    expect(list.map((a) => [a.id, a.value])).toEqual([[note.id, 'Ivory']]);
    expect((await call(t, 'attribute.history.get', { owner, attributeId: note.id })).map((h) => h.value)).toEqual(['White']);
    // The background file was kept for the undo.
    const restored = (await call(t, 'location.list', {})).find((l) => l.id === ground.id)!;
    expect(restored.backgroundUrl).toBe(background.location.backgroundUrl);
    expect(existsSync(path.join(t.dataDir, restored.backgroundUrl!.replace(/^data\//, '')))).toBe(true);
  });

  /**
   * Undo puts back the rows an edit touched. Those rows have children (an entity's states, history, placements and
   * memberships; a location's views; a view's memberships) that the edit never touched: they must survive the undo.
   */
  describe('undo keeps what hangs off the rows it restores', () => {
    async function richHome() {
      const home = await seed();
      const security = await call(t, 'location.view.create', { locationId: home.ground.id, name: 'Security', type: 'security' });
      await call(t, 'entity.view.set', { entityId: home.light.id, locationViewId: security.id, inView: true });
      const collection = await call(t, 'collection.create', { name: 'Lights', type: 'devices', viewType: 'grid', locationViewId: home.viewId });
      await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [home.light.id] });
      await call(t, 'collection.place', { collectionId: collection.id, locationId: home.ground.id, placement: { kind: 'icon', x: 5, y: 5, scale: 1, rotate: 0 } });
      const entityAttribute = await call(t, 'attribute.create', { owner: { kind: 'entity', id: home.light.id }, name: 'Bulb', valueType: 'text', value: 'E27' });
      await call(t, 'attribute.update', { owner: { kind: 'entity', id: home.light.id }, attributeId: entityAttribute.id, value: 'GU10' });
      await call(t, 'attribute.create', { owner: { kind: 'location', id: home.ground.id }, name: 'Paint', valueType: 'text', value: 'White' });
      const [onOff] = rows<{ id: number }>(t, 'entity_state', { entity_id: home.light.id });
      const sqlite = t.hub.store.sqlite;
      const sensorId = Number(sqlite.prepare(`insert into sensor (entity_state_id, name, created_at) values (?, 'on', 1)`).run(onOff!.id).lastInsertRowid);
      sqlite.prepare(`insert into sensor_history (sensor_id, value, ts) values (?, 'on', 1000)`).run(sensorId);
      await call(t, 'edit.end', {});
      await begin();
      return { ...home, security, collection };
    }

    type Home = Awaited<ReturnType<typeof richHome>>;
    const edits: Array<[string, (h: Home) => Promise<unknown>]> = [
      ['entity.update', (h) => call(t, 'entity.update', { entityId: h.light.id, name: 'Lamp' })],
      ['entity.archive', (h) => call(t, 'entity.archive', { entityId: h.light.id })],
      ['location.rename', (h) => call(t, 'location.rename', { locationId: h.ground.id, name: 'Ground floor' })],
      ['location.reorder', (h) => call(t, 'location.reorder', { locationIds: [h.upper.id, h.ground.id] })],
      ['location.view.update', (h) => call(t, 'location.view.update', { locationViewId: h.viewId, name: 'All' })],
      ['location.view.reorder', (h) => call(t, 'location.view.reorder', { locationId: h.ground.id, locationViewIds: [h.security.id, h.viewId] })],
      ['collection.update', (h) => call(t, 'collection.update', { collectionId: h.collection.id, name: 'Lamps' })],
      [
        'location.background.set',
        async (h) => call(t, 'location.background.set', { locationId: h.ground.id, uploadId: await uploadBuffer(t, 'plan.svg', Buffer.from(PLAIN_PLAN)) }),
      ],
    ];

    it.each(edits)('after %s', async (_, edit) => {
      const home = await richHome();
      const before = dump();
      await edit(home);
      await undo();
      expect(dump()).toEqual(before);
    });
  });

  it('undoes a view delete with its memberships', async () => {
    const { ground, viewId, light } = await seed();
    const security = await call(t, 'location.view.create', { locationId: ground.id, name: 'Security', type: 'security' });
    await call(t, 'entity.view.set', { entityId: light.id, locationViewId: security.id, inView: true });
    const collection = await call(t, 'collection.create', { name: 'Lights', type: 'devices', viewType: 'grid', locationViewId: security.id });
    const before = dump();
    await call(t, 'location.view.delete', { locationViewId: security.id });
    expect(countRows(t, 'entity_view', { location_view_id: security.id })).toBe(0);
    expect(countRows(t, 'collection_view', { collection_id: collection.id })).toBe(0);
    expect(countRows(t, 'entity_view', { location_view_id: viewId })).toBe(1);

    await undo();
    expect(dump()).toEqual(before);
    expect((await call(t, 'location.view.get', { locationViewId: security.id })).entities.map((e) => e.id)).toEqual([light.id]);
  });

  it('undoes view and location reorders and entity view membership', async () => {
    const { ground, upper, viewId, light } = await seed();
    const security = await call(t, 'location.view.create', { locationId: ground.id, name: 'Security', type: 'security' });
    const before = dump();
    await call(t, 'location.reorder', { locationIds: [upper.id, ground.id] });
    await call(t, 'location.view.reorder', { locationId: ground.id, locationViewIds: [security.id, viewId] });
    await call(t, 'entity.view.set', { entityId: light.id, locationViewId: upper.views[0]!.id, inView: true });
    await call(t, 'entity.view.set', { entityId: light.id, locationViewId: viewId, inView: false });
    expect(countRows(t, 'entity_position', { entity_id: light.id })).toBe(2);
    for (let i = 0; i < 4; i += 1) await undo();
    expect(dump()).toEqual(before);
  });

  it('undoes collection create, delete and member changes', async () => {
    const { ground, viewId, light } = await seed();
    const door = await call(t, 'entity.create', { name: 'Door', type: 'door', locationViewId: viewId });
    await call(t, 'edit.end', {});
    await begin();
    const start = dump();

    const collection = await call(t, 'collection.create', { name: 'Stuff', type: 'other', viewType: 'grid', locationViewId: viewId });
    await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [light.id, door.id] });
    await call(t, 'collection.place', { collectionId: collection.id, locationId: ground.id, placement: { kind: 'path', svgPath: 'M 0 0 L 9 0 L 9 9 Z', style: 'area' } });
    const full = dump();
    await call(t, 'collection.members.set', { collectionId: collection.id, entityIds: [door.id] });
    await call(t, 'collection.delete', { collectionId: collection.id });
    expect(await call(t, 'collection.list', {})).toEqual([]);
    expect(countRows(t, 'collection_entity')).toBe(0);

    await undo();
    expect((await call(t, 'collection.get', { collectionId: collection.id })).collection.entityIds).toEqual([door.id]);
    expect((await call(t, 'location.view.get', { locationViewId: viewId })).collections.map((c) => c.id)).toEqual([collection.id]);
    await undo();
    expect(dump()).toEqual(full);
    expect((await call(t, 'collection.get', { collectionId: collection.id })).collection.entityIds).toEqual([light.id, door.id]);
    await undo();
    await undo();
    expect(countRows(t, 'collection_entity')).toBe(0);
    await undo();
    expect(dump()).toEqual(start);
    expect((await callFails(t, 'collection.get', { collectionId: collection.id })).code).toBe('not_found');
  });

  it('edit.end clears the undo stack', async () => {
    await begin();
    await call(t, 'location.create', { name: 'Ground' });
    expect((await call(t, 'edit.end', {})).undoLabels).toEqual([]);
    expect(await begin()).toEqual({ editingPanelId: t.panel.id, undoLabels: [] });
    expect((await callFails(t, 'edit.undo', {})).code).toBe('conflict');
    expect((await call(t, 'location.list', {})).map((l) => l.name)).toEqual(['Ground']);
  });

  it(`keeps at most ${MAX_UNDO_STEPS} undo steps, dropping the oldest`, async () => {
    const { ground } = await seed();
    const renames = MAX_UNDO_STEPS + 1;
    for (let i = 1; i <= renames; i += 1) await call(t, 'location.rename', { locationId: ground.id, name: `Name ${i}` });
    const state = await begin();
    expect(state.undoLabels).toHaveLength(MAX_UNDO_STEPS);
    expect(state.undoLabels[0]).toBe(`rename location to Name ${renames}`);
    expect(state.undoLabels.at(-1)).toBe('rename location to Name 2');
    for (let i = 0; i < MAX_UNDO_STEPS; i += 1) await undo();
    expect((await callFails(t, 'edit.undo', {})).code).toBe('conflict');
    // The first rename fell off the stack, so it stays.
    expect((await call(t, 'location.list', {})).find((l) => l.id === ground.id)!.name).toBe('Name 1');
  });

  it('a failed edit records no undo step', async () => {
    const { ground } = await seed();
    expect((await callFails(t, 'location.reorder', { locationIds: [ground.id] })).code).toBe('invalid_argument');
    expect((await callFails(t, 'location.rename', { locationId: 9999, name: 'x' })).code).toBe('not_found');
    expect((await begin()).undoLabels).toEqual([]);
  });

  it('announces edit mode and plan changes', async () => {
    const received: Array<{ name: EventName; payload: unknown }> = [];
    const off = t.hub.events.onAny((name, payload) => received.push({ name, payload }));
    await begin();
    const ground = await call(t, 'location.create', { name: 'Ground' });
    await call(t, 'location.rename', { locationId: ground.id, name: 'Ground floor' });
    await undo();
    await call(t, 'edit.end', {});
    await begin(other);
    t.hub.closePanel(other.id);
    off();

    for (const { name, payload } of received) expect(eventSchemas[name].safeParse(payload).success, name).toBe(true);
    const edits = received.filter((e) => e.name === 'edit.changed').map((e) => e.payload as EventPayload<'edit.changed'>);
    expect(edits).toEqual([
      { editingPanelId: t.panel.id, undoLabels: [] },
      { editingPanelId: t.panel.id, undoLabels: ['add location Ground'] },
      { editingPanelId: t.panel.id, undoLabels: ['rename location to Ground floor', 'add location Ground'] },
      { editingPanelId: t.panel.id, undoLabels: ['add location Ground'] },
      { editingPanelId: null, undoLabels: [] },
      { editingPanelId: other.id, undoLabels: [] },
      { editingPanelId: null, undoLabels: [] },
    ]);
    const changes = received.filter((e) => e.name === 'home.changed').map((e) => (e.payload as EventPayload<'home.changed'>).reason);
    expect(changes).toEqual(['location created', 'location renamed', 'undo: rename location to Ground floor']);
  });
});
