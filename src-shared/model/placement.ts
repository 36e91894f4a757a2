import { z } from 'zod';

/**
 * Icon geometry the hub plans with, in the view's plan units. The renderer draws an icon's disc with the same
 * figures (src-renderer/views/location/plan-items.ts, checked equal by a test there): the nominal icon size is this
 * share of the view's width, and the disc's radius is this share of that size.
 */
export const PLAN_ICON_UNIT_FRACTION = 0.03;
export const PLAN_ICON_DISC_RADIUS = 0.75;
/**
 * A panel never draws a disc smaller than 48 px across (MIN_ICON_DISC_PX in plan-items.ts): on a 1280×800 panel
 * showing a 3:2 view fitted under its header, that is about this share of the view's width. Spots are planned at
 * least that far apart while the view has room.
 */
export const PLAN_MIN_DISC_FRACTION = 0.045;

/** The most entities one "Place all" takes: more than any import offers at once (Home Assistant homes hold a few thousand). */
export const MAX_PLACE_MANY = 5_000;

export const planPointSchema = z.object({ x: z.number().finite(), y: z.number().finite() }).strict();
export type PlanPoint = z.infer<typeof planPointSchema>;

export const placeManyResultSchema = z.object({
  /** Entities now in the view: newly placed at a free spot, or already placed on the location. */
  placed: z.number().int(),
  /** The view had no free spot left for these, even with smaller icons; they are not in the view. */
  notPlaced: z.array(z.object({ entityId: z.number().int(), name: z.string() })),
  /** The icon size the new icons were given (1 = normal): below 1 when the view was too crowded for full-size icons. */
  scale: z.number(),
});
export type PlaceManyResult = z.infer<typeof placeManyResultSchema>;
