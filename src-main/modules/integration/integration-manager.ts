import type { Kysely } from 'kysely';
import { IntegrationHealth } from '../../../src-shared/enums';
import { IpcError, IpcErrorCode, type UpstreamFailure } from '../../../src-shared/ipc/errors';
import { readAddress } from '../../../src-shared/model/integration-address';
import { addressOrigin, STALE_GRACE_MS, type IntegrationHealthView, type IntegrationView, type SyncReport, type UpstreamSummary } from '../../../src-shared/model/integration';
import type { CameraMode } from '../../../src-shared/mjpeg/camera-paths';
import {
  GatewayError,
  type GatewayFailure,
  type IntegrationConfig,
  type IntegrationConfigField,
  type IntegrationGateway,
  type UpstreamListing,
  type VideoEventListing,
  type VideoEventQuery,
} from '../../integrations/gateway';
import type { EventBus } from '../../ipc/event-bus';
import { readValueRange } from '../../store/choices-column';
import type { Database } from '../../store/schema';
import type { SecretCipher } from '../../store/secret-cipher';
import { AsyncMutex } from '../../util/async-mutex';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import type { Scheduler } from '../../util/scheduler';
import type { SensorResponseManager } from '../status/sensor-response-manager';
import { isAllowed, syncIntegration, type ImportAllowlist } from './integration-sync';
import type { Integration } from './models';

const log = createLogger('integrations');
const IMPORT_DOMAINS = 'import_domains';
const IMPORT_ENTITIES = 'import_entities';
/** `<secret>.bound_to` holds the addresses a secret was saved with, by url field: it is sent nowhere else. */
const BOUND_TO_SUFFIX = '.bound_to';

// Shared with the panels, which hold back showing a transient drop for the same time.
export { STALE_GRACE_MS };

/** Health after a live connection that the grace period applies to: the upstream may be back in a moment. */
const TRANSIENT_HEALTH: ReadonlySet<IntegrationHealth> = new Set([IntegrationHealth.CONNECTING, IntegrationHealth.UNREACHABLE]);

/** Health in which the integration's last values cannot be taken as live; DEGRADED still reaches the server. */
const STALE_HEALTH: ReadonlySet<IntegrationHealth> = new Set([
  IntegrationHealth.CONNECTING,
  IntegrationHealth.UNREACHABLE,
  IntegrationHealth.AUTH_FAILED,
  IntegrationHealth.PAUSED,
  IntegrationHealth.DISABLED,
]);

const IPC_ERROR_OF_FAILURE: Readonly<Record<GatewayFailure, (message: string) => IpcError>> = {
  unreachable: (message) => IpcError.unavailable(message),
  auth: (message) => IpcError.forbidden(message),
  refused: (message) => IpcError.conflict(message),
  protocol: (message) => IpcError.unavailable(message),
};

interface Running {
  gateway: IntegrationGateway;
  health: IntegrationHealthView;
}

/** The configuration a call would use, and the secrets left out of it because they belong to another address. */
interface ResolvedConfig {
  config: IntegrationConfig;
  withheld: IntegrationConfigField[];
}

function internalError(message: string): IpcError {
  return new IpcError(IpcErrorCode.INTERNAL, message);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function nothingChosenMessage(label: string): string {
  return `Nothing is chosen to import from ${label} yet. Use "Choose what to import" to pick domains or devices, then sync.`;
}

function reenterMessage(withheld: readonly IntegrationConfigField[]): string {
  const labels = withheld.map((f) => lowerFirst(f.label)).join(' and ');
  return `Enter the ${labels} again: a saved ${labels} is only sent to the address it was saved with.`;
}

/** Each url field's origin, the address a secret saved now is bound to. */
function addressesOf(gateway: IntegrationGateway, values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(gateway.configFields.filter((f) => f.type === 'url').map((f) => [f.key, addressOrigin(values[f.key] ?? '')]));
}

function parseAddresses(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Every integration the hub knows (one gateway each): its row and configuration, its running connection and health,
 * syncing its devices into entities (one sync at a time) and sending controls.
 */
export class IntegrationManager {
  private readonly running = new Map<string, Running>();
  private readonly health = new Map<string, IntegrationHealthView>();
  private readonly syncs = new AsyncMutex();
  private readonly changes = new AsyncMutex();
  /** Integrations whose states are shown live (not stale). */
  private readonly live = new Set<string>();
  /** Cancels each pending "mark stale when the grace period ends". */
  private readonly staleTimers = new Map<string, () => void>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly gateways: readonly IntegrationGateway[],
    private readonly cipher: SecretCipher,
    private readonly statuses: SensorResponseManager,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
  ) {}

  async start(): Promise<void> {
    const now = this.clock.now();
    for (const gateway of this.gateways) {
      await this.db
        .insertInto('integration')
        .values({ integration_key: gateway.key, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('integration_key').doNothing())
        .execute();
      const row = await this.requireRow(gateway.key);
      this.setHealth(gateway.key, !row.is_enabled ? IntegrationHealth.DISABLED : row.is_paused ? IntegrationHealth.PAUSED : IntegrationHealth.CONNECTING, null);
      if (row.is_enabled && !row.is_paused) await this.startGateway(gateway);
      // Values remembered from history are not live until the gateway says so.
      else this.markStale(gateway.key, true);
    }
  }

  async stop(): Promise<void> {
    for (const cancel of this.staleTimers.values()) cancel();
    this.staleTimers.clear();
    await Promise.all([...this.running.keys()].map((key) => this.stopGateway(key)));
  }

  healthViews(): IntegrationHealthView[] {
    return this.gateways.map((g) => this.healthOf(g.key));
  }

  async list(): Promise<IntegrationView[]> {
    return Promise.all(this.gateways.map((g) => this.view(g.key)));
  }

  /** Saves configuration fields and the import allowlist; a running integration reconnects with them. */
  configure(key: string, change: { fields?: Record<string, string>; importDomains?: string[]; importEntities?: string[] }): Promise<IntegrationView> {
    return this.changes.runExclusive(async () => {
      const gateway = this.requireGateway(key);
      const row = await this.requireRow(key);
      const fields = checkedFields(gateway, change.fields ?? {});
      const { config, withheld } = await this.resolveConfig(key, fields);
      // Saving a new address alone would leave the old secret attached to it.
      if (withheld.length > 0) {
        throw IpcError.invalidArgument(
          reenterMessage(withheld),
          withheld.map((f) => ({ path: ['fields', f.key], message: 'Enter it again for the new address.' })),
        );
      }
      const boundTo = JSON.stringify(addressesOf(gateway, config));
      for (const field of gateway.configFields) {
        const value = fields[field.key];
        if (value === undefined) continue;
        // An empty secret keeps the stored one: the panel never sees it, so it cannot send it back.
        if (field.type === 'secret' && value === '') continue;
        await this.writeAttribute(row.id, field.key, field.type === 'secret' ? this.cipher.encrypt(value) : value, field.type === 'secret');
        if (field.type === 'secret') await this.writeAttribute(row.id, `${field.key}${BOUND_TO_SUFFIX}`, boundTo, false);
      }
      if (change.importDomains) await this.writeAttribute(row.id, IMPORT_DOMAINS, JSON.stringify([...new Set(change.importDomains)]), false);
      if (change.importEntities) await this.writeAttribute(row.id, IMPORT_ENTITIES, JSON.stringify([...new Set(change.importEntities)]), false);
      if (this.running.has(key)) {
        await this.stopGateway(key);
        await this.startGateway(gateway);
      }
      return this.view(key);
    });
  }

  /** Tests the stored settings with the given ones (blank ones keep the stored value) in their place; saves nothing. */
  async test(key: string, fields?: Record<string, string>): Promise<{ ok: boolean; message: string }> {
    const gateway = this.requireGateway(key);
    const given = Object.fromEntries(Object.entries(checkedFields(gateway, fields ?? {})).filter(([, v]) => v !== ''));
    const { config, withheld } = await this.resolveConfig(key, given);
    if (withheld.length > 0) return { ok: false, message: reenterMessage(withheld) };
    try {
      await gateway.testConnection(config);
      return { ok: true, message: `Connected to ${gateway.label}.` };
    } catch (error) {
      if (error instanceof GatewayError) return { ok: false, message: error.message };
      log.error(`${key} connection test failed unexpectedly`, error);
      return { ok: false, message: `The test of ${gateway.label} failed unexpectedly; the details are in the hub's log.` };
    }
  }

  enable(key: string): Promise<IntegrationView> {
    return this.changes.runExclusive(async () => {
      const gateway = this.requireGateway(key);
      const config = await this.config(key);
      const missing = gateway.configFields.filter((f) => f.required && (config[f.key] ?? '').trim() === '');
      if (missing.length > 0) throw IpcError.invalidArgument(`Fill in ${missing.map((f) => f.label).join(', ')} first.`);
      await this.db.updateTable('integration').set({ is_enabled: 1, is_paused: 0, updated_at: this.clock.now() }).where('integration_key', '=', key).execute();
      if (!this.running.has(key)) await this.startGateway(gateway);
      return this.view(key);
    });
  }

  /** Turns the integration off; its entities are kept (detached, restorable by a later sync) or removed. */
  disable(key: string, keepItems: boolean): Promise<IntegrationView> {
    return this.changes.runExclusive(async () => {
      this.requireGateway(key);
      await this.stopGateway(key);
      this.markStale(key, true);
      // Rows of sensors about to be deleted must be written first.
      this.statuses.flushHistory();
      const now = this.clock.now();
      await this.syncs.runExclusive(() =>
        this.db.transaction().execute(async (trx) => {
          await trx.updateTable('integration').set({ is_enabled: 0, is_paused: 0, updated_at: now }).where('integration_key', '=', key).execute();
          if (keepItems) await syncIntegration(trx, key, [], { domains: new Set(), entities: new Set() }, now, { detachAll: true });
          else await trx.deleteFrom('entity').where('integration_name', '=', key).execute();
        }),
      );
      this.statuses.reloadLinks();
      this.setHealth(key, IntegrationHealth.DISABLED, null);
      this.events.emit('home.changed', { reason: `${key} disabled` });
      return this.view(key);
    });
  }

  pause(key: string, paused: boolean): Promise<IntegrationView> {
    return this.changes.runExclusive(async () => {
      const gateway = this.requireGateway(key);
      const row = await this.requireRow(key);
      if (!row.is_enabled) throw IpcError.conflict('Enable the integration first.');
      await this.db.updateTable('integration').set({ is_paused: paused ? 1 : 0, updated_at: this.clock.now() }).where('id', '=', row.id).execute();
      if (paused) {
        await this.stopGateway(key);
        this.markStale(key, true);
        this.setHealth(key, IntegrationHealth.PAUSED, null);
      } else if (!this.running.has(key)) {
        await this.startGateway(gateway);
      }
      return this.view(key);
    });
  }

  /**
   * Imports what the allowlist picks from upstream; one sync at a time. Removing more than a set share of the
   * integration's items waits for `confirmRemovals` (the report lists them as pending).
   */
  sync(key: string, options: { confirmRemovals?: boolean } = {}): Promise<SyncReport> {
    return this.syncs.runExclusive(async () => {
      const gateway = this.requireGateway(key);
      const row = await this.requireRow(key);
      if (!row.is_enabled) throw IpcError.conflict(`Enable ${gateway.label} before syncing.`);
      const allow = await this.allowlist(row.id);
      // With nothing chosen and nothing imported a sync could only say "0 created": say what is missing instead.
      if (allow.domains.size === 0 && allow.entities.size === 0 && !(await this.hasImported(key))) {
        throw IpcError.conflict(nothingChosenMessage(gateway.label));
      }
      const listing = await this.fetchListing(gateway);
      this.retryLiveIfDown(key);
      const upstream = listing.entities;
      const now = this.clock.now();
      this.statuses.flushHistory();
      const report = await this.db.transaction().execute(async (trx) => {
        const result = await syncIntegration(trx, key, upstream, allow, now, { unreadable: listing.unreadable, confirmRemovals: options.confirmRemovals ?? false });
        await trx.updateTable('integration').set({ last_sync_at: now }).where('id', '=', row.id).execute();
        return result;
      });
      this.statuses.reloadLinks();
      this.statuses.ingest(key, upstream.map((u) => ({ upstreamId: u.upstreamId, values: u.states.map((s) => ({ key: s.key, value: s.value, correlation: s.correlation })), ts: now })));
      log.info(
        `${key} sync: ${report.created.length} created, ${report.updated} updated, ${report.reconnected.length} reconnected, ${report.detached.length} detached, ` +
          `${report.removed.length} removed, ${report.pendingRemovals.length} removals awaiting confirmation, ${report.unreadable} unreadable`,
      );
      this.events.emit('home.changed', { reason: `${key} synced` });
      return report;
    });
  }

  async upstream(key: string): Promise<UpstreamSummary[]> {
    const gateway = this.requireGateway(key);
    const row = await this.requireRow(key);
    const upstream = (await this.fetchListing(gateway)).entities;
    const allow = await this.allowlist(row.id);
    return upstream.map((u) => ({ upstreamId: u.upstreamId, domain: u.domain, name: u.name, entityType: u.entityType, imported: isAllowed(u, allow) }));
  }

  /**
   * Where the hub fetches an entity's video, credentials included: for the camera stream proxy only, never for a
   * panel. Rejects with not_found for an entity without video, conflict when its integration is not running, and
   * the gateway's GatewayError when the gateway cannot say. The event modes name one recorded event of the camera.
   */
  async videoSource(entityId: number, kind: CameraMode, eventId?: string): Promise<{ url: string; headers: Record<string, string> }> {
    const entity = await this.db
      .selectFrom('entity')
      .select(['integration_name', 'integration_id', 'has_video_stream', 'archived_at'])
      .where('id', '=', entityId)
      .executeTakeFirst();
    if (!entity || entity.archived_at !== null || entity.has_video_stream !== 1) throw IpcError.notFound(`Item ${entityId} has no video.`);
    if (!entity.integration_name || !entity.integration_id) throw IpcError.conflict('This camera is not connected to an integration.');
    const running = this.running.get(entity.integration_name);
    const label = this.gateways.find((g) => g.key === entity.integration_name)?.label ?? entity.integration_name;
    if (!running) throw IpcError.conflict(`${label} is not running.`);
    if (kind === 'event-play' || kind === 'event-thumbnail') {
      if (!running.gateway.eventVideoSource || eventId === undefined) throw IpcError.conflict(`${label} does not keep recordings.`);
      return running.gateway.eventVideoSource(await this.config(entity.integration_name), entity.integration_id, eventId, kind === 'event-play' ? 'play' : 'thumbnail');
    }
    if (!running.gateway.videoSource) throw IpcError.conflict(`${label} does not serve video.`);
    return running.gateway.videoSource(await this.config(entity.integration_name), entity.integration_id, kind);
  }

  /**
   * Recorded events of cameras of one running integration, or null when it keeps no recordings; rejects with a typed
   * IpcError in plain words.
   */
  async listVideoEvents(key: string, query: VideoEventQuery): Promise<VideoEventListing | null> {
    const gateway = this.requireGateway(key);
    if (!gateway.listVideoEvents) return null;
    const running = this.running.get(key);
    if (!running?.gateway.listVideoEvents) throw IpcError.conflict(`${gateway.label} is not running, so its recordings cannot be listed.`);
    try {
      return await running.gateway.listVideoEvents(await this.config(key), query);
    } catch (error) {
      throw recordingsFailure(gateway, error);
    }
  }

  /** Sends a control to the integration that owns the state; rejects with the upstream's reason. */
  async control(entityId: number, stateId: number, value: string): Promise<void> {
    const target = await this.db
      .selectFrom('controller')
      .innerJoin('entity_state', 'entity_state.id', 'controller.entity_state_id')
      .innerJoin('entity', 'entity.id', 'entity_state.entity_id')
      .select([
        'controller.integration_name',
        'controller.integration_id',
        'entity_state.name as stateName',
        'entity_state.value_range_str',
        'entity.integration_id as upstreamId',
        'entity.integration_payload',
        'entity.archived_at',
        'entity.name as entityName',
      ])
      .where('entity_state.id', '=', stateId)
      .where('entity.id', '=', entityId)
      .executeTakeFirst();
    if (!target || target.archived_at !== null) throw IpcError.notFound(`Entity ${entityId} has no controllable state ${stateId}.`);
    if (!target.integration_name || !target.integration_id || !target.upstreamId) throw IpcError.conflict('This item is not connected to an integration.');
    // The device would refuse any other value and the control would only revert: refuse it here, before the call.
    const { choices, range } = readValueRange(target.value_range_str);
    if (choices && !choices.includes(value)) {
      throw IpcError.invalidArgument(`Cannot set ${target.stateName} to ${JSON.stringify(value)}: expected one of ${choices.join(', ')}.`);
    }
    if (range && !(Number(value) >= range.min && Number(value) <= range.max)) {
      throw IpcError.invalidArgument(`Cannot set ${target.stateName} to ${JSON.stringify(value)}: the device takes ${range.min} to ${range.max}.`);
    }
    const running = this.running.get(target.integration_name);
    if (!running) {
      const label = this.gateways.find((g) => g.key === target.integration_name)?.label ?? target.integration_name;
      throw IpcError.conflict(`${label} is not running.`);
    }
    const stateKey = target.integration_id.slice(target.upstreamId.length + 1);
    const domain = domainOf(target.integration_payload);
    try {
      await running.gateway.control(await this.config(target.integration_name), { upstreamId: target.upstreamId, domain }, stateKey, value);
    } catch (error) {
      throw controlFailure(running.gateway, target.entityName, error);
    }
  }

  /**
   * The upstream just answered with the stored settings: a live connection that is down (its token refused earlier,
   * or waiting out a backoff) tries again now rather than at the end of its wait.
   */
  private retryLiveIfDown(key: string): void {
    const running = this.running.get(key);
    const health = IntegrationHealth.fromNameSafe(this.healthOf(key).health);
    if (running && (health === IntegrationHealth.AUTH_FAILED || health === IntegrationHealth.UNREACHABLE)) running.gateway.reconnectNow?.();
  }

  private async hasImported(key: string): Promise<boolean> {
    return (await this.db.selectFrom('entity').select('id').where('integration_name', '=', key).limit(1).executeTakeFirst()) !== undefined;
  }

  private async fetchListing(gateway: IntegrationGateway): Promise<UpstreamListing> {
    try {
      return await gateway.fetchUpstream(await this.config(gateway.key));
    } catch (error) {
      if (error instanceof GatewayError) throw IPC_ERROR_OF_FAILURE[error.failure](`Could not read from ${gateway.label}: ${error.message}`);
      log.error(`${gateway.key} upstream list failed unexpectedly`, error);
      throw internalError(`Could not read from ${gateway.label}; the details are in the hub's log.`);
    }
  }

  private async startGateway(gateway: IntegrationGateway): Promise<void> {
    const key = gateway.key;
    const config = await this.config(key);
    this.markStale(key, true);
    this.setHealth(key, IntegrationHealth.CONNECTING, null);
    const entry: Running = { gateway, health: this.healthOf(key) };
    this.running.set(key, entry);
    gateway.start({
      config,
      clock: this.clock,
      onValues: (values) => {
        if (this.running.get(key) === entry) this.statuses.ingest(key, values);
      },
      onSnapshot: (entities) => {
        if (this.running.get(key) !== entry) return;
        const now = this.clock.now();
        this.statuses.ingest(key, entities.map((u) => ({ upstreamId: u.upstreamId, values: u.states.map((s) => ({ key: s.key, value: s.value, correlation: s.correlation })), ts: now })));
      },
      onHealth: (health, message) => {
        if (this.running.get(key) !== entry) return;
        this.setHealth(key, health, message);
        if (!STALE_HEALTH.has(health)) this.markStale(key, false);
        else if (TRANSIENT_HEALTH.has(health) && this.live.has(key)) this.markStaleAfterGrace(key, entry);
        else this.markStale(key, true);
      },
    });
  }

  private async stopGateway(key: string): Promise<void> {
    const running = this.running.get(key);
    if (!running) return;
    this.running.delete(key);
    try {
      await running.gateway.stop();
    } catch (error) {
      log.warn(`${key} did not stop cleanly`, error);
    }
  }

  private markStale(key: string, stale: boolean): void {
    this.staleTimers.get(key)?.();
    this.staleTimers.delete(key);
    if (stale) this.live.delete(key);
    else this.live.add(key);
    this.statuses.setStale(key, stale);
  }

  /** Marks the states stale unless the connection is back (or the gateway replaced) before the grace period ends. */
  private markStaleAfterGrace(key: string, entry: Running): void {
    if (this.staleTimers.has(key)) return;
    const cancel = this.scheduler.at(this.clock.now() + STALE_GRACE_MS, () => {
      this.staleTimers.delete(key);
      const health = IntegrationHealth.fromNameSafe(this.healthOf(key).health);
      if (this.running.get(key) === entry && STALE_HEALTH.has(health)) this.markStale(key, true);
    });
    this.staleTimers.set(key, cancel);
  }

  private setHealth(key: string, health: IntegrationHealth, message: string | null): void {
    const previous = this.health.get(key);
    // Leaving OK is the last moment it was known good: "unreachable since" that time.
    const wasOk = previous?.health === IntegrationHealth.OK.value;
    const lastSuccessAt = health === IntegrationHealth.OK || (wasOk && health !== IntegrationHealth.OK) ? this.clock.now() : (previous?.lastSuccessAt ?? null);
    if (previous && previous.health === health.value && previous.message === message && health !== IntegrationHealth.OK) return;
    const view: IntegrationHealthView = { key, health: health.value, lastSuccessAt, message };
    this.health.set(key, view);
    if (!previous || previous.health !== view.health || previous.message !== view.message) this.events.emit('integration.health', view);
  }

  private healthOf(key: string): IntegrationHealthView {
    return this.health.get(key) ?? { key, health: IntegrationHealth.DISABLED.value, lastSuccessAt: null, message: null };
  }

  private requireGateway(key: string): IntegrationGateway {
    const gateway = this.gateways.find((g) => g.key === key);
    if (!gateway) throw IpcError.notFound(`No integration '${key}'.`);
    return gateway;
  }

  private async requireRow(key: string): Promise<Integration> {
    const row = await this.db.selectFrom('integration').selectAll().where('integration_key', '=', key).executeTakeFirst();
    if (!row) throw IpcError.notFound(`No integration '${key}'.`);
    return row;
  }

  private async attributes(integrationId: number): Promise<Map<string, { value: string; secret: boolean }>> {
    const rows = await this.db.selectFrom('integration_attribute').selectAll().where('integration_id', '=', integrationId).execute();
    return new Map(rows.map((r) => [r.attribute_key, { value: r.value, secret: r.is_secret === 1 }]));
  }

  /** The stored configuration with secrets decrypted: for the gateway only, never for a panel. */
  private async config(key: string): Promise<IntegrationConfig> {
    const { config, withheld } = await this.resolveConfig(key);
    for (const field of withheld) log.warn(`${key}.${field.key} was saved for another address and is not sent; enter it again`);
    return config;
  }

  /**
   * The stored configuration (secrets decrypted) with `given` values in place of the stored ones. A stored secret
   * whose bound addresses differ from the resulting ones is left out and named in `withheld`, unless `given`
   * holds it anew. A secret saved before bindings existed is bound to the addresses stored now.
   */
  private async resolveConfig(key: string, given: Readonly<Record<string, string>> = {}): Promise<ResolvedConfig> {
    const gateway = this.requireGateway(key);
    const row = await this.requireRow(key);
    const attributes = await this.attributes(row.id);
    const stored: Record<string, string> = {};
    for (const [name, { value, secret }] of attributes) {
      if (name.endsWith(BOUND_TO_SUFFIX)) continue;
      try {
        stored[name] = secret ? this.cipher.decrypt(value) : value;
      } catch (error) {
        log.warn(`${key}.${name} cannot be decrypted; enter it again`, error);
      }
    }
    const secretKeys = new Set(gateway.configFields.filter((f) => f.type === 'secret').map((f) => f.key));
    const entered = Object.fromEntries(Object.entries(given).filter(([name, value]) => !(secretKeys.has(name) && value === '')));
    const config: Record<string, string> = { ...stored, ...entered };
    const addresses = addressesOf(gateway, config);
    const storedAddresses = JSON.stringify(addressesOf(gateway, stored));
    const withheld = gateway.configFields.filter((field) => {
      if (field.type !== 'secret' || entered[field.key] !== undefined || (config[field.key] ?? '') === '') return false;
      const bound = parseAddresses(attributes.get(`${field.key}${BOUND_TO_SUFFIX}`)?.value ?? storedAddresses);
      return Object.entries(addresses).some(([name, origin]) => bound[name] !== origin);
    });
    for (const field of withheld) delete config[field.key];
    return { config, withheld };
  }

  private async allowlist(integrationId: number): Promise<ImportAllowlist> {
    const attributes = await this.attributes(integrationId);
    const list = (name: string) => new Set(parseList(attributes.get(name)?.value));
    return { domains: list(IMPORT_DOMAINS), entities: list(IMPORT_ENTITIES) };
  }

  private async writeAttribute(integrationId: number, name: string, value: string, secret: boolean): Promise<void> {
    const now = this.clock.now();
    await this.db
      .insertInto('integration_attribute')
      .values({ integration_id: integrationId, attribute_key: name, value, is_secret: secret ? 1 : 0, updated_at: now })
      .onConflict((oc) => oc.columns(['integration_id', 'attribute_key']).doUpdateSet({ value, is_secret: secret ? 1 : 0, updated_at: now }))
      .execute();
  }

  private async view(key: string): Promise<IntegrationView> {
    const gateway = this.requireGateway(key);
    const row = await this.requireRow(key);
    const attributes = await this.attributes(row.id);
    return {
      key,
      label: gateway.label,
      description: gateway.description,
      enabled: row.is_enabled === 1,
      paused: row.is_paused === 1,
      fields: gateway.configFields.map((f) => {
        const stored = attributes.get(f.key);
        return { ...f, value: f.type === 'secret' ? null : (stored?.value ?? ''), hasValue: (stored?.value ?? '') !== '' };
      }),
      importDomains: parseList(attributes.get(IMPORT_DOMAINS)?.value),
      importEntities: parseList(attributes.get(IMPORT_ENTITIES)?.value),
      lastSyncAt: row.last_sync_at,
      health: this.healthOf(key),
    };
  }
}

/** The given fields, each one the gateway has, trimmed; addresses read as http(s), http:// assumed when none is given. */
function checkedFields(gateway: IntegrationGateway, fields: Readonly<Record<string, string>>): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    const field = gateway.configFields.find((f) => f.key === name);
    if (!field) throw IpcError.invalidArgument(`${gateway.label} has no setting '${name}'.`, [{ path: ['fields', name], message: 'Unknown.' }]);
    if (field.type === 'secret') {
      checked[name] = value;
      continue;
    }
    if (field.type !== 'url') {
      checked[name] = value.trim();
      continue;
    }
    const address = readAddress(value);
    if (!address.ok) throw IpcError.invalidArgument(`${field.label}: ${address.message}`, [{ path: ['fields', name], message: address.message }]);
    checked[name] = address.url;
  }
  return checked;
}

/** A failed control in plain words, typed by what went wrong. */
function controlFailure(gateway: IntegrationGateway, entityName: string, error: unknown): IpcError {
  if (!(error instanceof GatewayError)) {
    log.error(`${gateway.key} control of ${entityName} failed unexpectedly`, error);
    return internalError(`${entityName} was not changed: something went wrong talking to ${gateway.label}; the details are in the hub's log.`);
  }
  // The gateway's own words may carry socket codes or a parser's complaint: the log keeps them, the panel gets the
  // kind of failure (which it words itself) and, for a refusal, only the upstream's reason.
  if (error.failure !== 'refused') log.warn(`${gateway.key} control of ${entityName} failed: ${error.message}`);
  const upstream: UpstreamFailure = { kind: error.failure, integration: gateway.label, reason: error.failure === 'refused' ? error.reason : null };
  const message = CONTROL_FAILURE_WORDS[error.failure](gateway.label, entityName, error.reason);
  return new IpcError(IPC_ERROR_OF_FAILURE[error.failure](message).code, message, undefined, upstream);
}

/** A failed listing of recordings in plain words, typed by what went wrong; the log keeps the gateway's own words. */
function recordingsFailure(gateway: IntegrationGateway, error: unknown): IpcError {
  if (!(error instanceof GatewayError)) {
    log.error(`${gateway.key} recordings could not be listed`, error);
    return internalError(`The recordings of ${gateway.label} could not be listed; the details are in the hub's log.`);
  }
  log.warn(`${gateway.key} recordings could not be listed: ${error.message}`);
  const upstream: UpstreamFailure = { kind: error.failure, integration: gateway.label, reason: error.failure === 'refused' ? error.reason : null };
  const message = RECORDINGS_FAILURE_WORDS[error.failure](gateway.label, error.reason);
  return new IpcError(IPC_ERROR_OF_FAILURE[error.failure](message).code, message, undefined, upstream);
}

const RECORDINGS_FAILURE_WORDS: Readonly<Record<GatewayFailure, (integration: string, reason: string | null) => string>> = {
  unreachable: (integration) => `${integration} cannot be reached, so its recordings cannot be shown now. Try again later.`,
  auth: (integration) => `Sign-in to ${integration} failed, so its recordings cannot be shown. Check its user name and password.`,
  refused: (integration, reason) => (reason ? `${integration} refused to list its recordings: ${reason}` : `${integration} refused to list its recordings.`),
  protocol: (integration) => `${integration} answered something this app cannot read, so its recordings cannot be shown.`,
};

const CONTROL_FAILURE_WORDS: Readonly<Record<GatewayFailure, (integration: string, entityName: string, reason: string | null) => string>> = {
  unreachable: (integration, entityName) => `${integration} is unreachable; ${entityName} was not changed.`,
  auth: (integration, entityName) => `Sign-in to ${integration} failed; ${entityName} was not changed.`,
  refused: (integration, entityName, reason) => (reason ? `${integration} refused: ${reason}` : `${integration} refused to change ${entityName}.`),
  protocol: (integration, entityName) => `${integration} answered something this app cannot read; ${entityName} was not changed.`,
};

function parseList(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

function domainOf(payload: string | null): string {
  try {
    const parsed = JSON.parse(payload ?? '{}') as { domain?: unknown };
    return typeof parsed.domain === 'string' ? parsed.domain : '';
  } catch {
    return '';
  }
}
