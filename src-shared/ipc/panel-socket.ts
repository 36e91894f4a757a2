/** Where a browser panel opens its WebSocket to the hub. Apart from the framing's schemas, so a page can open it before loading them. */
export const PANEL_SOCKET_PATH = '/ws';

/**
 * `/ws?snapshot=<view id|default>`: the hub answers `hub.snapshot` of that view as soon as the socket is open, as if
 * asked with id EARLY_SNAPSHOT_ID, so the first snapshot needs no round trip from a page still loading its code.
 */
export const SNAPSHOT_QUERY = 'snapshot';
/** The id of that answer; a panel's own request ids start above it. */
export const EARLY_SNAPSHOT_ID = 0;

/** The view named by a snapshot query: a view id, 'default', or null for anything else. */
export function snapshotViewOfQuery(value: string | null): number | 'default' | null {
  if (value === 'default') return value;
  return value !== null && /^\d{1,15}$/.test(value) ? Number(value) : null;
}
