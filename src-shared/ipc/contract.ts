import { z } from 'zod';
import {
  settingHistoryEntrySchema,
  settingSectionSchema,
  settingValueSchema,
  settingViewSchema,
} from '../model/settings';
import { monitorStatusSchema, pairingInfoSchema, panelInfoSchema, runtimeConfigEntrySchema } from '../model/system';

interface RequestSpec {
  arg: z.ZodType;
  result: z.ZodType;
  /** Polled often; its logging is muted by HI_SUPPRESS_SELECT_REQUEST_ENDPOINTS_LOGGING. */
  highFrequency?: boolean;
}

const noArg = z.object({}).strict();
const settingRef = z.object({ subsystem: z.string().min(1), key: z.string().min(1) }).strict();

export const snapshotSchema = z.object({
  serverTime: z.number(),
  version: z.string(),
  panel: panelInfoSchema,
  settings: z.array(settingSectionSchema),
  monitors: z.array(monitorStatusSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

/** Every request the renderer can make: the one source of truth for channel names and their shapes. */
export const requests = {
  'hub.snapshot': { arg: noArg, result: snapshotSchema, highFrequency: true },
  'settings.sections.get': { arg: noArg, result: z.array(settingSectionSchema) },
  'settings.update': { arg: settingRef.extend({ value: settingValueSchema }).strict(), result: settingViewSchema },
  'settings.history.get': { arg: settingRef, result: z.array(settingHistoryEntrySchema) },
  'settings.history.restore': { arg: z.object({ historyId: z.number().int().positive() }).strict(), result: settingViewSchema },
  'settings.defaults.restore': { arg: z.object({ subsystem: z.string().min(1) }).strict(), result: settingSectionSchema },
  'system.monitors.get': { arg: noArg, result: z.array(monitorStatusSchema), highFrequency: true },
  'system.runtimeConfig.get': { arg: noArg, result: z.array(runtimeConfigEntrySchema) },
  'system.pairing.get': { arg: noArg, result: pairingInfoSchema },
  'system.pairing.regenerate': { arg: noArg, result: pairingInfoSchema },
} as const satisfies Record<string, RequestSpec>;

/** Every event the hub pushes. Payloads are deltas; a client that reconnects takes `hub.snapshot` first. */
export const events = {
  'settings.changed': z.object({ settings: z.array(settingViewSchema) }),
  'monitor.health': monitorStatusSchema,
} as const satisfies Record<string, z.ZodType>;

export type RequestName = keyof typeof requests;
export type RequestArg<N extends RequestName> = z.input<(typeof requests)[N]['arg']>;
export type RequestResult<N extends RequestName> = z.output<(typeof requests)[N]['result']>;
export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.output<(typeof events)[N]>;

export const requestNames = Object.keys(requests) as RequestName[];
export const eventNames = Object.keys(events) as EventName[];

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requests, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
