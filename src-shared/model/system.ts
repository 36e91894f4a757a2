import { z } from 'zod';
import { MonitorHealth, PanelKind } from '../enums';

export const monitorStatusSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** How often it runs, or the cron-like rule for calendar jobs. */
  schedule: z.string(),
  health: MonitorHealth.schema,
  lastHeartbeat: z.number().nullable(),
  lastRunMs: z.number().nullable(),
  lastError: z.string().nullable(),
  runCount: z.number().int(),
  skippedOverlaps: z.number().int(),
});
export type MonitorStatus = z.infer<typeof monitorStatusSchema>;

export const runtimeConfigEntrySchema = z.object({
  key: z.string(),
  value: z.string(),
  source: z.enum(['environment', 'command line', 'setting', 'built in']),
  redacted: z.boolean(),
});
export type RuntimeConfigEntry = z.infer<typeof runtimeConfigEntrySchema>;

export const panelInfoSchema = z.object({
  panelId: z.string(),
  kind: PanelKind.schema,
  isLocal: z.boolean(),
});
export type PanelInfo = z.infer<typeof panelInfoSchema>;

export const pairingInfoSchema = z.object({
  /** Shown only to panels on the hub itself; a paired tablet cannot read it. */
  code: z.string().nullable(),
  pairedClients: z.number().int(),
  panelServerUrl: z.string().nullable(),
});
export type PairingInfo = z.infer<typeof pairingInfoSchema>;
