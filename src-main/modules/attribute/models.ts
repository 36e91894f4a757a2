import type { Generated, Selectable } from 'kysely';

interface AttributeColumns {
  id: Generated<number>;
  name: string;
  value_type_str: string;
  /** Text form of the value; secrets hold ciphertext; for files, the original file name. */
  value: string;
  /** Choices of an ENUM attribute (JSON array). */
  value_range_str: string | null;
  /** Stored file under <data>/files/, for FILE attributes. */
  file_name: string | null;
  file_mime_type: string | null;
  file_size: number | null;
  thumbnail_name: string | null;
  order_id: Generated<number>;
  /** Soft delete: set when removed, cleared when restored. */
  deleted_at: number | null;
  created_at: number;
  updated_at: number;
}

interface AttributeHistoryColumns {
  id: Generated<number>;
  attribute_id: number;
  value: string;
  file_name: string | null;
  file_mime_type: string | null;
  file_size: number | null;
  changed_at: number;
}

export interface AttributeTables {
  entity_attribute: AttributeColumns & { entity_id: number };
  entity_attribute_history: AttributeHistoryColumns;
  location_attribute: AttributeColumns & { location_id: number };
  location_attribute_history: AttributeHistoryColumns;
}

export type EntityAttribute = Selectable<AttributeTables['entity_attribute']>;
export type AttributeHistory = Selectable<AttributeHistoryColumns>;
