import { useEffect } from 'preact/hooks';
import { clearEditError, useEditFeedback } from './edit-call';

const SHOW_MS = 8_000;

export function EditErrorBanner() {
  const message = useEditFeedback((s) => s.message);
  const seq = useEditFeedback((s) => s.seq);
  useEffect(() => {
    if (message === null) return;
    const timer = setTimeout(clearEditError, SHOW_MS);
    return () => clearTimeout(timer);
  }, [message, seq]);
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
