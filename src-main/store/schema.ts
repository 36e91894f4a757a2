import type { AttributeTables } from '../modules/attribute/models';
import type { CollectionTables } from '../modules/collection/models';
import type { ConfigTables } from '../modules/config/models';
import type { EntityTables } from '../modules/entity/models';
import type { HistoryTables } from '../modules/history/models';
import type { IntegrationTables } from '../modules/integration/models';
import type { LocationTables } from '../modules/location/models';
import type { SecurityTables } from '../modules/security/models';
import type { AlertTables } from '../modules/alert/models';
import type { EventTables } from '../modules/event/models';
import type { ConsoleTables } from '../modules/console/models';
import type { NotifyTables } from '../modules/notify/models';
import type { SystemTables } from '../modules/system/models';

/** The whole database, assembled from each module's table types. */
export interface Database extends ConfigTables, SystemTables, LocationTables, EntityTables, CollectionTables, AttributeTables, IntegrationTables, SecurityTables, AlertTables, EventTables, ConsoleTables, NotifyTables, HistoryTables {}
