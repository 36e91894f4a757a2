/**
 * The one Content-Security-Policy of the app, for the kiosk window (`app://`) and browser panels (the panel server),
 * sent as a header by both hosts: nothing remote, and nothing inline but the scripts named by their hashes (the
 * page's early connection; see src-main/host/page-policy.ts). Frames are the app's own documents only: the in-app
 * viewer shows a stored PDF in an iframe, and that PDF (served under this same policy) may be framed by the app and
 * by nobody else.
 */
export function contentSecurityPolicy(inlineScriptHashes: readonly string[] = []): string {
  return [
    "default-src 'self'",
    ["script-src 'self'", ...inlineScriptHashes.map((hash) => `'${hash}'`)].join(' '),
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** The policy with no inline script at all, for everything but the page. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();
