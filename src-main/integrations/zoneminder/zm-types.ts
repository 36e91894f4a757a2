import { z } from 'zod';
import { isValidTimezone } from '../../../src-shared/model/settings';
import { summariseIssues } from '../home_assistant/ha-types';
import { clipText, UPSTREAM_LIMITS } from '../upstream-limits';
import { parseWallTime } from './zone-time';

/**
 * What ZoneMinder's API (web/api, CakePHP 2) sends, as zod schemas. Every row comes wrapped in its model's name
 * ({"Monitor": {...}}) and, depending on the PHP and MySQL driver, numbers come as JSON numbers or as decimal text:
 * both are accepted. Bounds follow ZoneMinder's own columns (names are VARCHAR(64); ids are unsigned integers).
 */

export { summariseIssues };

/** ZoneMinder's monitor functions, in the order of its enum column. */
export const ZM_FUNCTIONS = ['None', 'Monitor', 'Modect', 'Record', 'Mocord', 'Nodect'] as const;
export type ZmFunction = (typeof ZM_FUNCTIONS)[number];

/** How 1.37 and later, which split Function into three columns, spell each function (db/zm_update-1.37.12.sql). */
export const FUNCTION_COLUMNS: Readonly<Record<ZmFunction, { Capturing: string; Analysing: string; Recording: string }>> = {
  None: { Capturing: 'None', Analysing: 'None', Recording: 'None' },
  Monitor: { Capturing: 'Always', Analysing: 'None', Recording: 'None' },
  Modect: { Capturing: 'Always', Analysing: 'Always', Recording: 'OnMotion' },
  Record: { Capturing: 'Always', Analysing: 'None', Recording: 'Always' },
  Mocord: { Capturing: 'Always', Analysing: 'Always', Recording: 'Always' },
  Nodect: { Capturing: 'Always', Analysing: 'None', Recording: 'OnMotion' },
};

export function isZmFunction(value: unknown): value is ZmFunction {
  return typeof value === 'string' && (ZM_FUNCTIONS as readonly string[]).includes(value);
}

/** The function of a monitor that reports only Capturing / Analysing / Recording, or null when they match none. */
export function functionFromColumns(columns: { Capturing: string; Analysing: string; Recording: string }): ZmFunction | null {
  // Capturing 'Ondemand' captures as 'Always' does, only while someone watches.
  const capturing = columns.Capturing === 'Ondemand' ? 'Always' : columns.Capturing;
  if (capturing === 'None') return 'None';
  return ZM_FUNCTIONS.find((fn) => {
    const expected = FUNCTION_COLUMNS[fn];
    return expected.Capturing === capturing && expected.Analysing === columns.Analysing && expected.Recording === columns.Recording;
  }) ?? null;
}

/** Ids and counts: MySQL unsigned integers, as numbers or as text, up to 2^53 - 1. */
const countSchema = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^\d{1,16}$/, 'not a whole number')
    .transform(Number)
    .refine((n) => n <= Number.MAX_SAFE_INTEGER, 'too large'),
]);
const idSchema = countSchema.refine((n) => n > 0, 'not an id');
/** A decimal (Length is DECIMAL(10,2)), as a number or as text. */
const decimalSchema = z.union([
  z.number().finite(),
  z
    .string()
    .regex(/^-?\d{1,12}(\.\d{1,6})?$/, 'not a decimal number')
    .transform(Number),
]);
/** 0/1 flags (TINYINT), as numbers, text or booleans. */
const flagSchema = z.union([z.boolean(), z.literal(0), z.literal(1), z.literal('0'), z.literal('1')]).transform((v) => v === true || v === 1 || v === '1');
const nameSchema = z.string().max(UPSTREAM_LIMITS.maxTextChars, `longer than ${UPSTREAM_LIMITS.maxTextChars} characters`);
const enumTextSchema = z.string().max(32, 'longer than 32 characters');
/** A DATETIME as ZoneMinder writes it; MySQL's zero date and an empty text both mean "none". */
const wallTimeSchema = z
  .string()
  .max(32, 'longer than 32 characters')
  .transform((text, ctx) => {
    if (text === '' || text.startsWith('0000-00-00')) return null;
    if (!parseWallTime(text)) {
      ctx.addIssue({ code: 'custom', message: 'not a YYYY-MM-DD HH:MM:SS time' });
      return z.NEVER;
    }
    return text;
  });
const quotedTextSchema = z.string().transform((text) => clipText(text, 200));

/** POST /api/host/login.json. Expiries are lifetimes in seconds (ZM_AUTH_HASH_TTL hours, one day for refresh). */
export const zmLoginSchema = z.looseObject({
  version: nameSchema.optional(),
  apiversion: nameSchema.optional(),
  access_token: z.string().min(1).max(4096).optional(),
  access_token_expires: countSchema.optional(),
  refresh_token: z.string().min(1).max(4096).optional(),
  refresh_token_expires: countSchema.optional(),
});
export type ZmLogin = z.infer<typeof zmLoginSchema>;

/** GET /api/host/getVersion.json. */
export const zmVersionSchema = z.looseObject({ version: nameSchema, apiversion: nameSchema });
export type ZmVersion = z.infer<typeof zmVersionSchema>;

/** GET /api/host/getTimeZone.json: PHP's date_default_timezone_get(). */
export const zmTimeZoneSchema = z.looseObject({
  tz: z
    .string()
    .max(64, 'longer than 64 characters')
    .refine((zone) => isValidTimezone(zone), 'not a time zone'),
});

/** One monitor of GET /api/monitors.json; 1.36 and before have Function, 1.37 and later the three columns. */
export const zmMonitorSchema = z
  .looseObject({
    Id: idSchema,
    Name: nameSchema,
    Function: z.enum(ZM_FUNCTIONS).optional(),
    Capturing: enumTextSchema.optional(),
    Analysing: enumTextSchema.optional(),
    Recording: enumTextSchema.optional(),
    Enabled: flagSchema,
    Width: countSchema.optional(),
    Height: countSchema.optional(),
  })
  .transform((monitor, ctx) => {
    const { Capturing, Analysing, Recording } = monitor;
    const columns = Capturing !== undefined && Analysing !== undefined && Recording !== undefined ? { Capturing, Analysing, Recording } : null;
    const fn = monitor.Function ?? (columns ? functionFromColumns(columns) : null);
    if (!fn) {
      ctx.addIssue({ code: 'custom', message: 'has neither a Function nor Capturing / Analysing / Recording that name one' });
      return z.NEVER;
    }
    return {
      id: monitor.Id,
      name: monitor.Name.trim() || `Monitor ${monitor.Id}`,
      function: fn,
      /** True when the server keeps Capturing / Analysing / Recording: a function is set through those. */
      splitFunction: columns !== null,
      enabled: monitor.Enabled,
      width: monitor.Width ?? null,
      height: monitor.Height ?? null,
    };
  });
export type ZmMonitor = z.infer<typeof zmMonitorSchema>;

/** The optional Monitor_Status row beside each monitor. */
export const zmMonitorStatusSchema = z.looseObject({ Status: enumTextSchema.optional() });

/** One run state of GET /api/states.json. */
export const zmRunStateSchema = z
  .looseObject({ Id: idSchema, Name: z.string().min(1).max(64), IsActive: flagSchema })
  .transform((state) => ({ id: state.Id, name: state.Name, active: state.IsActive }));
export type ZmRunState = z.infer<typeof zmRunStateSchema>;

/**
 * One event of GET /api/events/index.json. Before 1.35.13 the times were StartTime / EndTime; since, the columns are
 * StartDateTime / EndDateTime and StartTime / EndTime stay as virtual fields. Times are wall times in the server's zone.
 */
export const zmEventSchema = z
  .looseObject({
    Id: idSchema,
    MonitorId: idSchema,
    Name: nameSchema.optional(),
    Cause: z.string().nullable().optional(),
    StartDateTime: wallTimeSchema.nullable().optional(),
    EndDateTime: wallTimeSchema.nullable().optional(),
    StartTime: wallTimeSchema.nullable().optional(),
    EndTime: wallTimeSchema.nullable().optional(),
    Length: decimalSchema.optional(),
    Frames: countSchema.nullable().optional(),
    AlarmFrames: countSchema.nullable().optional(),
    MaxScore: countSchema.nullable().optional(),
  })
  .transform((event, ctx) => {
    const start = event.StartDateTime ?? event.StartTime ?? null;
    if (start === null) {
      ctx.addIssue({ code: 'custom', message: 'has no start time' });
      return z.NEVER;
    }
    return {
      id: event.Id,
      monitorId: event.MonitorId,
      name: event.Name ?? '',
      cause: event.Cause ? clipText(event.Cause, UPSTREAM_LIMITS.maxTextChars) : null,
      startWall: start,
      endWall: event.EndDateTime ?? event.EndTime ?? null,
      lengthSeconds: event.Length ?? null,
      frames: event.Frames ?? null,
      alarmFrames: event.AlarmFrames ?? null,
      maxScore: event.MaxScore ?? null,
    };
  });
export type ZmEventRow = z.infer<typeof zmEventSchema>;

/** The event of GET /api/events/<id>.json, read only for which monitor recorded it. */
export const zmEventOwnerSchema = z.looseObject({ Id: idSchema, MonitorId: idSchema });

/** CakePHP's PaginatorHelper::params(), as events/index.json carries it. */
export const zmPaginationSchema = z.looseObject({
  page: countSchema,
  current: countSchema,
  count: countSchema,
  pageCount: countSchema,
  limit: countSchema.nullable().optional(),
  nextPage: z.boolean().optional(),
  prevPage: z.boolean().optional(),
});
export type ZmPagination = z.infer<typeof zmPaginationSchema>;

/** CakePHP's error body: {"success": false, "data": {"name": ..., "message": ...}}, or older {"name", "message"}. */
export const zmErrorSchema = z.union([
  z.looseObject({ data: z.looseObject({ message: quotedTextSchema }) }).transform((body) => body.data.message),
  z.looseObject({ message: quotedTextSchema }).transform((body) => body.message),
  z.looseObject({ name: quotedTextSchema }).transform((body) => body.name),
]);

/** A row wrapped in its model's name, as CakePHP lists them: `{"Monitor": {...}}`. */
export function unwrapRow(item: unknown, model: string): unknown {
  return typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>)[model] : undefined;
}

/** The id of a row that may fail validation, for saying which one could not be read. */
export function rowId(row: unknown): string | null {
  const id = typeof row === 'object' && row !== null ? (row as { Id?: unknown }).Id : undefined;
  const parsed = idSchema.safeParse(id);
  return parsed.success ? String(parsed.data) : null;
}
