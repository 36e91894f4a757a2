import type { Generated, Selectable } from 'kysely';

export interface IntegrationTable {
  id: Generated<number>;
  integration_key: string;
  is_enabled: Generated<number>;
  is_paused: Generated<number>;
  last_sync_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface IntegrationAttributeTable {
  id: Generated<number>;
  integration_id: number;
  attribute_key: string;
  /** Secrets hold ciphertext. */
  value: string;
  is_secret: Generated<number>;
  updated_at: number;
}

export interface IntegrationTables {
  integration: IntegrationTable;
  integration_attribute: IntegrationAttributeTable;
}

export type Integration = Selectable<IntegrationTable>;
