import { useState } from 'preact/hooks';
import { EntityIcon } from '../../../components/entity-icons';
import { formatDate, useHomeTimezone } from '../../../components/format';
import { useHubQuery } from '../../../components/use-hub-query';
import { useAppState } from '../../../store';
import { useEditCall } from './edit-call';
import { Modal } from './Modal';

/** Archived entities, newest edits first as the hub orders them, each with a way back onto the plan. */
export function ArchivePanel({ onClose }: { onClose(): void }) {
  const revision = useAppState((s) => s.homeRevision);
  const zone = useHomeTimezone();
  const archived = useHubQuery('entity.archived.list', {}, revision);
  const run = useEditCall();
  const [restoring, setRestoring] = useState<number | null>(null);

  const restore = async (entityId: number) => {
    setRestoring(entityId);
    await run('entity.restore', { entityId });
    setRestoring(null);
  };

  return (
    <Modal title="Archive" testId="archive-panel" onClose={onClose}>
      {archived.error && (
        <p class="field-error" role="alert">
          {archived.error}
        </p>
      )}
      {archived.data === null ? (
        !archived.error && <p class="muted">Loading…</p>
      ) : archived.data.length === 0 ? (
        <p class="muted" data-testid="archive-empty">
          Nothing is archived.
        </p>
      ) : (
        <ul class="edit-list">
          {archived.data.map((entity) => (
            <li key={entity.id} data-testid={`archived-entity-${entity.id}`}>
              <EntityIcon type={entity.type} />
              <span class="grow">
                {entity.name}
                <span class="muted"> · archived {formatDate(entity.archivedAt, zone)}</span>
              </span>
              <button type="button" data-testid={`restore-entity-${entity.id}`} disabled={restoring !== null} onClick={() => void restore(entity.id)}>
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
