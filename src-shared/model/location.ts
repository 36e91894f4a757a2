import { z } from 'zod';
import { stateDisplaySchema } from './state-display';

export const viewBoxSchema = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite().positive(),
  height: z.number().finite().positive(),
});
export type ViewBox = z.infer<typeof viewBoxSchema>;

/** Enum fields travel as their lower-case names; the contract checks them against the enum's schema. */
export const locationViewSummarySchema = z.object({
  id: z.number().int(),
  locationId: z.number().int(),
  name: z.string(),
  type: z.string(),
  style: z.string(),
  viewBox: viewBoxSchema,
  rotate: z.number(),
  order: z.number().int(),
});
export type LocationViewSummary = z.infer<typeof locationViewSummarySchema>;

export const locationSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  viewBox: viewBoxSchema,
  /** URL path of the sanitised background, below the data root; null until one is uploaded. */
  backgroundUrl: z.string().nullable(),
  order: z.number().int(),
  views: z.array(locationViewSummarySchema),
});
export type LocationSummary = z.infer<typeof locationSummarySchema>;

/** The numbers a state may be set to: from min to max, in steps of step when the device has one. */
export const numericRangeSchema = z.object({ min: z.number().finite(), max: z.number().finite(), step: z.number().finite().positive().nullable() });
export type NumericRange = z.infer<typeof numericRangeSchema>;

export const entityStateViewSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  name: z.string(),
  /** Latest value as text, or null when nothing is known yet. */
  value: z.string().nullable(),
  units: z.string().nullable(),
  controllable: z.boolean(),
  /** The values this state may be set to, when the integration says; null when any of its type's values goes. */
  choices: z.array(z.string()).nullable(),
  /** The numbers this state may be set to (a thermostat's own limits), in its units, when the integration says. */
  range: numericRangeSchema.nullable(),
  /** When the value was last reported; null when nothing is known yet. */
  ts: z.number().nullable(),
  /** The last known value of an integration that cannot be reached right now. */
  stale: z.boolean(),
  display: stateDisplaySchema,
});
export type EntityStateView = z.infer<typeof entityStateViewSchema>;

export const placementSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('icon'), x: z.number().finite(), y: z.number().finite(), scale: z.number().finite().positive(), rotate: z.number().finite() }),
  z.object({ kind: z.literal('path'), svgPath: z.string().min(1).max(100_000), style: z.enum(['area', 'line']) }),
]);
export type Placement = z.infer<typeof placementSchema>;

export const placedEntitySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  placement: placementSchema,
  states: z.array(entityStateViewSchema),
});
export type PlacedEntity = z.infer<typeof placedEntitySchema>;

export const collectionSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  viewType: z.string(),
  order: z.number().int(),
  entityIds: z.array(z.number().int()),
});
export type CollectionSummary = z.infer<typeof collectionSummarySchema>;

export const placedCollectionSchema = collectionSummarySchema.extend({ placement: placementSchema });
export type PlacedCollection = z.infer<typeof placedCollectionSchema>;

export const locationViewDataSchema = z.object({
  location: locationSummarySchema,
  view: locationViewSummarySchema,
  entities: z.array(placedEntitySchema),
  collections: z.array(placedCollectionSchema),
});
export type LocationViewData = z.infer<typeof locationViewDataSchema>;
