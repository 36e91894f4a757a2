import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/** Marks the control a dialog focuses first (`<button data-autofocus>`), instead of its first focusable one. */
const AUTOFOCUS_ATTRIBUTE = 'data-autofocus';

type Focusable = HTMLElement | SVGElement;
const isFocusable = (element: Element | null): element is Focusable => element instanceof HTMLElement || element instanceof SVGElement;

/**
 * Gives focus back to what opened a dialog or sheet (a button, a plan item) when it goes, unless the person has
 * already moved it somewhere else (tapped another plan item).
 */
export function returnFocus(opener: Element | null, closing: Element): void {
  const active = document.activeElement;
  const focusGoesWithIt = active === null || active === document.body || closing.contains(active);
  if (focusGoesWithIt && isFocusable(opener) && opener.isConnected) opener.focus({ preventScroll: true });
}

interface ModalDialogProps {
  /** Classes of the `<dialog>` element, which covers the screen; what it shows is its children. */
  className: string;
  label: string;
  testId: string;
  onClose(): void;
  /** A tap on the dialog element itself, outside its children (the dimmed layer), closes it. */
  closeOnBackdrop?: boolean;
  children: ComponentChildren;
}

/**
 * A modal `<dialog>` (showModal): the browser keeps focus and the screen reader inside it and the rest of the app
 * inert. Focus starts on the child marked with AUTOFOCUS_ATTRIBUTE, else on the first control; Esc calls `onClose`;
 * focus returns to the opener when it unmounts. The caller closes it by unmounting it.
 */
export function ModalDialog({ className, label, testId, onClose, closeOnBackdrop = false, children }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement;
    let unmounting = false;
    const cancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    // Chromium closes a dialog itself on a repeated Esc with no tap in between, whatever the cancel handler says.
    const closedByBrowser = () => {
      if (!unmounting) onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    dialog.addEventListener('close', closedByBrowser);
    dialog.showModal();
    const first = dialog.querySelector(`[${AUTOFOCUS_ATTRIBUTE}]`);
    if (isFocusable(first)) first.focus();
    return () => {
      unmounting = true;
      dialog.removeEventListener('cancel', cancel);
      dialog.removeEventListener('close', closedByBrowser);
      if (dialog.open) dialog.close();
      returnFocus(opener, dialog);
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class={className}
      aria-label={label}
      data-testid={testId}
      onClick={closeOnBackdrop ? (e) => e.target === e.currentTarget && onClose() : undefined}
    >
      {children}
    </dialog>
  );
}
