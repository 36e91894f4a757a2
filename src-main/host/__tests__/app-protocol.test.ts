import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-shared/csp';
import { APP_ENTRY_URL, planAppResponse, type AppResponsePlan } from '../app-protocol';
import { DATA_FILE_CSP } from '../data-file-access';

const roots = { rendererDir: path.resolve('/opt/hi/dist/renderer'), dataDir: path.resolve('/var/lib/hi') };
const get = (url: string, method = 'GET'): AppResponsePlan => planAppResponse({ method, url }, roots);

function expectFile(plan: AppResponsePlan): Extract<AppResponsePlan, { kind: 'file' }> {
  if (plan.kind !== 'file') throw new Error(`expected a file, got ${JSON.stringify(plan)}`);
  return plan;
}

describe('planAppResponse', () => {
  it('answers the entry URL with the renderer index under the app CSP', () => {
    const plan = expectFile(get(APP_ENTRY_URL));
    expect(plan.file).toBe(path.join(roots.rendererDir, 'index.html'));
    expect(plan.headers).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    });
    expect(expectFile(get('app://panel/index.html?x=1#/settings')).file).toBe(plan.file);
  });

  it('serves built assets by type, and nothing of an unknown type', () => {
    const script = expectFile(get('app://panel/assets/index-abc123.js'));
    expect(script.file).toBe(path.join(roots.rendererDir, 'assets', 'index-abc123.js'));
    expect(script.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(expectFile(get('app://panel/assets/alert.mp3')).headers['Content-Type']).toBe('audio/mpeg');
    expect(get('app://panel/assets/tool.exe')).toMatchObject({ kind: 'refusal', status: 404 });
    expect(get('app://panel/assets/')).toMatchObject({ kind: 'refusal', status: 404 });
  });

  it('serves data files through the one data-file rule, with its sandbox CSP for everything but PDFs', () => {
    const plan = expectFile(get('app://panel/data/locations/plan-1.svg'));
    expect(plan.file).toBe(path.join(roots.dataDir, 'locations', 'plan-1.svg'));
    expect(plan.headers).toMatchObject({ 'Content-Type': 'image/svg+xml', 'Content-Security-Policy': DATA_FILE_CSP, 'X-Content-Type-Options': 'nosniff' });
    expect(expectFile(get('app://panel/data/files/thumbnails/t-1.webp')).headers['Content-Security-Policy']).toBe(DATA_FILE_CSP);

    const pdf = expectFile(get('app://panel/data/files/manual.pdf'));
    expect(pdf.file).toBe(path.join(roots.dataDir, 'files', 'manual.pdf'));
    expect(pdf.headers['Content-Type']).toBe('application/pdf');
    // Chromium's PDF viewer does not run in a sandboxed document: the PDF gets the app's policy instead of none.
    expect(pdf.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses data outside the readable folders and files of other types', () => {
    for (const url of [
      'app://panel/data/home-information.sqlite',
      'app://panel/data/secret.key',
      'app://panel/data/electron/Cookies',
      'app://panel/data/files/.hidden.png',
      'app://panel/data/files/script.js',
    ]) {
      expect(get(url), url).toMatchObject({ kind: 'refusal', status: 404 });
    }
  });

  it('refuses every form of path traversal', () => {
    for (const url of [
      'app://panel/data/files/..%2f..%2fsecret.key',
      'app://panel/data/files/%2e%2e/%2e%2e/secret.key',
      'app://panel/data/locations/..%5csecret.key',
      'app://panel/..%2f..%2f..%2fetc%2fpasswd',
      'app://panel/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'app://panel/assets/..%5c..%5c..%5cwindows%5cwin.ini',
      'app://panel/assets/index.js%00.png',
    ]) {
      const plan = get(url);
      expect(plan.kind, url).toBe('refusal');
      if (plan.kind !== 'refusal') continue;
      expect([400, 404], url).toContain(plan.status);
    }
  });

  it('hands camera paths to the camera proxy under the app CSP, and refuses a camera path with a bad id', () => {
    expect(get('app://panel/stream/12?panel=kiosk')).toMatchObject({ kind: 'camera', mode: 'live', entityId: 12, bodyless: false });
    expect(get('app://panel/snapshot/7', 'HEAD')).toMatchObject({ kind: 'camera', mode: 'snapshot', entityId: 7, bodyless: true });
    expect(get('app://panel/stream/12').headers).toMatchObject({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
    for (const url of ['app://panel/stream/0', 'app://panel/stream/abc', 'app://panel/stream/1/2', 'app://panel/snapshot/']) {
      expect(get(url), url).toMatchObject({ kind: 'refusal', status: 404 });
    }
  });

  it('answers only its own host and scheme, only GET and HEAD, and refuses malformed escapes', () => {
    expect(get('app://other/index.html')).toMatchObject({ kind: 'refusal', status: 404 });
    expect(get('app://panel:8080/index.html')).toMatchObject({ kind: 'refusal', status: 404 });
    expect(get('file:///opt/hi/dist/renderer/index.html')).toMatchObject({ kind: 'refusal', status: 404 });
    expect(get('not a url')).toMatchObject({ kind: 'refusal', status: 400 });
    expect(get('app://panel/%E0%A4%A')).toMatchObject({ kind: 'refusal', status: 400 });
    const post = get(APP_ENTRY_URL, 'POST');
    expect(post).toMatchObject({ kind: 'refusal', status: 405, headers: { Allow: 'GET, HEAD' } });
    expect(expectFile(get(APP_ENTRY_URL, 'HEAD')).bodyless).toBe(true);
    expect(expectFile(get(APP_ENTRY_URL)).bodyless).toBe(false);
  });

  it('sends the CSP and nosniff with refusals too', () => {
    const plan = get('app://panel/nothing.exe');
    expect(plan.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(plan.headers['X-Content-Type-Options']).toBe('nosniff');
  });
});

describe('the one CSP', () => {
  it('lives only in src-shared/csp.ts: the renderer carries no hand-copied meta tag', () => {
    const html = readFileSync(path.join(__dirname, '..', '..', '..', 'src-renderer', 'index.html'), 'utf8');
    expect(html).not.toMatch(/http-equiv\s*=\s*["']?content-security-policy/i);
  });

  it('lets the app frame its own documents and nothing else', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get('frame-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});
