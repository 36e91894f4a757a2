import { useState } from 'preact/hooks';
import { newPinSchema } from '../../../src-shared/model/console';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { useAppState } from '../../store';

function PinField({ id, label, value, onInput }: { id: string; label: string; value: string; onInput(value: string): void }) {
  return (
    <label class="pin-field">
      <span>{label}</span>
      <input
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={12}
        data-testid={id}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value.replace(/\D/g, ''))}
      />
    </label>
  );
}

/** Settings → System: set, change or remove the lock PIN. Only the hub itself may; the hub holds only a hash. */
export function PinSettings() {
  const bridge = useBridge();
  const isLocal = useAppState((s) => s.panel?.isLocal ?? false);
  const pinSet = useAppState((s) => s.consoleStatus?.pinSet ?? false);
  const applyConsoleStatus = useAppState((s) => s.applyConsoleStatus);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (newPin: string | null) => {
    if (newPin !== null) {
      const checked = newPinSchema.safeParse(newPin);
      if (!checked.success) return setMessage({ text: checked.error.issues[0]?.message ?? 'Not a valid PIN.', error: true });
      if (newPin !== confirm) return setMessage({ text: 'The two new PINs differ.', error: true });
    }
    setBusy(true);
    try {
      applyConsoleStatus(await bridge.invoke('console.pin.set', { ...(pinSet ? { currentPin: current } : {}), newPin }));
      setMessage({ text: newPin === null ? 'The PIN was removed: the panel no longer locks.' : 'The PIN was saved.', error: false });
      setCurrent('');
      setNext('');
      setConfirm('');
    } catch (e) {
      setMessage({ text: errorMessage(e), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="settings-section" data-testid="pin-settings">
      <h2>Screen lock</h2>
      {!isLocal ? (
        <p class="muted">The PIN can be set or changed only on the hub itself.</p>
      ) : (
        <>
          <p class="muted">
            {pinSet
              ? 'A PIN is set: lock a panel from the header; every panel locks when the home goes Away.'
              : 'Set a PIN of 4 to 12 digits to lock the panels.'}
          </p>
          <div class="pin-fields">
            {pinSet && <PinField id="pin-current" label="Current PIN" value={current} onInput={setCurrent} />}
            <PinField id="pin-new" label={pinSet ? 'New PIN' : 'PIN'} value={next} onInput={setNext} />
            <PinField id="pin-confirm" label="Repeat it" value={confirm} onInput={setConfirm} />
          </div>
          <div class="pin-actions">
            <button type="button" data-testid="pin-save" disabled={busy || next === '' || (pinSet && current === '')} onClick={() => void submit(next)}>
              {pinSet ? 'Change PIN' : 'Set PIN'}
            </button>
            {pinSet && (
              <button type="button" class="secondary" data-testid="pin-clear" disabled={busy || current === ''} onClick={() => void submit(null)}>
                Remove PIN
              </button>
            )}
          </div>
          {message && (
            <p class={message.error ? 'field-error' : 'muted'} role={message.error ? 'alert' : 'status'} data-testid="pin-message">
              {message.text}
            </p>
          )}
        </>
      )}
    </section>
  );
}
