import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { HaSimulator } from '../src-main/simulator/ha-simulator';
import { HubClient } from './hub-client';
import { PanelServerProcess } from './panel-server-process';

export const HA_TOKEN = 'e2e-token';
/** Where e-mailed alert links point; tests open the path part on the panel server they started. */
export const EMAIL_LINK_BASE = 'http://hub.example';

export interface LiveHome {
  server: PanelServerProcess;
  simulator: HaSimulator;
  /** The simulator's address, for its REST and control APIs. */
  haUrl: string;
  /** Stops the simulator, as if Home Assistant went away. */
  stopHomeAssistant(): Promise<void>;
  /** Starts a fresh simulator on the same address. */
  startHomeAssistant(): Promise<void>;
  /** Home Assistant's current state of one entity, over its REST API. */
  haState(entityId: string): Promise<string>;
  /** Changes one entity's state in Home Assistant, as the device itself would, through the simulator's control API. */
  setHaState(entityId: string, state: string): Promise<void>;
}

/**
 * The `npm run demo` set-up for a test: a Home Assistant simulator, a panel server on a fresh data dir, the
 * integration configured, enabled and synced, and every imported device placed on the plan.
 */
export const test = base.extend<{ live: LiveHome }>({
  // Playwright needs an object pattern here even when the fixture depends on nothing.
  // eslint-disable-next-line no-empty-pattern
  live: async ({}, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hi-e2e-live-'));
    let simulator = new HaSimulator({ profile: 'small_house', token: HA_TOKEN, port: 0 });
    const { url: haUrl } = await simulator.start();
    const port = Number(new URL(haUrl).port);
    const server = new PanelServerProcess(dataDir, { HI_BASE_URL_FOR_EMAIL_LINKS: EMAIL_LINK_BASE });
    await server.start(0);
    const hub = await HubClient.connect(server.url);
    try {
      const [home] = await hub.call('home.setup', { profile: 'empty' });
      await hub.call('integration.configure', { key: 'home_assistant', fields: { url: haUrl, token: HA_TOKEN }, importDomains: ['light', 'switch', 'binary_sensor', 'lock', 'cover', 'climate'] });
      await hub.call('integration.enable', { key: 'home_assistant' });
      const report = await hub.call('integration.sync', { key: 'home_assistant' });
      await hub.call('edit.begin', {});
      for (const item of report.unplaced) await hub.call('entity.view.set', { entityId: item.entityId, locationViewId: home!.views[0]!.id, inView: true });
      // Spread on a grid, so that every device can be tapped.
      for (const [index, item] of report.unplaced.entries()) {
        await hub.call('entity.place', { entityId: item.entityId, locationId: home!.id, placement: { kind: 'icon', x: 80 + (index % 8) * 140, y: 80 + Math.floor(index / 8) * 150, scale: 1, rotate: 0 } });
      }
      await hub.call('edit.end', {});
    } finally {
      hub.close();
    }
    try {
      await use({
        server,
        get simulator() {
          return simulator;
        },
        haUrl,
        stopHomeAssistant: () => simulator.stop(),
        async startHomeAssistant() {
          simulator = new HaSimulator({ profile: 'small_house', token: HA_TOKEN, port });
          await simulator.start();
        },
        async haState(entityId) {
          const response = await fetch(`${haUrl}/api/states/${entityId}`, { headers: { Authorization: `Bearer ${HA_TOKEN}` } });
          return ((await response.json()) as { state: string }).state;
        },
        async setHaState(entityId, state) {
          const response = await fetch(`${haUrl}/sim/states/${entityId}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ state }),
          });
          if (!response.ok) throw new Error(`the simulator refused ${entityId} = ${state}: HTTP ${response.status}`);
        },
      });
    } finally {
      await server.stop();
      await simulator.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';
