import { AlarmLevel, alarmPriority } from '../../../src-shared/enums/alert';
import type { AlertView } from '../../../src-shared/model/alert';
import {
  ALERT_SOUNDS,
  alertSoundSettingKeys,
  DEFAULT_ALERT_SOUND,
  isSoundingLevel,
  SILENT_SOUND,
  SOUNDING_LEVELS,
  type SoundingLevel,
} from '../../../src-shared/model/alert-sound';

/** How often a CRITICAL alert's sound starts again until it is acknowledged (or muted). */
export const CRITICAL_REPEAT_MS = 4_000;
/** A mute the hub says lasts longer than this is a clock gone wrong: the panel checks again after this long. */
const MAX_MUTE_TIMER_MS = 24 * 3_600_000;

/** Where sounds come out: one at a time, a new one replacing the last. */
export interface AudioOutput {
  /**
   * Starts `sound` (a name from ALERT_SOUNDS, or SILENT_SOUND) at `volume` 0–1, replacing any sound playing.
   * Resolves when it ends or is stopped or replaced; rejects with the browser's error when it may not play
   * (`NotAllowedError`: autoplay blocked until someone taps) or the file cannot be played.
   */
  play(sound: string, volume: number): Promise<void>;
  stop(): void;
}

export interface SoundChoice {
  sound: string;
  /** 0–100, as the setting stores it; 0 is silent. */
  volume: number;
}
export type SoundSettings = Readonly<Record<SoundingLevel, SoundChoice>>;

export interface SoundInput {
  /** Open alerts, as the hub sends them. */
  alerts: readonly AlertView[];
  settings: SoundSettings;
  /** Muted (on every panel) until this instant of the hub's clock; null: not muted. */
  mutedUntil: number | null;
}

export interface PlayerState {
  /** The sound playing now, with the level it is for. */
  playing: { level: SoundingLevel; sound: string } | null;
  /** The browser refused to play without a tap: the panel asks for one. */
  blocked: boolean;
  /** Sounds started so far (the silent probe excluded): a test hook that also shows a CRITICAL repeating. */
  plays: number;
  /** Plays per level, the same way. */
  playsByLevel: Readonly<Record<SoundingLevel, number>>;
}

export interface PlayerOptions {
  /** The hub's time (the panel's clock plus its offset): mutes end by it. */
  now(): number;
  onChange(state: PlayerState): void;
  /** A play that failed for a reason other than autoplay (a file that does not decode). */
  onError?(sound: string, error: unknown): void;
}

/** Full volume for a setting not loaded yet: an alert must not go silent because settings are late. */
const FALLBACK_VOLUME = 100;

/** The sound and volume of each level from the `alerts` settings, falling back to the defaults for anything unusable. */
export function resolveSoundSettings(valueOf: (key: string) => unknown): SoundSettings {
  const entries = SOUNDING_LEVELS.map((level) => {
    const keys = alertSoundSettingKeys(level);
    const sound = valueOf(keys.sound);
    const volume = valueOf(keys.volume);
    return [
      level,
      {
        sound: typeof sound === 'string' && ALERT_SOUNDS.some((s) => s.name === sound) ? sound : DEFAULT_ALERT_SOUND[level],
        volume: typeof volume === 'number' && Number.isFinite(volume) ? Math.max(0, Math.min(100, volume)) : FALLBACK_VOLUME,
      },
    ] as const;
  });
  return Object.fromEntries(entries) as Record<SoundingLevel, SoundChoice>;
}

const priority = (level: SoundingLevel): number => alarmPriority(AlarmLevel.fromName(level));

const isNotAllowed = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'NotAllowedError';
/** A play interrupted by the next one (or by stop): not a failure. */
const isAbort = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';

/**
 * Decides which alert sound plays and when: a level's sound once when an alert opens or gathers a new alarm, a
 * CRITICAL alert's again every CRITICAL_REPEAT_MS until none is open, one sound at a time with the most important
 * winning, nothing while muted. Alerts already open when the panel loads are taken as heard, except CRITICAL ones,
 * which sound at once: a panel that comes up during an emergency must be noticed. At most two timers (the repeat
 * and the end of a mute); `dispose` clears both and stops the sound.
 */
export class AlertSoundPlayer {
  private heard: Map<number, number> | null = null;
  private input: SoundInput | null = null;
  /** level null: the probe or the unlocking silence, which any alert sound replaces. */
  private current: { level: SoundingLevel | null; sound: string; token: number } | null = null;
  private nextToken = 1;
  private repeatTimer: ReturnType<typeof setTimeout> | null = null;
  private muteTimer: ReturnType<typeof setTimeout> | null = null;
  /** The most important level refused while blocked: it plays on the unlocking tap if still wanted. */
  private pending: SoundingLevel | null = null;
  private blocked = false;
  private plays = 0;
  private readonly playsByLevel: Record<SoundingLevel, number> = { info: 0, warning: 0, critical: 0 };
  private disposed = false;

  constructor(
    private readonly output: AudioOutput,
    private readonly options: PlayerOptions,
  ) {}

  /** Plays the silent sound to learn, before any alert, whether this browser needs a tap first. */
  probe(): void {
    this.start(SILENT_SOUND, 1, null);
  }

  update(input: SoundInput): void {
    if (this.disposed) return;
    const first = this.heard === null;
    const news = first ? [] : this.newlyAlarmed(input.alerts);
    this.heard = new Map(input.alerts.map((a) => [a.id, a.count]));
    this.input = input;

    if (this.isMuted()) {
      this.silence();
      this.armMuteEnd();
      this.emit();
      return;
    }
    this.clearMuteTimer();
    const criticalOpen = this.criticalOpen();
    if (!criticalOpen) {
      this.clearRepeat();
      if (this.current?.level === 'critical') this.stopCurrent();
    }
    const loudest = news.reduce<SoundingLevel | null>((best, level) => (best === null || priority(level) > priority(best) ? level : best), null);
    if (loudest !== null) this.request(loudest);
    else if (criticalOpen && this.repeatTimer === null) this.request('critical');
    this.emit();
  }

  /** Called from a tap: the browser now allows sound, so what was refused plays (if still wanted). */
  unlock(): void {
    if (this.disposed || !this.blocked) return;
    this.blocked = false;
    const wanted = this.pending !== null && !this.isMuted() && this.anyOpen(this.pending) ? this.pending : null;
    this.pending = null;
    // Played inside the tap, so that even a browser that only trusts the gesture itself lets it through.
    if (wanted !== null) this.request(wanted);
    else this.start(SILENT_SOUND, 1, null);
    this.emit();
  }

  state(): PlayerState {
    return {
      playing: this.current?.level ? { level: this.current.level, sound: this.current.sound } : null,
      blocked: this.blocked,
      plays: this.plays,
      playsByLevel: { ...this.playsByLevel },
    };
  }

  dispose(): void {
    this.disposed = true;
    this.clearRepeat();
    this.clearMuteTimer();
    this.stopCurrent();
  }

  private newlyAlarmed(alerts: readonly AlertView[]): SoundingLevel[] {
    const levels: SoundingLevel[] = [];
    for (const alert of alerts) {
      if (!isSoundingLevel(alert.level)) continue;
      const heardCount = this.heard?.get(alert.id);
      if (heardCount === undefined || alert.count > heardCount) levels.push(alert.level);
    }
    return levels;
  }

  private isMuted(): boolean {
    const until = this.input?.mutedUntil ?? null;
    return until !== null && until > this.options.now();
  }

  private criticalOpen(): boolean {
    return this.anyOpen('critical');
  }

  private anyOpen(level: SoundingLevel): boolean {
    return this.input?.alerts.some((a) => a.level === level) ?? false;
  }

  /** One sound at a time: a less important one than what is playing is skipped, not queued. */
  private request(level: SoundingLevel): void {
    if (level === 'critical') this.armRepeat();
    if (this.current?.level && priority(this.current.level) > priority(level)) return;
    if (this.blocked) {
      if (this.pending === null || priority(level) >= priority(this.pending)) this.pending = level;
      return;
    }
    const choice = this.input!.settings[level];
    if (choice.volume <= 0) {
      this.stopCurrent();
      return;
    }
    this.plays += 1;
    this.playsByLevel[level] += 1;
    this.start(choice.sound, Math.min(100, choice.volume) / 100, level);
  }

  private start(sound: string, volume: number, level: SoundingLevel | null): void {
    const token = this.nextToken++;
    this.current = { level, sound, token };
    this.output.play(sound, volume).then(
      () => this.ended(token),
      (error: unknown) => {
        if (isNotAllowed(error) && !this.disposed) {
          this.blocked = true;
          if (level !== null && (this.pending === null || priority(level) >= priority(this.pending))) this.pending = level;
        } else if (!isAbort(error)) {
          this.options.onError?.(sound, error);
        }
        this.ended(token);
      },
    );
  }

  private ended(token: number): void {
    if (this.current?.token !== token) return;
    this.current = null;
    if (!this.disposed) this.emit();
  }

  private stopCurrent(): void {
    if (!this.current) return;
    this.current = null;
    this.output.stop();
  }

  private silence(): void {
    this.clearRepeat();
    this.pending = null;
    this.stopCurrent();
  }

  private armRepeat(): void {
    this.clearRepeat();
    this.repeatTimer = setTimeout(() => {
      this.repeatTimer = null;
      if (this.disposed || this.isMuted() || !this.criticalOpen()) return;
      this.request('critical');
      this.emit();
    }, CRITICAL_REPEAT_MS);
  }

  private clearRepeat(): void {
    if (this.repeatTimer !== null) clearTimeout(this.repeatTimer);
    this.repeatTimer = null;
  }

  private armMuteEnd(): void {
    this.clearMuteTimer();
    const left = Math.min(MAX_MUTE_TIMER_MS, Math.max(0, (this.input?.mutedUntil ?? 0) - this.options.now()));
    // The hub also says when the mute ends; this covers a panel that missed it (disconnected at the time).
    this.muteTimer = setTimeout(() => {
      this.muteTimer = null;
      if (this.input) this.update(this.input);
    }, left + 1);
  }

  private clearMuteTimer(): void {
    if (this.muteTimer !== null) clearTimeout(this.muteTimer);
    this.muteTimer = null;
  }

  private emit(): void {
    this.options.onChange(this.state());
  }
}
