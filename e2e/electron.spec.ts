import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

test('the Electron window shows the app through a narrow, sandboxed bridge', async () => {
  const electron = findElectron();
  if ('skipReason' in electron) {
    console.log(electron.skipReason);
    test.skip(true, electron.skipReason);
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-e2e-electron-'));
  // Chromium refuses to start as root with its sandbox on (containers, CI).
  const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const app = await _electron.launch({ executablePath: electron.executablePath, args: ['.', '--data-dir', dataDir, ...rootArgs], cwd: repoRoot });
  try {
    const page = await app.firstWindow();
    await expect(page.locator('[data-testid="app-shell"]')).toBeVisible();
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as { hi: object }).hi))).toEqual(['invoke', 'on']);
    expect(await page.evaluate(() => typeof require)).toBe('undefined');
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
