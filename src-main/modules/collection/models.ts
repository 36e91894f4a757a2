import type { Generated, Selectable } from 'kysely';
import type { PathColumns, PositionColumns } from '../entity/models';

export interface CollectionTable {
  id: Generated<number>;
  name: string;
  collection_type_str: string;
  collection_view_type_str: string;
  order_id: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface CollectionTables {
  collection: CollectionTable;
  collection_entity: { id: Generated<number>; collection_id: number; entity_id: number; order_id: Generated<number> };
  collection_position: PositionColumns & { collection_id: number };
  collection_path: PathColumns & { collection_id: number };
  collection_view: { id: Generated<number>; collection_id: number; location_view_id: number };
}

export type Collection = Selectable<CollectionTable>;
