import { isValidTimezone } from '../../src-shared/model/settings';

const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 16;

/** Cached per zone and style: formatting the header clock every second must not allocate a formatter. */
function formatter(timeZone: string | undefined, withSeconds: boolean): Intl.DateTimeFormat {
  const zone = timeZone && isValidTimezone(timeZone) ? timeZone : undefined;
  const key = `${zone ?? ''}|${withSeconds}`;
  let cached = formatters.get(key);
  if (!cached) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    cached = new Intl.DateTimeFormat(undefined, {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      ...(withSeconds ? { second: '2-digit' } : {}),
    });
    formatters.set(key, cached);
  }
  return cached;
}

export function formatTime(epochMs: number, timeZone?: string, withSeconds = false): string {
  return formatter(timeZone, withSeconds).format(epochMs);
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
