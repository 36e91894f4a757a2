import { useEffect, useState } from 'preact/hooks';
import type { AlertView } from '../../../src-shared/model/alert';
import { useBridge } from '../../bridge-context';
import { useAppState } from '../../store';
import { CameraStream } from '../camera/CameraStream';
import './video.css';

const NO_CAMERAS: ReadonlySet<number> = new Set();

/** The camera an alert is about: its newest alarm's first, then the alert's own items; null when none has video. */
export function cameraOfAlert(alert: Pick<AlertView, 'entityIds' | 'alarms'>, cameraIds: ReadonlySet<number>): number | null {
  for (const id of [...alert.alarms.flatMap((alarm) => alarm.entityIds), ...alert.entityIds]) if (cameraIds.has(id)) return id;
  return null;
}

/** The ids of every item with a video stream, asked while `enabled` (an alert is open) and again when the home changes. */
export function useCameraIds(enabled: boolean): ReadonlySet<number> {
  const bridge = useBridge();
  const homeRevision = useAppState((s) => s.homeRevision);
  const [ids, setIds] = useState<ReadonlySet<number>>(NO_CAMERAS);
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    bridge.invoke('camera.list', {}).then(
      (cameras) => current && setIds(new Set(cameras.map((c) => c.entityId))),
      (error: unknown) => console.warn('Could not list the cameras for the alert banner', error),
    );
    return () => {
      current = false;
    };
  }, [bridge, enabled, homeRevision]);
  return ids;
}

/** A small live picture of the camera an alert is about, inside its banner; it stops when the banner goes. */
export function AlertLiveView({ entityId, label }: { entityId: number; label: string }) {
  return (
    <div class="alert-live" data-testid="alert-live" data-entity-id={entityId}>
      <CameraStream entityId={entityId} label={label} />
    </div>
  );
}
