import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { PanelServerProcess } from './panel-server-process';

interface Fixtures {
  /** A panel server on a fresh, empty data dir, stopped and removed after the test. */
  server: PanelServerProcess;
}

export const test = base.extend<Fixtures>({
  // Playwright needs an object pattern here even when the fixture depends on nothing.
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-e2e-'));
    const server = new PanelServerProcess(dataDir);
    await server.start(0);
    try {
      await use(server);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';
