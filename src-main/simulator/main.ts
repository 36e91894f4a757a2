import { HaSimulator } from './ha-simulator';
import { ZmSimulator } from './zm-simulator';
import { isProfileName, PROFILE_NAMES, type ProfileName } from './profiles';

/** Covers take a few seconds to travel in demos, so opening/closing can be seen. */
const DEMO_COVER_TRAVEL_MS = 3000;
const USAGE = `npm run simulator -- [--profile ${PROFILE_NAMES.join('|')}] [--port 8123] [--token dev-token] [--zm-port 8124]`;
/** ZoneMinder's own default account. */
const ZM_USER = 'admin';
const ZM_PASSWORD = 'admin';

interface Args {
  profile: ProfileName;
  port: number;
  token: string;
  zmPort: number;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Args = { profile: 'small_house', port: 8123, token: 'dev-token', zmPort: 8124 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (flag === '--profile') {
      if (!isProfileName(value)) throw new UsageError(`unknown profile ${value}`);
      args.profile = value;
    } else if (flag === '--port' || flag === '--zm-port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`bad port ${value}`);
      if (flag === '--port') args.port = port;
      else args.zmPort = port;
    } else if (flag === '--token') {
      if (value === '') throw new UsageError('the token must not be empty');
      args.token = value;
    } else throw new UsageError(`unknown option ${flag}`);
  }
  return args;
}

/** The Home Assistant simulator for demos and manual testing: `npm run simulator -- --profile zoo`. */
async function main(): Promise<void> {
  const { profile, port, token, zmPort } = parseArgs(process.argv.slice(2));
  const simulator = new HaSimulator({ profile, token, port, coverTravelMs: DEMO_COVER_TRAVEL_MS });
  const { url } = await simulator.start();
  const zoneMinder = new ZmSimulator({ port: zmPort, user: ZM_USER, password: ZM_PASSWORD });
  const { url: zmUrl } = await zoneMinder.start();
  // Scripts wait for this exact line.
  process.stdout.write(`Home Assistant simulator listening on ${url} (profile ${profile}, token ${token})\n`);
  process.stdout.write(`ZoneMinder simulator listening on ${zmUrl} (two cameras, user ${ZM_USER}, password ${ZM_PASSWORD})\n`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await simulator.stop();
    await zoneMinder.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  const usage = error instanceof UsageError ? `\nUsage: ${USAGE}` : '';
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}${usage}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
