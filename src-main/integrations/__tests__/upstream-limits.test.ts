import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundAttributes,
  measureJson,
  nestsDeeperThan,
  shortText,
  UPSTREAM_LIMITS,
  upstreamTimeFromIso,
  upstreamTimeFromSeconds,
} from '../upstream-limits';

const SEED = 8_011;
const json = fc.jsonValue({ maxDepth: 6 });

/** Nesting of containers, recursively: only for the small generated values here. */
function depth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depth));
}

/** `[[...]]` `n` deep, built without recursion. */
function nested(n: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < n; i++) value = [value];
  return value;
}

describe('measureJson', () => {
  it('is the UTF-8 size of JSON.stringify for any JSON value within the limits', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(measureJson(value, { maxDepth: 100, maxBytes: Infinity })).toEqual({ ok: true, bytes: Buffer.byteLength(JSON.stringify(value)) });
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('answers too_large exactly when the size passes the bound, too_deep exactly when the nesting does', () => {
    fc.assert(
      fc.property(json, fc.nat(400), fc.nat(7), (value, maxBytes, maxDepth) => {
        const result = measureJson(value, { maxDepth, maxBytes });
        const bytes = Buffer.byteLength(JSON.stringify(value));
        if (result.ok) expect(bytes <= maxBytes && depth(value) <= maxDepth).toBe(true);
        else if (result.problem === 'too_deep') expect(depth(value)).toBeGreaterThan(maxDepth);
        else expect(result.problem === 'too_large' && bytes > maxBytes).toBe(true);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('stops at the bound on input that would overflow JSON.stringify', () => {
    const deep = JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`) as unknown;
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(measureJson(deep, { maxDepth: 64, maxBytes: Infinity })).toEqual({ ok: false, problem: 'too_deep' });
    expect(measureJson('x'.repeat(10_000_000), { maxDepth: 64, maxBytes: 1_000 })).toEqual({ ok: false, problem: 'too_large' });
  });

  it('refuses what JSON cannot hold and counts non-finite numbers as null', () => {
    expect(measureJson({ a: undefined }, { maxDepth: 5, maxBytes: 100 })).toEqual({ ok: false, problem: 'not_json' });
    expect(measureJson(10n, { maxDepth: 5, maxBytes: 100 })).toEqual({ ok: false, problem: 'not_json' });
    expect(measureJson([Infinity, Number.NaN], { maxDepth: 5, maxBytes: 100 })).toEqual({ ok: true, bytes: '[null,null]'.length });
  });
});

describe('nestsDeeperThan', () => {
  it('agrees with the nesting depth of any JSON value', () => {
    fc.assert(
      fc.property(json, fc.nat(8), (value, max) => {
        expect(nestsDeeperThan(value, max)).toBe(depth(value) > max);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('answers for a million levels without recursion', () => {
    expect(nestsDeeperThan(nested(1_000_000), 64)).toBe(true);
    expect(nestsDeeperThan(nested(64), 64)).toBe(false);
  });
});

describe('boundAttributes', () => {
  const attributes = fc.dictionary(
    fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'k'.repeat(300))),
    fc.oneof({ weight: 4, arbitrary: json }, fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n)), fc.integer({ min: 9, max: 15 }).map(nested)),
    { maxKeys: 8 },
  );

  it('keeps a bounded subset of own data properties and names every attribute it drops', () => {
    fc.assert(
      fc.property(attributes, (input) => {
        const { attributes: kept, dropped } = boundAttributes(input);
        expect(Buffer.byteLength(JSON.stringify(kept))).toBeLessThanOrEqual(UPSTREAM_LIMITS.maxAttributesBytes);
        for (const [key, value] of Object.entries(kept)) {
          expect(input[key]).toBe(value);
          expect(key.length).toBeLessThanOrEqual(UPSTREAM_LIMITS.maxTextChars);
          expect(depth(value)).toBeLessThanOrEqual(UPSTREAM_LIMITS.maxAttributeDepth);
        }
        expect(Object.keys(kept).length + dropped.length).toBe(Object.keys(input).length);
        expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('drops the largest attributes first, until the rest fits', () => {
    const big = 'x'.repeat(9_000);
    expect(boundAttributes({ name: 'n', a: big, b: `${big}y`, c: big })).toEqual({ attributes: { name: 'n', a: big }, dropped: ['b', 'c'] });
  });

  it('keeps a __proto__ attribute as a plain key', () => {
    const input = JSON.parse('{"__proto__":{"polluted":true},"name":"x"}') as Record<string, unknown>;
    const { attributes } = boundAttributes(input);
    expect(Object.keys(attributes)).toEqual(['__proto__', 'name']);
    expect((attributes as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('times and texts', () => {
  it('accepts times from 1970 up to 2100, and nothing Date cannot hold', () => {
    expect(upstreamTimeFromSeconds(1_700_000_000)).toBe(1_700_000_000_000);
    expect(upstreamTimeFromSeconds(0)).toBe(0);
    for (const seconds of [-1, 8.64e12, 8.64e12 + 1, 4_102_444_800, Number.NaN, Infinity, -Infinity, 1e300]) expect(upstreamTimeFromSeconds(seconds)).toBeNull();
    expect(upstreamTimeFromIso('2025-01-01T00:00:00.000000+00:00')).toBe(Date.UTC(2025, 0, 1));
    for (const text of ['+275760-09-13T00:00:00.001Z', '2100-01-01T00:00:00Z', '1969-12-31T23:59:59Z', 'soon', '', `2025-01-01T00:00:00Z${' '.repeat(100)}`]) {
      expect(upstreamTimeFromIso(text)).toBeNull();
    }
  });

  it('keeps short texts, trimmed, and leaves out long or empty ones', () => {
    expect(shortText('  Kitchen  ')).toBe('Kitchen');
    expect(shortText('x'.repeat(255))).toHaveLength(255);
    expect(shortText('x'.repeat(256))).toBeNull();
    expect(shortText('   ')).toBeNull();
    expect(shortText(5)).toBeNull();
  });
});
