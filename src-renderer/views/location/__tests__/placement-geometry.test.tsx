import { describe, expect, it } from 'vitest';
import { PLAN_ICON_DISC_RADIUS, PLAN_ICON_UNIT_FRACTION, PLAN_MIN_DISC_FRACTION } from '../../../../src-shared/model/placement';
import { ICON_DISC_RADIUS, ICON_VIEW_FRACTION, MIN_ICON_DISC_PX } from '../plan-items';

describe('icon geometry', () => {
  it('is the one the hub plans free spots with, so planned icons do not overlap as drawn', () => {
    expect(ICON_VIEW_FRACTION).toBe(PLAN_ICON_UNIT_FRACTION);
    expect(ICON_DISC_RADIUS).toBe(PLAN_ICON_DISC_RADIUS);
    // The hub spaces spots for the smallest disc drawn, which is at least this share of a view on a 1280-px panel.
    expect(PLAN_MIN_DISC_FRACTION * 1280).toBeGreaterThanOrEqual(MIN_ICON_DISC_PX);
  });
});
