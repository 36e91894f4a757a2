import { useState } from 'preact/hooks';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { useAppState } from '../../store';
import { LockIcon } from './LockIcon';

/** "Lock now" in the header, once a PIN is set. */
export function LockButton() {
  const bridge = useBridge();
  const pinSet = useAppState((s) => s.consoleStatus?.pinSet ?? false);
  const applyConsoleStatus = useAppState((s) => s.applyConsoleStatus);
  const [error, setError] = useState<string | null>(null);
  if (!pinSet) return null;
  const lock = async () => {
    setError(null);
    try {
      applyConsoleStatus(await bridge.invoke('console.lock', {}));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <button type="button" class="icon-button" data-testid="console-lock" aria-label="Lock the panel" title={error ?? 'Lock the panel'} onClick={() => void lock()}>
      <LockIcon />
    </button>
  );
}
