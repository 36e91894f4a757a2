import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, expect, test } from '@playwright/test';

const repoRoot = path.resolve(__dirname, '..');

/** Where the electron package keeps its binary inside a dist dir. */
function electronExecutable(distDir: string): string {
  if (process.platform === 'darwin') return path.join(distDir, 'Electron.app', 'Contents', 'MacOS', 'Electron');
  return path.join(distDir, process.platform === 'win32' ? 'electron.exe' : 'electron');
}

function findElectron(): { executablePath: string } | { skipReason: string } {
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!distDir) return { skipReason: 'Electron e2e skipped: no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH)' };
  const executablePath = electronExecutable(distDir);
  if (!existsSync(executablePath)) return { skipReason: `Electron e2e skipped: no Electron binary at ${executablePath} (from ELECTRON_OVERRIDE_DIST_PATH)` };
  return { executablePath };
}

test('the Electron window shows the app from app:// through a narrow, sandboxed bridge', async () => {
  const electron = findElectron();
  if ('skipReason' in electron) {
    console.log(electron.skipReason);
    test.skip(true, electron.skipReason);
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-e2e-electron-'));
  // A stored attachment and a file panels must never read, both in the data dir.
  mkdirSync(path.join(dataDir, 'files'), { recursive: true });
  writeFileSync(path.join(dataDir, 'files', 'probe.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dataDir, 'files', 'probe.pdf'), '%PDF-1.4\n%%EOF\n');
  // Chromium refuses to start as root with its sandbox on (containers, CI).
  const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const app = await _electron.launch({ executablePath: electron.executablePath, args: ['.', '--data-dir', dataDir, '--port', '0', ...rootArgs], cwd: repoRoot });
  try {
    const page = await app.firstWindow();
    await expect(page.locator('[data-testid="app-shell"]')).toBeVisible();
    expect(page.url()).toMatch(/^app:\/\/panel\//);
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as { hi: object }).hi))).toEqual(['invoke', 'on']);
    expect(await page.evaluate(() => typeof require)).toBe('undefined');

    const fetched = await page.evaluate(async () => {
      const answer = async (url: string) => {
        const response = await fetch(url);
        return { status: response.status, csp: response.headers.get('content-security-policy'), nosniff: response.headers.get('x-content-type-options') };
      };
      return {
        page: await answer('index.html'),
        svg: await answer('data/files/probe.svg'),
        pdf: await answer('data/files/probe.pdf'),
        secret: await answer('data/secret.key'),
        database: await answer('data/home-information.sqlite'),
        traversal: await answer('data/files/..%2f..%2fsecret.key'),
      };
    });
    expect(fetched.page).toMatchObject({ status: 200, nosniff: 'nosniff' });
    expect(fetched.page.csp).toContain("script-src 'self'");
    expect(fetched.svg).toMatchObject({ status: 200, nosniff: 'nosniff' });
    expect(fetched.svg.csp).toMatch(/(^|;\s*)sandbox(;|$)/);
    expect(fetched.pdf.status).toBe(200);
    expect(fetched.pdf.csp).toBe(fetched.page.csp);
    for (const refused of [fetched.secret, fetched.database, fetched.traversal]) expect(refused.status).toBe(404);

    // No second window, whatever the page asks for: window.open answers null when main denies it.
    const openWindow = (url: string) => page.evaluate((target) => (globalThis as unknown as { open(url: string): unknown }).open(target) === null, url);
    expect(await openWindow('data/files/probe.pdf')).toBe(true);
    expect(await openWindow('https://example.com/')).toBe(true);
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
