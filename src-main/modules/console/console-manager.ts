import type { Kysely } from 'kysely';
import { SecurityState } from '../../../src-shared/enums/security';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { ConsoleChanged, ConsoleStatus } from '../../../src-shared/model/console';
import type { EventBus } from '../../ipc/event-bus';
import type { PanelSession, PanelSessionManager } from '../../ipc/panel-sessions';
import type { Database } from '../../store/schema';
import { AsyncMutex } from '../../util/async-mutex';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import type { Scheduler } from '../../util/scheduler';
import type { SettingsManager } from '../config/settings-manager';
import { lastSwitch, minutesOfDay, nextSwitch } from '../security/day-night';
import { globalWindow, panelWindow, type SlidingWindow } from './attempt-limiter';
import { deletePin, readPin, writePin } from './models';
import { hashPin, verifyPin, type PinHash } from './pin-hash';
import { consoleSettings } from './settings';

const log = createLogger('console');

const SLEEP_SCHEDULE_KEYS = new Set(['sleep_on_schedule', 'sleep_at', 'wake_at', 'timezone']);

export interface ConsoleManagerDeps {
  db: Kysely<Database>;
  panels: PanelSessionManager;
  settings: SettingsManager;
  events: EventBus;
  clock: Clock;
  scheduler: Scheduler;
  /** The home's security mode now: going Away from it locks every panel. */
  securityState: () => SecurityState;
}

/**
 * The always-on console: the lock PIN (kept only as an scrypt hash), each panel's lock, the wrong-PIN limits, the
 * automatic lock when the home goes Away, and the sleep schedule in the home's time zone. Idle sleep, burn-in care
 * and auto-view are the panel's own: only the panel sees its touches.
 */
export class ConsoleManager {
  private pin: PinHash | null = null;
  private sleepScheduled = false;
  private securityState: string = SecurityState.DISABLED.value;
  /** PIN checks one at a time, so that parallel guesses cannot all pass the limit before the first is counted. */
  private readonly pinMutex = new AsyncMutex();
  private readonly wrongPinsGlobal: SlidingWindow = globalWindow();
  /** Per panel session; a WeakMap so that a closed session's window goes with it. */
  private readonly wrongPinsByPanel = new WeakMap<PanelSession, SlidingWindow>();
  private cancelSleepSwitch: (() => void) | null = null;
  private readonly unsubscribers: Array<() => void> = [];

  constructor(private readonly deps: ConsoleManagerDeps) {}

  async start(): Promise<void> {
    const row = await readPin(this.deps.db);
    this.pin = row
      ? { hash: Buffer.from(row.pin_hash, 'base64'), salt: Buffer.from(row.salt, 'base64'), cost: row.cost, blockSize: row.block_size, parallelization: row.parallelization }
      : null;
    this.deps.panels.setLockOnOpen(() => this.pin !== null);
    this.securityState = this.deps.securityState().value;
    this.unsubscribers.push(
      this.deps.events.on('security.changed', ({ state }) => {
        const previous = this.securityState;
        this.securityState = state;
        if (state === SecurityState.AWAY.value && previous !== state) this.lockAll('the home went Away');
      }),
      this.deps.events.on('settings.changed', ({ settings }) => {
        if (settings.some((s) => s.subsystem === consoleSettings.subsystem && SLEEP_SCHEDULE_KEYS.has(s.key))) this.armSleepSchedule();
      }),
    );
    this.armSleepSchedule();
  }

  stop(): void {
    this.unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe());
    this.cancelSleepSwitch?.();
    this.cancelSleepSwitch = null;
  }

  status(panel: PanelSession): ConsoleStatus {
    return { locked: panel.locked, pinSet: this.pin !== null, sleepScheduled: this.sleepScheduled };
  }

  isLocked(panel: PanelSession): boolean {
    return panel.locked;
  }

  lock(panel: PanelSession): ConsoleStatus {
    if (!this.pin) throw IpcError.conflict('Set a PIN under Settings → System before locking the panel.');
    if (!panel.locked) {
      panel.locked = true;
      this.announce();
    }
    return this.status(panel);
  }

  unlock(panel: PanelSession, pin: string): Promise<ConsoleStatus> {
    return this.pinMutex.runExclusive(async () => {
      if (!panel.locked) return this.status(panel);
      await this.checkPin(panel, pin);
      panel.locked = false;
      this.announce();
      return this.status(panel);
    });
  }

  /** Sets, changes or (newPin null) clears the PIN: only on the hub itself, and with the current PIN when one is set. */
  setPin(panel: PanelSession, currentPin: string | undefined, newPin: string | null): Promise<ConsoleStatus> {
    if (!panel.isLocal) throw IpcError.forbidden('The PIN can be changed only on the hub itself.');
    return this.pinMutex.runExclusive(async () => {
      if (this.pin) {
        if (currentPin === undefined) throw IpcError.invalidArgument('Enter the current PIN to change it.', [{ path: ['currentPin'], message: 'The current PIN is required.' }]);
        await this.checkPin(panel, currentPin);
      }
      if (newPin === null) {
        await deletePin(this.deps.db);
        this.pin = null;
        // Nothing could unlock a panel any more.
        for (const session of this.deps.panels.list()) session.locked = false;
        log.info('The lock PIN was cleared');
      } else {
        const hashed = await hashPin(newPin);
        await writePin(this.deps.db, {
          pin_hash: hashed.hash.toString('base64'),
          salt: hashed.salt.toString('base64'),
          cost: hashed.cost,
          block_size: hashed.blockSize,
          parallelization: hashed.parallelization,
          changed_at: this.deps.clock.now(),
        });
        this.pin = hashed;
        log.info('The lock PIN was set');
      }
      this.announce();
      return this.status(panel);
    });
  }

  /** Locks every open panel (a new one opens locked anyway while a PIN is set). */
  lockAll(reason: string): void {
    if (!this.pin) {
      log.info(`Not locking the panels (${reason}): no PIN is set`);
      return;
    }
    const sessions = this.deps.panels.list().filter((session) => !session.locked);
    for (const session of sessions) session.locked = true;
    log.info(`Locked ${sessions.length} panel(s): ${reason}`);
    if (sessions.length > 0) this.announce();
  }

  /** Throws rate_limited while a limit holds, forbidden for a wrong PIN (which counts against both limits). */
  private async checkPin(panel: PanelSession, pin: string): Promise<void> {
    const stored = this.pin;
    if (!stored) throw IpcError.conflict('No PIN is set.');
    let perPanel = this.wrongPinsByPanel.get(panel);
    if (!perPanel) {
      perPanel = panelWindow();
      this.wrongPinsByPanel.set(panel, perPanel);
    }
    const now = this.deps.clock.now();
    const waitMs = Math.max(perPanel.waitMs(now), this.wrongPinsGlobal.waitMs(now));
    if (waitMs > 0) throw IpcError.rateLimited(`Too many wrong PINs. Try again in ${Math.ceil(waitMs / 1000)} s.`);
    if (await verifyPin(pin, stored)) {
      perPanel.clear();
      return;
    }
    perPanel.record(now);
    this.wrongPinsGlobal.record(now);
    log.warn(`A wrong PIN was entered on panel ${panel.id}`);
    throw IpcError.forbidden('Wrong PIN.');
  }

  /** Works out whether the screens sleep now and arms the next turn of the schedule. */
  private armSleepSchedule(): void {
    this.cancelSleepSwitch?.();
    this.cancelSleepSwitch = null;
    const { settings, clock, scheduler } = this.deps;
    const onSchedule = settings.value(consoleSettings, 'sleep_on_schedule') === true;
    const sleepAt = minutesOfDay(String(settings.value(consoleSettings, 'sleep_at')));
    const wakeAt = minutesOfDay(String(settings.value(consoleSettings, 'wake_at')));
    let asleep = false;
    if (onSchedule && sleepAt !== wakeAt) {
      const timeZone = String(settings.value(consoleSettings, 'timezone'));
      const now = clock.now();
      // day-night's "day" period is the awake one: it starts at the wake time, "night" at the sleep time.
      asleep = lastSwitch(now, wakeAt, sleepAt, timeZone).period === 'night';
      this.cancelSleepSwitch = scheduler.at(nextSwitch(now, wakeAt, sleepAt, timeZone).at, () => {
        this.cancelSleepSwitch = null;
        this.armSleepSchedule();
      });
    }
    if (asleep !== this.sleepScheduled) {
      this.sleepScheduled = asleep;
      this.announce();
    }
  }

  private announce(): void {
    const payload: ConsoleChanged = {
      pinSet: this.pin !== null,
      sleepScheduled: this.sleepScheduled,
      lockedPanelIds: this.deps.panels.list().filter((session) => session.locked).map((session) => session.id),
    };
    this.deps.events.emit('console.changed', payload);
  }
}
