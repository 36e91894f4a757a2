import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HaSimulator } from '../../../simulator/ha-simulator';
import { systemClock } from '../../../util/clock';
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
    await expect(new HomeAssistantGateway(systemClock).fetchUpstream({ ...config, token: 'wrong' })).rejects.toThrow(/refused the token/);
  });
});
