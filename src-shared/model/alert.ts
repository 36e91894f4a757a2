import { z } from 'zod';
import { enumSchema } from '../enums/enum-schema';
import { AlarmLevel, AlarmSource } from '../enums/alert';
import { videoEventSchema } from './video';

/** At most this many alarms travel with one alert; its count keeps the full number. */
export const MAX_ALARMS_PER_ALERT = 10;
/** At most this many alerts are live at once; past it the least important, oldest one is dropped. */
export const MAX_LIVE_ALERTS = 50;

/** The recorded video event an alarm is about: the camera item and its integration's event id. */
export const alarmRecordingSchema = z.object({
  entityId: z.number().int(),
  eventId: videoEventSchema.shape.eventId,
});
export type AlarmRecording = z.infer<typeof alarmRecordingSchema>;

export const alarmViewSchema = z.object({
  at: z.number(),
  title: z.string(),
  /** One line a person can read: "Hall motion: Detected". */
  details: z.string(),
  /** Items this alarm is about: highlighted on the plan. */
  entityIds: z.array(z.number().int()),
  /** Set when the change that raised it belongs to a recording (a camera's motion event): the banner can play it. */
  recording: alarmRecordingSchema.optional(),
});
export type AlarmView = z.infer<typeof alarmViewSchema>;

export const alertViewSchema = z.object({
  id: z.number().int(),
  /** `source.type.level`: alarms with the same signature gather in one alert. */
  signature: z.string(),
  source: enumSchema(AlarmSource),
  level: enumSchema(AlarmLevel),
  title: z.string(),
  /** Every alarm this alert gathered, even those no longer carried in `alarms`. */
  count: z.number().int(),
  firstAt: z.number(),
  lastAt: z.number(),
  /** When it ends by itself; null: not until acknowledged. */
  endsAt: z.number().nullable(),
  /** Newest first, at most MAX_ALARMS_PER_ALERT. */
  alarms: z.array(alarmViewSchema).max(MAX_ALARMS_PER_ALERT),
  entityIds: z.array(z.number().int()),
  /** Set once acknowledged or ended: only alerts in the recent list have it. */
  closedAt: z.number().nullable(),
  closedBy: z.enum(['acknowledged', 'expired', 'dropped', 'cleared']).nullable(),
});
export type AlertView = z.infer<typeof alertViewSchema>;
