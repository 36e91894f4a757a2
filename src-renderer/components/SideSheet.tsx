import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { returnFocus } from './ModalDialog';

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

/** A modal dialog or the lock screen is in front: its own Esc is meant for it. */
const somethingModalIsOpen = () => document.querySelector('dialog[open], [aria-modal="true"]') !== null;

/**
 * A panel along the right edge, over the plan but leaving most of it visible: details, collections. Not modal (the
 * plan stays usable beside it), so it keeps no focus trap, but it takes the focus when it opens, closes on Esc, and
 * gives the focus back to what opened it (a plan item, a collection member).
 */
export function SideSheet({ testId, closeTestId, label, header, onClose, children }: SideSheetProps) {
  const sheet = useRef<HTMLElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const element = sheet.current;
    if (!element) return;
    const opener = document.activeElement;
    element.focus({ preventScroll: true });
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || somethingModalIsOpen()) return;
      event.preventDefault();
      onCloseRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      returnFocus(opener, element);
    };
  }, []);

  return (
    <aside ref={sheet} class="side-sheet" data-testid={testId} aria-label={label} tabIndex={-1}>
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
