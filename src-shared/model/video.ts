import { z } from 'zod';

/** Cameras one browse may name; more than any home has. */
export const MAX_BROWSE_CAMERAS = 200;

export const videoGroupingSchema = z.enum(['hour', 'day']);
export type VideoGroupingName = z.infer<typeof videoGroupingSchema>;

export const videoBrowseArgSchema = z
  .object({
    /** Empty: every camera. */
    cameraEntityIds: z.array(z.number().int().positive()).max(MAX_BROWSE_CAMERAS),
    grouping: videoGroupingSchema,
    /** Epoch ms inside the span to show; now when absent. */
    anchor: z.number().int().nonnegative().optional(),
  })
  .strict();

/** One recorded event: its camera, the integration's event id (digits), and its times in epoch ms. */
export const videoEventSchema = z.object({
  cameraEntityId: z.number().int(),
  eventId: z.string().regex(/^[1-9]\d{0,14}$/),
  start: z.number().int(),
  /** Null while the event is still being recorded. */
  end: z.number().int().nullable(),
  alarmFrames: z.number().int(),
});
export type VideoEventView = z.infer<typeof videoEventSchema>;

export const videoEventGroupSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  count: z.number().int(),
  /** The newest first, a bounded number of them; `count` says how many there were. */
  events: z.array(videoEventSchema),
});
export type VideoEventGroupView = z.infer<typeof videoEventGroupSchema>;

export const videoBrowseSchema = z.object({
  span: z.object({
    grouping: videoGroupingSchema,
    start: z.number().int(),
    end: z.number().int(),
    earlierAnchor: z.number().int(),
    /** Null when the next span has not begun yet. */
    laterAnchor: z.number().int().nullable(),
  }),
  /** Every hour of the day or day of the week, empty ones included. */
  groups: z.array(videoEventGroupSchema),
  /** The cameras browsed; `recordings` is false for one whose integration keeps no recordings (Home Assistant). */
  cameras: z.array(z.object({ entityId: z.number().int(), name: z.string(), recordings: z.boolean() })),
  /** False when the span held more recordings than one browse reads: the counts are then the newest ones only. */
  complete: z.boolean(),
});
export type VideoBrowseView = z.infer<typeof videoBrowseSchema>;
