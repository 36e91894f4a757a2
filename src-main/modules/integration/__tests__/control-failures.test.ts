import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntegrationHealthView } from '../../../../src-shared/model/integration';
import { HOME_ASSISTANT_KEY } from '../../../integrations/home_assistant/gateway';
import { HaSimulator } from '../../../simulator/ha-simulator';
import { call } from '../../../test-support/home-helpers';
import { entityFor, stateIdFor } from '../../../test-support/integration-fixtures';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';

const TOKEN = 'control-failures-token';
const LIGHT = 'light.kitchen_ceiling';
const THERMOSTAT = 'climate.thermostat';
/** Longer than any test waits: a call sent while this holds is still in flight when the simulator stops. */
const NEVER_ANSWERS = { kind: 'slow', delayMs: 60_000 } as const;
/** What a panel must never show: socket codes and the fetch API's own words. */
const RAW_ERROR_TEXT = /UND_ERR|ECONN|EPIPE|socket|fetch failed|other side closed/i;

/** Polls (every 20 ms, at most `timeoutMs`) until `condition` holds: the hub talks to a real server here. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a failed control, in words a panel can show', () => {
  let t: TestHub;
  let sim: HaSimulator;

  const health = (): IntegrationHealthView => t.hub.integrations.healthViews().find((h) => h.key === HOME_ASSISTANT_KEY)!;

  beforeEach(async () => {
    sim = new HaSimulator({ profile: 'small_house', token: TOKEN, port: 0 });
    const { url } = await sim.start();
    t = await createTestHub();
    await call(t, 'integration.configure', { key: HOME_ASSISTANT_KEY, fields: { url, token: TOKEN }, importDomains: ['light', 'climate'] });
    await call(t, 'integration.enable', { key: HOME_ASSISTANT_KEY });
    await waitFor(() => health().health === 'ok', 'the first connection');
    await call(t, 'integration.sync', { key: HOME_ASSISTANT_KEY });
  });
  afterEach(async () => {
    await t.close();
    await sim.stop();
  });

  /** Sends a control and answers its error; fails the test when the control goes through. */
  async function controlError(upstreamId: string, stateKey: string, value: string, whileInFlight?: () => Promise<void>) {
    const entity = entityFor(t, HOME_ASSISTANT_KEY, upstreamId)!;
    const pending = t.invoke('entity.control', { entityId: entity.id, stateId: stateIdFor(t, upstreamId, stateKey), value });
    await whileInFlight?.();
    const response = await pending;
    if (response.ok) throw new Error(`the control of ${upstreamId} went through`);
    return { ...response.error, entityName: entity.name };
  }

  it('the simulator stopped mid-call over the live connection: unreachable, with no socket text', async () => {
    sim.setFault(NEVER_ANSWERS);
    const error = await controlError(LIGHT, 'on_off', 'off', () => sim.stop());
    expect(error.code).toBe('unavailable');
    expect(error.upstream).toEqual({ kind: 'unreachable', integration: 'Home Assistant', reason: null });
    expect(error.message).toBe(`Home Assistant is unreachable; ${error.entityName} was not changed.`);
    expect(JSON.stringify(error)).not.toMatch(RAW_ERROR_TEXT);
  });

  it('the simulator stopped mid-call over REST (the live connection still signing in): unreachable, with no socket text', async () => {
    // Drops the live connection and holds its sign-in, so that the control goes over REST, where undici reports
    // the cut as UND_ERR_SOCKET "other side closed".
    sim.setFault({ kind: 'drop_sockets' });
    sim.setFault(NEVER_ANSWERS);
    await waitFor(() => health().health !== 'ok', 'the drop');
    const error = await controlError(LIGHT, 'on_off', 'off', () => sim.stop());
    expect(error.code).toBe('unavailable');
    expect(error.upstream).toEqual({ kind: 'unreachable', integration: 'Home Assistant', reason: null });
    expect(JSON.stringify(error)).not.toMatch(RAW_ERROR_TEXT);
  });

  it('a refusal carries Home Assistant’s own reason, without the sentence around it', async () => {
    // The device's limits narrowed after the hub read them: Home Assistant is the one to refuse.
    const thermostat = sim.store.get(THERMOSTAT)!;
    sim.store.set(THERMOSTAT, thermostat.state, { ...thermostat.attributes, max_temp: 25 });
    const error = await controlError(THERMOSTAT, 'target_temperature', '30');
    expect(error.code).toBe('conflict');
    expect(error.upstream?.kind).toBe('refused');
    expect(error.upstream?.reason).toMatch(/not valid/);
    expect(error.upstream?.reason).not.toMatch(/^Home Assistant/);
    expect(error.message).toBe(`Home Assistant refused: ${error.upstream?.reason}`);
  });

  it('a refused token: sign-in failed, and the lamp was not changed', async () => {
    sim.setFault({ kind: 'drop_sockets' });
    sim.setFault({ kind: 'auth_failure' });
    await waitFor(() => health().health === 'auth_failed', 'the refusal');
    const error = await controlError(LIGHT, 'on_off', 'off');
    expect(error.code).toBe('forbidden');
    expect(error.upstream).toEqual({ kind: 'auth', integration: 'Home Assistant', reason: null });
    expect(error.message).toBe(`Sign-in to Home Assistant failed; ${error.entityName} was not changed.`);
    expect(sim.store.get(LIGHT)?.state).toBe('on');
  });
});
