import { z } from 'zod';
import type { Logger } from '../../util/log';
import { clipText, measureJson, UPSTREAM_LIMITS, upstreamTimeFromIso, upstreamTimeFromSeconds } from '../upstream-limits';

/**
 * What Home Assistant sends, as zod schemas: the state objects of the REST API and of state_changed events, and the
 * messages of the WebSocket API (auth phase, results, events, pongs), including the compressed form that
 * `subscribe_entities` uses. Everything the client receives goes through these before it is used.
 */

const attributesSchema = z.record(z.string(), z.unknown());

/**
 * Home Assistant's own entity id rule (homeassistant/core.py VALID_ENTITY_ID): `domain.object_id`, both lowercase
 * letters, digits and underscores, neither starting nor ending with an underscore, and no double underscore anywhere.
 */
const ENTITY_ID_PATTERN = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

/** Whether `value` is an entity id Home Assistant itself would accept, within its length limits. */
export function isHaEntityId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > UPSTREAM_LIMITS.maxIdChars) return false;
  const dot = value.indexOf('.');
  return dot > 0 && dot <= UPSTREAM_LIMITS.maxDomainChars && ENTITY_ID_PATTERN.test(value);
}

const entityIdSchema = z.string().refine(isHaEntityId, 'not a Home Assistant entity id (domain.object_id, at most 255 characters)');
const stateTextSchema = z.string().max(UPSTREAM_LIMITS.maxStateChars, `longer than ${UPSTREAM_LIMITS.maxStateChars} characters`);
const isoTimeSchema = z.string().refine((text) => upstreamTimeFromIso(text) !== null, 'not a time between 1970 and 2100');
const epochSecondsSchema = z.number().refine((seconds) => upstreamTimeFromSeconds(seconds) !== null, 'not a time between 1970 and 2100');
const contextIdSchema = z.string().max(UPSTREAM_LIMITS.maxIdChars, `longer than ${UPSTREAM_LIMITS.maxIdChars} characters`);
/** Text Home Assistant writes for people (error messages): kept, but cut to a length a message can quote. */
const quotedTextSchema = z.string().transform((text) => clipText(text, 200));

export const haContextSchema = z.object({
  id: contextIdSchema,
  parent_id: contextIdSchema.nullable().default(null),
  user_id: contextIdSchema.nullable().default(null),
});
export type HaContext = z.infer<typeof haContextSchema>;

/** One entity's state, as `GET /api/states`, `get_states` and state_changed events carry it. */
export const haStateSchema = z.object({
  entity_id: entityIdSchema,
  state: stateTextSchema,
  attributes: attributesSchema.default({}),
  last_changed: isoTimeSchema,
  last_updated: isoTimeSchema,
  last_reported: isoTimeSchema.optional(),
  context: haContextSchema.nullable().default(null),
});
export type HaState = z.infer<typeof haStateSchema>;

/** `GET /api/config`, loosely: only what the app reads is checked, the rest passes through. */
export const haConfigSchema = z.looseObject({
  version: z.string(),
  location_name: z.string().optional(),
  time_zone: z.string().optional(),
  unit_system: z.looseObject({ temperature: z.string().max(UPSTREAM_LIMITS.maxTextChars).optional() }).optional(),
});
export type HaConfig = z.infer<typeof haConfigSchema>;

/** `GET /api/` */
export const haApiStatusSchema = z.object({ message: z.string() });

// ---- subscribe_entities: compressed states ----

/** A context in compressed form: a bare id when user and parent are empty, else the (partial) object. */
const compressedContextSchema = z.union([
  contextIdSchema,
  z.object({ id: contextIdSchema.optional(), parent_id: contextIdSchema.nullable().optional(), user_id: contextIdSchema.nullable().optional() }),
]);
export type HaCompressedContext = z.infer<typeof compressedContextSchema>;

/** An added entity: `s` state, `a` attributes, `c` context, `lc` last changed and `lu` last updated (epoch seconds). */
export const haCompressedStateSchema = z.object({
  s: stateTextSchema,
  a: attributesSchema.default({}),
  c: compressedContextSchema.optional(),
  lc: epochSecondsSchema,
  lu: epochSecondsSchema.optional(),
});
export type HaCompressedState = z.infer<typeof haCompressedStateSchema>;

/** A change: `+` holds what is new or different (attributes merged), `-` the attribute keys that went away. */
export const haCompressedDiffSchema = z.object({
  '+': z
    .object({
      s: stateTextSchema.optional(),
      a: attributesSchema.optional(),
      c: compressedContextSchema.optional(),
      lc: epochSecondsSchema.optional(),
      lu: epochSecondsSchema.optional(),
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
    entity_id: entityIdSchema,
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
export const haAuthInvalidSchema = z.object({ type: z.literal('auth_invalid'), message: quotedTextSchema.optional() });

export const haResultErrorSchema = z.object({ code: z.string().transform((code) => clipText(code, 64)), message: quotedTextSchema });
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
  // Own keys only: a type of `constructor` or `__proto__` must not find Object.prototype's members.
  const schema = Object.hasOwn(HA_MESSAGE_SCHEMAS, type) ? (HA_MESSAGE_SCHEMAS as Record<string, z.ZodType<HaMessage>>)[type] : undefined;
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
    .map((issue) => `${clipText(issue.path.map(String).join('.'), 80) || '(root)'}: ${clipText(issue.message, 120)}`)
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

/**
 * A short text of `detail` for the log. Upstream values are measured before JSON.stringify sees them: a deep or
 * huge one is described, never serialised (that would overflow the stack or copy megabytes to be cut anyway).
 */
function clip(detail: unknown): string | undefined {
  if (detail === undefined) return undefined;
  if (typeof detail === 'string') return clipText(detail, MAX_DETAIL_CHARS);
  const measure = measureJson(detail, { maxDepth: 8, maxBytes: MAX_DETAIL_CHARS * 4 });
  if (measure.ok) return clipText(JSON.stringify(detail), MAX_DETAIL_CHARS);
  const shape = Array.isArray(detail) ? 'a list' : 'an object';
  return measure.problem === 'not_json' ? '(not JSON)' : `(${shape} too ${measure.problem === 'too_deep' ? 'deeply nested' : 'large'} to show)`;
}
