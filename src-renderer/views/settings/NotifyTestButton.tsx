import { useState } from 'preact/hooks';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';

/** The subsystem of the E-mail settings (src-main/modules/notify/settings.ts), under which the button shows. */
export const NOTIFY_SUBSYSTEM = 'notify';

/** "Send test e-mail" under the E-mail settings: sends with the saved settings and shows the server's answer. */
export function NotifyTestButton() {
  const bridge = useBridge();
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);

  const send = async () => {
    setSending(true);
    setResult(null);
    try {
      setResult(await bridge.invoke('notify.test', {}));
    } catch (e) {
      setResult({ ok: false, message: errorMessage(e) });
    } finally {
      setSending(false);
    }
  };

  return (
    <div class="form-actions" data-testid="notify-test">
      <button type="button" class="secondary" data-testid="notify-test-send" disabled={sending} onClick={() => void send()}>
        {sending ? 'Sending…' : 'Send test e-mail'}
      </button>
      {result && (
        <p class={result.ok ? 'test-result ok' : 'test-result failed'} role="status" data-testid="notify-test-result" data-ok={result.ok ? 'true' : 'false'}>
          {result.message}
        </p>
      )}
    </div>
  );
}
