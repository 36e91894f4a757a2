import path from 'node:path';

/** Folders of the data dir that panels may read: sanitised plans, attachments and their thumbnails. */
const READABLE_FOLDERS = new Set(['locations', 'files', 'files/thumbnails']);

/** The kinds of file the hub stores for panels; anything else in those folders is not served. */
const DATA_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
};

/** A stored file opened on its own must not run anything, even if a sanitiser missed something. */
export const DATA_FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";

export interface DataFileAnswer {
  /** Absolute path inside the data dir. */
  file: string;
  contentType: string;
  /** The CSP to send with it; null for PDFs, whose viewer does not run in a sandboxed document (and runs no page script). */
  csp: string | null;
}

/**
 * The one rule for which stored files a panel may read, used by both hosts (the panel server's `/data/…` and the
 * window's `app://` protocol). `relative` is the decoded path after the `data/` prefix; null means "not found".
 */
export function resolveDataFile(dataDir: string, relative: string): DataFileAnswer | null {
  const folder = path.posix.dirname(relative);
  const name = path.posix.basename(relative);
  if (!READABLE_FOLDERS.has(folder) || !/^[\w.-]+$/.test(name) || name.startsWith('.')) return null;
  const extension = path.posix.extname(name).toLowerCase();
  const contentType = DATA_CONTENT_TYPES[extension];
  if (!contentType) return null;
  return { file: path.join(dataDir, ...folder.split('/'), name), contentType, csp: extension === '.pdf' ? null : DATA_FILE_CSP };
}
