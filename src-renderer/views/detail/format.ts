import { useMemo } from 'preact/hooks';
import { styleTokenFor } from '../../../src-shared/enums/entity';
import { isValidTimezone } from '../../../src-shared/model/settings';
import { useSettingValue } from '../../store';

/** Percent reads as "40%", every other unit after a space: "21.5 °C", "1200 W". */
const unitSuffix = (units: string | null): string => (!units ? '' : units === '%' ? '%' : ` ${units}`);

/** A state value as the panel shows it: never blank, unknown and unavailable said in words. */
export function formatStateValue(stateType: string, value: string | null, units: string | null): string {
  const text = value?.trim() ?? '';
  if (text === '' || text.toLowerCase() === 'unknown') return 'Unknown';
  if (styleTokenFor(stateType, text) === 'unavailable') return 'Unavailable';
  if (Number.isFinite(Number(text))) return `${text}${unitSuffix(units)}`;
  const words = text.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
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
