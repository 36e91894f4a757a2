import { useState } from 'preact/hooks';
import { useBridge } from '../../../bridge-context';
import { errorMessage } from '../../../components/format';
import { appStore, selectIsEditing, useAppState } from '../../../store';

/** The header's Edit / Done button; shown once there is a home to edit. */
export function EditToggle() {
  const bridge = useBridge();
  const editing = useAppState(selectIsEditing);
  const hasHome = useAppState((s) => (s.locations?.length ?? 0) > 0);
  const elsewhere = useAppState((s) => s.edit.editingPanelId !== null && !selectIsEditing(s));
  const applyEdit = useAppState((s) => s.applyEdit);
  const [busy, setBusy] = useState(false);
  if (!hasHome) return null;

  const toggle = async () => {
    setBusy(true);
    try {
      applyEdit(await bridge.invoke(editing ? 'edit.end' : 'edit.begin', {}));
    } catch (error) {
      appStore.getState().showEditError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      class={editing ? 'edit-toggle editing' : 'edit-toggle secondary'}
      data-testid="edit-toggle"
      aria-pressed={editing}
      disabled={busy}
      title={elsewhere ? 'Another panel is editing the plan' : undefined}
      onClick={() => void toggle()}
    >
      {editing ? 'Done' : 'Edit'}
    </button>
  );
}
