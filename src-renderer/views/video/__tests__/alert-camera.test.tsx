import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../../src-shared/model/alert';
import { cameraToShow } from '../../console/auto-view';
import { cameraOfAlert } from '../AlertLiveView';

/** Only the fields the camera choice reads; the rest of an alert does not matter to it. */
const alert = (entityIds: number[], alarmEntityIds: number[][]): Pick<AlertView, 'entityIds' | 'alarms'> => ({
  entityIds,
  alarms: alarmEntityIds.map((ids, i) => ({ at: 1000 - i, details: 'Motion', entityIds: ids })) as AlertView['alarms'],
});

describe('the camera an alert is about', () => {
  it('takes the newest alarm’s camera first, then the alert’s own items, and none without video', () => {
    const cameras = new Set([7, 9]);
    expect(cameraOfAlert(alert([7], [[9], [7]]), cameras)).toBe(9);
    expect(cameraOfAlert(alert([3, 7], [[3]]), cameras)).toBe(7);
    expect(cameraOfAlert(alert([3], [[4]]), cameras)).toBeNull();
  });

  it('auto-views the most important alarmed item that has video', () => {
    expect(cameraToShow([3, 9, 7], new Set([7, 9]))).toBe(9);
    expect(cameraToShow([3], new Set([7]))).toBeNull();
  });
});
