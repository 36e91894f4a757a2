import type { Kysely } from 'kysely';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { VideoBrowseView } from '../../../src-shared/model/video';
import type { VideoEventListing, VideoEventQuery } from '../../integrations/gateway';
import type { HandlerMap } from '../../ipc/router';
import type { Database } from '../../store/schema';
import type { Clock } from '../../util/clock';
import { VideoBrowsingHelper, type VideoEventRecord, type VideoGrouping } from './video-browsing-helper';

/** Recordings read for one span from one integration; a busier span is shown as its newest this many. */
export const MAX_EVENTS_PER_SPAN = 5_000;

export interface VideoEventSource {
  /** Null when the integration keeps no recordings. */
  listVideoEvents(integrationKey: string, query: VideoEventQuery): Promise<VideoEventListing | null>;
}

export interface VideoHandlerDeps {
  db: Kysely<Database>;
  integrations: VideoEventSource;
  clock: Clock;
  /** The home's zone, read at each browse so that a changed setting counts at once. */
  timeZone: () => string;
}

interface Camera {
  id: number;
  name: string;
  integration_name: string | null;
  integration_id: string | null;
}

async function camerasOf(db: Kysely<Database>, entityIds: readonly number[]): Promise<Camera[]> {
  let query = db
    .selectFrom('entity')
    .select(['id', 'name', 'integration_name', 'integration_id'])
    .where('has_video_stream', '=', 1)
    .where('archived_at', 'is', null);
  if (entityIds.length > 0) query = query.where('id', 'in', [...entityIds]);
  const cameras = await query.orderBy('name').orderBy('id').execute();
  const missing = entityIds.find((id) => !cameras.some((c) => c.id === id));
  if (missing !== undefined) throw IpcError.notFound(`Item ${missing} is not a camera.`);
  return cameras;
}

/**
 * The span's recordings of the chosen cameras, read from each integration they come from, with upstream ids mapped
 * to entity ids. Grouping and paging are the helper's.
 */
async function browse(deps: VideoHandlerDeps, cameraEntityIds: readonly number[], grouping: VideoGrouping, anchor: number | undefined): Promise<VideoBrowseView> {
  const cameras = await camerasOf(deps.db, cameraEntityIds);
  const now = deps.clock.now();
  const helper = new VideoBrowsingHelper(deps.timeZone());
  const span = helper.spanAround(anchor ?? now, grouping, now);
  const byIntegration = new Map<string, Map<string, number>>();
  for (const camera of cameras) {
    if (!camera.integration_name || !camera.integration_id) continue;
    const upstream = byIntegration.get(camera.integration_name) ?? new Map<string, number>();
    upstream.set(camera.integration_id, camera.id);
    byIntegration.set(camera.integration_name, upstream);
  }
  const listings = await Promise.all(
    [...byIntegration].map(async ([key, entityOf]) => {
      const listing = await deps.integrations.listVideoEvents(key, { upstreamIds: [...entityOf.keys()], from: span.start, to: span.end, limit: MAX_EVENTS_PER_SPAN });
      if (listing === null) return { key, recordings: false, events: [], complete: true };
      const events = listing.events.flatMap((e): VideoEventRecord[] => {
        const cameraEntityId = entityOf.get(e.upstreamId);
        return cameraEntityId === undefined ? [] : [{ cameraEntityId, eventId: e.eventId, start: e.start, end: e.end, alarmFrames: e.alarmFrames }];
      });
      return { key, recordings: true, events, complete: listing.complete };
    }),
  );
  const recording = new Set(listings.filter((l) => l.recordings).map((l) => l.key));
  return {
    span,
    groups: helper.group(
      span,
      listings.flatMap((l) => l.events),
    ),
    cameras: cameras.map((c) => ({ entityId: c.id, name: c.name, recordings: c.integration_name !== null && recording.has(c.integration_name) })),
    complete: listings.every((l) => l.complete),
  };
}

export function videoHandlers(deps: VideoHandlerDeps): HandlerMap<'video.events.browse'> {
  return {
    'video.events.browse': ({ cameraEntityIds, grouping, anchor }) => browse(deps, cameraEntityIds, grouping, anchor),
  };
}
