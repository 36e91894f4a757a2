import { useEffect, useRef, useState } from 'preact/hooks';
import { SecurityState } from '../../../src-shared/enums/security';
import type { SecurityStatus } from '../../../src-shared/model/security';
import { useBridge } from '../../bridge-context';
import { errorMessage, formatTime, useHomeTimezone } from '../../components/format';
import { SECOND_MS, useNow } from '../../components/use-now';
import { useAppState } from '../../store';

/** "Alarms held 4:32": mounted only while a hold runs, so an idle header has no timer. */
function HoldCountdown({ hold }: { hold: NonNullable<SecurityStatus['hold']> }) {
  const offset = useAppState((s) => s.clockOffsetMs);
  // Redrawn as the shown second turns over, and no more once it reads 0:00 (the hub's word that it ended follows).
  const now = useNow({ unitMs: SECOND_MS, shiftMs: offset - hold.until, stopAt: hold.until - offset });
  const left = Math.max(0, Math.ceil((hold.until - now - offset) / 1000));
  const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return (
    <span class="security-hold" data-testid="security-hold" data-reason={hold.reason}>
      {hold.reason === 'away' ? `Leaving ${text}` : `Snoozed ${text}`}
    </span>
  );
}

/** The security mode in the header: shows it, and opens a menu of modes and Snooze. */
export function SecurityModeSwitch() {
  const bridge = useBridge();
  const status = useAppState((s) => s.security);
  const applySecurityChanged = useAppState((s) => s.applySecurityChanged);
  const zone = useHomeTimezone();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    document.addEventListener('keydown', closeOnEscape);
    return () => {
      document.removeEventListener('pointerdown', closeOutside);
      document.removeEventListener('keydown', closeOnEscape);
    };
  }, [open]);

  if (!status) return null;
  const state = SecurityState.fromNameSafe(status.state);
  const run = async (request: () => Promise<SecurityStatus>) => {
    setError(null);
    try {
      applySecurityChanged(await request());
      setOpen(false);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div class="security-switch" ref={root}>
      <button
        type="button"
        class="security-mode"
        data-testid="security-mode"
        data-state={state.value}
        aria-haspopup="menu"
        aria-expanded={open}
        title={state.description}
        onClick={() => setOpen(!open)}
      >
        {state.label}
        {status.hold && <HoldCountdown hold={status.hold} />}
      </button>
      {open && (
        <div class="security-menu" role="menu" data-testid="security-menu">
          {SecurityState.members.map((member) => (
            <button
              key={member.value}
              type="button"
              role="menuitemradio"
              aria-checked={member === state}
              data-testid={`security-set-${member.value}`}
              data-state={member.value}
              onClick={() => void run(() => bridge.invoke('security.set', { state: member.value }))}
            >
              <strong>{member.label}</strong>
              <span class="muted">{member.description}</span>
            </button>
          ))}
          {state !== SecurityState.DISABLED && (
            <button type="button" role="menuitem" data-testid="security-snooze" onClick={() => void run(() => bridge.invoke('security.snooze', {}))}>
              <strong>Snooze</strong>
              <span class="muted">Hold new alarms for a while.</span>
            </button>
          )}
          {status.nextSwitch && (
            <p class="muted security-next" data-testid="security-next">
              {SecurityState.fromNameSafe(status.nextSwitch.state).label} at {formatTime(status.nextSwitch.at, zone)}
            </p>
          )}
          {error && (
            <p class="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
