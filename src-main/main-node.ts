import path from 'node:path';
import { Hub } from './hub';
import { readRuntimeConfig, UsageError } from './runtime-config';
import { PanelServer } from './server/panel-server';
import { createLogger } from './util/log';

const log = createLogger('main');
const VERSION = process.env.npm_package_version ?? '0.1.0';

/** The panel server entry: `npm run serve -- --data-dir DIR [--host ADDR] [--port N]`. */
async function main(): Promise<void> {
  const runtime = readRuntimeConfig(process.argv.slice(2), process.env, {
    dataDir: path.resolve('.data'),
    version: VERSION,
  });
  const hub = await Hub.open({ runtime });
  await hub.start();
  const server = new PanelServer({ hub, host: runtime.host, port: runtime.port, staticDir: path.join(__dirname, '..', 'renderer') });
  const url = await server.listen();
  hub.setPanelServerUrl(url);
  // Tests and scripts wait for this exact line.
  process.stdout.write(`Home Information panel server listening on ${url} (data: ${runtime.dataDir})\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await server.close();
    await hub.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof UsageError ? 'Usage: ' : ''}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
