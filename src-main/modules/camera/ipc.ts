import type { Kysely } from 'kysely';
import { EntityStateType } from '../../../src-shared/enums/entity';
import type { CameraSummary } from '../../../src-shared/mjpeg/camera-model';
import type { HandlerMap } from '../../ipc/router';
import type { Database } from '../../store/schema';
import type { LatestValueSource } from '../status/sensor-response-manager';

/** Every item with a video stream, by name, with its motion state when it has one. */
export async function listCameras(db: Kysely<Database>, latest: LatestValueSource): Promise<CameraSummary[]> {
  const cameras = await db
    .selectFrom('entity')
    .select(['id', 'name'])
    .where('has_video_stream', '=', 1)
    .where('archived_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
  if (cameras.length === 0) return [];
  const motionStates = await db
    .selectFrom('entity_state')
    .select(['id', 'entity_id'])
    .where('entity_id', 'in', cameras.map((c) => c.id))
    .where('entity_state_type_str', '=', String(EntityStateType.MOVEMENT))
    .orderBy('id')
    .execute();
  const motionOf = new Map<number, number>();
  for (const state of motionStates) if (!motionOf.has(state.entity_id)) motionOf.set(state.entity_id, state.id);
  return cameras.map((camera) => {
    const stateId = motionOf.get(camera.id);
    return {
      entityId: camera.id,
      name: camera.name,
      motion: stateId === undefined ? null : { stateId, value: latest.latest(stateId)?.value ?? null },
    };
  });
}

export function cameraHandlers(db: Kysely<Database>, latest: LatestValueSource): HandlerMap<'camera.list'> {
  return {
    'camera.list': () => listCameras(db, latest),
  };
}
