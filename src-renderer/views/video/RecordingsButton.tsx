import { useState } from 'preact/hooks';
import { VideoBrowserDialog } from './VideoBrowser';

/** "Recordings": opens the video event browser for these cameras (empty: every camera). */
export function RecordingsButton({ cameraEntityIds, title }: { cameraEntityIds: readonly number[]; title: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="secondary" data-testid="recordings-open" onClick={() => setOpen(true)}>
        Recordings
      </button>
      {open && <VideoBrowserDialog cameraEntityIds={cameraEntityIds} title={title} onClose={() => setOpen(false)} />}
    </>
  );
}
