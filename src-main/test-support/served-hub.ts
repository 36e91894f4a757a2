import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PanelServer } from '../server/panel-server';
import { createTestHub, makeTempDir, type TestHub } from './test-hub';

export interface ServedHub {
  t: TestHub;
  server: PanelServer;
  url: string;
  /** The renderer folder the server serves: an index.html and whatever `prepare` put there. */
  staticDir: string;
  /** Stops the server and the hub and removes both folders. */
  close(): Promise<void>;
}

/** A test hub behind a real panel server on 127.0.0.1, serving a minimal renderer folder. */
export async function serveTestHub(prepare: (staticDir: string) => void = () => undefined): Promise<ServedHub> {
  const t = await createTestHub();
  const staticDir = makeTempDir('hi-static-');
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>panel</title>');
  prepare(staticDir);
  const server = new PanelServer({ hub: t.hub, host: '127.0.0.1', port: 0, staticDir });
  const url = await server.listen();
  return {
    t,
    server,
    url,
    staticDir,
    async close() {
      await server.close();
      await t.close();
      rmSync(staticDir, { recursive: true, force: true });
    },
  };
}
