import { z } from 'zod';
import { enumSchema } from '../enums/enum-schema';
import { ENTITY_STATE_VALUES, UNAVAILABLE_STATE_VALUES, type EntityStateTypeValue } from '../enums/entity';
import { defineLabeledEnum, type EnumMember, type EnumValue } from '../enums/labeled-enum';

export const HistoryRange = defineLabeledEnum(
  'HistoryRange',
  {
    HOUR: { label: '1 h', description: 'The last hour.' },
    DAY: { label: '24 h', description: 'The last 24 hours.' },
    WEEK: { label: '7 d', description: 'The last 7 days.' },
    MONTH: { label: '30 d', description: 'The last 30 days.' },
  },
  { default: 'DAY' },
);
export type HistoryRange = EnumMember<typeof HistoryRange>;
export type HistoryRangeValue = EnumValue<typeof HistoryRange>;

/** Real elapsed time: a "24 h" range on a daylight-saving day is still 24 hours, not a calendar day. */
export const HISTORY_RANGE_MS: Readonly<Record<HistoryRangeValue, number>> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
};

/** The most buckets one answer holds: about a wall panel chart's width in pixels. */
export const MAX_HISTORY_BUCKETS = 400;
export const MIN_HISTORY_BUCKETS = 10;

export const historySeriesArgSchema = z
  .object({
    stateId: z.number().int().positive(),
    range: enumSchema(HistoryRange),
    buckets: z
      .number()
      .int('The number of buckets must be a whole number.')
      .min(MIN_HISTORY_BUCKETS, `Ask for at least ${MIN_HISTORY_BUCKETS} buckets.`)
      .max(MAX_HISTORY_BUCKETS, `Ask for at most ${MAX_HISTORY_BUCKETS} buckets.`),
  })
  .strict();
export type HistorySeriesArg = z.infer<typeof historySeriesArgSchema>;

/** One time bucket of a numeric state; null values are a gap (no data, or no value such as 'unavailable'). */
export const numericBucketSchema = z.object({
  /** Epoch ms of the bucket's start. */
  t: z.number(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** The mean of the value held at the bucket's start and each reading in it. */
  avg: z.number().nullable(),
});
export type NumericBucket = z.infer<typeof numericBucketSchema>;

/** A stretch of time in one value of an enumerated state. */
export const stateRunSchema = z.object({
  /** Null: no value (before the first record, or 'unavailable'/'unknown'). */
  value: z.string().nullable(),
  from: z.number(),
  to: z.number(),
  /** Runs shorter than a bucket folded into one; its value is the one held longest in it (where every change was read). */
  mixed: z.boolean(),
});
export type StateRun = z.infer<typeof stateRunSchema>;

const seriesCommonSchema = z.object({
  stateId: z.number().int(),
  from: z.number(),
  to: z.number(),
  bucketMs: z.number().int().positive(),
  units: z.string().nullable(),
});

export const historySeriesSchema = z.discriminatedUnion('kind', [
  seriesCommonSchema.extend({ kind: z.literal('numeric'), buckets: z.array(numericBucketSchema).max(MAX_HISTORY_BUCKETS + 1) }),
  seriesCommonSchema.extend({ kind: z.literal('enumerated'), runs: z.array(stateRunSchema).max(2 * MAX_HISTORY_BUCKETS + 4) }),
]);
export type HistorySeries = z.infer<typeof historySeriesSchema>;

const NOT_CHARTED: ReadonlySet<EntityStateTypeValue> = new Set(['video_stream', 'blob', 'multivalued']);
const ENUMERATED: ReadonlySet<string> = new Set([...Object.keys(ENTITY_STATE_VALUES), 'discrete']);

/** How a state's history is charted: as a line of numbers, as a timeline of named values, or not at all. */
export function historyKindOf(stateType: string): 'numeric' | 'enumerated' | null {
  if (NOT_CHARTED.has(stateType as EntityStateTypeValue)) return null;
  return ENUMERATED.has(stateType) ? 'enumerated' : 'numeric';
}

const NO_VALUE: ReadonlySet<string> = new Set(UNAVAILABLE_STATE_VALUES);

/** 'unavailable', 'unknown', empty or null: the source could not say, so a chart shows a gap. */
export function isNoValue(value: string | null): boolean {
  return value === null || value.trim() === '' || NO_VALUE.has(value.trim().toLowerCase());
}
