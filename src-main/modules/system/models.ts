import type { Generated, Kysely, Selectable } from 'kysely';

export interface PairedClientTable {
  id: Generated<number>;
  token_hash: string;
  user_agent: string;
  remote_address: string;
  created_at: number;
  last_seen_at: number;
}

export interface SystemTables {
  paired_client: PairedClientTable;
}

export type PairedClient = Selectable<PairedClientTable>;

export function findPairedClient(db: Kysely<SystemTables>, tokenHash: string): Promise<PairedClient | undefined> {
  return db.selectFrom('paired_client').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function countPairedClients(db: Kysely<SystemTables>): Promise<number> {
  const row = await db.selectFrom('paired_client').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
