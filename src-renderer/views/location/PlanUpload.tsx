import { useEffect, useRef, useState } from 'preact/hooks';
import type { Bridge } from '../../bridge';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { UploadCancelledError, useCancellableUpload } from '../../components/upload';
import { appStore, selectIsEditing } from '../../store';

/**
 * Puts an uploaded drawing on a location. A panel that is not editing enters edit mode for this one change and
 * leaves it again, so a plan can be added from the plan itself; when another panel is editing, the hub says so.
 */
export async function applyPlan(bridge: Bridge, locationId: number, uploadId: string): Promise<{ removed: string[] }> {
  const wasEditing = selectIsEditing(appStore.getState());
  try {
    if (!wasEditing) await bridge.invoke('edit.begin', {});
  } catch (error) {
    await bridge.invoke('file.upload.cancel', { uploadId }).catch(() => undefined);
    throw error;
  }
  try {
    return await bridge.invoke('location.background.set', { locationId, uploadId });
  } finally {
    if (!wasEditing) await bridge.invoke('edit.end', {});
    appStore.getState().homeChanged();
  }
}

type Outcome = { kind: 'error'; message: string } | { kind: 'cancelled' } | { kind: 'done'; removed: string[] };

interface PlanUploadProps {
  /** The location that gets the drawing; a function when it is made only once the file is in (the first run). */
  locationId: number | (() => Promise<number>);
  label: string;
  /** Prefix of the test ids: `<prefix>-upload` is the file input, then `-progress`, `-cancel`, `-error`, `-cancelled`, `-removed`. */
  testIdPrefix: string;
  /** What the hub removed from the drawing is shown here; false where the plan itself shows the result. */
  showRemoved?: boolean;
}

/**
 * An SVG floor plan upload with progress and a Cancel button: the hub sanitises the drawing and says what it removed,
 * or why it refused it; a cancelled upload leaves nothing behind.
 */
export function PlanUpload({ locationId, label, testIdPrefix: prefix, showRemoved = true }: PlanUploadProps) {
  const bridge = useBridge();
  const { progress, upload, cancel } = useCancellableUpload(bridge);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const uploadPlan = async (file: File) => {
    setBusy(true);
    setOutcome(null);
    try {
      const uploadId = await upload(file);
      const id = typeof locationId === 'number' ? locationId : await locationId();
      const { removed } = await applyPlan(bridge, id, uploadId);
      setOutcome({ kind: 'done', removed });
    } catch (e) {
      const failed: Outcome = e instanceof UploadCancelledError ? { kind: 'cancelled' } : { kind: 'error', message: errorMessage(e) };
      // The first run's screen is gone once its home exists: the plan's banner says what went wrong instead.
      if (!mounted.current && failed.kind === 'error') appStore.getState().showEditError(failed.message);
      setOutcome(failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="background-upload">
      <label class={busy ? 'file-button disabled' : 'file-button'}>
        <input
          type="file"
          accept=".svg,image/svg+xml"
          data-testid={`${prefix}-upload`}
          disabled={busy}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            // Cleared so that choosing the same file again uploads again.
            e.currentTarget.value = '';
            if (file) void uploadPlan(file);
          }}
        />
        {label}
      </label>
      {progress && (
        <>
          <span role="status" data-testid={`${prefix}-progress`}>
            Uploading… {Math.round((progress.total > 0 ? progress.sent / progress.total : 1) * 100)}%
          </span>
          <button type="button" class="secondary" data-testid={`${prefix}-cancel`} onClick={cancel}>
            Cancel
          </button>
        </>
      )}
      {busy && !progress && <span role="status">Putting the drawing in place…</span>}
      {outcome?.kind === 'cancelled' && (
        <p class="muted" role="status" data-testid={`${prefix}-cancelled`}>
          Upload cancelled. Nothing was kept.
        </p>
      )}
      {outcome?.kind === 'error' && (
        <p class="field-error" role="alert" data-testid={`${prefix}-error`}>
          {outcome.message}
        </p>
      )}
      {showRemoved && outcome?.kind === 'done' && (
        <div class="background-removed" data-testid={`${prefix}-removed`}>
          {outcome.removed.length === 0 ? (
            <p>The drawing is in place, exactly as uploaded.</p>
          ) : (
            <>
              <p>The drawing is in place. For safety, these parts were removed from it:</p>
              <ul>
                {outcome.removed.map((what, index) => (
                  <li key={index}>{what}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}

/** Over a plan that has no drawing yet: says so and offers the upload, in edit mode or not. */
export function NoPlanPrompt({ locationId }: { locationId: number }) {
  return (
    <div class="plan-upload-prompt" data-testid="plan-no-background">
      <p>No floor plan drawing yet.</p>
      <PlanUpload locationId={locationId} label="Upload a plan (SVG)…" testIdPrefix="plan" showRemoved={false} />
    </div>
  );
}
