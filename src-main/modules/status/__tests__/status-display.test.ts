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

  it('computes each distinct display once and serves repeats from its cache', () => {
    const displays = new StatusDisplayManager();
    const first = displays.display('temperature', '21.5', '°C');
    expect(displays.display('temperature', '21.5', '°C')).toBe(first);
    expect(displays.display('temperature', '21.5', '°F')).not.toBe(first);
    expect(displays.display('temperature', null, '°C')).toEqual({ text: 'Unknown', style: 'neutral' });
  });
});
