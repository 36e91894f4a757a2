import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_ZM_MONITORS, ZmSimulator, type ZmSimMonitorSpec } from '../src-main/simulator/zm-simulator';
import { HubClient } from './hub-client';
import { PanelServerProcess } from './panel-server-process';

export const ZM_USER = 'e2e-zm';
export const ZM_PASSWORD = 'e2e-zm-password';

export interface ZmCamera {
  name: string;
  entityId: number;
  /** The simulator's monitor id. */
  monitorId: number;
}

export interface ZmHome {
  server: PanelServerProcess;
  simulator: ZmSimulator;
  /** The simulator's address; its port and the token must never reach a page. */
  zmUrl: string;
  cameras: ZmCamera[];
}

/**
 * A ZoneMinder simulator with its cameras (two by default) and a panel server on a fresh data dir: the integration configured,
 * enabled and synced, both cameras placed on the plan, the home zone UTC so that hours are easy to check.
 */
export async function startZmHome(monitors: readonly ZmSimMonitorSpec[] = DEFAULT_ZM_MONITORS): Promise<ZmHome> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-e2e-zm-'));
  const simulator = new ZmSimulator({ user: ZM_USER, password: ZM_PASSWORD, port: 0, monitors });
  const { url: zmUrl } = await simulator.start();
  const server = new PanelServerProcess(dataDir);
  await server.start(0);
  const hub = await HubClient.connect(server.url);
  const cameras: ZmCamera[] = [];
  try {
    const [home] = await hub.call('home.setup', { profile: 'empty' });
    await hub.call('settings.update', { subsystem: 'console', key: 'timezone', value: 'UTC' });
    // Not the hour the tests run at: from 22:00 the home would be in Night, where motion raises an alert whose
    // auto-view leaves the screen under test. Tests that want alarms set Away.
    await hub.call('security.set', { state: 'disabled' });
    await hub.call('integration.configure', { key: 'zoneminder', fields: { url: zmUrl, user: ZM_USER, password: ZM_PASSWORD }, importDomains: ['camera'] });
    await hub.call('integration.enable', { key: 'zoneminder' });
    const report = await hub.call('integration.sync', { key: 'zoneminder' });
    await hub.call('edit.begin', {});
    for (const [index, item] of report.unplaced.entries()) {
      await hub.call('entity.view.set', { entityId: item.entityId, locationViewId: home!.views[0]!.id, inView: true });
      await hub.call('entity.place', { entityId: item.entityId, locationId: home!.id, placement: { kind: 'icon', x: 200 + (index % 4) * 300, y: 300 + Math.floor(index / 4) * 200, scale: 1, rotate: 0 } });
    }
    await hub.call('edit.end', {});
    for (const camera of await hub.call('camera.list', {})) {
      // The simulator numbers its monitors from 1 in the order given.
      const monitorId = monitors.findIndex((m) => m.name === camera.name) + 1;
      cameras.push({ name: camera.name, entityId: camera.entityId, monitorId });
    }
  } catch (error) {
    hub.close();
    await server.stop();
    await simulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  hub.close();
  return {
    server,
    simulator,
    zmUrl,
    cameras,
  };
}

export async function stopZmHome(home: ZmHome): Promise<void> {
  await home.server.stop();
  await home.simulator.stop();
  rmSync(home.server.dataDir, { recursive: true, force: true });
}
