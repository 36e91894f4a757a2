import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { appStore, useAppState, useSettingValue } from '../../store';
import { HtmlAudioOutput } from './html-audio-output';
import { soundUrl } from './sound-files';
import { AlertSoundPlayer, resolveSoundSettings, type PlayerState } from './sound-player';

const IDLE: PlayerState = { playing: null, blocked: false, plays: 0, playsByLevel: { info: 0, warning: 0, critical: 0 } };

function useSoundSettings() {
  const soundInfo = useSettingValue('alerts', 'sound_info');
  const volumeInfo = useSettingValue('alerts', 'volume_info');
  const soundWarning = useSettingValue('alerts', 'sound_warning');
  const volumeWarning = useSettingValue('alerts', 'volume_warning');
  const soundCritical = useSettingValue('alerts', 'sound_critical');
  const volumeCritical = useSettingValue('alerts', 'volume_critical');
  return useMemo(() => {
    const values: Record<string, unknown> = {
      sound_info: soundInfo,
      volume_info: volumeInfo,
      sound_warning: soundWarning,
      volume_warning: volumeWarning,
      sound_critical: soundCritical,
      volume_critical: volumeCritical,
    };
    return resolveSoundSettings((key) => values[key]);
  }, [soundInfo, volumeInfo, soundWarning, volumeWarning, soundCritical, volumeCritical]);
}

/**
 * Plays alert sounds on this panel (see AlertSoundPlayer for when). Where the browser refuses sound until someone
 * touches the page (a tablet's browser; the kiosk window is allowed by its host), it asks for a tap: any tap on the
 * panel enables sound. Its data attributes say what is playing, for tests.
 */
export function AlertSound() {
  const ready = useAppState((s) => s.hubVersion !== null);
  const alerts = useAppState((s) => s.alerts);
  const mutedUntil = useAppState((s) => s.soundMutedUntil);
  const settings = useSoundSettings();
  const [state, setState] = useState<PlayerState>(IDLE);
  const player = useRef<AlertSoundPlayer | null>(null);

  useEffect(() => {
    const created = new AlertSoundPlayer(new HtmlAudioOutput(soundUrl), {
      now: () => Date.now() + appStore.getState().clockOffsetMs,
      onChange: setState,
      onError: (sound, error) => console.warn(`Alert sound "${sound}" failed`, error),
    });
    player.current = created;
    created.probe();
    // Any touch counts: the browser allows sound after it, and the panel should not need two. Not pointerdown: a
    // finger's pointerdown does not yet count as a user gesture; its pointerup does.
    const unlock = () => created.unlock();
    document.addEventListener('pointerup', unlock, true);
    document.addEventListener('keydown', unlock, true);
    return () => {
      document.removeEventListener('pointerup', unlock, true);
      document.removeEventListener('keydown', unlock, true);
      created.dispose();
      player.current = null;
    };
  }, []);

  useEffect(() => {
    // Alerts already open before the first snapshot are not "new": wait for it.
    if (ready) player.current?.update({ alerts, settings, mutedUntil });
  }, [ready, alerts, settings, mutedUntil]);

  return (
    <div
      class="alert-sound"
      data-testid="alert-sound"
      data-playing={state.playing?.sound ?? ''}
      data-level={state.playing?.level ?? ''}
      data-plays={state.plays}
      data-plays-info={state.playsByLevel.info}
      data-plays-warning={state.playsByLevel.warning}
      data-plays-critical={state.playsByLevel.critical}
      data-blocked={state.blocked ? 'true' : 'false'}
    >
      {state.blocked && (
        <button type="button" class="sound-unlock" data-testid="sound-unlock" onClick={() => player.current?.unlock()}>
          Tap to enable sound
          <span class="sound-unlock-why">This browser keeps alerts silent until someone touches the screen.</span>
        </button>
      )}
    </div>
  );
}
