import { DISPLAY_SCALE_FACTOR, DisplayScale } from '../../../src-shared/enums/display-scale';
import type { Size } from './pan-zoom';

/**
 * The factor of the display scale setting on a screen of `viewport` CSS px. Automatic goes by the screen's shorter
 * side: 100 % up to a 1280×800 (or 800×1280) panel, where the minimum sizes already make icons 48 px and names
 * 16 px, and larger on the large screens that are read from further away.
 */
export function displayScaleFactor(setting: unknown, viewport: Size): number {
  const fixed = DISPLAY_SCALE_FACTOR[DisplayScale.fromNameSafe(typeof setting === 'string' ? setting : null).value];
  if (fixed !== null) return fixed;
  const shorter = Math.min(viewport.width, viewport.height);
  if (shorter >= 1400) return 1.5;
  if (shorter >= 1000) return 1.25;
  return 1;
}
