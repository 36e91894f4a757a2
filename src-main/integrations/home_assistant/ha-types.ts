import { z } from 'zod';
import type { Logger } from '../../util/log';

/**
 * What Home Assistant sends, as zod schemas: the state objects of the REST API and of state_changed events, and the
 * messages of the WebSocket API (auth phase, results, events, pongs), including the compressed form that
 * `subscribe_entities` uses. Everything the client receives goes through these before it is used.
 */

const attributesSchema = z.record(z.string(), z.unknown());

export const haContextSchema = z.object({
  id: z.string(),
  parent_id: z.string().nullable().default(null),
  user_id: z.string().nullable().default(null),
});
export type HaContext = z.infer<typeof haContextSchema>;

/** One entity's state, as `GET /api/states`, `get_states` and state_changed events carry it. */
export const haStateSchema = z.object({
  entity_id: z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, 'not an entity id'),
  state: z.string(),
  attributes: attributesSchema.default({}),
  last_changed: z.string(),
  last_updated: z.string(),
  last_reported: z.string().optional(),
  context: haContextSchema.nullable().default(null),
});
export type HaState = z.infer<typeof haStateSchema>;

/** `GET /api/config`, loosely: only what the app reads is checked, the rest passes through. */
export const haConfigSchema = z.looseObject({
  version: z.string(),
  location_name: z.string().optional(),
  time_zone: z.string().optional(),
  unit_system: z.looseObject({ temperature: z.string().optional() }).optional(),
});
export type HaConfig = z.infer<typeof haConfigSchema>;

/** `GET /api/` */
export const haApiStatusSchema = z.object({ message: z.string() });

// ---- subscribe_entities: compressed states ----

/** A context in compressed form: a bare id when user and parent are empty, else the (partial) object. */
const compressedContextSchema = z.union([
  z.string(),
  z.object({ id: z.string().optional(), parent_id: z.string().nullable().optional(), user_id: z.string().nullable().optional() }),
]);
export type HaCompressedContext = z.infer<typeof compressedContextSchema>;

/** An added entity: `s` state, `a` attributes, `c` context, `lc` last changed and `lu` last updated (epoch seconds). */
export const haCompressedStateSchema = z.object({
  s: z.string(),
  a: attributesSchema.default({}),
  c: compressedContextSchema.optional(),
  lc: z.number(),
  lu: z.number().optional(),
});
export type HaCompressedState = z.infer<typeof haCompressedStateSchema>;

/** A change: `+` holds what is new or different (attributes merged), `-` the attribute keys that went away. */
export const haCompressedDiffSchema = z.object({
  '+': z
    .object({
      s: z.string().optional(),
      a: attributesSchema.optional(),
      c: compressedContextSchema.optional(),
      lc: z.number().optional(),
      lu: z.number().optional(),
    })
    .optional(),
  '-': z.object({ a: z.array(z.string()).optional() }).optional(),
});
export type HaCompressedDiff = z.infer<typeof haCompressedDiffSchema>;

/**
 * The event of a `subscribe_entities` subscription: `a` added (all entities in the first one), `c` changed, `r`
 * removed. The entries are checked one by one (see haCompressedStateSchema / haCompressedDiffSchema), so one
 * malformed entity does not cost the others.
 */
export const haEntitiesEventSchema = z
  .object({
    a: z.record(z.string(), z.unknown()).optional(),
    c: z.record(z.string(), z.unknown()).optional(),
    r: z.array(z.string()).optional(),
  })
  .refine((event) => event.a !== undefined || event.c !== undefined || event.r !== undefined, 'neither a, c nor r');
export type HaEntitiesEvent = z.infer<typeof haEntitiesEventSchema>;

/** A bus event, as `subscribe_events` delivers it; state_changed carries full states. */
export const haStateChangedEventSchema = z.object({
  event_type: z.literal('state_changed'),
  data: z.object({
    entity_id: z.string(),
    old_state: haStateSchema.nullable(),
    new_state: haStateSchema.nullable(),
  }),
  origin: z.string().optional(),
  time_fired: z.string().optional(),
  context: haContextSchema.optional(),
});
export type HaStateChangedEvent = z.infer<typeof haStateChangedEventSchema>;

// ---- WebSocket messages ----

const messageId = z.number().int().positive();

export const haAuthRequiredSchema = z.object({ type: z.literal('auth_required'), ha_version: z.string().optional() });
export const haAuthOkSchema = z.object({ type: z.literal('auth_ok'), ha_version: z.string().optional() });
export const haAuthInvalidSchema = z.object({ type: z.literal('auth_invalid'), message: z.string().optional() });

export const haResultErrorSchema = z.object({ code: z.string(), message: z.string() });
export type HaResultError = z.infer<typeof haResultErrorSchema>;

export const haResultSchema = z.union([
  z.object({ id: messageId, type: z.literal('result'), success: z.literal(true), result: z.unknown().optional() }),
  z.object({ id: messageId, type: z.literal('result'), success: z.literal(false), error: haResultErrorSchema }),
]);
export type HaResult = z.infer<typeof haResultSchema>;

/** `event` stays unknown here: it is either an entities event or a bus event, told apart by the subscription. */
export const haEventMessageSchema = z.object({ id: messageId, type: z.literal('event'), event: z.unknown() });
export const haPongSchema = z.object({ id: messageId, type: z.literal('pong') });

/** The types of the messages the client understands; anything else is logged and skipped. */
export const HA_MESSAGE_SCHEMAS = {
  auth_required: haAuthRequiredSchema,
  auth_ok: haAuthOkSchema,
  auth_invalid: haAuthInvalidSchema,
  result: haResultSchema,
  event: haEventMessageSchema,
  pong: haPongSchema,
} as const;

export type HaMessage =
  | z.infer<typeof haAuthRequiredSchema>
  | z.infer<typeof haAuthOkSchema>
  | z.infer<typeof haAuthInvalidSchema>
  | HaResult
  | z.infer<typeof haEventMessageSchema>
  | z.infer<typeof haPongSchema>;

/** The result of `call_service` over the WebSocket. */
export const haCallServiceResultSchema = z
  .object({ context: haContextSchema.optional(), response: z.unknown().optional() })
  .nullable()
  .optional();

/** Validates one decoded WebSocket message; answers null (and reports why) when it is not one the client knows. */
export function parseHaMessage(raw: unknown, report: (kind: string, detail: unknown) => void): HaMessage | null {
  const type = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') {
    report('message_without_type', raw);
    return null;
  }
  const schema = (HA_MESSAGE_SCHEMAS as Record<string, z.ZodType<HaMessage> | undefined>)[type];
  if (!schema) {
    report(`unknown_message_type:${type.slice(0, 40)}`, raw);
    return null;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    report(`malformed_${type}`, { issues: summariseIssues(parsed.error) });
    return null;
  }
  return parsed.data;
}

export function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

const MAX_ISSUE_KINDS = 64;

/**
 * Logs malformed payloads once per kind and counts the rest, with a bounded number of kinds: a misbehaving server
 * cannot flood the journal or grow memory.
 */
export class ProtocolIssueLog {
  private readonly counts = new Map<string, number>();
  private overflow = 0;

  constructor(private readonly logger: Logger) {}

  report(kind: string, detail?: unknown): void {
    const seen = this.counts.get(kind);
    if (seen !== undefined) {
      this.counts.set(kind, seen + 1);
      return;
    }
    if (this.counts.size >= MAX_ISSUE_KINDS) {
      this.overflow += 1;
      return;
    }
    this.counts.set(kind, 1);
    this.logger.warn(`Home Assistant sent something unexpected (${kind}); skipped. Further ones of this kind are only counted.`, clip(detail));
  }

  /** How many of each kind were skipped so far; `other` counts the kinds beyond the bound. */
  snapshot(): Record<string, number> {
    const result = Object.fromEntries(this.counts);
    if (this.overflow > 0) result.other = this.overflow;
    return result;
  }
}

const MAX_DETAIL_CHARS = 500;

function clip(detail: unknown): unknown {
  if (detail === undefined) return undefined;
  let text: string;
  try {
    text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  } catch {
    text = String(detail);
  }
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}
