import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL } from '../app-protocol';
import { decideDownload, decideNavigation, decideWindowOpen, isAppUrl, isDataFileUrl } from '../navigation-rules';

const PDF_VIEWER = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html';

describe('isAppUrl', () => {
  it('is the renderer page whatever its query or hash', () => {
    for (const url of [APP_ENTRY_URL, 'app://panel/index.html', 'app://panel/#/settings/system', 'app://panel/index.html?reload=1#/']) {
      expect(isAppUrl(url), url).toBe(true);
    }
  });

  it('is nothing else: other paths, hosts, schemes, credentials, the old file:// page', () => {
    for (const url of [
      'app://panel/data/files/manual.pdf',
      'app://panel/assets/index.js',
      'app://other/',
      'app://panel:1/',
      'app://user@panel/',
      'https://panel/',
      'file:///opt/hi/dist/renderer/index.html',
      'javascript:alert(1)',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('isDataFileUrl', () => {
  it('is a file below app://panel/data/', () => {
    expect(isDataFileUrl('app://panel/data/files/manual.pdf')).toBe(true);
    expect(isDataFileUrl('app://panel/data/locations/plan.svg')).toBe(true);
    expect(isDataFileUrl('app://panel/database/x')).toBe(false);
    expect(isDataFileUrl('http://127.0.0.1:8411/data/files/manual.pdf')).toBe(false);
  });
});

describe('decideNavigation', () => {
  it('lets the window show only the app page', () => {
    expect(decideNavigation({ url: 'app://panel/#/view/3', isMainFrame: true })).toEqual({ allow: true });
    for (const url of ['https://example.com/', 'app://panel/data/files/manual.pdf', 'file:///etc/passwd', PDF_VIEWER, 'app://panel/assets/x.js']) {
      const decision = decideNavigation({ url, isMainFrame: true });
      expect(decision.allow, url).toBe(false);
      if (!decision.allow) expect(decision.reason).toContain(url);
    }
  });

  it("lets a frame show the app's own documents and the PDF viewer they bring, and nothing else", () => {
    for (const url of ['app://panel/data/files/manual.pdf', 'app://panel/data/files/photo.jpg', PDF_VIEWER]) {
      expect(decideNavigation({ url, isMainFrame: false }), url).toEqual({ allow: true });
    }
    for (const url of ['https://example.com/', 'http://127.0.0.1:8411/', 'data:text/html,<script>1</script>', 'about:srcdoc', 'chrome-extension://abcdefgh/index.html', 'file:///etc/passwd']) {
      expect(decideNavigation({ url, isMainFrame: false }).allow, url).toBe(false);
    }
  });
});

describe('decideWindowOpen', () => {
  it('denies every window, saying why', () => {
    for (const url of ['app://panel/data/files/manual.pdf', 'https://example.com/', APP_ENTRY_URL, 'about:blank']) {
      const decision = decideWindowOpen(url);
      expect(decision.action, url).toBe('deny');
      expect(decision.reason).toContain(url);
    }
    expect(decideWindowOpen('app://panel/data/files/manual.pdf').reason).toMatch(/viewer/);
  });
});

describe('decideDownload', () => {
  it('saves nothing, not even a stored document', () => {
    for (const url of ['app://panel/data/files/manual.pdf', 'blob:app://panel/1234', 'https://example.com/setup.exe']) {
      const decision = decideDownload(url);
      expect(decision.allow, url).toBe(false);
      expect(decision.reason).toContain(url);
    }
  });
});
