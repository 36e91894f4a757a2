/**
 * Bounds on what any upstream (Home Assistant, ZoneMinder, ...) may hand the hub, and the checks that apply them.
 *
 * Everything an upstream sends is measured here before recursive code sees it: V8's JSON.parse is iterative and
 * safe at any depth (a 1,000,000-deep array parses), but JSON.stringify, structuredClone, String(array), zod and
 * the store all recurse, and overflow the stack on deep input. The checks below walk with an explicit stack.
 */
export const UPSTREAM_LIMITS = {
  /** Nesting of one decoded message or response body. A Home Assistant snapshot frame needs about 8. */
  maxDocumentDepth: 64,
  /** Nesting inside one attribute value (a forecast, a list of objects, is 2). A deeper attribute is dropped. */
  maxAttributeDepth: 10,
  /**
   * Serialized attributes of one entity, in UTF-8 bytes: Home Assistant's recorder keeps no attributes beyond
   * 16 KiB either. Over it, the largest attributes are dropped until the rest fit.
   */
  maxAttributesBytes: 16 * 1024,
  /** An upstream id: Home Assistant's MAX_LENGTH_STATE_ENTITY_ID. */
  maxIdChars: 255,
  /** The domain part of an id: Home Assistant's MAX_LENGTH_STATE_DOMAIN. */
  maxDomainChars: 64,
  /** A state value: Home Assistant's MAX_LENGTH_STATE_STATE. */
  maxStateChars: 255,
  /** Names, units and other short texts a panel shows; a longer one is left out (a name falls back to the id). */
  maxTextChars: 255,
  /** Upstream times, as epoch ms: from 1970-01-01 up to (not including) 2100-01-01. */
  minTimeMs: 0,
  maxTimeMs: Date.UTC(2100, 0, 1),
} as const;

export type JsonProblem = 'too_deep' | 'too_large' | 'not_json';

export type JsonMeasure = { ok: true; bytes: number } | { ok: false; problem: JsonProblem };

interface Frame {
  container: Record<string, unknown> | unknown[];
  /** Keys of an object, or null for an array. */
  keys: string[] | null;
  next: number;
}

const stringBytes = (text: string): number => Buffer.byteLength(JSON.stringify(text));

/**
 * The size of `value` as compact JSON, in UTF-8 bytes, without recursion: answers `too_deep` as soon as a container
 * lies deeper than `maxDepth` (a top-level array is depth 1) and `too_large` as soon as the size passes `maxBytes`,
 * so the work is bounded by the limits, not by the input. Values JSON cannot hold (undefined, functions, bigint,
 * array holes) are `not_json`; non-finite numbers count as `null`, as JSON.stringify writes them.
 */
export function measureJson(value: unknown, limits: { maxDepth: number; maxBytes: number }): JsonMeasure {
  let bytes = 0;
  const stack: Frame[] = [];
  let item: unknown = value;
  for (;;) {
    if (item === null) bytes += 4;
    else if (typeof item === 'boolean') bytes += item ? 4 : 5;
    else if (typeof item === 'number') bytes += Number.isFinite(item) ? String(item).length : 4;
    else if (typeof item === 'string') {
      // A JSON string takes at least one byte per UTF-16 unit plus quotes: refuse a huge one before encoding it.
      if (bytes + item.length + 2 > limits.maxBytes) return { ok: false, problem: 'too_large' };
      bytes += stringBytes(item);
    } else if (typeof item === 'object') {
      if (stack.length + 1 > limits.maxDepth) return { ok: false, problem: 'too_deep' };
      const container = item as Record<string, unknown> | unknown[];
      stack.push({ container, keys: Array.isArray(container) ? null : Object.keys(container), next: 0 });
      bytes += 2;
    } else return { ok: false, problem: 'not_json' };
    if (bytes > limits.maxBytes) return { ok: false, problem: 'too_large' };

    // The next member of the innermost unfinished container, closing finished ones on the way out.
    let frame = stack.at(-1);
    while (frame && frame.next >= (frame.keys ?? (frame.container as unknown[])).length) {
      stack.pop();
      frame = stack.at(-1);
    }
    if (!frame) return { ok: true, bytes };
    const index = frame.next++;
    if (index > 0) bytes += 1;
    if (frame.keys) {
      const key = frame.keys[index]!;
      bytes += stringBytes(key) + 1;
      item = (frame.container as Record<string, unknown>)[key];
    } else item = (frame.container as unknown[])[index];
  }
}

/** Whether `value` nests containers deeper than `maxDepth`; checks nothing else and never recurses. */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ item: unknown; depth: number }> = [{ item: value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { item, depth } = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > maxDepth) return true;
    // Only containers are pushed: a huge flat array costs one scan, and the stack holds containers, not scalars.
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) pending.push({ item: child, depth: depth + 1 });
    }
  }
  return false;
}

/** Whether `ms` is an upstream time the hub accepts (see UPSTREAM_LIMITS.minTimeMs / maxTimeMs). */
export function isUpstreamTimeMs(ms: number): boolean {
  return Number.isFinite(ms) && ms >= UPSTREAM_LIMITS.minTimeMs && ms < UPSTREAM_LIMITS.maxTimeMs;
}

/** An ISO time as epoch ms, or null when it does not parse or lies outside the accepted range. */
export function upstreamTimeFromIso(text: string): number | null {
  // Longer than any ISO 8601 form: not worth parsing.
  if (text.length > 64) return null;
  const ms = Date.parse(text);
  return isUpstreamTimeMs(ms) ? ms : null;
}

/** Epoch seconds (as Home Assistant's compressed states carry them) as epoch ms, or null when out of range. */
export function upstreamTimeFromSeconds(seconds: number): number | null {
  const ms = Math.round(seconds * 1000);
  return isUpstreamTimeMs(ms) ? ms : null;
}

/** A trimmed, non-empty short text within UPSTREAM_LIMITS.maxTextChars, or null: longer texts are left out. */
export function shortText(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > UPSTREAM_LIMITS.maxTextChars * 4) return null;
  const trimmed = value.trim();
  return trimmed !== '' && trimmed.length <= UPSTREAM_LIMITS.maxTextChars ? trimmed : null;
}

/** `text` cut to `max` characters with an ellipsis, for messages that quote an upstream. */
export function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export interface BoundedAttributes {
  attributes: Record<string, unknown>;
  /** Names of the attributes left out (each clipped for messages). */
  dropped: string[];
}

/**
 * Attributes within the bounds: an attribute nested deeper than maxAttributeDepth, or with a name longer than
 * maxTextChars, is dropped; then, while the whole is over maxAttributesBytes, the largest remaining one is dropped (of
 * equal ones, the later).
 * Answers a new object with own data properties only (a `__proto__` key stays a plain key).
 */
export function boundAttributes(attributes: Record<string, unknown>): BoundedAttributes {
  const { maxAttributeDepth, maxAttributesBytes, maxTextChars } = UPSTREAM_LIMITS;
  const kept: Array<{ key: string; value: unknown; bytes: number }> = [];
  const dropped: string[] = [];
  let total = 2;
  for (const [key, value] of Object.entries(attributes)) {
    const measure = key.length <= maxTextChars ? measureJson(value, { maxDepth: maxAttributeDepth, maxBytes: maxAttributesBytes }) : null;
    if (!measure?.ok) {
      dropped.push(clipText(key, 60));
      continue;
    }
    const bytes = stringBytes(key) + 1 + measure.bytes;
    kept.push({ key, value, bytes });
    total += bytes + (kept.length > 1 ? 1 : 0);
  }
  if (total > maxAttributesBytes) {
    const bySize = kept.map((entry, index) => ({ index, bytes: entry.bytes })).sort((a, b) => b.bytes - a.bytes || b.index - a.index);
    const removed = new Set<number>();
    for (const { index, bytes } of bySize) {
      if (total <= maxAttributesBytes) break;
      removed.add(index);
      total -= bytes + 1;
      dropped.push(clipText(kept[index]!.key, 60));
    }
    return { attributes: Object.fromEntries(kept.filter((_, index) => !removed.has(index)).map((e) => [e.key, e.value])), dropped };
  }
  return { attributes: Object.fromEntries(kept.map((e) => [e.key, e.value])), dropped };
}

/** Reads a response body as text, refusing more than `max` bytes with the error `tooLarge` makes (given the size when declared). */
export async function readBodyBounded(response: Response, max: number, tooLarge: (declared: number | null) => Error): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(declared);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(null);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
