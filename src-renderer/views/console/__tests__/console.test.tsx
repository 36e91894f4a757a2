import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../../src-shared/model/alert';
import type { StateDelta } from '../../../../src-shared/model/integration';
import type { EntityStateView, LocationViewData } from '../../../../src-shared/model/location';
import { describeState } from '../../../../src-shared/model/state-display';
import { createAppStore } from '../../../store';
import { MAX_HELD_STATES } from '../../../store/console-slice';
import { newAlarms, viewToShow } from '../auto-view';
import { BURN_IN_OFFSETS, nextBurnInStep } from '../burn-in';

const onOff = (id: number, value: string): EntityStateView => ({
  id,
  type: 'on_off',
  name: `State ${id}`,
  value,
  units: null,
  controllable: true,
  choices: null,
  range: null,
  ts: 1,
  stale: false,
  display: describeState('on_off', value, null),
});

const delta = (stateId: number, value: string, ts: number): StateDelta => ({ entityId: 1, stateId, value, ts, stale: false, display: describeState('on_off', value, null) });

const planWithLight = (): LocationViewData => ({
  location: { id: 1, name: 'Home', viewBox: { x: 0, y: 0, width: 100, height: 100 }, backgroundUrl: null, order: 0, views: [] },
  view: { id: 1, locationId: 1, name: 'All', type: 'default', style: 'color', viewBox: { x: 0, y: 0, width: 100, height: 100 }, rotate: 0, order: 0 },
  entities: [{ id: 1, name: 'Lamp', type: 'light', placement: { kind: 'icon', x: 1, y: 1, scale: 1, rotate: 0 }, states: [onOff(11, 'off')] }],
  collections: [],
});

const alert = (id: number, count: number, level: AlertView['level'], alarmEntities: number[][]): AlertView => ({
  id,
  signature: `event.security.${level}`,
  source: 'event',
  level,
  title: `Alert ${id}`,
  count,
  firstAt: 1,
  lastAt: 2,
  endsAt: null,
  alarms: alarmEntities.map((entityIds, index) => ({ at: 10 - index, title: 't', details: 'd', entityIds })),
  entityIds: [...new Set(alarmEntities.flat())],
  closedAt: null,
  closedBy: null,
});

describe('status changes while asleep', () => {
  it('are held, newest per state, without touching the store, and drawn on waking', () => {
    const store = createAppStore();
    store.getState().setViewData(planWithLight());
    store.getState().fallAsleep();
    const asleep = store.getState();
    store.getState().receiveStatusChanged({ states: [delta(11, 'on', 2)] });
    store.getState().receiveStatusChanged({ states: [delta(11, 'off', 3), delta(11, 'on', 4)] });
    // Nothing under the overlay re-renders: the state object is the same one.
    expect(store.getState()).toBe(asleep);
    store.getState().wake();
    expect(store.getState().asleep).toBe(false);
    expect(store.getState().entityStates.get(1)![0]).toMatchObject({ value: 'on', ts: 4 });
  });

  it('are applied at once while awake', () => {
    const store = createAppStore();
    store.getState().setViewData(planWithLight());
    store.getState().receiveStatusChanged({ states: [delta(11, 'on', 2)] });
    expect(store.getState().entityStates.get(1)![0]).toMatchObject({ value: 'on' });
  });

  it('past the bound are dropped, and waking refetches the view instead', () => {
    const store = createAppStore();
    store.getState().fallAsleep();
    const revision = store.getState().homeRevision;
    store.getState().receiveStatusChanged({ states: Array.from({ length: MAX_HELD_STATES + 1 }, (_, i) => delta(i + 1, 'on', 2)) });
    store.getState().wake();
    expect(store.getState().homeRevision).toBe(revision + 1);
  });
});

describe('the console status', () => {
  it('takes this panel’s lock from the pushed list of locked panels', () => {
    const store = createAppStore();
    store.setState({ panel: { panelId: 'me', kind: 'browser', isLocal: true } });
    store.getState().applyConsoleChanged({ pinSet: true, sleepScheduled: false, lockedPanelIds: ['other'] });
    expect(store.getState().consoleStatus).toEqual({ locked: false, pinSet: true, sleepScheduled: false });
    const before = store.getState().consoleStatus;
    store.getState().applyConsoleChanged({ pinSet: true, sleepScheduled: false, lockedPanelIds: [] });
    expect(store.getState().consoleStatus).toBe(before);
    store.getState().applyConsoleChanged({ pinSet: true, sleepScheduled: false, lockedPanelIds: ['other', 'me'] });
    expect(store.getState().consoleStatus?.locked).toBe(true);
  });
});

describe('new alarms', () => {
  it('are alerts that opened or grew, with the newest alarms’ items first', () => {
    const before = [alert(1, 1, 'warning', [[5]])];
    expect(newAlarms(before, before)).toEqual({ entityIds: [], critical: false });
    expect(newAlarms(before, [])).toEqual({ entityIds: [], critical: false });
    // Alert 1 grew by one alarm about item 7; alert 2 is new and CRITICAL.
    const after = [alert(2, 1, 'critical', [[9]]), alert(1, 2, 'warning', [[7], [5]])];
    expect(newAlarms(before, after)).toEqual({ entityIds: [9, 7, 5], critical: true });
    expect(newAlarms([], [alert(3, 1, 'info', [[]])])).toEqual({ entityIds: [], critical: false });
  });

  it('show the first view with one of their items, or none when the shown view has one', () => {
    const refs = [
      { entityId: 7, locationId: 1, locationViewId: 10 },
      { entityId: 9, locationId: 2, locationViewId: 20 },
      { entityId: 9, locationId: 2, locationViewId: 21 },
    ];
    expect(viewToShow(refs, [9, 7], null)).toBe(20);
    expect(viewToShow(refs, [7, 9], 5)).toBe(10);
    expect(viewToShow(refs, [9, 7], 21)).toBeNull();
    expect(viewToShow([], [9], 5)).toBeNull();
  });
});

describe('burn-in offsets', () => {
  it('cycle through a few pixels and come back to the start', () => {
    let step = 0;
    const seen = new Set<string>();
    for (let i = 0; i < BURN_IN_OFFSETS.length; i += 1) {
      seen.add(BURN_IN_OFFSETS[step]!.join(','));
      step = nextBurnInStep(step);
    }
    expect(step).toBe(0);
    expect(seen.size).toBe(BURN_IN_OFFSETS.length);
    expect(Math.max(...BURN_IN_OFFSETS.flat().map(Math.abs))).toBeLessThanOrEqual(4);
  });
});
