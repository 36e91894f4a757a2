// Where a panel reads a camera through the hub. The hub answers these paths on both hosts (the panel server and the
// kiosk's app:// protocol); the upstream address and its credentials stay in the hub.

export type LiveCameraMode = 'live' | 'snapshot';
/** A recorded event of a camera: played back as MJPEG, or one picture of it. */
export type EventCameraMode = 'event-play' | 'event-thumbnail';
export type CameraMode = LiveCameraMode | EventCameraMode;

/** What a camera path names; an event id is digits only, checked before it goes anywhere. */
export type CameraTarget = { mode: LiveCameraMode; entityId: number } | { mode: EventCameraMode; entityId: number; eventId: string };

const PREFIX: Record<LiveCameraMode, string> = { live: '/stream/', snapshot: '/snapshot/' };
const EVENT_PREFIX = '/event/';
const EVENT_PART: Record<EventCameraMode, string> = { 'event-play': 'play', 'event-thumbnail': 'thumbnail' };
const ID = /^[1-9]\d{0,14}$/;

/** Whether `value` is an event id as the hub accepts them: a positive whole number in digits. */
export function isEventId(value: string): boolean {
  return ID.test(value);
}

/** Live streams one panel may hold open at once; the hub answers 429 past it and the panel waits its turn. */
export const MAX_STREAMS_PER_PANEL = 4;

/** The boundary of the hub's own MJPEG answers. */
export const HUB_MJPEG_BOUNDARY = 'hiframe';

/** The hub's address of a camera's live stream or snapshot; `panelId` lets the hub count streams per panel. */
export function cameraPath(mode: LiveCameraMode, entityId: number, panelId?: string): string {
  return `${PREFIX[mode]}${entityId}${panelQuery(panelId)}`;
}

/** The hub's address of a recorded event's playback or thumbnail; playback counts against the panel's streams. */
export function eventPath(mode: EventCameraMode, entityId: number, eventId: string, panelId?: string): string {
  return `${EVENT_PREFIX}${entityId}/${encodeURIComponent(eventId)}/${EVENT_PART[mode]}${panelQuery(panelId)}`;
}

function panelQuery(panelId: string | undefined): string {
  return panelId ? `?panel=${encodeURIComponent(panelId)}` : '';
}

/** The camera a path names, or null when it is not a camera path; `invalid` when it is one with a bad id. */
export function parseCameraPath(pathname: string): CameraTarget | 'invalid' | null {
  for (const mode of ['live', 'snapshot'] as const) {
    const prefix = PREFIX[mode];
    if (!pathname.startsWith(prefix)) continue;
    const rest = pathname.slice(prefix.length);
    if (!ID.test(rest)) return 'invalid';
    return { mode, entityId: Number(rest) };
  }
  if (!pathname.startsWith(EVENT_PREFIX)) return null;
  const [entity, eventId, part, ...more] = pathname.slice(EVENT_PREFIX.length).split('/');
  if (more.length > 0 || entity === undefined || eventId === undefined || !ID.test(entity) || !ID.test(eventId)) return 'invalid';
  const mode = part === 'play' ? 'event-play' : part === 'thumbnail' ? 'event-thumbnail' : null;
  return mode === null ? 'invalid' : { mode, entityId: Number(entity), eventId };
}

/** A panel id as the hub hands them out; anything else is not used to count streams. */
export function readPanelId(value: string | null): string | null {
  return value !== null && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;
}
