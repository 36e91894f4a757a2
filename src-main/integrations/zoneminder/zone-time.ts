/**
 * ZoneMinder writes event times as MySQL DATETIME text in the server's own zone ("2026-03-08 01:59:30"), with no
 * offset. These pure functions turn such a wall-clock time into UTC and back, and say what they chose where the
 * zone's daylight-saving changes make a wall time missing (spring forward) or twice-lived (fall back).
 */

/** A wall-clock time as ZoneMinder writes it: `YYYY-MM-DD HH:MM:SS`, optionally with a `T` and fractional seconds. */
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?$/;

/** Longer than any wall time: not worth a regular expression. */
const MAX_WALL_TIME_CHARS = 32;
/** Formatters kept, one per zone: a hub talks to a handful of servers. */
const MAX_CACHED_ZONES = 32;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    // Throws a RangeError for a zone Intl does not know: callers validate zones where they enter.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
    formatters.set(zone, formatter);
  }
  return formatter;
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallPartsAt(epochMs: number, zone: string): WallParts {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(zone).formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

const wallAsUtc = (p: WallParts): number => Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);

/** How far the zone's clocks are ahead of UTC at `epochMs`, in ms (whole seconds; sub-second parts are ignored). */
export function zoneOffsetMs(epochMs: number, zone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  return wallAsUtc(wallPartsAt(whole, zone)) - whole;
}

/** How a wall time maps to instants: `exact` once, `repeated` twice (fall back), `skipped` never (spring forward). */
export type WallTimeKind = 'exact' | 'repeated' | 'skipped';

export interface WallTimeInstants {
  kind: WallTimeKind;
  /** The first instant showing this wall time; for a skipped one, the instant as read with the offset before the change. */
  earlier: number;
  /** The last instant showing it; for a skipped one, read with the offset after the change (an earlier instant). */
  later: number;
}

/** The parts of a wall time, or null when it is not `YYYY-MM-DD HH:MM:SS` naming a real calendar second. */
export function parseWallTime(text: string): WallParts | null {
  if (text.length > MAX_WALL_TIME_CHARS) return null;
  const match = WALL_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const parts = { year, month, day, hour, minute, second };
  // Date.UTC rolls 2026-02-30 over into March: a date that does not survive the round trip does not exist.
  const check = new Date(wallAsUtc(parts));
  if (hour > 23 || minute > 59 || second > 59 || check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  return parts;
}

/**
 * Every instant at which clocks in `zone` show the wall time `text`, or null when `text` is not a wall time.
 * DST changes are never closer than two days apart, so the offsets a day either side bound the candidates.
 */
export function instantsOfWallTime(text: string, zone: string): WallTimeInstants | null {
  const parts = parseWallTime(text);
  if (!parts) return null;
  const asUtc = wallAsUtc(parts);
  const before = zoneOffsetMs(asUtc - DAY_MS, zone);
  const after = zoneOffsetMs(asUtc + DAY_MS, zone);
  const candidates = [...new Set([asUtc - before, asUtc - after])]
    .filter((instant) => asUtc - zoneOffsetMs(instant, zone) === instant)
    .sort((a, b) => a - b);
  if (candidates.length === 0) {
    // Spring forward: 02:30 in New York on the change day never happens. Read with the offset before it, it is the
    // instant clocks show 03:30 (what Temporal calls "compatible").
    return { kind: 'skipped', earlier: asUtc - before, later: asUtc - after };
  }
  return { kind: candidates.length === 1 ? 'exact' : 'repeated', earlier: candidates[0]!, later: candidates.at(-1)! };
}

/**
 * The UTC instant (epoch ms) of a wall time in `zone`, or null when `text` is not one. A repeated wall time reads as
 * `prefer` says (the earlier by default); a skipped one as the instant the clocks jumped over it to.
 */
export function wallTimeToUtc(text: string, zone: string, prefer: 'earlier' | 'later' = 'earlier'): number | null {
  const instants = instantsOfWallTime(text, zone);
  if (!instants) return null;
  if (instants.kind === 'skipped') return instants.earlier;
  return prefer === 'earlier' ? instants.earlier : instants.later;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** The wall time clocks in `zone` show at `epochMs`, as ZoneMinder writes it (whole seconds, rounded down). */
export function utcToWallTime(epochMs: number, zone: string): string {
  const p = wallPartsAt(Math.floor(epochMs / 1000) * 1000, zone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** Events are numbered as they start, on every monitor at once; two that start this close may be numbered either way. */
export const EVENT_ORDER_SLACK_MS = 60_000;

/**
 * An event's start and end as instants. A start inside a repeated hour reads as the earlier instant, unless an event
 * numbered before it started later than that (`notBefore`, its latest start): ZoneMinder numbers events as they start,
 * so this one must be from the second pass of the hour. Its end is then the candidate closest to start + length
 * (ZoneMinder's own duration, in seconds), which places an event running across the fall-back change. Null parts are
 * those that are missing or do not parse.
 */
export function eventInstants(
  start: string,
  end: string | null,
  lengthSeconds: number | null,
  zone: string,
  notBefore: number = Number.NEGATIVE_INFINITY,
): { start: number | null; end: number | null } {
  const startInstants = instantsOfWallTime(start, zone);
  let startMs: number | null = null;
  if (startInstants) {
    const secondPass = startInstants.kind === 'repeated' && startInstants.earlier < notBefore - EVENT_ORDER_SLACK_MS;
    startMs = startInstants.kind === 'skipped' || !secondPass ? startInstants.earlier : startInstants.later;
  }
  if (end === null) return { start: startMs, end: null };
  const endInstants = instantsOfWallTime(end, zone);
  if (!endInstants) return { start: startMs, end: null };
  if (endInstants.kind !== 'repeated' || startMs === null) return { start: startMs, end: endInstants.earlier };
  const expected = startMs + (lengthSeconds ?? 0) * 1000;
  const endMs = [endInstants.earlier, endInstants.later]
    .filter((candidate) => candidate >= startMs)
    .sort((a, b) => Math.abs(a - expected) - Math.abs(b - expected))[0];
  return { start: startMs, end: endMs ?? endInstants.later };
}
