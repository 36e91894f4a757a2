import path from 'node:path';
import { runHub, type StopOutcome } from './host/run-hub';
import { readRuntimeConfig, UsageError } from './runtime-config';
import { PanelServer } from './server/panel-server';
import { createLogger } from './util/log';

const log = createLogger('main');
const VERSION = process.env.npm_package_version ?? '0.1.0';

/** The panel server entry: `npm run serve -- --data-dir DIR [--host ADDR] [--port N] [--allowed-hosts NAME,ADDR]`. */
async function main(): Promise<void> {
  const runtime = readRuntimeConfig(process.argv.slice(2), process.env, {
    dataDir: path.resolve('.data'),
    version: VERSION,
  });
  const staticDir = path.join(__dirname, '..', 'renderer');
  const starting = runHub({
    hub: { runtime },
    serve: async (hub) => {
      const server = new PanelServer({ hub, host: runtime.host, port: runtime.port, staticDir });
      return { url: await server.listen(), close: () => server.close() };
    },
  });

  // A signal during the start stops the hub as soon as it is up; a second signal changes nothing.
  let stopping: Promise<StopOutcome> | undefined;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    log.info(`${signal}: shutting down`);
    stopping = starting.then((running) => running.stop(), () => 'failed' as const);
    void stopping.then((outcome) => process.exit(outcome === 'stopped' ? 0 : 1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const running = await starting;
  // Tests and scripts wait for this exact line.
  process.stdout.write(`Home Information panel server listening on ${running.panelServerUrl} (data: ${runtime.dataDir})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof UsageError ? 'Usage: ' : ''}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
