import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EntityDetail } from '../../../src-shared/model/home';
import type { StateDelta } from '../../../src-shared/model/integration';
import type { EntityStateView, LocationViewData, PlacedEntity } from '../../../src-shared/model/location';
import { describeState } from '../../../src-shared/model/state-display';
import { createAppStore } from '../index';
import { CONTROL_PENDING_MS, selectWorstIntegration } from '../status-slice';

const state = (id: number, value: string | null, stale = false): EntityStateView => ({
  id,
  type: 'on_off',
  name: `State ${id}`,
  value,
  units: null,
  controllable: true,
  choices: null,
  range: null,
  ts: 1,
  stale,
  display: describeState('on_off', value, null),
});

const entity = (id: number, states: EntityStateView[]): PlacedEntity => ({
  id,
  name: `Entity ${id}`,
  type: 'light',
  placement: { kind: 'icon', x: id, y: id, scale: 1, rotate: 0 },
  states,
});

const view = (entities: PlacedEntity[]): LocationViewData => ({
  location: { id: 1, name: 'Home', viewBox: { x: 0, y: 0, width: 100, height: 100 }, backgroundUrl: null, order: 0, views: [] },
  view: { id: 1, locationId: 1, name: 'All', type: 'default', style: 'color', viewBox: { x: 0, y: 0, width: 100, height: 100 }, rotate: 0, order: 0 },
  entities,
  collections: [],
});

const delta = (entityId: number, stateId: number, value: string | null, ts = 2, stale = false): StateDelta => ({
  entityId,
  stateId,
  value,
  ts,
  stale,
  display: describeState('on_off', value, null),
});

describe('status slice', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('replaces only the states a delta changes, and never the layout', () => {
    const store = createAppStore();
    const data = view([entity(1, [state(11, 'off'), state(12, '40')]), entity(2, [state(21, 'off')])]);
    store.getState().setViewData(data);
    const { viewData: layout, entityStates: before } = store.getState();
    expect(layout!.entities[0]).not.toHaveProperty('states');
    store.getState().applyStatusChanged({ states: [delta(1, 11, 'on')] });
    const { viewData, entityStates } = store.getState();
    expect(viewData).toBe(layout);
    expect(entityStates).not.toBe(before);
    expect(entityStates.get(1)![0]).toMatchObject({ value: 'on', ts: 2 });
    expect(entityStates.get(1)![1]).toBe(before.get(1)![1]);
    expect(entityStates.get(2)).toBe(before.get(2));
  });

  it('allocates nothing when a delta changes nothing it shows', () => {
    const store = createAppStore();
    const data = view([entity(1, [state(11, 'off')])]);
    store.getState().setViewData(data);
    const before = store.getState();
    store.getState().applyStatusChanged({ states: [delta(1, 11, 'off', 1), delta(9, 99, 'on')] });
    expect(store.getState()).toBe(before);
  });

  it('marks a state stale without touching its value', () => {
    const store = createAppStore();
    store.getState().setViewData(view([entity(1, [state(11, 'on')])]));
    store.getState().applyStatusChanged({ states: [delta(1, 11, 'on', 1, true)] });
    expect(store.getState().entityStates.get(1)![0]).toMatchObject({ value: 'on', stale: true });
  });

  it('keeps what a refetch did not change, and drops the states of entities no longer on the view', () => {
    const store = createAppStore();
    store.getState().setViewData(view([entity(1, [state(11, 'off')]), entity(2, [state(21, 'off')])]));
    const before = store.getState();
    store.getState().setViewData(structuredClone(view([entity(1, [state(11, 'off')]), entity(2, [state(21, 'off')])])));
    expect(store.getState()).toBe(before);
    store.getState().setViewData(view([entity(1, [state(11, 'on')])]));
    const { viewData, entityStates } = store.getState();
    expect(viewData!.location).toBe(before.viewData!.location);
    expect(viewData!.entities[0]).toBe(before.viewData!.entities[0]);
    expect([...entityStates.keys()]).toEqual([1]);
    expect(entityStates.get(1)![0]!.value).toBe('on');
    store.getState().setViewData(null, 'gone');
    expect(store.getState()).toMatchObject({ viewData: null, viewError: 'gone' });
    expect(store.getState().entityStates.size).toBe(0);
  });

  it('applies deltas to the open detail and records new values in its history', () => {
    const store = createAppStore();
    const detail: EntityDetail = {
      id: 1,
      name: 'Lamp',
      type: 'light',
      integration: { name: 'home_assistant', id: 'light.lamp' },
      states: [state(11, 'off')],
      attributes: [],
      recentHistory: [{ stateId: 11, stateName: 'State 11', value: 'off', ts: 1 }],
      locationIds: [],
      collectionIds: [],
    };
    store.getState().setDetail(detail);
    store.getState().applyStatusChanged({ states: [delta(1, 11, 'on', 5)] });
    expect(store.getState().detail!.states[0]!.value).toBe('on');
    expect(store.getState().detail!.recentHistory.map((h) => h.value)).toEqual(['on', 'off']);
    store.getState().applyStatusChanged({ states: [delta(1, 11, 'on', 5, true)] });
    expect(store.getState().detail!.recentHistory).toHaveLength(2);
  });

  it('keeps the states of an open collection\'s members live until it closes', () => {
    const store = createAppStore();
    store.getState().setCollectionStates([{ id: 1, states: [state(11, 'off')] }, { id: 2, states: [state(21, 'off')] }]);
    const before = store.getState().collectionStates;
    store.getState().applyStatusChanged({ states: [delta(1, 11, 'on'), delta(3, 31, 'on')] });
    const after = store.getState().collectionStates;
    expect(after.get(1)![0]).toMatchObject({ value: 'on' });
    expect(after.get(2)).toBe(before.get(2));
    expect(after.has(3)).toBe(false);
    store.getState().setCollectionStates([]);
    expect(store.getState().collectionStates.size).toBe(0);
  });

  it('keeps a requested value until a status change confirms one', () => {
    const store = createAppStore();
    store.getState().beginControl(11, 'on', Date.now());
    expect(store.getState().controls[11]?.requested).toBe('on');
    store.getState().applyStatusChanged({ states: [delta(1, 11, 'on')] });
    expect(store.getState().controls[11]).toBeUndefined();
  });

  it('lets requested values expire with one timer', () => {
    const store = createAppStore();
    store.getState().beginControl(11, 'on', Date.now());
    vi.advanceTimersByTime(1_000);
    store.getState().beginControl(12, '50', Date.now());
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(CONTROL_PENDING_MS - 1_000);
    expect(Object.keys(store.getState().controls)).toEqual(['12']);
    vi.advanceTimersByTime(1_000);
    expect(store.getState().controls).toEqual({});
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reverts a failed request and keeps its error, unless a newer request followed', () => {
    const store = createAppStore();
    const first = store.getState().beginControl(11, 'on', Date.now());
    const second = store.getState().beginControl(11, 'off', Date.now());
    store.getState().controlFailed(11, first, 'refused');
    expect(store.getState().controls[11]).toMatchObject({ requested: 'off', error: null });
    store.getState().controlFailed(11, second, 'refused');
    expect(store.getState().controls[11]).toMatchObject({ requested: null, error: 'refused' });
    expect(vi.getTimerCount()).toBe(0);
    store.getState().clearControlErrors();
    expect(store.getState().controls).toEqual({});
  });

  it('keeps health unchanged when an event repeats it, and finds the worst enabled integration', () => {
    const store = createAppStore();
    const ok = { key: 'a', health: 'ok' as const, lastSuccessAt: 1, message: null };
    store.getState().applyIntegrationHealth(ok);
    const before = store.getState().integrationHealth;
    store.getState().applyIntegrationHealth({ ...ok });
    expect(store.getState().integrationHealth).toBe(before);
    expect(selectWorstIntegration(store.getState())?.key).toBe('a');
    store.getState().applyIntegrationHealth({ key: 'b', health: 'unreachable', lastSuccessAt: 1, message: 'down' });
    store.getState().applyIntegrationHealth({ key: 'c', health: 'disabled', lastSuccessAt: null, message: null });
    expect(selectWorstIntegration(store.getState())?.key).toBe('b');
  });
});
