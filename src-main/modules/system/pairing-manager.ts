import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Database } from '../../store/schema';
import type { Clock } from '../../util/clock';
import { countPairedClients, findPairedClient } from './models';

const CODE_DIGITS = 6;
const MAX_FAILURES_PER_WINDOW = 5;
const FAILURE_WINDOW_MS = 60_000;
const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;

export type PairingResult = { ok: true; token: string } | { ok: false; reason: 'wrong_code' | 'too_many_attempts' };

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
const hashToken = (token: string): string => sha256(token).toString('hex');

/**
 * Lets a browser on the LAN use the panel once someone types the code shown on the hub. The code changes at every
 * start and on request; paired browsers keep a random token of which only the hash is stored.
 */
export class PairingManager {
  private code = '';
  private readonly failures = new LRUCache<string, number>({ max: 1000, ttl: FAILURE_WINDOW_MS });
  private readonly recentlySeen = new LRUCache<string, true>({ max: 1000, ttl: LAST_SEEN_WRITE_INTERVAL_MS });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.regenerate();
  }

  stop(): void {
    this.failures.clear();
    this.recentlySeen.clear();
  }

  currentCode(): string {
    return this.code;
  }

  regenerate(): string {
    this.code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
    return this.code;
  }

  async pair(candidate: string, remoteAddress: string, userAgent: string): Promise<PairingResult> {
    const failures = this.failures.get(remoteAddress) ?? 0;
    if (failures >= MAX_FAILURES_PER_WINDOW) return { ok: false, reason: 'too_many_attempts' };
    if (!timingSafeEqual(sha256(candidate.trim()), sha256(this.code))) {
      this.failures.set(remoteAddress, failures + 1);
      return { ok: false, reason: 'wrong_code' };
    }
    this.failures.delete(remoteAddress);
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.db
      .insertInto('paired_client')
      .values({ token_hash: hashToken(token), user_agent: userAgent.slice(0, 300), remote_address: remoteAddress, created_at: now, last_seen_at: now })
      .execute();
    return { ok: true, token };
  }

  async isPaired(token: string): Promise<boolean> {
    const tokenHash = hashToken(token);
    const client = await findPairedClient(this.db, tokenHash);
    if (!client) return false;
    if (!this.recentlySeen.has(tokenHash)) {
      this.recentlySeen.set(tokenHash, true);
      await this.db.updateTable('paired_client').set({ last_seen_at: this.clock.now() }).where('id', '=', client.id).execute();
    }
    return true;
  }

  pairedClientCount(): Promise<number> {
    return countPairedClients(this.db);
  }
}
