import { useCallback } from 'preact/hooks';
import { formatDateTime, useHomeTimezone } from '../../components/format';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Date and time in the home time zone, for history lists. */
export function useWhenFormatter(): (epochMs: number) => string {
  const zone = useHomeTimezone();
  return useCallback((epochMs: number) => formatDateTime(epochMs, zone), [zone]);
}
