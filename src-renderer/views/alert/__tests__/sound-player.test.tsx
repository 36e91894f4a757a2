import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertView } from '../../../../src-shared/model/alert';
import { SILENT_SOUND } from '../../../../src-shared/model/alert-sound';
import { AlertSoundPlayer, CRITICAL_REPEAT_MS, resolveSoundSettings, type AudioOutput, type PlayerState, type SoundSettings } from '../sound-player';

const MINUTE = 60_000;

/** Where the player's sounds go in a test: it records them, and refuses them as a browser that blocks autoplay would. */
class RecordingOutput implements AudioOutput {
  readonly played: { sound: string; volume: number }[] = [];
  stops = 0;
  refuseWith: string | null = null;
  private finishCurrent: (() => void) | null = null;

  play(sound: string, volume: number): Promise<void> {
    this.played.push({ sound, volume });
    this.finishCurrent?.();
    this.finishCurrent = null;
    if (this.refuseWith !== null) return Promise.reject(new DOMException('play() refused', this.refuseWith));
    return new Promise((resolve) => (this.finishCurrent = resolve));
  }

  stop(): void {
    this.stops += 1;
    this.finishCurrent?.();
    this.finishCurrent = null;
  }

  /** The sound playing now reaches its end. */
  end(): void {
    this.finishCurrent?.();
    this.finishCurrent = null;
  }

  /** Alert sounds only, without the silent probe. */
  get sounds(): string[] {
    return this.played.map((p) => p.sound).filter((s) => s !== SILENT_SOUND);
  }
}

function alert(id: number, level: AlertView['level'], count = 1): AlertView {
  return {
    id,
    signature: `event.rule-${id}.${level}`,
    source: 'event',
    level,
    title: `Alert ${id}`,
    count,
    firstAt: 0,
    lastAt: 0,
    endsAt: null,
    alarms: [],
    entityIds: [],
    closedAt: null,
    closedBy: null,
  };
}

const SETTINGS: SoundSettings = {
  info: { sound: 'chime', volume: 60 },
  warning: { sound: 'two-tone', volume: 80 },
  critical: { sound: 'alarm', volume: 100 },
};

let output: RecordingOutput;
let player: AlertSoundPlayer;
let state: PlayerState;

/** Lets the output's promises settle, as the browser's would between events. */
const settle = () => vi.advanceTimersByTimeAsync(0);

function show(alerts: AlertView[], mutedUntil: number | null = null, settings: SoundSettings = SETTINGS): void {
  player.update({ alerts, settings, mutedUntil });
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 18) });
  output = new RecordingOutput();
  player = new AlertSoundPlayer(output, { now: () => Date.now(), onChange: (s) => (state = s) });
});

afterEach(() => {
  player.dispose();
  vi.useRealTimers();
});

describe('which sound plays', () => {
  it("plays a new alert's level sound once, at that level's volume", async () => {
    show([]);
    show([alert(1, 'info')]);
    expect(output.played).toEqual([{ sound: 'chime', volume: 0.6 }]);
    expect(state.playing).toEqual({ level: 'info', sound: 'chime' });
    output.end();
    await settle();
    expect(state.playing).toBeNull();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(output.sounds).toEqual(['chime']);
  });

  it('plays again when an alert gathers a new alarm, but not when the same alerts come again (a reconnect)', () => {
    show([]);
    show([alert(1, 'warning')]);
    show([alert(1, 'warning')]);
    expect(output.sounds).toEqual(['two-tone']);
    show([alert(1, 'warning', 2)]);
    expect(output.sounds).toEqual(['two-tone', 'two-tone']);
  });

  it('uses the sound and volume chosen in settings at once', () => {
    show([]);
    show([alert(1, 'info')], null, { ...SETTINGS, info: { sound: 'marimba', volume: 25 } });
    expect(output.played).toEqual([{ sound: 'marimba', volume: 0.25 }]);
  });

  it('stays silent for a level whose volume is 0', () => {
    show([]);
    show([alert(1, 'warning')], null, { ...SETTINGS, warning: { sound: 'two-tone', volume: 0 } });
    expect(output.played).toEqual([]);
  });

  it('plays the most important of several new alerts, and one sound at a time', () => {
    show([]);
    show([alert(1, 'info'), alert(2, 'critical'), alert(3, 'warning')]);
    expect(output.sounds).toEqual(['alarm']);
    // A less important alert while the critical sound plays is skipped, not queued over it.
    show([alert(1, 'info'), alert(2, 'critical'), alert(3, 'warning'), alert(4, 'warning')]);
    expect(output.sounds).toEqual(['alarm']);
    expect(state.playing?.level).toBe('critical');
  });

  it('lets a more important sound replace the one playing', () => {
    show([]);
    show([alert(1, 'info')]);
    show([alert(1, 'info'), alert(2, 'critical')]);
    expect(output.sounds).toEqual(['chime', 'alarm']);
    expect(state.playing).toEqual({ level: 'critical', sound: 'alarm' });
  });

  it('does not sound INFO or WARNING alerts already open when the panel loads', async () => {
    show([alert(1, 'info'), alert(2, 'warning')]);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(output.sounds).toEqual([]);
  });

  it('sounds a CRITICAL alert already open when the panel loads, and keeps repeating it', async () => {
    show([alert(1, 'critical'), alert(2, 'info')]);
    expect(output.sounds).toEqual(['alarm']);
    await vi.advanceTimersByTimeAsync(CRITICAL_REPEAT_MS);
    expect(output.sounds).toEqual(['alarm', 'alarm']);
  });
});

describe('CRITICAL repetition', () => {
  it('repeats every few seconds until the alert is acknowledged, then stops at once', async () => {
    show([]);
    show([alert(1, 'critical')]);
    for (let i = 0; i < 3; i += 1) await vi.advanceTimersByTimeAsync(CRITICAL_REPEAT_MS);
    expect(state.playsByLevel.critical).toBe(4);
    const stopsBefore = output.stops;
    show([]);
    expect(output.stops).toBe(stopsBefore + 1);
    expect(state.playing).toBeNull();
    await vi.advanceTimersByTimeAsync(10 * CRITICAL_REPEAT_MS);
    expect(state.playsByLevel.critical).toBe(4);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps repeating while another CRITICAL alert is still open', async () => {
    show([]);
    show([alert(1, 'critical'), alert(2, 'critical')]);
    show([alert(2, 'critical')]);
    await vi.advanceTimersByTimeAsync(CRITICAL_REPEAT_MS);
    expect(state.playsByLevel.critical).toBe(2);
  });

  it('plays the sound chosen now at the next repetition', async () => {
    show([]);
    show([alert(1, 'critical')]);
    show([alert(1, 'critical')], null, { ...SETTINGS, critical: { sound: 'siren', volume: 50 } });
    await vi.advanceTimersByTimeAsync(CRITICAL_REPEAT_MS);
    expect(output.played.at(-1)).toEqual({ sound: 'siren', volume: 0.5 });
  });

  it('repeats after an INFO sound that played in between', async () => {
    show([]);
    show([alert(1, 'critical')]);
    output.end();
    await settle();
    show([alert(1, 'critical'), alert(2, 'info')]);
    expect(output.sounds).toEqual(['alarm', 'chime']);
    await vi.advanceTimersByTimeAsync(CRITICAL_REPEAT_MS);
    expect(output.sounds).toEqual(['alarm', 'chime', 'alarm']);
  });
});

describe('mute', () => {
  it('plays nothing while muted, and does not replay what came in meanwhile', async () => {
    const until = Date.now() + 15 * MINUTE;
    show([], until);
    show([alert(1, 'warning')], until);
    expect(output.sounds).toEqual([]);
    await vi.advanceTimersByTimeAsync(16 * MINUTE);
    expect(output.sounds).toEqual([]);
  });

  it('stops a repeating CRITICAL sound, and resumes it by itself when the mute runs out', async () => {
    show([]);
    show([alert(1, 'critical')]);
    const until = Date.now() + 15 * MINUTE;
    show([alert(1, 'critical')], until);
    expect(state.playing).toBeNull();
    await vi.advanceTimersByTimeAsync(15 * MINUTE - 1);
    expect(state.playsByLevel.critical).toBe(1);
    // No word from the hub needed: the panel's own timer ends the mute.
    await vi.advanceTimersByTimeAsync(2);
    expect(state.playsByLevel.critical).toBe(2);
    await vi.advanceTimersByTimeAsync(CRITICAL_REPEAT_MS);
    expect(state.playsByLevel.critical).toBe(3);
  });

  it('sounds again at once when unmuted by hand', () => {
    show([]);
    const until = Date.now() + 15 * MINUTE;
    show([alert(1, 'critical')], until);
    expect(output.sounds).toEqual([]);
    show([alert(1, 'critical')], null);
    expect(output.sounds).toEqual(['alarm']);
  });

  it('takes a mute that has already ended as no mute', () => {
    show([]);
    show([alert(1, 'warning')], Date.now() - 1);
    expect(output.sounds).toEqual(['two-tone']);
  });
});

describe('a browser that blocks sound until a tap', () => {
  it('learns from the silent probe that it needs a tap, before any alert', async () => {
    output.refuseWith = 'NotAllowedError';
    player.probe();
    await settle();
    expect(state.blocked).toBe(true);
    output.refuseWith = null;
    player.unlock();
    expect(state.blocked).toBe(false);
    expect(output.played.at(-1)?.sound).toBe(SILENT_SOUND);
  });

  it('asks for a tap when a sound is refused, and plays the CRITICAL sound on it', async () => {
    output.refuseWith = 'NotAllowedError';
    show([]);
    show([alert(1, 'critical')]);
    await settle();
    expect(state.blocked).toBe(true);
    await vi.advanceTimersByTimeAsync(3 * CRITICAL_REPEAT_MS);
    // While blocked, nothing more is tried.
    expect(output.sounds).toEqual(['alarm']);
    output.refuseWith = null;
    player.unlock();
    expect(state.blocked).toBe(false);
    expect(state.playing).toEqual({ level: 'critical', sound: 'alarm' });
    await vi.advanceTimersByTimeAsync(CRITICAL_REPEAT_MS);
    expect(output.sounds).toEqual(['alarm', 'alarm', 'alarm']);
  });

  it('does not play a refused sound on the tap once its alert is gone', async () => {
    output.refuseWith = 'NotAllowedError';
    show([]);
    show([alert(1, 'warning')]);
    await settle();
    show([]);
    output.refuseWith = null;
    player.unlock();
    expect(output.sounds).toEqual(['two-tone']);
  });

  it('reports a file that cannot play without asking for a tap', async () => {
    const errors: string[] = [];
    player = new AlertSoundPlayer(output, { now: () => Date.now(), onChange: (s) => (state = s), onError: (sound) => errors.push(sound) });
    output.refuseWith = 'NotSupportedError';
    show([]);
    show([alert(1, 'info')]);
    await settle();
    expect(errors).toEqual(['chime']);
    expect(state.blocked).toBe(false);
  });
});

describe('lifetime', () => {
  it('leaves no timer and no sound behind when disposed', async () => {
    show([]);
    show([alert(1, 'critical')], null);
    player.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(output.stops).toBe(1);
    show([alert(1, 'critical'), alert(2, 'critical')]);
    await vi.advanceTimersByTimeAsync(10 * CRITICAL_REPEAT_MS);
    expect(output.sounds).toEqual(['alarm']);
  });

  it('keeps at most one repeat and one mute timer however many updates arrive', () => {
    show([]);
    for (let i = 1; i <= 50; i += 1) show([alert(i, 'critical')]);
    expect(vi.getTimerCount()).toBe(1);
    const until = Date.now() + MINUTE;
    for (let i = 0; i < 50; i += 1) show([alert(50, 'critical')], until);
    expect(vi.getTimerCount()).toBe(1);
  });
});

describe('sound settings', () => {
  it('falls back to the default sound and full volume for values it cannot use', () => {
    const values: Record<string, unknown> = { sound_info: 'glass', volume_info: 30, sound_warning: 'no-such-sound', volume_warning: 'loud', sound_critical: undefined };
    expect(resolveSoundSettings((key) => values[key])).toEqual({
      info: { sound: 'glass', volume: 30 },
      warning: { sound: 'two-tone', volume: 100 },
      critical: { sound: 'alarm', volume: 100 },
    });
  });
});
