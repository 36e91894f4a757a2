import type { Kysely, Selectable } from 'kysely';
import { CONTROLLABLE_STATE_TYPES, EntityStateType, EntityType } from '../../../src-shared/enums/entity';
import type { SyncReport } from '../../../src-shared/model/integration';
import type { UnreadableEntry } from '../../integrations/gateway';
import { stateIntegrationId, type UpstreamEntity } from '../../integrations/upstream';
import { valueRangeText } from '../../store/choices-column';
import type { Database } from '../../store/schema';

type Db = Kysely<Database>;

export interface ImportAllowlist {
  domains: ReadonlySet<string>;
  entities: ReadonlySet<string>;
}

export function isAllowed(entity: Pick<UpstreamEntity, 'domain' | 'upstreamId'>, allow: ImportAllowlist): boolean {
  return allow.domains.has(entity.domain) || allow.entities.has(entity.upstreamId);
}

const CONTROLLABLE = new Set<string>(CONTROLLABLE_STATE_TYPES);

/**
 * A sync removes or disconnects at most this share of an integration's items unasked: an upstream that suddenly
 * lists far fewer devices is more likely broken (a restart, a bad proxy) than emptied by its owner.
 */
export const MAX_UNASKED_REMOVAL_SHARE = 0.25;
/** ... unless it is only this many: a small home losing a device or two is routine, and asking would be noise. */
export const MAX_UNASKED_REMOVAL_COUNT = 2;

export interface SyncOptions {
  /** Disconnect every entity that is not wanted, whatever upstream says (the integration is being disabled). */
  detachAll?: boolean;
  /** Entries the upstream listed but that could not be read: they say nothing about what is gone. */
  unreadable?: readonly UnreadableEntry[];
  /** The user agreed to remove what a previous sync left pending. */
  confirmRemovals?: boolean;
}

/**
 * Brings the entities of one integration in line with what is upstream, by integration key: creates new ones,
 * updates changed ones, reconnects a detached entity whose previous key matches, detaches (keeps, disabled) one
 * that vanished upstream but that the user placed or annotated (or every one, with `detachAll`), and deletes the rest.
 * Never removes on the strength of what it could not read, and leaves a mass removal pending until confirmed.
 * Runs in the caller's transaction.
 */
export async function syncIntegration(
  trx: Db,
  integrationKey: string,
  upstream: readonly UpstreamEntity[],
  allow: ImportAllowlist,
  now: number,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const unreadable = options.unreadable ?? [];
  const report: SyncReport = { created: [], updated: 0, reconnected: [], detached: [], removed: [], unplaced: [], pendingRemovals: [], importedBefore: 0, unreadable: unreadable.length };
  const wanted = new Map(upstream.filter((u) => isAllowed(u, allow)).map((u) => [u.upstreamId, u]));
  const attached = await trx.selectFrom('entity').selectAll().where('integration_name', '=', integrationKey).execute();
  report.importedBefore = attached.length;

  const listed = new Set(upstream.map((u) => u.upstreamId));
  const unreadableIds = new Set(unreadable.flatMap((u) => (u.upstreamId === null ? [] : [u.upstreamId])));
  // An unreadable entry without an id could be any of ours: nothing can be called gone.
  const blind = unreadable.some((u) => u.upstreamId === null);
  const unreadableItem = (id: string) => !options.detachAll && (blind || unreadableIds.has(id));
  // Listed but no longer chosen for import is the user's own choice; only vanished items need asking about.
  const vanished = attached.filter((e) => !wanted.has(e.integration_id ?? '') && !listed.has(e.integration_id ?? '') && !unreadableItem(e.integration_id ?? ''));
  const askFirst =
    !options.detachAll &&
    !options.confirmRemovals &&
    vanished.length > 0 &&
    (upstream.length === 0 || (vanished.length > MAX_UNASKED_REMOVAL_COUNT && vanished.length > attached.length * MAX_UNASKED_REMOVAL_SHARE));

  for (const entity of attached) {
    const upstreamId = entity.integration_id ?? '';
    const source = wanted.get(upstreamId);
    if (source) {
      if (await updateEntity(trx, entity, source, integrationKey, now)) report.updated += 1;
      wanted.delete(source.upstreamId);
    } else if (unreadableItem(upstreamId)) {
      // Upstream could not say what this is now: left exactly as it was.
      continue;
    } else if (askFirst && !listed.has(upstreamId)) {
      report.pendingRemovals.push({ entityId: entity.id, name: entity.name });
    } else if (options.detachAll || (await isKeptByUser(trx, entity.id))) {
      await trx
        .updateTable('entity')
        .set({ previous_integration_name: integrationKey, previous_integration_id: entity.integration_id, integration_name: null, integration_id: null, is_disabled: 1, updated_at: now })
        .where('id', '=', entity.id)
        .execute();
      await setDeviceLinks(trx, entity.id, null);
      report.detached.push({ entityId: entity.id, name: entity.name });
    } else {
      await trx.deleteFrom('entity').where('id', '=', entity.id).execute();
      report.removed.push(entity.name);
    }
  }

  for (const source of wanted.values()) {
    const detached = await trx
      .selectFrom('entity')
      .selectAll()
      .where('previous_integration_name', '=', integrationKey)
      .where('previous_integration_id', '=', source.upstreamId)
      .executeTakeFirst();
    if (detached) {
      await trx
        .updateTable('entity')
        .set({ integration_name: integrationKey, integration_id: source.upstreamId, previous_integration_name: null, previous_integration_id: null, is_disabled: 0, updated_at: now })
        .where('id', '=', detached.id)
        .execute();
      await updateEntity(trx, detached, source, integrationKey, now);
      report.reconnected.push({ entityId: detached.id, name: detached.name });
    } else {
      const created = await trx
        .insertInto('entity')
        .values({
          name: source.name,
          entity_type_str: source.entityType,
          integration_name: integrationKey,
          integration_id: source.upstreamId,
          integration_payload: payloadOf(source),
          previous_integration_name: null,
          previous_integration_id: null,
          has_video_stream: source.hasVideoStream ? 1 : 0,
          archived_at: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await syncStates(trx, created.id, source, integrationKey, now);
      report.created.push({ entityId: created.id, name: source.name });
    }
  }

  report.unplaced = await unplacedEntities(trx, integrationKey);
  return report;
}

/** What the integration last said, including the name it gave, to tell later whether the user renamed the entity. */
function payloadOf(source: UpstreamEntity): string {
  return JSON.stringify({ domain: source.domain, name: source.name, attributes: source.payload });
}

type EntityRow = Pick<Selectable<Database['entity']>, 'id' | 'name' | 'entity_type_str' | 'integration_payload' | 'has_video_stream'>;

/**
 * Brings one entity and its states in line with upstream; answers whether a stored field changed (name, type,
 * attributes, states), so that a sync reports as updated only what really was. The upstream name replaces ours
 * only while the user has not renamed the entity.
 */
async function updateEntity(trx: Db, entity: EntityRow, source: UpstreamEntity, integrationKey: string, now: number): Promise<boolean> {
  const previousUpstreamName = nameInPayload(entity.integration_payload);
  const next = {
    name: previousUpstreamName === null || previousUpstreamName === entity.name ? source.name : entity.name,
    entity_type_str: EntityType.fromNameSafe(source.entityType).value,
    integration_payload: payloadOf(source),
    has_video_stream: source.hasVideoStream ? 1 : 0,
  };
  const entityChanged =
    next.name !== entity.name ||
    next.entity_type_str !== entity.entity_type_str ||
    next.integration_payload !== entity.integration_payload ||
    next.has_video_stream !== entity.has_video_stream;
  if (entityChanged) await trx.updateTable('entity').set({ ...next, updated_at: now }).where('id', '=', entity.id).execute();
  const statesChanged = await syncStates(trx, entity.id, source, integrationKey, now);
  return entityChanged || statesChanged;
}

function nameInPayload(payload: string | null): string | null {
  if (!payload) return null;
  try {
    const parsed = JSON.parse(payload) as { name?: unknown; attributes?: { friendly_name?: unknown } };
    if (typeof parsed.name === 'string') return parsed.name;
    return typeof parsed.attributes?.friendly_name === 'string' ? parsed.attributes.friendly_name : null;
  } catch {
    return null;
  }
}

/**
 * One entity state per upstream state, each with a sensor and, when controllable, a controller. Answers whether
 * anything stored changed.
 */
async function syncStates(trx: Db, entityId: number, source: UpstreamEntity, integrationKey: string, now: number): Promise<boolean> {
  const names = stateNames(source.states);
  let changed = false;
  for (const state of source.states) {
    const integrationId = stateIntegrationId(source.upstreamId, state.key);
    const type = EntityStateType.fromNameSafe(state.stateType).value;
    // Rewritten on every sync: a device's modes can change upstream.
    const valueRange = valueRangeText(state);
    const existing = await trx
      .selectFrom('sensor')
      .innerJoin('entity_state', 'entity_state.id', 'sensor.entity_state_id')
      .select([
        'entity_state.id as stateId',
        'entity_state.entity_state_type_str as type',
        'entity_state.name as name',
        'entity_state.value_range_str as valueRange',
        'entity_state.units as units',
        'sensor.id as sensorId',
        'sensor.integration_name as sensorIntegration',
      ])
      .where('entity_state.entity_id', '=', entityId)
      .where('sensor.integration_id', '=', integrationId)
      .executeTakeFirst();
    let stateId: number;
    if (existing) {
      stateId = existing.stateId;
      const name = names.get(state.key)!;
      if (existing.type !== type || existing.name !== name || existing.valueRange !== valueRange || existing.units !== state.units) {
        await trx.updateTable('entity_state').set({ entity_state_type_str: type, name, value_range_str: valueRange, units: state.units }).where('id', '=', stateId).execute();
        changed = true;
      }
      if (existing.sensorIntegration !== integrationKey) {
        await trx.updateTable('sensor').set({ integration_name: integrationKey }).where('id', '=', existing.sensorId).execute();
        changed = true;
      }
    } else {
      changed = true;
      stateId = (
        await trx
          .insertInto('entity_state')
          .values({ entity_id: entityId, entity_state_type_str: type, name: names.get(state.key)!, value_range_str: valueRange, units: state.units, created_at: now })
          .onConflict((oc) => oc.columns(['entity_id', 'entity_state_type_str', 'name']).doUpdateSet({ value_range_str: valueRange, units: state.units }))
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      await trx
        .insertInto('sensor')
        .values({ entity_state_id: stateId, name: state.name, integration_name: integrationKey, integration_id: integrationId, created_at: now })
        .onConflict((oc) => oc.column('entity_state_id').doUpdateSet({ integration_name: integrationKey, integration_id: integrationId }))
        .execute();
    }
    const controllable = state.controllable && CONTROLLABLE.has(type);
    if (controllable) {
      const controller = await trx.selectFrom('controller').select(['integration_name', 'integration_id']).where('entity_state_id', '=', stateId).executeTakeFirst();
      if (controller?.integration_name === integrationKey && controller.integration_id === integrationId) continue;
      await trx
        .insertInto('controller')
        .values({ entity_state_id: stateId, name: state.name, integration_name: integrationKey, integration_id: integrationId, created_at: now })
        .onConflict((oc) => oc.column('entity_state_id').doUpdateSet({ integration_name: integrationKey, integration_id: integrationId }))
        .execute();
      changed = true;
    } else {
      const deleted = await trx.deleteFrom('controller').where('entity_state_id', '=', stateId).executeTakeFirst();
      if (deleted.numDeletedRows > 0n) changed = true;
    }
  }
  return changed;
}

/**
 * Each state's name by key: its own, unless another state of the entity has the same type and name (a weather
 * station's two temperatures), when the upstream key tells them apart, as the unique (entity, type, name) needs.
 */
function stateNames(states: UpstreamEntity['states']): Map<string, string> {
  const sameTypeAndName = (a: UpstreamEntity['states'][number], b: UpstreamEntity['states'][number]) => a.stateType === b.stateType && a.name === b.name;
  return new Map(
    states.map((state) => {
      const shared = states.some((other) => other !== state && sameTypeAndName(other, state));
      return [state.key, shared ? `${state.name} (${state.key.replaceAll('_', ' ')})` : state.name];
    }),
  );
}

/** Detached devices keep their integration ids but lose the link, so a re-import reconnects instead of colliding. */
async function setDeviceLinks(trx: Db, entityId: number, integrationKey: string | null): Promise<void> {
  const stateIds = (await trx.selectFrom('entity_state').select('id').where('entity_id', '=', entityId).execute()).map((s) => s.id);
  if (stateIds.length === 0) return;
  await trx.updateTable('sensor').set({ integration_name: integrationKey }).where('entity_state_id', 'in', stateIds).execute();
  await trx.updateTable('controller').set({ integration_name: integrationKey }).where('entity_state_id', 'in', stateIds).execute();
}

/** Placed on a plan or given attributes: the user's work, which a vanished upstream device must not take away. */
async function isKeptByUser(trx: Db, entityId: number): Promise<boolean> {
  const [position, drawn, attribute] = await Promise.all([
    trx.selectFrom('entity_position').select('id').where('entity_id', '=', entityId).executeTakeFirst(),
    trx.selectFrom('entity_path').select('id').where('entity_id', '=', entityId).executeTakeFirst(),
    trx.selectFrom('entity_attribute').select('id').where('entity_id', '=', entityId).executeTakeFirst(),
  ]);
  return position !== undefined || drawn !== undefined || attribute !== undefined;
}

async function unplacedEntities(trx: Db, integrationKey: string): Promise<SyncReport['unplaced']> {
  const rows = await trx
    .selectFrom('entity')
    .select(['id', 'name', 'entity_type_str'])
    .where('integration_name', '=', integrationKey)
    .where('archived_at', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('entity_position').select('id').whereRef('entity_position.entity_id', '=', 'entity.id'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('entity_path').select('id').whereRef('entity_path.entity_id', '=', 'entity.id'))))
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ entityId: r.id, name: r.name, type: EntityType.fromNameSafe(r.entity_type_str).value }));
}
