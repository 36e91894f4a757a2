import type { AlertSoundStatus } from '../../../src-shared/model/alert-sound';
import type { EventBus } from '../../ipc/event-bus';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import type { Scheduler } from '../../util/scheduler';

const log = createLogger('alerts');

/**
 * The header's mute, for every panel at once: a household that silences one panel wants the house quiet, and a
 * mute that only one panel knew of would leave the others sounding. It always ends by itself, and it is not
 * stored: a hub that restarts sounds its alerts again, the safe side for a home alarm.
 */
export class SoundMute {
  private mutedUntil: number | null = null;
  private cancelEnd: (() => void) | null = null;

  constructor(
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly minutes: () => number,
  ) {}

  status(): AlertSoundStatus {
    return { mutedUntil: this.mutedUntil };
  }

  /** Mutes for the configured minutes from now; muting again starts the time afresh. */
  mute(): AlertSoundStatus {
    const until = this.clock.now() + this.minutes() * 60_000;
    this.cancelEnd?.();
    this.cancelEnd = this.scheduler.at(until, () => {
      this.cancelEnd = null;
      this.set(null);
    });
    log.info(`Alert sounds muted on every panel until ${new Date(until).toISOString()}`);
    this.set(until);
    return this.status();
  }

  unmute(): AlertSoundStatus {
    this.stop();
    this.set(null);
    return this.status();
  }

  stop(): void {
    this.cancelEnd?.();
    this.cancelEnd = null;
  }

  private set(until: number | null): void {
    if (until === this.mutedUntil) return;
    this.mutedUntil = until;
    this.events.emit('alert.sound.changed', this.status());
  }
}
