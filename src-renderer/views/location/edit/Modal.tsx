import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ModalDialog } from '../../../components/ModalDialog';

interface ModalProps {
  title: string;
  testId: string;
  onClose(): void;
  children: ComponentChildren;
  /** Kept in view below the (scrolling) body. */
  actions?: ComponentChildren;
}

/** An edit-mode dialog: modal, closed by its ✕, by Esc or by a tap beside it. */
export function Modal({ title, testId, onClose, children, actions }: ModalProps) {
  return (
    <ModalDialog className="dialog-backdrop edit-dialog-backdrop" label={title} testId={testId} onClose={onClose} closeOnBackdrop>
      <div class="dialog edit-dialog">
        <div class="dialog-header">
          <h2>{title}</h2>
          <button type="button" class="icon-button" aria-label="Close" data-testid={`${testId}-close`} onClick={onClose}>
            ✕
          </button>
        </div>
        <div class="dialog-body">{children}</div>
        {actions && <div class="dialog-actions">{actions}</div>}
      </div>
    </ModalDialog>
  );
}

interface ConfirmProps {
  title: string;
  message: string;
  confirmLabel: string;
  /** The confirm button's test id; the dialog is `<testId>-dialog`. */
  testId: string;
  onConfirm(): Promise<unknown>;
  onCancel(): void;
}

/** The second step of a destructive action. */
export function ConfirmDialog({ title, message, confirmLabel, testId, onConfirm, onCancel }: ConfirmProps) {
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={title}
      testId={`${testId}-dialog`}
      onClose={onCancel}
      actions={
        <>
          {/* The safe choice has the focus: Enter alone must not destroy anything. */}
          <button type="button" class="secondary" data-testid={`${testId}-cancel`} onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button type="button" class="danger" data-testid={testId} disabled={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <p>{message}</p>
    </Modal>
  );
}
