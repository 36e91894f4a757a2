import { useEffect } from 'preact/hooks';
import { useAppState } from '../../../store';

const SHOW_MS = 8_000;

export function EditErrorBanner() {
  const message = useAppState((s) => s.editError.message);
  const seq = useAppState((s) => s.editError.seq);
  const clearEditError = useAppState((s) => s.clearEditError);
  useEffect(() => {
    if (message === null) return;
    const timer = setTimeout(clearEditError, SHOW_MS);
    return () => clearTimeout(timer);
  }, [message, seq, clearEditError]);
  if (message === null) return null;
  return (
    <div class="edit-error" role="alert" data-testid="edit-error">
      <span>{message}</span>
      <button type="button" class="icon-button" aria-label="Dismiss" data-testid="edit-error-dismiss" onClick={clearEditError}>
        ✕
      </button>
    </div>
  );
}
