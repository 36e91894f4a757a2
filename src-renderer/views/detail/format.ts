import { useMemo } from 'preact/hooks';
import { isValidTimezone } from '../../../src-shared/model/settings';
import { describeState } from '../../../src-shared/model/state-display';
import { useSettingValue } from '../../store';

/** A state value as the panel shows it (see describeState, shared with the hub). */
export function formatStateValue(stateType: string, value: string | null, units: string | null): string {
  return describeState(stateType, value, units).text;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Date and time in the hub's time zone (the console setting), for history lists. */
export function useWhenFormatter(): (epochMs: number) => string {
  const timezone = useSettingValue('console', 'timezone');
  const zone = typeof timezone === 'string' && isValidTimezone(timezone) ? timezone : undefined;
  return useMemo(() => {
    const formatter = new Intl.DateTimeFormat(undefined, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
    return (epochMs: number) => formatter.format(epochMs);
  }, [zone]);
}
