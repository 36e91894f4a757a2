/**
 * The one Content-Security-Policy of the app, for the kiosk window (`app://`) and browser panels (the panel server),
 * sent as a header by both hosts: nothing inline, nothing remote. Frames are the app's own documents only: the
 * in-app viewer shows a stored PDF in an iframe, and that PDF (served under this same policy) may be framed by the
 * app and by nobody else.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
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
