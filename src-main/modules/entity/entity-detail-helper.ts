import type { Kysely } from 'kysely';
import { EntityType } from '../../../src-shared/enums/entity';
import type { EntityDetail } from '../../../src-shared/model/home';
import type { Database } from '../../store/schema';
import type { AttributeManager } from '../attribute/attribute-manager';
import type { EntityManager } from './entity-manager';
import { recentSensorHistory } from './models';

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
      this.recentHistory(entityId),
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

  /** The newest rows across the entity's sensors: each sensor read through its (sensor_id, ts) index, then merged. */
  private async recentHistory(entityId: number): Promise<EntityDetail['recentHistory']> {
    const sensors = await this.db
      .selectFrom('sensor')
      .innerJoin('entity_state', 'entity_state.id', 'sensor.entity_state_id')
      .select(['sensor.id', 'entity_state.id as stateId', 'entity_state.name as stateName'])
      .where('entity_state.entity_id', '=', entityId)
      .execute();
    const perSensor = await Promise.all(
      sensors.map(async (sensor) => {
        const rows = await recentSensorHistory(this.db, sensor.id, RECENT_HISTORY);
        return rows.map((row) => ({ stateId: sensor.stateId, stateName: sensor.stateName, value: row.value, ts: row.ts }));
      }),
    );
    return perSensor.flat().sort((a, b) => b.ts - a.ts).slice(0, RECENT_HISTORY);
  }
}
