import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { DocumentViewer } from '../DocumentViewer';

const view = (url: string, originalName: string, mimeType: string) => render(<DocumentViewer document={{ url, originalName, mimeType }} onClose={() => undefined} />);

describe('DocumentViewer', () => {
  it('shows a PDF in an unsandboxed frame, since the PDF viewer cannot run in a sandbox', () => {
    const html = view('data/files/manual.pdf', 'manual.pdf', 'application/pdf');
    expect(html).toContain('data-testid="document-viewer"');
    expect(html).toMatch(/<iframe[^>]*src="data\/files\/manual.pdf"/);
    expect(html).not.toMatch(/<iframe[^>]*sandbox/);
  });

  it('shows a photo as an image and a text file in a sandboxed frame', () => {
    expect(view('data/files/photo.jpg', 'photo.jpg', 'image/jpeg')).toMatch(/<img[^>]*src="data\/files\/photo.jpg"[^>]*alt="photo.jpg"/);
    expect(view('data/files/notes.txt', 'notes.txt', 'text/plain')).toMatch(/<iframe[^>]*\ssandbox[\s=>]/);
  });

  it('is a modal dialog with a close button named for the document, and opens no window', () => {
    const html = view('data/files/manual.pdf', 'manual.pdf', 'application/pdf');
    // A <dialog> that opens with showModal(): modal to the browser and to screen readers alike.
    expect(html).toMatch(/<dialog[^>]*aria-label="manual.pdf"[^>]*data-testid="document-viewer"/);
    expect(html).toMatch(/<button[^>]*aria-label="Close manual.pdf"[^>]*data-testid="document-viewer-close"/);
    expect(html).not.toMatch(/target="_blank"|window\.open/);
  });

  it('uses no inline styles (the CSP forbids them)', () => {
    expect(view('data/files/manual.pdf', 'manual.pdf', 'application/pdf')).not.toMatch(/style=/i);
  });
});
