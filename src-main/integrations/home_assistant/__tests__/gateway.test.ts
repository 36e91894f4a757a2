import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HaSimulator } from '../../../simulator/ha-simulator';
import { systemClock } from '../../../util/clock';
import { GatewayError } from '../../gateway';
import { HaAuthError, HaUnreachableError } from '../client';
import { HomeAssistantGateway } from '../gateway';

const TOKEN = 'gateway-test-token';

describe('HomeAssistantGateway against the simulator', () => {
  let simulator: HaSimulator;
  let config: Record<string, string>;

  beforeEach(async () => {
    simulator = new HaSimulator({ profile: 'small_house', token: TOKEN, port: 0 });
    const { url } = await simulator.start();
    config = { url, token: TOKEN };
  });

  afterEach(() => simulator.stop());

  it('imports climate temperatures in the server’s unit, with the device’s modes as the choices', async () => {
    const { entities } = await new HomeAssistantGateway(systemClock).fetchUpstream(config);
    const thermostat = entities.find((e) => e.upstreamId === 'climate.thermostat')!;
    expect(thermostat.states.map((s) => [s.key, s.name, s.units, s.choices])).toEqual([
      ['current_temperature', 'Current temperature', '°C', null],
      ['target_temperature', 'Target temperature', '°C', null],
      ['hvac_mode', 'HVAC mode', null, ['off', 'heat', 'cool', 'heat_cool']],
    ]);
  });

  it('says what to do when the token is refused', async () => {
    await expect(new HomeAssistantGateway(systemClock).fetchUpstream({ ...config, token: 'wrong' })).rejects.toMatchObject({ failure: 'auth', message: expect.stringMatching(/refused the token/) });
  });
});

describe('HomeAssistantGateway typed errors', () => {
  let simulator: HaSimulator;
  let config: Record<string, string>;
  const gateway = new HomeAssistantGateway(systemClock);

  beforeEach(async () => {
    simulator = new HaSimulator({ profile: 'small_house', token: TOKEN, port: 0 });
    const { url } = await simulator.start();
    config = { url, token: TOKEN };
  });

  afterEach(() => simulator.stop());

  async function failure(call: Promise<unknown>): Promise<GatewayError> {
    const error = await call.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }

  it('auth: the token is refused', async () => {
    const error = await failure(gateway.testConnection({ ...config, token: 'wrong' }));
    expect(error).toMatchObject({ failure: 'auth', message: expect.stringMatching(/refused the token/) });
    expect(error.cause).toBeInstanceOf(HaAuthError);
  });

  it('unreachable: nothing listens, said in words with the socket code kept only in the cause', async () => {
    await simulator.stop();
    for (const call of [gateway.testConnection(config), gateway.fetchUpstream(config), gateway.control(config, { upstreamId: 'light.kitchen', domain: 'light' }, 'on_off', 'on')]) {
      const error = await failure(call);
      expect(error.failure).toBe('unreachable');
      expect(error.message).toBe('Home Assistant is unreachable: nothing accepts connections at that address; check that it is running and that the port is right.');
      expect(error.message).not.toMatch(/ECONN|UND_ERR|fetch failed/);
      expect(error.cause).toBeInstanceOf(HaUnreachableError);
      expect((error.cause as HaUnreachableError).reason).toBe('refused');
    }
  });

  it('unreachable: a server error; protocol: an answer that is not JSON', async () => {
    simulator.setFault({ kind: 'server_error' });
    expect(await failure(gateway.fetchUpstream(config))).toMatchObject({ failure: 'unreachable', message: 'Home Assistant is unreachable: it answered with a server error (500).' });
    simulator.setFault({ kind: 'non_json' });
    const error = await failure(gateway.testConnection(config));
    expect(error.failure).toBe('protocol');
    expect(error.message).toMatch(/^Home Assistant answered something this app cannot read .*not JSON/);
  });

  it('refused: Home Assistant refuses the call, or the value does not fit; a control nothing can do', async () => {
    const refused = await failure(gateway.control(config, { upstreamId: 'climate.thermostat', domain: 'climate' }, 'target_temperature', '99'));
    expect(refused).toMatchObject({ failure: 'refused', message: expect.stringMatching(/^Home Assistant refused the request: .*not valid/) });
    const badValue = await failure(gateway.control(config, { upstreamId: 'light.kitchen', domain: 'light' }, 'brightness', 'bright'));
    expect(badValue).toMatchObject({ failure: 'refused', message: expect.stringMatching(/expected a number from 0 to 100/) });
    const noService = await failure(gateway.control(config, { upstreamId: 'sensor.temperature', domain: 'sensor' }, 'value', '3'));
    expect(noService).toMatchObject({ failure: 'refused', message: 'sensor.temperature cannot be controlled that way.' });
  });

  it('unreachable: an address that is not http(s), for every call', async () => {
    const bad = { ...config, url: 'ftp://example.invalid' };
    expect(await failure(gateway.testConnection(bad))).toMatchObject({ failure: 'unreachable', message: expect.stringMatching(/not an http:\/\/ or https:\/\/ address/) });
    expect(await failure(gateway.fetchUpstream(bad))).toMatchObject({ failure: 'unreachable' });
  });
});
