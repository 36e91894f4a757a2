import { useEffect, useState } from 'preact/hooks';
import { ConnectionState } from '../../../src-shared/enums';
import type { CameraSummary } from '../../../src-shared/mjpeg/camera-model';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { navigate } from '../../routes';
import { useAppState } from '../../store';
import { RecordingsButton } from '../video/RecordingsButton';
import { CameraStream } from './CameraStream';
import './camera.css';

// 'active' is how the integrations word a movement state in motion (ZoneMinder's gateway, Home Assistant's converters).
const MOTION_VALUES = new Set(['on', 'active', 'detected', 'motion', 'true']);

/** Every camera in a grid with its name and, when it has one, its motion state, kept live from status deltas. */
export function CamerasScreen() {
  const bridge = useBridge();
  const [cameras, setCameras] = useState<CameraSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Opened by its address, the view mounts before the page has connected: it asks once the hub can answer.
  const connected = useAppState((s) => s.connection === ConnectionState.CONNECTED.value);
  useEffect(() => {
    if (!connected) return;
    let current = true;
    setError(null);
    bridge.invoke('camera.list', {}).then(
      (list) => current && setCameras(list),
      (e: unknown) => current && setError(errorMessage(e)),
    );
    const unsubscribe = bridge.on('status.changed', ({ states }) => {
      setCameras((list) => {
        if (!list) return list;
        let changed = false;
        const next = list.map((camera) => {
          const delta = camera.motion && states.find((s) => s.stateId === camera.motion!.stateId);
          if (!delta || !camera.motion || delta.value === camera.motion.value) return camera;
          changed = true;
          return { ...camera, motion: { stateId: camera.motion.stateId, value: delta.value } };
        });
        return changed ? next : list;
      });
    });
    return () => {
      current = false;
      unsubscribe();
    };
  }, [bridge, connected]);

  return (
    <section class="cameras-screen" data-testid="cameras-screen" aria-label="Cameras">
      <div class="cameras-screen-head">
        <button type="button" class="secondary" data-testid="cameras-back" onClick={() => navigate({ name: 'home' })}>
          ← Plan
        </button>
        <h2>Cameras</h2>
        {cameras !== null && cameras.length > 0 && <RecordingsButton cameraEntityIds={[]} title="Recordings of every camera" />}
      </div>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {cameras?.length === 0 && <p class="muted">No cameras yet. Cameras come from an integration such as Home Assistant.</p>}
      <ul class="camera-grid">
        {cameras?.map((camera) => {
          const motion = camera.motion ? MOTION_VALUES.has((camera.motion.value ?? '').toLowerCase()) : null;
          return (
            <li key={camera.entityId} class="camera-tile" data-testid="camera-tile" data-entity-id={camera.entityId}>
              <h3>
                <span data-testid="camera-name">{camera.name}</span>
                {motion !== null && (
                  <span class="camera-motion" data-testid="camera-motion" data-motion={String(motion)}>
                    {motion ? 'Motion' : 'No motion'}
                  </span>
                )}
              </h3>
              <CameraStream entityId={camera.entityId} label={camera.name} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
