import { useEffect, useRef } from 'preact/hooks';
import { createPortal } from 'preact/compat';
import type { StoredFileView } from '../../src-shared/model/attribute';
import './document-viewer.css';

export type ViewedDocument = Pick<StoredFileView, 'url' | 'originalName' | 'mimeType'>;

interface DocumentViewerProps {
  document: ViewedDocument;
  onClose(): void;
}

/**
 * A stored document (a PDF manual, a photo, a text file) over the whole app, with a large close button top-right;
 * Esc closes it too. Documents never open in a window of their own: on the wall panel nobody could close it.
 */
export function DocumentViewer({ document: shown, onClose }: DocumentViewerProps) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Focus on the close button so that Esc (and a keyboard) work at once, before anything is tapped.
    closeButton.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const image = shown.mimeType.startsWith('image/');
  const pdf = shown.mimeType === 'application/pdf';
  return (
    <div class="document-viewer" role="dialog" aria-modal="true" aria-label={shown.originalName} data-testid="document-viewer">
      <header class="document-viewer-header">
        <span class="document-viewer-title">{shown.originalName}</span>
        <button ref={closeButton} type="button" class="document-viewer-close" aria-label={`Close ${shown.originalName}`} data-testid="document-viewer-close" onClick={onClose}>
          ✕
        </button>
      </header>
      <div class="document-viewer-body">
        {image ? (
          <img class="document-viewer-image" src={shown.url} alt={shown.originalName} data-testid="document-viewer-image" />
        ) : (
          // The PDF viewer cannot run in a sandboxed frame; other documents are sandboxed twice (their CSP, and here).
          <iframe
            class="document-viewer-frame"
            src={shown.url}
            title={shown.originalName}
            referrerpolicy="no-referrer"
            sandbox={pdf ? undefined : ''}
            data-testid="document-viewer-frame"
          />
        )}
      </div>
    </div>
  );
}

/** The viewer, rendered at the end of the body: nothing the app draws (a filtered, stale view) can clip it. */
export function DocumentViewerOverlay(props: DocumentViewerProps) {
  return createPortal(<DocumentViewer {...props} />, document.body);
}
