import type { Kysely } from 'kysely';
import { followsClock, SecurityState, securityLevelOf, type SecurityLevel } from '../../../src-shared/enums/security';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { SecurityStatus } from '../../../src-shared/model/security';
import type { EventBus } from '../../ipc/event-bus';
import type { Database } from '../../store/schema';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import type { Scheduler } from '../../util/scheduler';
import type { SettingsManager } from '../config/settings-manager';
import { consoleSettings } from '../console/settings';
import { lastSwitch, minutesOfDay, nextSwitch, type DayPeriod } from './day-night';
import { readSecurityStatus, writeSecurityStatus } from './models';
import { securitySettings } from './settings';

const log = createLogger('security');

type ChangedBy = SecurityStatus['changedBy'];
type Hold = NonNullable<SecurityStatus['hold']>;

const stateOfPeriod = (period: DayPeriod): SecurityState => (period === 'day' ? SecurityState.DAY : SecurityState.NIGHT);

interface DaySchedule {
  dayStart: number;
  nightStart: number;
  timeZone: string;
}

/**
 * The home's security mode. Day and Night follow the clock in the home's time zone (a switch missed while the hub
 * was down is applied at start); Away and Disabled stay until someone changes them. Switching to Away, and Snooze,
 * hold new alarms for a set delay.
 */
export class SecurityManager {
  private state: SecurityState = SecurityState.DISABLED;
  private changedAt = 0;
  private changedBy: ChangedBy = 'start';
  private hold: Hold | null = null;
  private next: { at: number; state: SecurityState } | null = null;
  private cancelSwitch: (() => void) | null = null;
  private cancelHoldEnd: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly settings: SettingsManager,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
  ) {}

  async start(): Promise<void> {
    const now = this.clock.now();
    const row = await readSecurityStatus(this.db);
    const schedule = this.schedule();
    if (!row) {
      // A new home follows the clock from the start.
      this.state = schedule ? stateOfPeriod(lastSwitch(now, schedule.dayStart, schedule.nightStart, schedule.timeZone).period) : SecurityState.DAY;
      this.changedAt = now;
      this.changedBy = 'start';
      await this.persist();
    } else {
      this.state = SecurityState.fromNameSafe(row.security_state_str);
      this.changedAt = row.changed_at;
      this.changedBy = row.changed_by === 'user' || row.changed_by === 'schedule' ? row.changed_by : 'start';
      this.hold = row.hold_until !== null && row.hold_until > now && (row.hold_reason === 'away' || row.hold_reason === 'snooze') ? { reason: row.hold_reason, until: row.hold_until } : null;
      if (followsClock(this.state) && schedule) {
        const missed = lastSwitch(now, schedule.dayStart, schedule.nightStart, schedule.timeZone);
        const due = stateOfPeriod(missed.period);
        if (missed.at > this.changedAt && due !== this.state) {
          log.info(`Applying the switch to ${due.label} missed while the hub was down (due ${new Date(missed.at).toISOString()})`);
          this.state = due;
          this.changedAt = now;
          this.changedBy = 'start';
          await this.persist();
        }
      }
    }
    this.unsubscribe = this.events.on('settings.changed', ({ settings }) => {
      const affectsSchedule = settings.some(
        (s) => s.subsystem === securitySettings.subsystem || (s.subsystem === consoleSettings.subsystem && s.key === 'timezone'),
      );
      if (affectsSchedule) void this.realign();
    });
    this.armSwitch();
    this.armHoldEnd();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.cancelSwitch?.();
    this.cancelSwitch = null;
    this.cancelHoldEnd?.();
    this.cancelHoldEnd = null;
  }

  status(): SecurityStatus {
    const hold = this.hold && this.hold.until > this.clock.now() ? this.hold : null;
    return {
      state: this.state.value,
      level: this.level().value,
      changedAt: this.changedAt,
      changedBy: this.changedBy,
      hold,
      nextSwitch: this.next && { at: this.next.at, state: this.next.state.value },
    };
  }

  currentState(): SecurityState {
    return this.state;
  }

  level(): SecurityLevel {
    return securityLevelOf(this.state);
  }

  /** True while Away's leaving time or a snooze holds new alarms. */
  alarmsHeld(): boolean {
    return this.hold !== null && this.hold.until > this.clock.now();
  }

  async set(state: SecurityState): Promise<SecurityStatus> {
    const now = this.clock.now();
    const awayDelayMs = Number(this.settings.value(securitySettings, 'away_delay_seconds')) * 1000;
    this.hold = state === SecurityState.AWAY && awayDelayMs > 0 ? { reason: 'away', until: now + awayDelayMs } : null;
    await this.change(state, 'user');
    return this.status();
  }

  async snooze(): Promise<SecurityStatus> {
    if (this.state === SecurityState.DISABLED) throw IpcError.conflict('Security is disabled: there are no alarms to snooze.');
    const snoozeMs = Number(this.settings.value(securitySettings, 'snooze_delay_seconds')) * 1000;
    this.hold = { reason: 'snooze', until: this.clock.now() + snoozeMs };
    await this.persist();
    this.armHoldEnd();
    this.announce();
    return this.status();
  }

  /** The mode and the next switch change at once, before the write: a switch due meanwhile is never missed. */
  private async change(state: SecurityState, by: ChangedBy): Promise<void> {
    const previous = this.state;
    this.state = state;
    this.changedAt = this.clock.now();
    this.changedBy = by;
    log.info(`Security ${previous.label} → ${state.label} (${by})`);
    this.armSwitch();
    this.armHoldEnd();
    await this.persist();
  }

  /** Reads the switch times; null (no automatic switching) when day and night start at the same minute. */
  private schedule(): DaySchedule | null {
    const dayStart = minutesOfDay(String(this.settings.value(securitySettings, 'day_start')));
    const nightStart = minutesOfDay(String(this.settings.value(securitySettings, 'night_start')));
    if (dayStart === nightStart) return null;
    return { dayStart, nightStart, timeZone: String(this.settings.value(consoleSettings, 'timezone')) };
  }

  private armSwitch(): void {
    this.cancelSwitch?.();
    this.cancelSwitch = null;
    const schedule = this.schedule();
    if (!schedule) {
      this.next = null;
      this.announce();
      return;
    }
    const upcoming = nextSwitch(this.clock.now(), schedule.dayStart, schedule.nightStart, schedule.timeZone);
    this.next = followsClock(this.state) ? { at: upcoming.at, state: stateOfPeriod(upcoming.period) } : null;
    // Armed even in Away or Disabled, so the next switch is re-planned from wherever the mode is by then.
    this.cancelSwitch = this.scheduler.at(upcoming.at, () => {
      this.cancelSwitch = null;
      void this.onSwitch(stateOfPeriod(upcoming.period));
    });
    this.announce();
  }

  /** New day/night times or a new zone: a mode that follows the clock moves to the period it is now in. */
  private async realign(): Promise<void> {
    const schedule = this.schedule();
    if (!schedule || !followsClock(this.state)) {
      this.armSwitch();
      return;
    }
    await this.onSwitch(stateOfPeriod(lastSwitch(this.clock.now(), schedule.dayStart, schedule.nightStart, schedule.timeZone).period));
  }

  private async onSwitch(due: SecurityState): Promise<void> {
    if (!followsClock(this.state) || this.state === due) {
      this.armSwitch();
      return;
    }
    try {
      await this.change(due, 'schedule');
    } catch (error) {
      log.error(`Switched to ${due.label}, but could not save it`, error);
    }
  }

  private armHoldEnd(): void {
    this.cancelHoldEnd?.();
    this.cancelHoldEnd = null;
    if (!this.hold) return;
    // Panels show the countdown; they learn that it ended from the event.
    this.cancelHoldEnd = this.scheduler.at(this.hold.until, () => {
      this.cancelHoldEnd = null;
      this.hold = null;
      this.announce();
    });
  }

  private async persist(): Promise<void> {
    await writeSecurityStatus(this.db, {
      security_state_str: this.state.value,
      changed_at: this.changedAt,
      changed_by: this.changedBy,
      hold_until: this.hold?.until ?? null,
      hold_reason: this.hold?.reason ?? null,
    });
  }

  private announce(): void {
    this.events.emit('security.changed', this.status());
  }
}
