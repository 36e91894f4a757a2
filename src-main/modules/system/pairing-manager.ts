import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { PairedPanel, PairingChanged } from '../../../src-shared/model/system';
import type { EventBus } from '../../ipc/event-bus';
import type { Database } from '../../store/schema';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import {
  countPairedClients,
  deletePairedClient,
  findPairedClient,
  listPairedClients,
  markPairedClientSeen,
  renamePairedClient,
} from './models';

const log = createLogger('pairing');

const CODE_DIGITS = 6;
export const MAX_FAILURES_PER_ADDRESS = 5;
export const ADDRESS_WINDOW_MS = 60_000;
/** Wrong codes from all addresses together before the code is rotated and pairing pauses. */
export const MAX_FAILURES_GLOBAL = 20;
export const GLOBAL_WINDOW_MS = 10 * 60_000;
/**
 * Addresses tracked at once. Only counted failures add entries and the global budget caps those at
 * MAX_FAILURES_GLOBAL per window, so an entry is never evicted while it still matters.
 */
const TRACKED_ADDRESSES = 4096;
const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;
const TRACKED_TOKENS = 1000;
const REMEMBERED_REVOCATIONS = 1000;

export type PairingResult =
  | { ok: true; token: string }
  | { ok: false; reason: 'wrong_code' | 'too_many_attempts' | 'paused'; retryAfterMs?: number };

interface AddressFailures {
  count: number;
  windowStart: number;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
const hashToken = (token: string): string => sha256(token).toString('hex');

/**
 * Lets a browser on the LAN use the panel once someone types the code shown on the hub. The code changes at every
 * start, on request, and when too many wrong codes arrive; paired browsers keep a random token of which only the
 * hash is stored, and the owner can rename or revoke each one from the hub.
 */
export class PairingManager {
  private code = '';
  private readonly addressFailures = new LRUCache<string, AddressFailures>({ max: TRACKED_ADDRESSES });
  /** Times of recent wrong codes from any address, oldest first; at most MAX_FAILURES_GLOBAL. */
  private globalFailures: number[] = [];
  private pausedUntil = 0;
  private readonly lastSeenWrites = new LRUCache<string, { at: number; address: string }>({ max: TRACKED_TOKENS });
  /** Closers of each paired client's open connections, so a revoke ends them at once. */
  private readonly connections = new Map<number, Set<() => void>>();
  /** Ids are never reused (AUTOINCREMENT), so a connection that authenticated just before a revoke is still caught. */
  private readonly revokedIds = new LRUCache<number, true>({ max: REMEMBERED_REVOCATIONS });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  start(): void {
    this.rotateCode();
  }

  stop(): void {
    this.addressFailures.clear();
    this.lastSeenWrites.clear();
    this.globalFailures = [];
  }

  currentCode(): string {
    return this.code;
  }

  /** A new code chosen on the hub. */
  regenerate(): string {
    this.rotateCode();
    this.changed('code_changed');
    return this.code;
  }

  async pair(candidate: string, remoteAddress: string, userAgent: string): Promise<PairingResult> {
    const now = this.clock.now();
    const failures = this.currentFailures(remoteAddress, now);
    if (failures && failures.count >= MAX_FAILURES_PER_ADDRESS) {
      return { ok: false, reason: 'too_many_attempts', retryAfterMs: failures.windowStart + ADDRESS_WINDOW_MS - now };
    }
    if (now < this.pausedUntil) return { ok: false, reason: 'paused', retryAfterMs: this.pausedUntil - now };
    if (!timingSafeEqual(sha256(candidate.trim()), sha256(this.code))) {
      this.recordFailure(remoteAddress, failures, now);
      return { ok: false, reason: 'wrong_code' };
    }
    this.addressFailures.delete(remoteAddress);
    const token = randomBytes(32).toString('base64url');
    await this.db
      .insertInto('paired_client')
      .values({ token_hash: hashToken(token), user_agent: userAgent.slice(0, 300), remote_address: remoteAddress, created_at: now, last_seen_at: now })
      .execute();
    this.changed('paired');
    return { ok: true, token };
  }

  /**
   * The id of the paired client holding `token`, or null. Always read from the database, so a revoke takes effect
   * on the next request; last seen time and address are written at most once a minute per token unless the address changes.
   */
  async clientIdFor(token: string, remoteAddress: string): Promise<number | null> {
    const tokenHash = hashToken(token);
    const client = await findPairedClient(this.db, tokenHash);
    if (!client) return null;
    const now = this.clock.now();
    const written = this.lastSeenWrites.get(tokenHash);
    if (!written || written.address !== remoteAddress || now - written.at >= LAST_SEEN_WRITE_INTERVAL_MS) {
      this.lastSeenWrites.set(tokenHash, { at: now, address: remoteAddress });
      await markPairedClientSeen(this.db, client.id, remoteAddress, now);
    }
    return client.id;
  }

  pairedClientCount(): Promise<number> {
    return countPairedClients(this.db);
  }

  async list(): Promise<PairedPanel[]> {
    const rows = await listPairedClients(this.db);
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      userAgent: row.user_agent,
      address: row.remote_address,
      firstSeenAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      connected: (this.connections.get(row.id)?.size ?? 0) > 0,
    }));
  }

  async rename(id: number, name: string): Promise<PairedPanel> {
    if (!(await renamePairedClient(this.db, id, name))) throw IpcError.notFound(`No paired panel ${id}`);
    this.changed('renamed');
    const panel = (await this.list()).find((p) => p.id === id);
    if (!panel) throw IpcError.notFound(`No paired panel ${id}`);
    return panel;
  }

  /** Forgets the client's token and closes its open connections now. */
  async revoke(id: number): Promise<void> {
    if (!(await deletePairedClient(this.db, id))) throw IpcError.notFound(`No paired panel ${id}`);
    this.revokedIds.set(id, true);
    // Its token hash is unknown here; dropping the whole throttle only costs a few extra last-seen writes.
    this.lastSeenWrites.clear();
    const closers = [...(this.connections.get(id) ?? [])];
    this.connections.delete(id);
    for (const close of closers) close();
    log.info(`Revoked paired panel ${id}; closed ${closers.length} connection(s)`);
    this.changed('revoked');
  }

  /**
   * Registers an open connection of a paired client; `close` ends it if the client is revoked. Returns the release
   * function, or null when the client was revoked meanwhile (the caller closes the connection).
   */
  attachConnection(clientId: number, close: () => void): (() => void) | null {
    if (this.revokedIds.has(clientId)) return null;
    let closers = this.connections.get(clientId);
    if (!closers) this.connections.set(clientId, (closers = new Set()));
    closers.add(close);
    this.changed('connection');
    return () => {
      const current = this.connections.get(clientId);
      if (!current?.delete(close)) return;
      if (current.size === 0) this.connections.delete(clientId);
      this.changed('connection');
    };
  }

  private currentFailures(remoteAddress: string, now: number): AddressFailures | undefined {
    const failures = this.addressFailures.get(remoteAddress);
    if (failures && now - failures.windowStart >= ADDRESS_WINDOW_MS) {
      this.addressFailures.delete(remoteAddress);
      return undefined;
    }
    return failures;
  }

  private recordFailure(remoteAddress: string, failures: AddressFailures | undefined, now: number): void {
    this.addressFailures.set(remoteAddress, { count: (failures?.count ?? 0) + 1, windowStart: failures?.windowStart ?? now });
    this.globalFailures = this.globalFailures.filter((at) => now - at < GLOBAL_WINDOW_MS);
    this.globalFailures.push(now);
    if (this.globalFailures.length < MAX_FAILURES_GLOBAL) return;
    // Someone is guessing from many addresses: whatever they learnt is void, and nobody guesses until the window passes.
    this.globalFailures = [];
    this.pausedUntil = now + GLOBAL_WINDOW_MS;
    this.rotateCode();
    log.warn(`${MAX_FAILURES_GLOBAL} wrong pairing codes within ${GLOBAL_WINDOW_MS / 60_000} minutes: code changed, pairing paused`);
    this.changed('code_changed');
  }

  private rotateCode(): void {
    this.code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
  }

  private changed(reason: PairingChanged['reason']): void {
    this.events.emit('pairing.changed', { reason });
  }
}
