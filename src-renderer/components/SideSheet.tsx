import type { ComponentChildren } from 'preact';

interface SideSheetProps {
  testId: string;
  closeTestId: string;
  /** Accessible name of the sheet. */
  label: string;
  /** What the sheet's header shows left of the close button. */
  header: ComponentChildren;
  onClose(): void;
  children: ComponentChildren;
}

/** A panel along the right edge, over the plan but leaving most of it visible: details, collections. */
export function SideSheet({ testId, closeTestId, label, header, onClose, children }: SideSheetProps) {
  return (
    <aside class="side-sheet" data-testid={testId} aria-label={label}>
      <div class="side-sheet-header">
        <div class="side-sheet-title">{header}</div>
        <button type="button" class="icon-button" aria-label={`Close ${label}`} data-testid={closeTestId} onClick={onClose}>
          ✕
        </button>
      </div>
      <div class="side-sheet-body">{children}</div>
    </aside>
  );
}
