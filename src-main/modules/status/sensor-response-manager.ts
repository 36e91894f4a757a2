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

interface SensorLink {
  sensorId: number;
  stateId: number;
  entityId: number;
  stateType: string;
  units: string | null;
  persist: boolean;
}

export type TransitionListener = (stateId: number, value: string | null, ts: number) => void;

export interface LatestValue {
  value: string | null;
  ts: number;
  stale: boolean;
}

/** Where the latest value of an entity state comes from, for whoever builds views of states. */
export interface LatestValueSource {
  latest(stateId: number): LatestValue | undefined;
}

/** The newest history row of one sensor, answered from the (sensor_id, ts DESC) index. */
export const LATEST_VALUE_SQL = 'select value, ts from sensor_history where sensor_id = ? order by ts desc limit 1';

const linkKey = (integrationKey: string, integrationId: string) => `${integrationKey}\u0000${integrationId}`;

/**
 * The front of the status pipeline: takes values from integrations, drops the unchanged ones, keeps the latest of each
 * state in memory, writes history through a batcher and hands each change, with its display, to the coalescer.
 */
export class SensorResponseManager implements LatestValueSource {
  private links = new Map<string, SensorLink>();
  private readonly latestByState = new Map<number, { value: string | null; ts: number; integrationKey: string }>();
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
    // The last recorded value of each sensor, so a restarted hub shows what it knew (stale until live again). One
    // index lookup per sensor: a GROUP BY over the history would read all of it.
    const latestOf = this.sqlite.prepare<[number], { value: string | null; ts: number }>(LATEST_VALUE_SQL);
    for (const [key, link] of this.links) {
      const row = latestOf.get(link.sensorId);
      if (row) this.latestByState.set(link.stateId, { value: row.value, ts: row.ts, integrationKey: key.slice(0, key.indexOf('\u0000')) });
    }
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
    const links = new Map<string, SensorLink>();
    for (const row of rows) {
      if (row.integration_name === null || row.integration_id === null) continue;
      links.set(linkKey(row.integration_name, row.integration_id), {
        sensorId: row.id,
        stateId: row.stateId,
        entityId: row.entity_id,
        stateType: row.entity_state_type_str,
        units: row.units,
        persist: row.persist_history === 1,
      });
    }
    this.links = links;
  }

  /** Answers how many values were new. */
  ingest(integrationKey: string, batches: readonly UpstreamValues[]): number {
    let changed = 0;
    const stale = this.staleIntegrations.has(integrationKey);
    for (const batch of batches) {
      for (const { key, value } of batch.values) {
        const link = this.links.get(linkKey(integrationKey, stateIntegrationId(batch.upstreamId, key)));
        if (!link) continue;
        const previous = this.latestByState.get(link.stateId);
        if (previous && previous.value === value) continue;
        const ts = batch.ts || this.clock.now();
        this.latestByState.set(link.stateId, { value, ts, integrationKey });
        if (link.persist) this.history.add({ sensorId: link.sensorId, value, ts });
        this.coalescer.push(this.delta(link, value, ts, stale));
        this.announceTransition(link.stateId, value, ts);
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

  private announceTransition(stateId: number, value: string | null, ts: number): void {
    for (const listener of this.transitionListeners) {
      try {
        listener(stateId, value, ts);
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
    for (const link of this.links.values()) {
      const latest = this.latestByState.get(link.stateId);
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
