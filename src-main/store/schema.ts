import type { ConfigTables } from '../modules/config/models';
import type { SystemTables } from '../modules/system/models';

/** The whole database, assembled from each module's table types. */
export interface Database extends ConfigTables, SystemTables {}
