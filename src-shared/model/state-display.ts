import { z } from 'zod';
import { styleTokenFor, type StateStyleToken } from '../enums/entity';
import type { UnitSystem } from './home-config';

export const stateDisplaySchema = z.object({
  /** What the panel prints: never blank; unknown and unavailable said in words; numbers with their unit. */
  text: z.string(),
  style: z.enum(['active', 'inactive', 'ok', 'warning', 'alert', 'alarm', 'unavailable', 'neutral']),
});
export type StateDisplay = z.infer<typeof stateDisplaySchema> & { style: StateStyleToken };

/** Percent reads as "40%", every other unit after a space: "21.5 °C", "1200 W". */
const unitSuffix = (units: string | null): string => (!units ? '' : units === '%' ? '%' : ` ${units}`);

const CELSIUS = new Set(['°C', '℃']);
const FAHRENHEIT = new Set(['°F', '℉']);

/** One decimal, and never "-0.0". */
export const oneDecimal = (n: number): string => {
  const text = n.toFixed(1);
  return text === '-0.0' ? '0.0' : text;
};

/**
 * A temperature in the home's unit system, when its upstream unit differs (°C↔°F); null when nothing is to be
 * converted: other units, no unit, or no unit system given.
 */
export function convertTemperature(value: number, units: string | null, unitSystem: UnitSystem | undefined): { value: number; units: string } | null {
  if (units === null || unitSystem === undefined) return null;
  if (unitSystem === 'imperial' && CELSIUS.has(units)) return { value: (value * 9) / 5 + 32, units: '°F' };
  if (unitSystem === 'metric' && FAHRENHEIT.has(units)) return { value: ((value - 32) * 5) / 9, units: '°C' };
  return null;
}

/**
 * How one state value is shown, the same on the hub (status display) and in the panel (optimistic values). With a
 * unit system, temperatures are converted to it; without one (the hub's status displays) they keep the upstream's
 * unit. History always keeps the upstream value and unit: only the text changes.
 */
export function describeState(stateType: string, value: string | null, units: string | null, unitSystem?: UnitSystem): StateDisplay {
  const text = value?.trim() ?? '';
  const style = styleTokenFor(stateType, text === '' ? null : text);
  if (text === '' || text.toLowerCase() === 'unknown') return { text: 'Unknown', style: text === '' ? style : 'unavailable' };
  if (style === 'unavailable') return { text: 'Unavailable', style };
  const number = Number(text);
  if (Number.isFinite(number)) {
    const converted = convertTemperature(number, units, unitSystem);
    return { text: converted ? `${oneDecimal(converted.value)}${unitSuffix(converted.units)}` : `${text}${unitSuffix(units)}`, style };
  }
  const words = text.replace(/_/g, ' ');
  return { text: words.charAt(0).toUpperCase() + words.slice(1), style };
}
