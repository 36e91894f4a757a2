import type { Kysely } from 'kysely';
import { EntityType } from '../../../src-shared/enums/entity';
import type { EntityDetail } from '../../../src-shared/model/home';
import type { Database } from '../../store/schema';
import type { AttributeManager } from '../attribute/attribute-manager';
import type { EntityManager } from './entity-manager';

const RECENT_HISTORY = 20;

/** Everything the detail panel shows about one entity, in one answer. */
export class EntityDetailHelper {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly entities: EntityManager,
    private readonly attributes: AttributeManager,
  ) {}

  async detail(entityId: number): Promise<EntityDetail> {
    const entity = await this.entities.require(entityId);
    const [states, attributes, recentHistory, positions, paths, collections] = await Promise.all([
      this.entities.statesOf([entityId]),
      this.attributes.list({ kind: 'entity', id: entityId }),
      this.db
        .selectFrom('sensor_history')
        .innerJoin('sensor', 'sensor.id', 'sensor_history.sensor_id')
        .innerJoin('entity_state', 'entity_state.id', 'sensor.entity_state_id')
        .select(['entity_state.id as stateId', 'entity_state.name as stateName', 'sensor_history.value', 'sensor_history.ts'])
        .where('entity_state.entity_id', '=', entityId)
        .orderBy('sensor_history.ts', 'desc')
        .limit(RECENT_HISTORY)
        .execute(),
      this.db.selectFrom('entity_position').select('location_id').where('entity_id', '=', entityId).execute(),
      this.db.selectFrom('entity_path').select('location_id').where('entity_id', '=', entityId).execute(),
      this.db.selectFrom('collection_entity').select('collection_id').where('entity_id', '=', entityId).execute(),
    ]);
    return {
      id: entity.id,
      name: entity.name,
      type: EntityType.fromNameSafe(entity.entity_type_str).value,
      integration: entity.integration_name && entity.integration_id ? { name: entity.integration_name, id: entity.integration_id } : null,
      states: states.get(entityId) ?? [],
      attributes,
      recentHistory,
      locationIds: [...new Set([...positions, ...paths].map((p) => p.location_id))],
      collectionIds: collections.map((c) => c.collection_id),
    };
  }
}
