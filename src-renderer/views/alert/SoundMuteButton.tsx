import { useState } from 'preact/hooks';
import type { AlertSoundStatus } from '../../../src-shared/model/alert-sound';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { SECOND_MS, useNow } from '../../components/use-now';
import { useAppState } from '../../store';

/** Drawn, not an emoji: a wall panel's browser may have no emoji font. */
function BellIcon({ muted }: { muted: boolean }) {
  return (
    <svg class="sound-mute-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" />
      <path d="M10 20.5a2 2 0 0 0 4 0" />
      {muted && <path d="M3.5 3.5l17 17" />}
    </svg>
  );
}

function minutesAndSeconds(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "🔕 14:32": mounted only while muted, so an unmuted header runs no timer. */
function MutedFor({ until }: { until: number }) {
  const offset = useAppState((s) => s.clockOffsetMs);
  const now = useNow({ unitMs: SECOND_MS, shiftMs: offset - until, stopAt: until - offset });
  const left = until - now - offset;
  // Over by this panel's clock; the hub's word that it ended is on its way.
  if (left <= 0) return <BellIcon muted={false} />;
  return (
    <>
      <BellIcon muted />
      <span class="sound-mute-left" data-testid="sound-mute-left">
        {minutesAndSeconds(left)}
      </span>
    </>
  );
}

/**
 * The header's mute: silences alert sounds on every panel for the configured minutes (the time left shows), and a
 * second tap turns sound back on. Banners still show while muted.
 */
export function SoundMuteButton() {
  const bridge = useBridge();
  const mutedUntil = useAppState((s) => s.soundMutedUntil);
  const applyAlertSound = useAppState((s) => s.applyAlertSound);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const muted = mutedUntil !== null;

  const toggle = async () => {
    setError(null);
    setBusy(true);
    try {
      const status: AlertSoundStatus = await bridge.invoke(muted ? 'alert.sound.unmute' : 'alert.sound.mute', {});
      applyAlertSound(status);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span class="sound-mute">
      <button
        type="button"
        class="icon-button sound-mute-button"
        data-testid="sound-mute"
        data-muted={muted ? 'true' : 'false'}
        aria-pressed={muted}
        aria-label={muted ? 'Alert sounds muted on every panel: tap to turn them on' : 'Mute alert sounds on every panel'}
        title={muted ? 'Alert sounds are muted on every panel. Tap to turn them back on.' : 'Mute alert sounds on every panel for a while.'}
        disabled={busy}
        onClick={() => void toggle()}
      >
        {mutedUntil !== null ? <MutedFor until={mutedUntil} /> : <BellIcon muted={false} />}
      </button>
      {error && (
        <span class="field-error sound-mute-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
