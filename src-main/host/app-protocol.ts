import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/csp';
import { parseCameraPath, type CameraMode } from '../../src-shared/mjpeg/camera-paths';
import { DATA_URL_PREFIX } from '../modules/location/location-manager';
import { resolveDataFile } from './data-file-access';

/** The kiosk window's own scheme: `app://panel/` is the renderer, `app://panel/data/…` the hub's data files. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'panel';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/`;

/**
 * How the scheme is registered before ready: standard (relative URLs, an origin of its own, storage), secure (a
 * secure context like https), fetch for the renderer's own requests, and streamed responses for media (alert sounds).
 * Deliberately not bypassCSP, corsEnabled or allowServiceWorkers.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, stream: true } as const;

/** The built renderer's file types; anything else in dist/renderer is not served. */
const RENDERER_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
};

export interface AppProtocolRoots {
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** The hub's data dir. */
  dataDir: string;
}

export interface AppRequest {
  method: string;
  url: string;
}

/** What the protocol handler sends: a file with these headers, or a refusal with a plain-text body. */
export type AppResponsePlan =
  | { kind: 'file'; file: string; status: 200; headers: Record<string, string>; bodyless: boolean }
  /** A camera's stream or snapshot, answered by the hub's camera proxy with these headers added. */
  | { kind: 'camera'; mode: CameraMode; entityId: number; eventId?: string; headers: Record<string, string>; bodyless: boolean }
  | { kind: 'refusal'; status: 400 | 404 | 405; headers: Record<string, string>; body: string };

function baseHeaders(csp: string): Record<string, string> {
  return { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
}

function refusal(status: 400 | 404 | 405, body: string, extra: Record<string, string> = {}): AppResponsePlan {
  return { kind: 'refusal', status, body, headers: { ...baseHeaders(CONTENT_SECURITY_POLICY), 'Content-Type': 'text/plain; charset=utf-8', ...extra } };
}

const notFound = () => refusal(404, 'Not found');

/** The decoded path below the origin, or null when it cannot be read as a plain path. */
function decodedPath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  return decoded.includes('\0') || decoded.includes('\\') ? null : decoded;
}

function rendererFile(rendererDir: string, pathname: string): { file: string; contentType: string } | null {
  const root = path.resolve(rendererDir);
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  // Whatever the URL parser left, the answer stays inside the renderer folder.
  if (!file.startsWith(root + path.sep)) return null;
  const contentType = RENDERER_CONTENT_TYPES[path.extname(file).toLowerCase()];
  return contentType ? { file, contentType } : null;
}

/**
 * The `app://` protocol's whole decision for one request: which file answers it, with which type and headers (the
 * app's CSP from src-shared/csp.ts, or the data file's own), or why it is refused. The Electron wiring only reads
 * the file; a file that turns out to be missing is its 404.
 */
export function planAppResponse(request: AppRequest, roots: AppProtocolRoots): AppResponsePlan {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refusal(400, 'Malformed URL');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
  if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'Method not allowed', { Allow: 'GET, HEAD' });
  const pathname = decodedPath(url.pathname);
  if (pathname === null) return refusal(400, 'Malformed URL');
  const bodyless = request.method === 'HEAD';

  const camera = parseCameraPath(pathname);
  if (camera === 'invalid') return notFound();
  if (camera !== null) return { kind: 'camera', ...camera, headers: baseHeaders(CONTENT_SECURITY_POLICY), bodyless };

  const dataPrefix = `/${DATA_URL_PREFIX}/`;
  if (pathname.startsWith(dataPrefix)) {
    const answer = resolveDataFile(roots.dataDir, pathname.slice(dataPrefix.length));
    if (!answer) return notFound();
    return {
      kind: 'file',
      file: answer.file,
      status: 200,
      bodyless,
      // PDFs get the app's own policy, as from the panel server: the PDF viewer does not run in a sandbox.
      headers: { ...baseHeaders(answer.csp ?? CONTENT_SECURITY_POLICY), 'Content-Type': answer.contentType },
    };
  }
  const found = rendererFile(roots.rendererDir, pathname);
  if (!found) return notFound();
  return { kind: 'file', file: found.file, status: 200, bodyless, headers: { ...baseHeaders(CONTENT_SECURITY_POLICY), 'Content-Type': found.contentType } };
}
