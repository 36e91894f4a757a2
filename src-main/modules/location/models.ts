import type { Generated, Kysely, Selectable } from 'kysely';
import type { ViewBox } from '../../../src-shared/model/location';

export interface LocationTable {
  id: Generated<number>;
  name: string;
  /** File name of the sanitised background under <data>/locations/, or null for a blank plan. */
  svg_filename: string | null;
  /** "x y width height", as in an SVG viewBox. */
  svg_view_box_str: string;
  order_id: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface LocationViewTable {
  id: Generated<number>;
  location_id: number;
  location_view_type_str: string;
  name: string;
  svg_view_box_str: string;
  svg_rotate: Generated<number>;
  svg_style_name_str: string;
  order_id: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface LocationTables {
  location: LocationTable;
  location_view: LocationViewTable;
}

export type Location = Selectable<LocationTable>;
export type LocationView = Selectable<LocationViewTable>;

export function parseViewBox(text: string): ViewBox {
  const [x = 0, y = 0, width = 0, height = 0] = text.trim().split(/[\s,]+/).map(Number);
  return { x, y, width: width > 0 ? width : 1000, height: height > 0 ? height : 1000 };
}

export function formatViewBox(box: ViewBox): string {
  return [box.x, box.y, box.width, box.height].map((n) => Number(n.toFixed(3))).join(' ');
}

export function listLocations(db: Kysely<LocationTables>): Promise<Location[]> {
  return db.selectFrom('location').selectAll().orderBy('order_id').orderBy('id').execute();
}

export function listLocationViews(db: Kysely<LocationTables>): Promise<LocationView[]> {
  return db.selectFrom('location_view').selectAll().orderBy('location_id').orderBy('order_id').orderBy('id').execute();
}

export function findLocation(db: Kysely<LocationTables>, id: number): Promise<Location | undefined> {
  return db.selectFrom('location').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findLocationView(db: Kysely<LocationTables>, id: number): Promise<LocationView | undefined> {
  return db.selectFrom('location_view').selectAll().where('id', '=', id).executeTakeFirst();
}
