import type { UnitSystem } from '../../src-shared/model/home-config';
import { IpcError, IpcErrorCode } from '../../src-shared/ipc/errors';
import { isValidTimezone } from '../../src-shared/model/settings';
import { describeState } from '../../src-shared/model/state-display';
import { useSettingValue } from '../store';

type TimeStyle = 'time' | 'time_seconds' | 'date_time' | 'date';

const STYLE_OPTIONS: Record<TimeStyle, Intl.DateTimeFormatOptions> = {
  time: { hour: '2-digit', minute: '2-digit' },
  time_seconds: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  date_time: { dateStyle: 'medium', timeStyle: 'short' },
  date: { dateStyle: 'medium' },
};

const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 16;

/** `zone` when it names a time zone, else undefined (this device's zone): for building a formatter with it. */
export function knownTimezone(zone: string | undefined): string | undefined {
  return zone !== undefined && isValidTimezone(zone) ? zone : undefined;
}

/** Cached per zone and style: formatting the header clock every second must not allocate a formatter. */
function formatter(timeZone: string | undefined, style: TimeStyle): Intl.DateTimeFormat {
  const zone = knownTimezone(timeZone);
  const key = `${zone ?? ''}|${style}`;
  let cached = formatters.get(key);
  if (!cached) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    cached = new Intl.DateTimeFormat(undefined, { timeZone: zone, ...STYLE_OPTIONS[style] });
    formatters.set(key, cached);
  }
  return cached;
}

/**
 * The home time zone (console setting) as set; undefined until the settings have loaded. Checked only where a
 * formatter is built with it (knownTimezone): the page's first zone check costs tens of milliseconds (ICU loads its
 * zone data), which would fall on the first view's frame through every header item that may show a time.
 */
export function useHomeTimezone(): string | undefined {
  const timezone = useSettingValue('console', 'timezone');
  return typeof timezone === 'string' ? timezone : undefined;
}

/** The home's unit system (console setting); metric until the settings have loaded. */
export function useUnitSystem(): UnitSystem {
  return useSettingValue('console', 'units') === 'imperial' ? 'imperial' : 'metric';
}

/** "14:05" (or "02:05 PM", as the locale has it) in `timeZone`: pass the home zone from useHomeTimezone. */
export function formatTime(epochMs: number, timeZone: string | undefined, withSeconds = false): string {
  return formatter(timeZone, withSeconds ? 'time_seconds' : 'time').format(epochMs);
}

/** Date and time, for lists of past events. */
export function formatDateTime(epochMs: number, timeZone: string | undefined): string {
  return formatter(timeZone, 'date_time').format(epochMs);
}

export function formatDate(epochMs: number, timeZone: string | undefined): string {
  return formatter(timeZone, 'date').format(epochMs);
}

/** A state value as the panel shows it (see describeState, shared with the hub), temperatures in the home's units. */
export function formatStateValue(stateType: string, value: string | null, units: string | null, unitSystem: UnitSystem): string {
  return describeState(stateType, value, units, unitSystem).text;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The router's words for an argument its schema refused; the issues say what was wrong in words meant for people. */
const SCHEMA_REFUSAL = /^Invalid argument for [\w.]+$/;

export function errorMessage(error: unknown): string {
  if (error instanceof IpcError && error.code === IpcErrorCode.INVALID_ARGUMENT && SCHEMA_REFUSAL.test(error.message) && error.issues?.length) {
    return error.issues.map((issue) => issue.message).join(' ');
  }
  return error instanceof Error ? error.message : String(error);
}
