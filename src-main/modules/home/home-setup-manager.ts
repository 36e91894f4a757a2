import type { Kysely } from 'kysely';
import { CollectionType, CollectionViewType, EntityType, LocationViewType } from '../../../src-shared/enums/entity';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { StarterProfile } from '../../../src-shared/model/home';
import type { LocationSummary } from '../../../src-shared/model/location';
import type { EventBus } from '../../ipc/event-bus';
import type { Database } from '../../store/schema';
import { AsyncMutex } from '../../util/async-mutex';
import type { CollectionManager } from '../collection/collection-manager';
import type { EntityManager } from '../entity/entity-manager';
import type { LocationManager } from '../location/location-manager';
import { APPLIANCE_TYPES, SECURITY_TYPES, STARTER_PROFILES, type StarterProfileDefinition } from './starter-profiles';

/** First run: builds the chosen starter home (plans, locations, views, placed items) in one transaction. */
export class HomeSetupManager {
  private readonly mutex = new AsyncMutex();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly locations: LocationManager,
    private readonly entities: EntityManager,
    private readonly collections: CollectionManager,
    private readonly events: EventBus,
  ) {}

  profiles(): StarterProfile[] {
    return STARTER_PROFILES.map((p) => ({ id: p.id, label: p.label, description: p.description, floors: p.floors.map((f) => f.name) }));
  }

  setUp(profileId: string): Promise<LocationSummary[]> {
    return this.mutex.runExclusive(async () => {
      const profile = STARTER_PROFILES.find((p) => p.id === profileId);
      if (!profile) throw IpcError.invalidArgument(`No starter profile '${profileId}'. Choose one of: ${STARTER_PROFILES.map((p) => p.id).join(', ')}.`);
      const existing = await this.db.selectFrom('location').select('id').limit(1).execute();
      if (existing.length > 0) throw IpcError.conflict('This home is already set up.');
      const writtenPlans: string[] = [];
      try {
        await this.build(profile, writtenPlans);
      } catch (error) {
        for (const fileName of writtenPlans) this.locations.removeBackgroundFile(fileName);
        throw error;
      }
      this.events.emit('home.changed', { reason: `set up ${profile.label}` });
      return this.locations.list();
    });
  }

  private async build(profile: StarterProfileDefinition, writtenPlans: string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const appliances: number[] = [];
      for (const floor of profile.floors) {
        const { location, view } = await this.locations.create(floor.name, undefined, trx);
        if (floor.plan) writtenPlans.push((await this.locations.setBackground(location.id, floor.plan, trx)).fileName);
        const securityView = floor.items.length > 0 ? await this.locations.createView(location.id, 'Security', LocationViewType.SECURITY, trx) : null;
        for (const item of floor.items) {
          const entity = await this.entities.create(
            { name: item.name, type: EntityType.fromName(item.type), locationViewId: view.id, placement: { kind: 'icon', x: item.x, y: item.y, scale: 1, rotate: 0 } },
            trx,
          );
          if (securityView && SECURITY_TYPES.has(item.type)) {
            await trx.insertInto('entity_view').values({ entity_id: entity.id, location_view_id: securityView.id }).execute();
          }
          if (APPLIANCE_TYPES.has(item.type)) appliances.push(entity.id);
        }
      }
      if (appliances.length > 0) {
        const collection = await this.collections.create({ name: 'Appliances', type: CollectionType.APPLIANCES, viewType: CollectionViewType.GRID }, trx);
        await this.collections.setMembers(collection.id, appliances, trx);
      }
    });
  }
}
