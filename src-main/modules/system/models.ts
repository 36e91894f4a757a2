import type { Generated, Kysely, Selectable } from 'kysely';

export interface PairedClientTable {
  id: Generated<number>;
  token_hash: string;
  user_agent: string;
  /** The address it was last seen from. */
  remote_address: string;
  created_at: number;
  last_seen_at: number;
  /** Chosen by the owner on the hub; empty until then. */
  name: Generated<string>;
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

/** Every paired client without its token hash, oldest first. */
export function listPairedClients(db: Kysely<SystemTables>): Promise<Array<Omit<PairedClient, 'token_hash'>>> {
  return db
    .selectFrom('paired_client')
    .select(['id', 'name', 'user_agent', 'remote_address', 'created_at', 'last_seen_at'])
    .orderBy('id')
    .execute();
}

export async function renamePairedClient(db: Kysely<SystemTables>, id: number, name: string): Promise<boolean> {
  const result = await db.updateTable('paired_client').set({ name }).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deletePairedClient(db: Kysely<SystemTables>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('paired_client').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function markPairedClientSeen(db: Kysely<SystemTables>, id: number, remoteAddress: string, now: number): Promise<void> {
  await db.updateTable('paired_client').set({ last_seen_at: now, remote_address: remoteAddress }).where('id', '=', id).execute();
}
