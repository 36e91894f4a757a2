import type BetterSqlite3 from 'better-sqlite3';
import { stateIntegrationId, type UpstreamValues } from '../../integrations/upstream';
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

/** The columns of a sensor's link, in this order, and at start its newest history row's value and ts (else null). */
type LinkRow = [
  sensorId: number,
  integrationName: string,
  integrationId: string,
  persistHistory: number,
  stateId: number,
  entityId: number,
  stateType: string,
  units: string | null,
  latestValue: string | null,
  latestTs: number | null,
];

const LINK_COLUMNS =
  'select s.id, s.integration_name, s.integration_id, s.persist_history, e.id, e.entity_id, e.entity_state_type_str, e.units';
const LINKED_SENSORS = 'from sensor s join entity_state e on e.id = s.entity_state_id';
const IMPORTED = 'where s.integration_name is not null and s.integration_id is not null';

/** After a sync: the links only, the latest values being in memory already. */
const LINKS_SQL = `${LINK_COLUMNS}, null, null ${LINKED_SENSORS} ${IMPORTED}`;

/**
 * At start: each link with its sensor's newest history row, found by one index lookup per sensor (a GROUP BY would
 * read all of history). One statement, as arrays: a restart with 5,000 sensors spends its time building rows.
 */
export const LINKS_WITH_LATEST_SQL = `${LINK_COLUMNS}, h.value, h.ts ${LINKED_SENSORS}
  left join sensor_history h on h.id = (select id from sensor_history where sensor_id = s.id order by ts desc limit 1)
  ${IMPORTED}`;

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
    private readonly sqlite: BetterSqlite3.Database,
    private readonly coalescer: StatusCoalescer,
    private readonly displays: StatusDisplayManager,
    private readonly clock: Clock,
    storage: StorageHealth,
    batcherOptions: HistoryBatcherOptions = DEFAULT_HISTORY_BATCHER,
  ) {
    this.history = new HistoryBatcher(sqlite, storage, batcherOptions);
  }

  start(): void {
    this.loadLinks(LINKS_WITH_LATEST_SQL);
    // Stale from the start, quietly: no panel is connected yet, and each integration's start would otherwise re-send
    // every remembered state as stale (5,000 deltas for a large home).
    for (const { integrationKey } of this.latestByState.values()) this.staleIntegrations.add(integrationKey);
  }

  stop(): void {
    this.coalescer.flush();
    this.history.close();
  }

  /** Rebuilds the integration-key index; called after every sync. */
  reloadLinks(): void {
    this.loadLinks(LINKS_SQL);
  }

  private loadLinks(query: string): void {
    const rows = this.sqlite.prepare<[], LinkRow>(query).raw().all();
    const byIntegration = new Map<string, Map<string, SensorLink>>();
    for (const [sensorId, integrationKey, integrationId, persistHistory, stateId, entityId, stateType, units, latestValue, latestTs] of rows) {
      let links = byIntegration.get(integrationKey);
      if (!links) {
        links = new Map();
        byIntegration.set(integrationKey, links);
      }
      let latest = this.latestByState.get(stateId);
      // The last recorded value of each sensor, so a restarted hub shows what it knew (stale until live again).
      if (!latest && latestTs !== null) {
        latest = { value: latestValue, ts: latestTs, integrationKey };
        this.latestByState.set(stateId, latest);
      }
      links.set(integrationId, { sensorId, stateId, entityId, stateType, units, persist: persistHistory === 1, latest });
    }
    this.linksByIntegration = new Map([...byIntegration].map(([key, links]) => [key, new IntegrationLinks(links)]));
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
