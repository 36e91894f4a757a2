import { z } from 'zod';
import { enumSchema } from '../enums/enum-schema';
import { IntegrationHealth } from '../enums';
import { readAddress } from './integration-address';
import { stateDisplaySchema } from './state-display';

export const integrationHealthViewSchema = z.object({
  key: z.string(),
  health: enumSchema(IntegrationHealth),
  /** Epoch ms of the last successful contact, for "since HH:MM". */
  lastSuccessAt: z.number().nullable(),
  message: z.string().nullable(),
});
export type IntegrationHealthView = z.infer<typeof integrationHealthViewSchema>;

/**
 * How long a connection that was live may stay away before it counts as down: its states are marked stale, and
 * panels show its health, only past this. A reconnect within it (a restart, a dropped socket) flashes nothing;
 * the hub's health records the drop at once.
 */
export const STALE_GRACE_MS = 10_000;

export const integrationFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  description: z.string(),
  type: z.enum(['url', 'text', 'secret']),
  required: z.boolean(),
  /** Null for secrets, which never reach a panel. */
  value: z.string().nullable(),
  hasValue: z.boolean(),
});

export const integrationViewSchema = z.object({
  key: z.string(),
  label: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  paused: z.boolean(),
  fields: z.array(integrationFieldSchema),
  importDomains: z.array(z.string()),
  importEntities: z.array(z.string()),
  lastSyncAt: z.number().nullable(),
  health: integrationHealthViewSchema,
});
export type IntegrationView = z.infer<typeof integrationViewSchema>;

/**
 * The part of an address a saved secret is bound to: scheme, host and port (so a trailing slash, a path or a
 * default port is the same address). Text that is not an http(s) URL stands for itself.
 */
export function addressOrigin(url: string): string {
  const text = url.trim();
  const reading = readAddress(text);
  try {
    const parsed = new URL(reading.ok ? reading.url : text);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  } catch {
    // Not a URL: compared as typed.
  }
  return text;
}

export const upstreamSummarySchema = z.object({
  upstreamId: z.string(),
  domain: z.string(),
  name: z.string(),
  entityType: z.string(),
  imported: z.boolean(),
});
export type UpstreamSummary = z.infer<typeof upstreamSummarySchema>;

export const syncReportSchema = z.object({
  created: z.array(z.object({ entityId: z.number().int(), name: z.string() })),
  updated: z.number().int(),
  reconnected: z.array(z.object({ entityId: z.number().int(), name: z.string() })),
  detached: z.array(z.object({ entityId: z.number().int(), name: z.string() })),
  removed: z.array(z.string()),
  /** Entities of this integration not placed on any location yet: the placement step offers them. */
  unplaced: z.array(z.object({ entityId: z.number().int(), name: z.string(), type: z.string() })),
  /**
   * Items no longer listed upstream that this sync left alone because they are too many to remove unasked: the
   * panel asks, then syncs again with `confirmRemovals`.
   */
  pendingRemovals: z.array(z.object({ entityId: z.number().int(), name: z.string() })),
  /** How many items of this integration were imported before the sync, for "no longer lists 37 of 40 items". */
  importedBefore: z.number().int(),
  /** Upstream entries that could not be read; their items were neither removed nor disconnected. */
  unreadable: z.number().int(),
});
export type SyncReport = z.infer<typeof syncReportSchema>;

export const stateDeltaSchema = z.object({
  entityId: z.number().int(),
  stateId: z.number().int(),
  value: z.string().nullable(),
  ts: z.number(),
  /** The value is the last known one, but its integration cannot be reached: show it as stale. */
  stale: z.boolean(),
  display: stateDisplaySchema,
});
export type StateDelta = z.infer<typeof stateDeltaSchema>;
