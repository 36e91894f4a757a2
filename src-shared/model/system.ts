import { z } from 'zod';
import { enumSchema } from '../enums/enum-schema';
import { MonitorHealth, PanelKind } from '../enums';

export const monitorStatusSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** How often it runs, or the cron-like rule for calendar jobs. */
  schedule: z.string(),
  health: enumSchema(MonitorHealth),
  lastHeartbeat: z.number().nullable(),
  lastRunMs: z.number().nullable(),
  lastError: z.string().nullable(),
  runCount: z.number().int(),
  skippedOverlaps: z.number().int(),
});
export type MonitorStatus = z.infer<typeof monitorStatusSchema>;

/** The monitor that turns to error, with "Storage is full: …", while the hub's disk refuses writes. */
export const STORAGE_MONITOR_NAME = 'system.storage';

export const runtimeConfigEntrySchema = z.object({
  key: z.string(),
  value: z.string(),
  source: z.enum(['environment', 'command line', 'setting', 'built in']),
  redacted: z.boolean(),
});
export type RuntimeConfigEntry = z.infer<typeof runtimeConfigEntrySchema>;

export const panelInfoSchema = z.object({
  panelId: z.string(),
  kind: enumSchema(PanelKind),
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

/** A browser panel that paired with the code; never carries its token or the token's hash. */
export const pairedPanelSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  userAgent: z.string(),
  /** The address it was last seen from. */
  address: z.string(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
  /** Has a socket open to the hub right now. */
  connected: z.boolean(),
});
export type PairedPanel = z.infer<typeof pairedPanelSchema>;

export const PAIRED_PANEL_NAME_MAX = 60;

/** Why the pairing state changed: panels showing the System tab refetch; it never carries the code. */
export const pairingChangedSchema = z.object({
  reason: z.enum(['paired', 'renamed', 'revoked', 'code_changed', 'connection']),
});
export type PairingChanged = z.infer<typeof pairingChangedSchema>;
