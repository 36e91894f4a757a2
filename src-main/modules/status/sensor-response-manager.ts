import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { stateIntegrationId, type UpstreamValues } from '../../integrations/upstream';
import type { Database } from '../../store/schema';
import type { StorageHealth } from '../../store/storage-errors';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import { HistoryBatcher, type HistoryBatcherOptions, DEFAULT_HISTORY_BATCHER } from './history-batcher';
import type { StatusCoalescer } from './status-coalescer';
import type { StatusDisplayManager } from './status-display-manager';
import type { StateDelta } from '../../../src-shared/model/integration';

const log = createLogger('status');

interface LatestEntry {
  value: string | null;
  ts: number;
  integrationKey: string;
}

interface SensorLink {
  sensorId: number;
  stateId: number;
  entityId: number;
  stateType: string;
  units: string | null;
  persist: boolean;
  /** The state's entry in latestByState, updated in place: no lookup and no new object per value. */
  latest: LatestEntry | undefined;
}

/**
 * The links of one integration. Looked up by upstream id and state key without building the integration id string
 * per value: each pair is resolved once from the integration ids and remembered (at most one entry per link).
 */
class IntegrationLinks {
  private readonly byUpstreamId = new Map<string, Map<string, SensorLink>>();

  constructor(readonly byIntegrationId: ReadonlyMap<string, SensorLink>) {}

  get(upstreamId: string, stateKey: string): SensorLink | undefined {
    const states = this.byUpstreamId.get(upstreamId);
    const known = states?.get(stateKey);
    if (known) return known;
    const link = this.byIntegrationId.get(stateIntegrationId(upstreamId, stateKey));
    if (!link) return undefined;
    if (states) states.set(stateKey, link);
    else this.byUpstreamId.set(upstreamId, new Map([[stateKey, link]]));
    return link;
  }
}

/** `correlation`: the upstream's id of the recorded event the value belongs to, or null (see UpstreamValue). */
export type TransitionListener = (stateId: number, value: string | null, ts: number, correlation: string | null) => void;

export interface LatestValue {
  value: string | null;
  ts: number;
  stale: boolean;
}

/** Where the latest value of an entity state comes from, for whoever builds views of states. */
export interface LatestValueSource {
  latest(stateId: number): LatestValue | undefined;
}

/**
 * The newest history row of each sensor: one index lookup per sensor (a GROUP BY would read all of history), all in
 * one statement, since a call from JavaScript per sensor costs more than the lookup.
 */
export const LATEST_VALUES_SQL =
  'select s.id as sensorId, h.value, h.ts from sensor s join sensor_history h on h.id = (select id from sensor_history where sensor_id = s.id order by ts desc limit 1)';

/**
 * The front of the status pipeline: takes values from integrations, drops the unchanged ones, keeps the latest of each
 * state in memory, writes history through a batcher and hands each change, with its display, to the coalescer.
 */
export class SensorResponseManager implements LatestValueSource {
  private linksByIntegration = new Map<string, IntegrationLinks>();
  private readonly latestByState = new Map<number, LatestEntry>();
  private readonly staleIntegrations = new Set<string>();
  private readonly transitionListeners = new Set<TransitionListener>();
  private readonly history: HistoryBatcher;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: BetterSqlite3.Database,
    private readonly coalescer: StatusCoalescer,
    private readonly displays: StatusDisplayManager,
    private readonly clock: Clock,
    storage: StorageHealth,
    batcherOptions: HistoryBatcherOptions = DEFAULT_HISTORY_BATCHER,
  ) {
    this.history = new HistoryBatcher(sqlite, storage, batcherOptions);
  }

  async start(): Promise<void> {
    await this.reloadLinks();
    // The last recorded value of each sensor, so a restarted hub shows what it knew (stale until live again).
    const rows = this.sqlite.prepare<[], { sensorId: number; value: string | null; ts: number }>(LATEST_VALUES_SQL).all();
    const latestBySensor = new Map(rows.map((row) => [row.sensorId, row]));
    for (const [integrationKey, links] of this.linksByIntegration) {
      for (const link of links.byIntegrationId.values()) {
        const row = latestBySensor.get(link.sensorId);
        if (!row) continue;
        link.latest = { value: row.value, ts: row.ts, integrationKey };
        this.latestByState.set(link.stateId, link.latest);
      }
    }
    // Stale from the start, quietly: no panel is connected yet, and each integration's start would otherwise re-send
    // every remembered state as stale (5,000 deltas for a large home).
    for (const { integrationKey } of this.latestByState.values()) this.staleIntegrations.add(integrationKey);
  }

  stop(): void {
    this.coalescer.flush();
    this.history.close();
  }

  /** Rebuilds the integration-key index; called after every sync. */
  async reloadLinks(): Promise<void> {
    const rows = await this.db
      .selectFrom('sensor')
      .innerJoin('entity_state', 'entity_state.id', 'sensor.entity_state_id')
      .select([
        'sensor.id',
        'sensor.integration_name',
        'sensor.integration_id',
        'sensor.persist_history',
        'entity_state.id as stateId',
        'entity_state.entity_id',
        'entity_state.entity_state_type_str',
        'entity_state.units',
      ])
      .where('sensor.integration_name', 'is not', null)
      .execute();
    const byIntegration = new Map<string, Map<string, SensorLink>>();
    for (const row of rows) {
      if (row.integration_name === null || row.integration_id === null) continue;
      let links = byIntegration.get(row.integration_name);
      if (!links) {
        links = new Map();
        byIntegration.set(row.integration_name, links);
      }
      links.set(row.integration_id, {
        sensorId: row.id,
        stateId: row.stateId,
        entityId: row.entity_id,
        stateType: row.entity_state_type_str,
        units: row.units,
        persist: row.persist_history === 1,
        latest: this.latestByState.get(row.stateId),
      });
    }
    this.linksByIntegration = new Map([...byIntegration].map(([integrationKey, links]) => [integrationKey, new IntegrationLinks(links)]));
  }

  /** Answers how many values were new. */
  ingest(integrationKey: string, batches: readonly UpstreamValues[]): number {
    const links = this.linksByIntegration.get(integrationKey);
    if (!links) return 0;
    let changed = 0;
    const stale = this.staleIntegrations.has(integrationKey);
    for (const batch of batches) {
      for (const { key, value, correlation = null } of batch.values) {
        const link = links.get(batch.upstreamId, key);
        if (!link) continue;
        // Another link of the same state may have made its entry since the links were loaded.
        const latest = link.latest ?? (link.latest = this.latestByState.get(link.stateId));
        if (latest !== undefined && latest.value === value) continue;
        const ts = batch.ts || this.clock.now();
        if (latest === undefined) {
          link.latest = { value, ts, integrationKey };
          this.latestByState.set(link.stateId, link.latest);
        } else {
          latest.value = value;
          latest.ts = ts;
          latest.integrationKey = integrationKey;
        }
        if (link.persist) this.history.add({ sensorId: link.sensorId, value, ts, correlation });
        this.coalescer.push(this.delta(link, value, ts, stale));
        this.announceTransition(link.stateId, value, ts, correlation);
        changed += 1;
      }
    }
    return changed;
  }

  /** Every new value of a state as it is taken in, before coalescing: trigger rules see each transition. */
  onTransition(listener: TransitionListener): () => void {
    this.transitionListeners.add(listener);
    return () => this.transitionListeners.delete(listener);
  }

  private announceTransition(stateId: number, value: string | null, ts: number, correlation: string | null): void {
    for (const listener of this.transitionListeners) {
      try {
        listener(stateId, value, ts, correlation);
      } catch (error) {
        log.error(`A listener of state ${stateId} failed`, error);
      }
    }
  }

  /** Marks every state of an integration stale (unreachable) or live again, and tells the panels. */
  setStale(integrationKey: string, stale: boolean): void {
    if (this.staleIntegrations.has(integrationKey) === stale) return;
    if (stale) this.staleIntegrations.add(integrationKey);
    else this.staleIntegrations.delete(integrationKey);
    for (const link of this.linksByIntegration.get(integrationKey)?.byIntegrationId.values() ?? []) {
      const latest = link.latest ?? this.latestByState.get(link.stateId);
      if (!latest || latest.integrationKey !== integrationKey) continue;
      this.coalescer.push(this.delta(link, latest.value, latest.ts, stale));
    }
  }

  private delta(link: SensorLink, value: string | null, ts: number, stale: boolean): StateDelta {
    return { entityId: link.entityId, stateId: link.stateId, value, ts, stale, display: this.displays.display(link.stateType, value, link.units) };
  }

  latest(stateId: number): LatestValue | undefined {
    const latest = this.latestByState.get(stateId);
    return latest && { value: latest.value, ts: latest.ts, stale: this.staleIntegrations.has(latest.integrationKey) };
  }

  /** Writes the buffered history now; while storage is full it stays buffered (see pendingHistory). */
  flushHistory(): void {
    this.history.flush();
  }

  /** History rows not written yet: waiting for their batch, or for storage to have room. */
  get pendingHistory(): number {
    return this.history.pending;
  }
}
