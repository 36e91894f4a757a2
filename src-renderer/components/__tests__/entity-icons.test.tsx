import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { EntityType } from '../../../src-shared/enums/entity';
import { EntityIcon, EntityIconPaths, glyphType, PlanMarkSymbols, STALE_MARK } from '../entity-icons';

const markup = (type: string) => render(<EntityIconPaths type={type} />);

describe('entity icons', () => {
  it('draws a distinct icon for every entity type', () => {
    const byMarkup = new Map<string, string>();
    for (const { value } of EntityType.members) {
      const svg = markup(value);
      expect(svg, value).toMatch(/<(path|circle|rect)\b/);
      expect(byMarkup.get(svg), `${value} draws the same icon as`).toBeUndefined();
      byMarkup.set(svg, value);
    }
  });

  it('uses no inline styles or scripts (the CSP forbids them)', () => {
    for (const { value } of EntityType.members) {
      const svg = render(<EntityIcon type={value} />);
      expect(svg, value).not.toMatch(/style=/i);
      expect(svg, value).not.toMatch(/<script/i);
    }
  });

  it('draws OTHER for an unknown type and accepts names in any case', () => {
    expect(markup('hovercraft')).toBe(markup(EntityType.OTHER.value));
    expect(markup('Water_Heater')).toBe(markup(EntityType.WATER_HEATER.value));
  });

  it('wraps the icon in a sized, hidden 24x24 svg', () => {
    const svg = render(<EntityIcon type="light" size={48} />);
    expect(svg).toMatch(/^<svg viewBox="0 0 24 24" width="48" height="48" aria-hidden="true">/);
    expect(render(<EntityIcon type="light" />)).toContain('width="32"');
  });

  it('defines the stale mark for the SVG from the same drawing the canvas paints', () => {
    const defs = render(<PlanMarkSymbols />);
    expect(defs).toContain(`<symbol id="plan-mark-stale" viewBox="0 0 24 24">${render(STALE_MARK)}</symbol>`);
    // Its own colours, not the theme's: it reads on any disc in either theme.
    expect(render(STALE_MARK)).toContain('fill="#24292f"');
  });

  it('draws an OTHER entity by the state it reports: a battery level as a battery, not a question mark', () => {
    expect(glyphType('other', 'battery')).toBe('battery_storage');
    expect(glyphType('other', 'temperature')).toBe('temperature_sensor');
    expect(glyphType('other', 'discrete')).toBe('other');
    expect(glyphType('other', undefined)).toBe('other');
    expect(glyphType('light', 'battery')).toBe('light');
  });
});
