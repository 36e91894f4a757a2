import { describe, expect, it } from 'vitest';
import { convertTemperature, describeState } from '../state-display';

const text = (value: string | null, units: string | null, unitSystem?: 'metric' | 'imperial') => describeState('temperature', value, units, unitSystem).text;

describe('temperatures in the home unit system', () => {
  it('converts °C to °F for an imperial home, with one decimal', () => {
    expect(text('-40', '°C', 'imperial')).toBe('-40.0 °F');
    expect(text('0', '°C', 'imperial')).toBe('32.0 °F');
    expect(text('100', '°C', 'imperial')).toBe('212.0 °F');
    expect(text('21.5', '°C', 'imperial')).toBe('70.7 °F');
    // 37.77… rounds to one decimal.
    expect(text('37.77777', '°C', 'imperial')).toBe('100.0 °F');
  });

  it('converts °F to °C for a metric home, never showing "-0.0"', () => {
    expect(text('-40', '°F', 'metric')).toBe('-40.0 °C');
    expect(text('32', '°F', 'metric')).toBe('0.0 °C');
    expect(text('212', '°F', 'metric')).toBe('100.0 °C');
    expect(text('70', '°F', 'metric')).toBe('21.1 °C');
    expect(text('31.95', '°F', 'metric')).toBe('0.0 °C');
  });

  it('leaves a temperature already in the home unit as the upstream sent it', () => {
    expect(text('21.5', '°C', 'metric')).toBe('21.5 °C');
    expect(text('70', '°F', 'imperial')).toBe('70 °F');
  });

  it('leaves other units, no unit, no unit system and non-numbers alone', () => {
    expect(describeState('numeric', '48', '%', 'imperial').text).toBe('48%');
    expect(describeState('numeric', '112', 'W', 'imperial').text).toBe('112 W');
    expect(describeState('numeric', '5', null, 'imperial').text).toBe('5');
    expect(text('21.5', '°C')).toBe('21.5 °C');
    expect(text('unavailable', '°C', 'imperial')).toBe('Unavailable');
    expect(text('unknown', '°C', 'imperial')).toBe('Unknown');
    expect(text('warm', '°C', 'imperial')).toBe('Warm');
    expect(text(null, '°C', 'imperial')).toBe('Unknown');
    expect(convertTemperature(20, 'K', 'imperial')).toBeNull();
  });

  it('keeps the style of the value', () => {
    expect(describeState('temperature', '0', '°C', 'imperial').style).toBe(describeState('temperature', '0', '°C').style);
  });
});
