import { describe, expect, it } from 'vitest';
import { PLAN_ICON_DISC_RADIUS, PLAN_ICON_UNIT_FRACTION } from '../../../../src-shared/model/placement';
import { ICON_DISC_RADIUS, ICON_VIEW_FRACTION } from '../plan-items';

describe('icon geometry', () => {
  it('is the one the hub plans free spots with, so planned icons do not overlap as drawn', () => {
    expect(ICON_VIEW_FRACTION).toBe(PLAN_ICON_UNIT_FRACTION);
    expect(ICON_DISC_RADIUS).toBe(PLAN_ICON_DISC_RADIUS);
  });
});
