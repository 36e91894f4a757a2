import path from 'node:path';
import { LocationViewType } from '../../src-shared/enums/entity';
import { Hub } from '../hub';
import { HOME_ASSISTANT_KEY } from '../integrations/home_assistant/gateway';
import { IMPORTED_DOMAINS } from '../integrations/home_assistant/converters';
import { ZM_DOMAINS, ZONEMINDER_KEY } from '../integrations/zoneminder/gateway';
import singleStoryPlan from '../modules/location/starter-plans/single-story.svg?raw';
import { readRuntimeConfig } from '../runtime-config';
import { PanelServer } from '../server/panel-server';
import { HaSimulator } from './ha-simulator';
import { ZmSimulator } from './zm-simulator';

const HA_TOKEN = 'demo-token';
const HA_PORT = 8123;
const ZM_PORT = 8124;
const ZM_USER = 'admin';
const ZM_PASSWORD = 'demo-password';

/** Where each room of the single-story plan is (its label), for placing what the simulator has. */
const ROOMS: ReadonlyArray<[keyword: RegExp, x: number, y: number]> = [
  [/garage/i, 250, 247],
  [/kitchen|coffee/i, 540, 247],
  [/dining/i, 770, 247],
  [/living|tv|thermostat/i, 980, 292],
  [/laundry|basement/i, 180, 432],
  [/hall|front|porch|alarm/i, 560, 432],
  [/office/i, 220, 592],
  [/bath/i, 415, 592],
  [/bedroom/i, 615, 592],
  [/.*/, 900, 740],
];
const SPREAD: ReadonlyArray<[number, number]> = [
  [0, 55], [-65, 55], [65, 55], [0, 115], [-65, 115], [65, 115], [-65, -20], [65, -20], [-130, 55], [130, 55],
];

/**
 * `npm run demo`: the Home Assistant simulator and the panel server in one process, with the integration already
 * connected and every simulated device placed on the single-story plan. Data lives in .demo-data (kept between runs).
 */
async function main(): Promise<void> {
  const runtime = readRuntimeConfig(process.argv.slice(2), process.env, { dataDir: path.resolve('.demo-data'), version: 'demo' });
  const simulator = new HaSimulator({ profile: 'small_house', token: HA_TOKEN, port: HA_PORT, coverTravelMs: 3_000 });
  const { url: haUrl } = await simulator.start();
  // ZoneMinder with its two default cameras; POST /sim/motion on it makes one see motion.
  const zoneMinder = new ZmSimulator({ port: ZM_PORT, user: ZM_USER, password: ZM_PASSWORD });
  const { url: zmUrl } = await zoneMinder.start();
  const hub = await Hub.open({ runtime });
  await hub.start();

  let locations = await hub.locations.list();
  if (locations.length === 0) {
    const { location } = await hub.locations.create('Main floor');
    await hub.locations.setBackground(location.id, singleStoryPlan);
    await hub.locations.createView(location.id, 'Security', LocationViewType.SECURITY);
    locations = await hub.locations.list();
  }
  const home = locations[0]!;
  const view = home.views[0]!;
  await hub.integrations.configure(HOME_ASSISTANT_KEY, { fields: { url: haUrl, token: HA_TOKEN }, importDomains: [...IMPORTED_DOMAINS] });
  await hub.integrations.enable(HOME_ASSISTANT_KEY);
  const report = await hub.integrations.sync(HOME_ASSISTANT_KEY);
  await hub.integrations.configure(ZONEMINDER_KEY, { fields: { url: zmUrl, user: ZM_USER, password: ZM_PASSWORD }, importDomains: [...ZM_DOMAINS] });
  await hub.integrations.enable(ZONEMINDER_KEY);
  const cameras = await hub.integrations.sync(ZONEMINDER_KEY);
  const used = new Map<number, number>();
  for (const item of [...report.unplaced, ...cameras.unplaced]) {
    const roomIndex = ROOMS.findIndex(([keyword]) => keyword.test(item.name));
    const [, x, y] = ROOMS[roomIndex]!;
    const slot = used.get(roomIndex) ?? 0;
    used.set(roomIndex, slot + 1);
    const [dx, dy] = SPREAD[slot % SPREAD.length]!;
    await hub.entities.setInView(item.entityId, view.id, true);
    await hub.entities.place(item.entityId, home.id, { kind: 'icon', x: x + dx, y: y + dy, scale: 0.8, rotate: 0 });
  }
  hub.events.emit('home.changed', { reason: 'demo placed devices' });

  const server = new PanelServer({ hub, host: runtime.host, port: runtime.port, staticDir: path.join(__dirname, '..', 'renderer') });
  const panelUrl = await server.listen();
  hub.setPanelServerUrl(panelUrl);
  process.stdout.write(
    `Home Information demo: panel ${panelUrl}  ·  Home Assistant simulator ${haUrl} (token ${HA_TOKEN}; change devices at ${haUrl}/sim/)` +
      `  ·  ZoneMinder simulator ${zmUrl} (${ZM_USER} / ${ZM_PASSWORD}; motion: POST ${zmUrl}/sim/motion {"monitorId":1,"seconds":10})\n`,
  );

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await hub.stop();
    await simulator.stop();
    await zoneMinder.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
