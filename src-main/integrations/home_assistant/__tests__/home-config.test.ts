import { afterEach, describe, expect, it } from 'vitest';
import { consoleSettings } from '../../../modules/console/settings';
import { HaSimulator } from '../../../simulator/ha-simulator';
import { call } from '../../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { systemClock } from '../../../util/clock';
import { HomeAssistantClient } from '../client';
import { HOME_ASSISTANT_KEY, homeConfigOf } from '../gateway';

const TOKEN = 'home-config-token';

/** Polls (every 20 ms, at most `timeoutMs`): the client talks to a real server here. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("Home Assistant's time zone and units (get_config)", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function simulator(options: { timeZone?: string; unitSystem?: 'metric' | 'imperial' } = {}): Promise<string> {
    const sim = new HaSimulator({ profile: 'small_house', token: TOKEN, port: 0, ...options });
    const { url } = await sim.start();
    cleanups.push(() => sim.stop());
    return url;
  }

  it('the client reads them over the live WebSocket', async () => {
    const client = new HomeAssistantClient({ baseUrl: await simulator({ timeZone: 'Europe/Berlin', unitSystem: 'imperial' }), token: TOKEN, clock: systemClock });
    await expect(client.getConfigWs()).rejects.toThrow(/not started/);
    client.startLive({ onSnapshot: () => {}, onChanges: () => {}, onConnection: () => {}, onIssues: () => {} });
    cleanups.push(() => client.stopLive());
    await waitFor(() => client.liveStatus() === 'connected', 'the live connection');
    const config = await client.getConfigWs();
    expect(config).toMatchObject({ time_zone: 'Europe/Berlin', unit_system: { temperature: '°F' } });
    expect(homeConfigOf(config)).toEqual({ timeZone: 'Europe/Berlin', unitSystem: 'imperial' });
  });

  it('keeps only a zone and a unit this app can use', () => {
    expect(homeConfigOf({ version: '2025.6.0', time_zone: 'Mars/Olympus_Mons', unit_system: { temperature: 'K' } })).toEqual({ timeZone: null, unitSystem: null });
    expect(homeConfigOf({ version: '2025.6.0', time_zone: `Europe/${'x'.repeat(100)}` })).toEqual({ timeZone: null, unitSystem: null });
    expect(homeConfigOf({ version: '2025.6.0', unit_system: { temperature: '°C' } })).toEqual({ timeZone: null, unitSystem: 'metric' });
  });

  it('the hub offers them while Home Assistant is connected, and not after it is disabled', async () => {
    const url = await simulator({ timeZone: 'Europe/Berlin', unitSystem: 'imperial' });
    const t: TestHub = await createTestHub();
    cleanups.push(() => t.close());
    expect(await call(t, 'console.upstream_home.get', {})).toEqual([]);
    await call(t, 'integration.configure', { key: HOME_ASSISTANT_KEY, fields: { url, token: TOKEN }, importDomains: ['light'] });
    await call(t, 'integration.enable', { key: HOME_ASSISTANT_KEY });
    await waitFor(() => t.hub.integrations.healthViews().find((h) => h.key === HOME_ASSISTANT_KEY)?.health === 'ok', 'the connection');
    expect(await call(t, 'console.upstream_home.get', {})).toEqual([
      { integration: HOME_ASSISTANT_KEY, label: 'Home Assistant', timeZone: 'Europe/Berlin', unitSystem: 'imperial' },
    ]);
    // The offer is a choice: the home zone stays the hub's own until someone takes it.
    expect(t.hub.settings.value(consoleSettings, 'timezone')).toBe('America/Chicago');
    await call(t, 'integration.disable', { key: HOME_ASSISTANT_KEY, keepItems: true });
    expect(await call(t, 'console.upstream_home.get', {})).toEqual([]);
  });
});
