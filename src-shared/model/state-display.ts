import { z } from 'zod';
import { styleTokenFor, type StateStyleToken } from '../enums/entity';

export const stateDisplaySchema = z.object({
  /** What the panel prints: never blank; unknown and unavailable said in words; numbers with their unit. */
  text: z.string(),
  style: z.enum(['active', 'inactive', 'ok', 'warning', 'alert', 'alarm', 'unavailable', 'neutral']),
});
export type StateDisplay = z.infer<typeof stateDisplaySchema> & { style: StateStyleToken };

/** Percent reads as "40%", every other unit after a space: "21.5 °C", "1200 W". */
const unitSuffix = (units: string | null): string => (!units ? '' : units === '%' ? '%' : ` ${units}`);

/** How one state value is shown, the same on the hub (status display) and in the panel (optimistic values). */
export function describeState(stateType: string, value: string | null, units: string | null): StateDisplay {
  const text = value?.trim() ?? '';
  const style = styleTokenFor(stateType, text === '' ? null : text);
  if (text === '' || text.toLowerCase() === 'unknown') return { text: 'Unknown', style: text === '' ? style : 'unavailable' };
  if (style === 'unavailable') return { text: 'Unavailable', style };
  if (Number.isFinite(Number(text))) return { text: `${text}${unitSuffix(units)}`, style };
  const words = text.replace(/_/g, ' ');
  return { text: words.charAt(0).toUpperCase() + words.slice(1), style };
}
