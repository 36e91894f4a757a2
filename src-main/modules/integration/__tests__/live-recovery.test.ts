import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../src-shared/ipc/contract';
import type { IntegrationHealthView } from '../../../../src-shared/model/integration';
import { HOME_ASSISTANT_KEY } from '../../../integrations/home_assistant/gateway';
import { HaSimulator } from '../../../simulator/ha-simulator';
import { call } from '../../../test-support/home-helpers';
import { stateIdFor } from '../../../test-support/integration-fixtures';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { STALE_GRACE_MS } from '../integration-manager';

const TOKEN = 'live-recovery-token';
const LIGHT = 'light.kitchen_ceiling';

/** Polls (every 20 ms, at most `timeoutMs`) until `condition` holds: the hub talks to a real server here. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Home Assistant through a hub, against the simulator', () => {
  let t: TestHub;
  let sim: HaSimulator;
  let healthSeen: string[];
  let staleDeltas: number;

  const health = (): IntegrationHealthView => t.hub.integrations.healthViews().find((h) => h.key === HOME_ASSISTANT_KEY)!;
  const lightStale = () => t.hub.statuses.latest(stateIdFor(t, LIGHT, 'on_off'))?.stale;

  beforeEach(async () => {
    sim = new HaSimulator({ profile: 'small_house', token: TOKEN, port: 0 });
    const { url } = await sim.start();
    t = await createTestHub();
    healthSeen = [];
    staleDeltas = 0;
    t.hub.events.onAny((name, payload) => {
      if (name === 'integration.health' && (payload as IntegrationHealthView).key === HOME_ASSISTANT_KEY) healthSeen.push((payload as IntegrationHealthView).health);
      if (name === 'status.changed') staleDeltas += (payload as EventPayload<'status.changed'>).states.filter((s) => s.stale).length;
    });
    await call(t, 'integration.configure', { key: HOME_ASSISTANT_KEY, fields: { url, token: TOKEN }, importDomains: ['light'] });
  });
  afterEach(async () => {
    await t.close();
    await sim.stop();
  });

  async function connectAndSync(): Promise<void> {
    await call(t, 'integration.enable', { key: HOME_ASSISTANT_KEY });
    await waitFor(() => health().health === 'ok', 'the first connection');
    await call(t, 'integration.sync', { key: HOME_ASSISTANT_KEY });
    expect(lightStale()).toBe(false);
    t.hub.coalescer.flush();
    staleDeltas = 0;
  }

  it('a dropped connection that comes back within the grace period leaves the states live; health records the drop', async () => {
    await connectAndSync();
    sim.setFault({ kind: 'drop_sockets' });
    await waitFor(() => health().health === 'unreachable', 'the drop');
    // Regression: the drop marked every state stale at once, a flash on every panel until the reconnect.
    expect(lightStale()).toBe(false);
    await waitFor(() => health().health === 'ok', 'the reconnect');
    t.scheduler.runUntil(t.clock.now() + 2 * STALE_GRACE_MS);
    expect(lightStale()).toBe(false);
    t.hub.coalescer.flush();
    expect(staleDeltas).toBe(0);
    expect(healthSeen.slice(-2)).toEqual(['unreachable', 'ok']);
  });

  it('a connection that stays away past the grace period marks the states stale, until it is back', async () => {
    await connectAndSync();
    sim.setFault({ kind: 'drop_sockets' });
    await waitFor(() => health().health === 'unreachable', 'the drop');
    const lostAt = t.clock.now();
    t.scheduler.runUntil(lostAt + STALE_GRACE_MS - 1);
    expect(lightStale()).toBe(false);
    t.scheduler.runUntil(lostAt + STALE_GRACE_MS);
    expect(lightStale()).toBe(true);
    await waitFor(() => health().health === 'ok', 'the reconnect');
    expect(lightStale()).toBe(false);
  });

  it('"Sync now" tries the stored token again: once Home Assistant accepts it, the integration recovers without retyping', async () => {
    sim.setFault({ kind: 'auth_failure' });
    await call(t, 'integration.enable', { key: HOME_ASSISTANT_KEY });
    await waitFor(() => health().health === 'auth_failed', 'the refusal');
    expect((await t.invoke('integration.sync', { key: HOME_ASSISTANT_KEY })).ok).toBe(false);
    expect(health().health).toBe('auth_failed');

    // The token is accepted again (a restored user, a proxy fixed); the next retry of the live connection is a minute away.
    sim.setFault(null);
    const report = await call(t, 'integration.sync', { key: HOME_ASSISTANT_KEY });
    expect(report.created.length).toBeGreaterThan(0);
    // Regression: the live connection stayed refused until the token was typed again.
    await waitFor(() => health().health === 'ok', 'the recovery');
    expect(lightStale()).toBe(false);
    // The retry itself is no news: sign-in failed, then OK.
    expect(healthSeen.slice(healthSeen.indexOf('auth_failed'))).toEqual(['auth_failed', 'ok']);
  });
});
