import { describe, expect, it } from 'vitest';
import { describeState } from '../../../../src-shared/model/state-display';
import { StatusDisplayManager } from '../status-display-manager';

describe('state display', () => {
  it.each([
    ['on_off', 'on', null, { text: 'On', style: 'active' }],
    ['on_off', 'off', null, { text: 'Off', style: 'inactive' }],
    ['open_close', 'open', null, { text: 'Open', style: 'alert' }],
    ['smoke', 'detected', null, { text: 'Detected', style: 'alarm' }],
    ['temperature', '21.5', '°C', { text: '21.5 °C', style: 'neutral' }],
    ['light_dimmer', '40', '%', { text: '40%', style: 'neutral' }],
    ['on_off', 'unavailable', null, { text: 'Unavailable', style: 'unavailable' }],
    ['on_off', 'unknown', null, { text: 'Unknown', style: 'unavailable' }],
    ['on_off', null, null, { text: 'Unknown', style: 'neutral' }],
    ['hvac_mode', 'heat_cool', null, { text: 'Heat cool', style: 'active' }],
  ])('%s %s %s', (type, value, units, expected) => {
    expect(describeState(type, value, units)).toMatchObject(expected);
  });

  it('computes each distinct named value once and serves repeats from its cache', () => {
    const displays = new StatusDisplayManager();
    const first = displays.display('on_off', 'on', null);
    expect(displays.display('on_off', 'on', null)).toBe(first);
    expect(displays.display('on_off', 'off', null)).not.toBe(first);
    expect(displays.display('temperature', null, '°C')).toEqual({ text: 'Unknown', style: 'neutral' });
  });

  it('describes numbers directly, the same as a cached display would', () => {
    const displays = new StatusDisplayManager();
    for (const [type, value, units] of [
      ['temperature', '21.5', '°C'],
      ['temperature', '-3', '°F'],
      ['light_dimmer', '40', '%'],
      ['power', '1e3', 'W'],
    ] as const) {
      expect(displays.display(type, value, units)).toEqual(describeState(type, value, units));
    }
    expect(displays.display('temperature', '21.5', '°C')).not.toBe(displays.display('temperature', '21.5', '°C'));
  });
});
