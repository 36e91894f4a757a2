import { z } from 'zod';
import { attributeViewSchema } from './attribute';
import { entityStateViewSchema, locationSummarySchema } from './location';

export const starterProfileSchema = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  floors: z.array(z.string()),
});
export type StarterProfile = z.infer<typeof starterProfileSchema>;

export const editStateSchema = z.object({
  editingPanelId: z.string().nullable(),
  /** Newest first: what "Undo" would take back next. */
  undoLabels: z.array(z.string()),
});
export type EditStateView = z.infer<typeof editStateSchema>;

export const homeSnapshotSchema = z.object({
  locations: z.array(locationSummarySchema),
  edit: editStateSchema,
});
export type HomeSnapshot = z.infer<typeof homeSnapshotSchema>;

export const stateHistoryEntrySchema = z.object({ stateId: z.number().int(), stateName: z.string(), value: z.string().nullable(), ts: z.number() });

export const entityDetailSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  integration: z.object({ name: z.string(), id: z.string() }).nullable(),
  states: z.array(entityStateViewSchema),
  attributes: z.array(attributeViewSchema),
  recentHistory: z.array(stateHistoryEntrySchema),
  locationIds: z.array(z.number().int()),
  collectionIds: z.array(z.number().int()),
});
export type EntityDetail = z.infer<typeof entityDetailSchema>;

export const archivedEntitySchema = z.object({ id: z.number().int(), name: z.string(), type: z.string(), archivedAt: z.number() });
