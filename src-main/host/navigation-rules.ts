import { DATA_URL_PREFIX } from '../modules/location/location-manager';
import { APP_HOST, APP_SCHEME } from './app-protocol';

/** Chromium's built-in PDF viewer (an extension), which runs inside the frame that shows a PDF. */
const PDF_VIEWER_EXTENSION_ID = 'mhjfbmdgcfjbbpaeojofohoefgiehjai';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function isOwnOrigin(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

/** The renderer's own page (`app://panel/` or `app://panel/index.html`), whatever its query or hash. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && isOwnOrigin(parsed) && (parsed.pathname === '/' || parsed.pathname === '/index.html');
}

/** A stored document or image (`app://panel/data/…`), which the in-app viewer shows in a frame. */
export function isDataFileUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && isOwnOrigin(parsed) && parsed.pathname.startsWith(`/${DATA_URL_PREFIX}/`);
}

function isPdfViewerUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === 'chrome-extension:' && parsed.host === PDF_VIEWER_EXTENSION_ID;
}

export interface NavigationRequest {
  url: string;
  isMainFrame: boolean;
}

export type NavigationDecision = { allow: true } | { allow: false; reason: string };

/**
 * will-navigate, will-redirect and will-frame-navigate: the window only ever shows the app's own page; a frame
 * inside it may show the app, a stored document (the viewer) or the PDF viewer that document brings. Anything else
 * (a link in a note, a redirect, a page script) is refused: a touch user has no back button.
 */
export function decideNavigation(request: NavigationRequest): NavigationDecision {
  if (isAppUrl(request.url)) return { allow: true };
  if (request.isMainFrame) return { allow: false, reason: `the window shows only the app, not ${request.url}` };
  if (isDataFileUrl(request.url)) return { allow: true };
  if (isPdfViewerUrl(request.url)) return { allow: true };
  return { allow: false, reason: `a frame may show only the app's own documents, not ${request.url}` };
}

/**
 * setWindowOpenHandler: no second window, ever. A kiosk window has no title bar to close it with; documents open in
 * the in-app viewer instead. The answer says why, for the log.
 */
export function decideWindowOpen(url: string): { action: 'deny'; reason: string } {
  return {
    action: 'deny',
    reason: isDataFileUrl(url) ? `documents open in the in-app viewer, not a window (${url})` : `the app opens no windows (${url})`,
  };
}

/** will-download: nothing is saved from the panel; a save dialog on a wall panel has nobody to answer it. */
export function decideDownload(url: string): { allow: false; reason: string } {
  return { allow: false, reason: `the panel saves no files (${url})` };
}
