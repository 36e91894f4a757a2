import { createPortal } from 'preact/compat';
import type { StoredFileView } from '../../src-shared/model/attribute';
import { ModalDialog } from './ModalDialog';
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
  const image = shown.mimeType.startsWith('image/');
  const pdf = shown.mimeType === 'application/pdf';
  return (
    <ModalDialog className="document-viewer" label={shown.originalName} testId="document-viewer" onClose={onClose}>
      <header class="document-viewer-header">
        <span class="document-viewer-title">{shown.originalName}</span>
        {/* Focused first: Enter closes it before anything is tapped. */}
        <button type="button" class="document-viewer-close" aria-label={`Close ${shown.originalName}`} data-testid="document-viewer-close" data-autofocus onClick={onClose}>
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
    </ModalDialog>
  );
}

/** The viewer, rendered at the end of the body: nothing the app draws (a filtered, stale view) can clip it. */
export function DocumentViewerOverlay(props: DocumentViewerProps) {
  return createPortal(<DocumentViewer {...props} />, document.body);
}
