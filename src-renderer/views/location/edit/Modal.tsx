import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

interface ModalProps {
  title: string;
  testId: string;
  onClose(): void;
  children: ComponentChildren;
  /** Kept in view below the (scrolling) body. */
  actions?: ComponentChildren;
}

export function Modal({ title, testId, onClose, children, actions }: ModalProps) {
  return (
    <div class="dialog-backdrop edit-dialog-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="dialog edit-dialog" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <div class="dialog-header">
          <h2>{title}</h2>
          <button type="button" class="icon-button" aria-label="Close" data-testid={`${testId}-close`} onClick={onClose}>
            ✕
          </button>
        </div>
        <div class="dialog-body">{children}</div>
        {actions && <div class="dialog-actions">{actions}</div>}
      </div>
    </div>
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
          <button type="button" class="secondary" data-testid={`${testId}-cancel`} onClick={onCancel}>
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
