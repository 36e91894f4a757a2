import { useEffect, useRef, useState } from 'preact/hooks';
import { SecurityState } from '../../../src-shared/enums/security';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { useAppState } from '../../store';
import { HubClock } from '../../components/HubClock';
import { LockIcon } from './LockIcon';

const MAX_PIN_LENGTH = 12;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * Covers the whole panel while it is locked: the clock, the security mode (read-only: it changes after unlocking)
 * and a PIN pad. The alert banners stay above it; nothing else is rendered, so nothing else can be reached.
 */
export function LockScreen() {
  const bridge = useBridge();
  const security = useAppState((s) => s.security);
  const applyConsoleStatus = useAppState((s) => s.applyConsoleStatus);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const type = (digit: string) => {
    setError(null);
    setPin((current) => (current.length < MAX_PIN_LENGTH ? current + digit : current));
  };
  const unlock = async () => {
    if (pin === '' || busy) return;
    setBusy(true);
    try {
      applyConsoleStatus(await bridge.invoke('console.unlock', { pin }));
    } catch (e) {
      setError(errorMessage(e));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  const mode = security ? SecurityState.fromNameSafe(security.state) : null;

  return (
    <div class="lock-screen" role="dialog" aria-modal="true" aria-label="Panel locked" data-testid="lock-screen">
      <div class="lock-bar">
        <span class="lock-title">
          <LockIcon /> Locked
        </span>
        {mode && (
          <span class="lock-security" data-testid="lock-security-mode" data-state={mode.value} title={mode.description}>
            Security: {mode.label}
          </span>
        )}
      </div>
      <div class="lock-body">
        <HubClock className="lock-clock" testId="lock-clock" />
        <form
          class="lock-form"
          onSubmit={(e) => {
            e.preventDefault();
            void unlock();
          }}
        >
          <input
            ref={input}
            class="lock-pin"
            data-testid="lock-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            aria-label="PIN"
            placeholder="PIN"
            maxLength={MAX_PIN_LENGTH}
            value={pin}
            onInput={(e) => {
              setError(null);
              setPin(e.currentTarget.value.replace(/\D/g, '').slice(0, MAX_PIN_LENGTH));
            }}
          />
          <p class="lock-error" role="alert" data-testid="lock-error">
            {error ?? ''}
          </p>
          <div class="lock-pad">
            {KEYS.map((digit) => (
              <button key={digit} type="button" class="lock-key" data-testid={`lock-key-${digit}`} onClick={() => type(digit)}>
                {digit}
              </button>
            ))}
            <button type="button" class="lock-key secondary" aria-label="Delete" data-testid="lock-key-delete" onClick={() => setPin((p) => p.slice(0, -1))}>
              ⌫
            </button>
            <button type="button" class="lock-key" data-testid="lock-key-0" onClick={() => type('0')}>
              0
            </button>
            <button type="submit" class="lock-key lock-unlock" data-testid="lock-unlock" disabled={pin === '' || busy}>
              Unlock
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
