import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { LocationViewType, ViewStyle } from '../../../src-shared/enums/entity';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { LocationSummary, LocationViewSummary, ViewBox } from '../../../src-shared/model/location';
import { writeOrder } from '../../store/ordering';
import type { Database } from '../../store/schema';
import type { Clock } from '../../util/clock';
import { findLocation, findLocationView, formatViewBox, listLocations, listLocationViews, parseViewBox, type Location, type LocationView } from './models';
import type { CpuWork } from '../../workers/cpu-workers';

export const LOCATIONS_DIR = 'locations';
/** Where backgrounds are served from, below the data root, by both hosts. */
export const DATA_URL_PREFIX = 'data';
const DEFAULT_VIEW_BOX: ViewBox = { x: 0, y: 0, width: 1200, height: 800 };

export interface ViewChanges {
  name?: string;
  type?: LocationViewType;
  style?: ViewStyle;
  viewBox?: ViewBox;
  rotate?: number;
}

export function toViewSummary(view: LocationView): LocationViewSummary {
  return {
    id: view.id,
    locationId: view.location_id,
    name: view.name,
    type: LocationViewType.fromNameSafe(view.location_view_type_str).value,
    style: ViewStyle.fromNameSafe(view.svg_style_name_str).value,
    viewBox: parseViewBox(view.svg_view_box_str),
    rotate: view.svg_rotate,
    order: view.order_id,
  };
}

export function backgroundUrl(location: Location): string | null {
  return location.svg_filename ? `${DATA_URL_PREFIX}/${LOCATIONS_DIR}/${location.svg_filename}` : null;
}

/** Locations (floors, the yard) and their views: what the panel shows and in which order. */
export class LocationManager {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dataDir: string,
    private readonly clock: Clock,
    private readonly cpu: CpuWork,
  ) {}

  async list(): Promise<LocationSummary[]> {
    const [locations, views] = await Promise.all([listLocations(this.db), listLocationViews(this.db)]);
    return locations.map((location) => this.summary(location, views));
  }

  async summaryOf(locationId: number): Promise<LocationSummary> {
    const location = await this.requireLocation(locationId);
    const views = await this.db.selectFrom('location_view').selectAll().where('location_id', '=', locationId).orderBy('order_id').orderBy('id').execute();
    return this.summary(location, views);
  }

  async requireLocation(id: number, db: Kysely<Database> = this.db): Promise<Location> {
    const location = await findLocation(db, id);
    if (!location) throw IpcError.notFound(`No location ${id}`);
    return location;
  }

  async requireView(id: number): Promise<LocationView> {
    const view = await findLocationView(this.db, id);
    if (!view) throw IpcError.notFound(`No location view ${id}`);
    return view;
  }

  /** A new location with one default view; the next order after the existing ones. */
  async create(name: string, viewBox: ViewBox = DEFAULT_VIEW_BOX, db: Kysely<Database> = this.db): Promise<{ location: Location; view: LocationView }> {
    // One transaction: a full disk refusing the view must not leave a location without one behind.
    if (!db.isTransaction) return db.transaction().execute((trx) => this.create(name, viewBox, trx));
    const now = this.clock.now();
    const last = await db.selectFrom('location').select((eb) => eb.fn.max('order_id').as('max')).executeTakeFirst();
    const location = await db
      .insertInto('location')
      .values({ name, svg_filename: null, svg_view_box_str: formatViewBox(viewBox), order_id: Number(last?.max ?? -1) + 1, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = await this.createView(location.id, 'Everything', LocationViewType.DEFAULT, db);
    return { location, view };
  }

  async rename(id: number, name: string): Promise<void> {
    await this.requireLocation(id);
    await this.db.updateTable('location').set({ name, updated_at: this.clock.now() }).where('id', '=', id).execute();
  }

  /** Sets the order of all locations to the order of `ids`, which must name each exactly once. */
  async reorder(ids: readonly number[]): Promise<void> {
    const existing = (await listLocations(this.db)).map((l) => l.id);
    await writeOrder(this.db, 'location', existing, ids, 'locations');
  }

  /** Deletes a location with its views and placements; the entities stay, and so does the background file (for undo). */
  async delete(id: number): Promise<void> {
    await this.requireLocation(id);
    if ((await listLocations(this.db)).length <= 1) throw IpcError.conflict('The last location cannot be deleted.');
    await this.db.deleteFrom('location').where('id', '=', id).execute();
  }

  /**
   * Sanitises (on a worker thread) and stores an uploaded floor plan as the location's background; answers what was
   * removed. The file is written before the caller's transaction commits: a rolled-back caller removes it (see
   * removeBackgroundFile).
   */
  async setBackground(id: number, svgText: string, db: Kysely<Database> = this.db): Promise<{ viewBox: ViewBox; removed: string[]; fileName: string }> {
    await this.requireLocation(id, db);
    const clean = await this.cpu.sanitizeSvg(svgText);
    const fileName = `${id}-${randomBytes(6).toString('hex')}.svg`;
    const dir = path.join(this.dataDir, LOCATIONS_DIR);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, fileName), clean.svg, { mode: 0o644 });
    const now = this.clock.now();
    await db
      .updateTable('location')
      .set({ svg_filename: fileName, svg_view_box_str: formatViewBox(clean.viewBox), updated_at: now })
      .where('id', '=', id)
      .execute();
    await db
      .updateTable('location_view')
      .set({ svg_view_box_str: formatViewBox(clean.viewBox), updated_at: now })
      .where('location_id', '=', id)
      .execute();
    return { viewBox: clean.viewBox, removed: clean.removed, fileName };
  }

  removeBackgroundFile(fileName: string): void {
    rmSync(path.join(this.dataDir, LOCATIONS_DIR, fileName), { force: true });
  }

  async createView(locationId: number, name: string, type: LocationViewType, db: Kysely<Database> = this.db): Promise<LocationView> {
    const location = await this.requireLocation(locationId, db);
    const now = this.clock.now();
    const last = await db.selectFrom('location_view').select((eb) => eb.fn.max('order_id').as('max')).where('location_id', '=', locationId).executeTakeFirst();
    return db
      .insertInto('location_view')
      .values({
        location_id: locationId,
        location_view_type_str: type.value,
        name,
        svg_view_box_str: location.svg_view_box_str,
        svg_rotate: 0,
        svg_style_name_str: ViewStyle.COLOR.value,
        order_id: Number(last?.max ?? -1) + 1,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async updateView(id: number, changes: ViewChanges): Promise<LocationViewSummary> {
    await this.requireView(id);
    await this.db
      .updateTable('location_view')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.type ? { location_view_type_str: changes.type.value } : {}),
        ...(changes.style ? { svg_style_name_str: changes.style.value } : {}),
        ...(changes.viewBox ? { svg_view_box_str: formatViewBox(changes.viewBox) } : {}),
        ...(changes.rotate !== undefined ? { svg_rotate: changes.rotate } : {}),
        updated_at: this.clock.now(),
      })
      .where('id', '=', id)
      .execute();
    return toViewSummary(await this.requireView(id));
  }

  async reorderViews(locationId: number, ids: readonly number[]): Promise<void> {
    const existing = (await this.db.selectFrom('location_view').select('id').where('location_id', '=', locationId).execute()).map((v) => v.id);
    await writeOrder(this.db, 'location_view', existing, ids, 'views of this location');
  }

  async deleteView(id: number): Promise<void> {
    const view = await this.requireView(id);
    const siblings = await this.db.selectFrom('location_view').select('id').where('location_id', '=', view.location_id).execute();
    if (siblings.length <= 1) throw IpcError.conflict('A location keeps at least one view.');
    await this.db.deleteFrom('location_view').where('id', '=', id).execute();
  }

  private summary(location: Location, views: readonly LocationView[]): LocationSummary {
    return {
      id: location.id,
      name: location.name,
      viewBox: parseViewBox(location.svg_view_box_str),
      backgroundUrl: backgroundUrl(location),
      order: location.order_id,
      views: views.filter((v) => v.location_id === location.id).map(toViewSummary),
    };
  }
}
