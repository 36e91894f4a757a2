import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Snapshot } from '../src-shared/ipc/contract';
import { EventBus } from './ipc/event-bus';
import { PanelSessionManager, type PanelSession } from './ipc/panel-sessions';
import { Router, type HandlerMap } from './ipc/router';
import { MonitorManager } from './monitor/monitor-manager';
import { AttributeManager } from './modules/attribute/attribute-manager';
import { FileStore } from './modules/attribute/file-store';
import { attributeHandlers } from './modules/attribute/ipc';
import { CameraStreamProxy } from './modules/camera/camera-stream-proxy';
import { cameraHandlers } from './modules/camera/ipc';
import { videoHandlers } from './modules/video/ipc';
import { CollectionManager } from './modules/collection/collection-manager';
import { collectionHandlers } from './modules/collection/ipc';
import { configHandlers } from './modules/config/ipc';
import { SettingsManager } from './modules/config/settings-manager';
import { systemTimezone, withHomeTimezoneDefault } from './modules/console/home-timezone';
import { consoleSettings } from './modules/console/settings';
import { upstreamHomeHandlers } from './modules/console/upstream-home';
import { EditManager } from './modules/edit/edit-manager';
import { editHandlers } from './modules/edit/ipc';
import { EntityDetailHelper } from './modules/entity/entity-detail-helper';
import { EntityManager } from './modules/entity/entity-manager';
import { entityHandlers } from './modules/entity/ipc';
import { HistoryRollup } from './modules/history/history-rollup';
import { HistorySeriesHelper } from './modules/history/history-series-helper';
import { historyHandlers } from './modules/history/ipc';
import { historyMonitors } from './modules/history/monitors';
import { HomeSetupManager } from './modules/home/home-setup-manager';
import { homeHandlers } from './modules/home/ipc';
import { IntegrationManager } from './modules/integration/integration-manager';
import { integrationHandlers } from './modules/integration/ipc';
import { locationHandlers } from './modules/location/ipc';
import { SensorResponseManager } from './modules/status/sensor-response-manager';
import { StatusCoalescer } from './modules/status/status-coalescer';
import { StatusDisplayManager } from './modules/status/status-display-manager';
import { createGateways } from './integrations/registry';
import { LocationManager } from './modules/location/location-manager';
import { LocationViewBuilder } from './modules/location/location-view-builder';
import { settingsRegistry } from './modules/settings-registry';
import { systemHandlers } from './modules/system/ipc';
import { systemMonitors } from './modules/system/monitors';
import { PairingManager } from './modules/system/pairing-manager';
import { securityHandlers } from './modules/security/ipc';
import { ConsoleManager } from './modules/console/console-manager';
import { consoleHandlers } from './modules/console/ipc';
import { refuseWhileLocked } from './modules/console/lock-guard';
import { AlertManager } from './modules/alert/alert-manager';
import { alertHandlers, alertSoundHandlers } from './modules/alert/ipc';
import { SoundMute } from './modules/alert/sound-mute';
import { HealthAlarms } from './modules/alert/health-alarms';
import { EventManager } from './modules/event/event-manager';
import { eventHandlers } from './modules/event/ipc';
import { eventMonitors } from './modules/event/monitors';
import { notifyHandlers } from './modules/notify/ipc';
import { registerNotifyMonitor } from './modules/notify/monitors';
import { NotifyManager } from './modules/notify/notify-manager';
import { alertSettings } from './modules/alert/settings';
import { SecurityManager } from './modules/security/security-manager';
import type { RuntimeConfig } from './runtime-config';
import { openStore, type Store } from './store/database';
import { migrateToLatest } from './store/migrations';
import { KeyFileCipher, type SecretCipher } from './store/secret-cipher';
import { StorageStartError } from './store/storage-errors';
import { StorageMonitor } from './store/storage-monitor';
import { clockStartingAt, systemClock, type Clock } from './util/clock';
import { createLogger } from './util/log';
import { clockScheduler, type Scheduler } from './util/scheduler';
import { bundledCpuWorkerScript, CpuWorkers } from './workers/cpu-workers';

const log = createLogger('hub');

export const DATABASE_FILE = 'home-information.sqlite';
const MONITOR_STAGGER_MS = 2_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;

export interface HubOptions {
  runtime: RuntimeConfig;
  clock?: Clock;
  /** Electron passes safeStorage; otherwise a key file in the data dir. */
  cipher?: SecretCipher;
  nativeBinding?: string;
  /** The CPU worker bundle; by default the one beside the running bundle (dist/main). Tests pass the one they built. */
  cpuWorkerScript?: string;
  /** Tests turn this on so a handler that answers the wrong shape fails. */
  validateResults?: boolean;
  /** Calendar jobs (day/night switches); tests pass one driven by their clock. */
  scheduler?: Scheduler;
  /** The machine's time zone, the home zone's default; tests pass a fixed one. */
  systemTimezone?: string;
}

/**
 * The composition root: builds the store, every manager, the monitors and the IPC router once, starts them in
 * dependency order and stops them in reverse. Both hosts (Electron, panel server) wrap one Hub.
 */
export class Hub {
  readonly events = new EventBus();
  readonly panels = new PanelSessionManager();
  readonly settings: SettingsManager;
  readonly pairing: PairingManager;
  readonly monitors: MonitorManager;
  readonly files: FileStore;
  readonly cpu: CpuWorkers;
  readonly locations: LocationManager;
  readonly entities: EntityManager;
  readonly coalescer: StatusCoalescer;
  readonly statuses: SensorResponseManager;
  readonly integrations: IntegrationManager;
  readonly cameras: CameraStreamProxy;
  readonly collections: CollectionManager;
  readonly attributes: AttributeManager;
  readonly edits: EditManager;
  readonly homeSetup: HomeSetupManager;
  readonly security: SecurityManager;
  /** The lock PIN, each panel's lock and the sleep schedule. */
  readonly consoleManager: ConsoleManager;
  readonly alerts: AlertManager;
  readonly alertSound: SoundMute;
  readonly rules: EventManager;
  /** Mails new alerts in the modes that notify, through the outbox. */
  readonly notify: NotifyManager;
  private readonly healthAlarms: HealthAlarms;
  readonly router: Router;
  /** Storage health as the `system.storage` monitor: "Storage is full: …" while writes are refused. */
  readonly storage: StorageMonitor;
  private panelServerUrl: string | null = null;
  private state: 'created' | 'started' | 'stopping' | 'stopped' = 'created';

  private constructor(
    readonly store: Store,
    readonly runtime: RuntimeConfig,
    readonly clock: Clock,
    cipher: SecretCipher,
    validateResults: boolean,
    cpuWorkerScript: string,
    scheduler: Scheduler,
    systemZone: string,
  ) {
    this.cpu = new CpuWorkers(cpuWorkerScript);
    this.settings = new SettingsManager(store.db, withHomeTimezoneDefault(settingsRegistry, systemZone), cipher, this.events, clock);
    this.pairing = new PairingManager(store.db, clock, this.events);
    this.files = new FileStore(runtime.dataDir, this.cpu);
    this.locations = new LocationManager(store.db, runtime.dataDir, clock, this.cpu);
    this.coalescer = new StatusCoalescer(this.events);
    const displays = new StatusDisplayManager();
    this.statuses = new SensorResponseManager(store.sqlite, this.coalescer, displays, clock, store.health);
    const gateways = createGateways(clock);
    this.integrations = new IntegrationManager(store.db, gateways, cipher, this.statuses, this.events, clock, scheduler);
    this.cameras = new CameraStreamProxy({ resolveSource: (entityId, mode, eventId) => this.integrations.videoSource(entityId, mode, eventId) });
    this.entities = new EntityManager(store.db, this.statuses, displays, clock);
    this.collections = new CollectionManager(store.db, clock);
    this.attributes = new AttributeManager(store.db, this.files, cipher, clock);
    this.edits = new EditManager(store.db, this.events);
    this.security = new SecurityManager(store.db, this.settings, this.events, clock, scheduler);
    this.consoleManager = new ConsoleManager({
      db: store.db,
      panels: this.panels,
      settings: this.settings,
      events: this.events,
      clock,
      scheduler,
      securityState: () => this.security.currentState(),
    });
    this.alerts = new AlertManager(store.db, this.events, clock, scheduler);
    this.alertSound = new SoundMute(this.events, clock, scheduler, () => Number(this.settings.value(alertSettings, 'mute_minutes')));
    this.rules = new EventManager({
      db: store.db,
      events: this.events,
      clock,
      security: this.security,
      alerts: this.alerts,
      latest: this.statuses,
      control: (entityId, stateId, value) => this.integrations.control(entityId, stateId, value),
    });
    this.statuses.onTransition((stateId, value, ts, correlation) => this.rules.onStateValue(stateId, value, ts, correlation));
    this.notify = new NotifyManager({
      db: store.db,
      settings: this.settings,
      security: this.security,
      alerts: this.alerts,
      events: this.events,
      clock,
      scheduler,
      baseUrl: runtime.baseUrlForEmailLinks,
    });
    this.healthAlarms = new HealthAlarms({
      events: this.events,
      alerts: this.alerts,
      clock,
      scheduler,
      labelOf: (key) => gateways.find((g) => g.key === key)?.label ?? key,
      graceMs: () => Number(this.settings.value(alertSettings, 'health_alarm_delay_seconds')) * 1000,
    });
    this.homeSetup = new HomeSetupManager(store.db, this.locations, this.entities, this.collections, this.events);
    this.monitors = new MonitorManager(this.events, clock, { suppressed: runtime.suppressMonitors, staggerMs: MONITOR_STAGGER_MS });
    const timezone = () => String(this.settings.value(consoleSettings, 'timezone'));
    const isEditing = () => this.edits.state().editingPanelId !== null;
    for (const spec of systemMonitors({ db: store.db, sqlite: store.sqlite, dataDir: runtime.dataDir, timezone, isEditing, now: () => clock.now() })) {
      this.monitors.register(spec);
    }
    for (const spec of eventMonitors(this.rules, this.alerts, timezone)) this.monitors.register(spec);
    registerNotifyMonitor(this.monitors, this.notify);
    const historyRollup = new HistoryRollup(store.sqlite);
    for (const spec of historyMonitors(historyRollup)) this.monitors.register(spec);
    this.storage = new StorageMonitor(store.health, this.monitors);
    const views = new LocationViewBuilder(store.db, store.writeCount, this.locations, this.entities, this.collections);

    const handlers: HandlerMap = {
      'hub.snapshot': ({ view }, ctx) => this.snapshot(ctx.panel, view, views),
      ...configHandlers(this.settings),
      ...homeHandlers(this.homeSetup),
      ...editHandlers(this.edits),
      ...locationHandlers({ db: store.db, locations: this.locations, views, edits: this.edits, files: this.files, events: this.events }),
      ...entityHandlers({
        entities: this.entities,
        detail: new EntityDetailHelper(store.db, this.entities, this.attributes),
        views,
        edits: this.edits,
        events: this.events,
      }),
      ...historyHandlers(new HistorySeriesHelper(store.sqlite, historyRollup, clock)),
      ...cameraHandlers(store.db, this.statuses),
      ...videoHandlers({ db: store.db, integrations: this.integrations, clock, timeZone: timezone }),
      ...collectionHandlers({ db: store.db, collections: this.collections, entities: this.entities, edits: this.edits, events: this.events }),
      ...attributeHandlers(this.attributes, this.files),
      ...integrationHandlers(this.integrations),
      ...securityHandlers(this.security),
      ...consoleHandlers(this.consoleManager, store.db),
      ...upstreamHomeHandlers(gateways),
      ...alertHandlers(this.alerts),
      ...alertSoundHandlers(this.alertSound),
      ...eventHandlers(this.rules),
      ...notifyHandlers(this.notify),
      ...systemHandlers({
        monitors: this.monitors,
        settings: this.settings,
        pairing: this.pairing,
        runtime,
        panelServerUrl: () => this.panelServerUrl,
      }),
    };
    this.router = new Router(refuseWhileLocked(handlers, (panel) => this.consoleManager.isLocked(panel)), {
      validateResults,
      muteHighFrequencyLogging: runtime.suppressSelectRequestEndpointsLogging,
      storage: store.health,
    });
  }

  /** Opens (creating if needed) the data dir and database and migrates it; refuses a newer database. */
  static async open(options: HubOptions): Promise<Hub> {
    const { runtime } = options;
    let store: Store;
    try {
      mkdirSync(runtime.dataDir, { recursive: true });
      store = openStore(path.join(runtime.dataDir, DATABASE_FILE), { nativeBinding: options.nativeBinding });
    } catch (error) {
      throw StorageStartError.explain(error, runtime.dataDir);
    }
    try {
      const applied = await migrateToLatest(store.db);
      if (applied.length > 0) log.info(`Applied migrations ${applied.join(', ')}`);
      const cipher = options.cipher ?? new KeyFileCipher(path.join(runtime.dataDir, 'secret.key'));
      const cpuWorkerScript = options.cpuWorkerScript ?? bundledCpuWorkerScript(__dirname);
      const clock = options.clock ?? (runtime.clockStart === null ? systemClock : clockStartingAt(runtime.clockStart));
      if (runtime.clockStart !== null && !options.clock) log.warn(`The hub's clock starts at ${new Date(runtime.clockStart).toISOString()} (HI_CLOCK_START)`);
      return new Hub(store, runtime, clock, cipher, options.validateResults ?? false, cpuWorkerScript, options.scheduler ?? clockScheduler(clock), options.systemTimezone ?? systemTimezone());
    } catch (error) {
      await store.close();
      throw StorageStartError.explain(error, runtime.dataDir);
    }
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`Hub cannot start when ${this.state}`);
    try {
      await this.settings.start();
      this.pairing.start();
      await this.security.start();
      await this.consoleManager.start();
      await this.alerts.start();
      await this.notify.start();
      this.healthAlarms.start();
      await this.rules.start();
      this.files.start();
      this.statuses.start();
      await this.integrations.start();
      this.monitors.start();
    } catch (error) {
      throw StorageStartError.explain(error, this.runtime.dataDir);
    }
    this.state = 'started';
  }

  /** Stops scheduling, waits for running work, then closes the database. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.state = 'stopping';
    try {
      await this.monitors.stop(SHUTDOWN_TIMEOUT_MS);
      this.cameras.stop();
      await this.integrations.stop();
      this.statuses.stop();
      this.files.stop();
      // Before the database closes: a request waiting on a worker then fails instead of writing to a closed store.
      await this.cpu.close();
      await this.rules.stop();
      this.healthAlarms.stop();
      await this.notify.stop();
      await this.alerts.stop();
      this.alertSound.stop();
      this.consoleManager.stop();
      this.security.stop();
      this.pairing.stop();
      this.settings.stop();
    } finally {
      // Whatever failed above, the database is closed.
      this.storage.stop();
      await this.store.close();
      this.state = 'stopped';
    }
  }

  /** Set by the host that serves browser panels, so the System tab can show where tablets connect. */
  setPanelServerUrl(url: string | null): void {
    this.panelServerUrl = url;
  }

  /** A panel leaving (socket closed, window gone) gives up edit mode and its unfinished uploads. */
  closePanel(panelId: string): void {
    this.edits.panelClosed(panelId);
    this.files.panelClosed(panelId);
    this.panels.close(panelId);
  }

  async snapshot(panel: PanelSession, view: number | 'default' | undefined, views: LocationViewBuilder): Promise<Snapshot> {
    const locations = await this.locations.list();
    return {
      serverTime: this.clock.now(),
      version: this.runtime.version,
      panel: PanelSessionManager.info(panel),
      settings: this.settings.sections(),
      monitors: this.monitors.statuses(),
      home: { locations, edit: this.edits.state() },
      integrations: this.integrations.healthViews(),
      security: this.security.status(),
      alerts: this.alerts.list(),
      alertSound: this.alertSound.status(),
      console: this.consoleManager.status(panel),
      view: view === undefined ? null : await views.buildShown(locations, view),
    };
  }
}
