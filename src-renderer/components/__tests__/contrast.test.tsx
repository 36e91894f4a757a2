// Runs in Node (vitest), reading the stylesheet the renderer ships.
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const STYLES = readFileSync(new URL('../../styles.css', import.meta.url), 'utf8');

/** WCAG 2.x AA: body text 4.5:1; large text (24 px, or 18.7 px bold) and the parts of controls and icons 3:1. */
const TEXT = 4.5;
const LARGE_OR_UI = 3;

type Theme = 'light' | 'dark';
const THEME_SELECTORS: Record<Theme, readonly string[]> = { light: [':root'], dark: [':root', ":root[data-theme='dark']"] };

/** The custom properties a theme sets: every block of its selectors, in order, later ones winning. */
function themeProperties(theme: Theme): Map<string, string> {
  const properties = new Map<string, string>();
  const blocks = /([^{}]+)\{([^{}]*)\}/g;
  for (const [, selectorText = '', body = ''] of STYLES.matchAll(blocks)) {
    const selector = selectorText.replace(/\/\*[\s\S]*?\*\//g, '').trim();
    if (!THEME_SELECTORS[theme].includes(selector)) continue;
    for (const [, name = '', value = ''] of body.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) properties.set(name, value.trim());
  }
  return properties;
}

type Rgb = [number, number, number];

function parseColour(text: string): Rgb {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text);
  if (hex) {
    const digits = hex[1]!.length === 3 ? [...hex[1]!].map((d) => d + d).join('') : hex[1]!;
    return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as Rgb;
  }
  const rgb = /^rgb\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*\)$/i.exec(text);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`Not an opaque colour the contrast check reads: ${text}`);
}

function resolve(properties: Map<string, string>, name: string): Rgb {
  let value = properties.get(name);
  for (let hops = 0; value !== undefined && value.startsWith('var(') && hops < 10; hops += 1) value = properties.get(value.slice(4, -1).trim());
  if (value === undefined) throw new Error(`${name} is not set`);
  return parseColour(value);
}

const channel = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const luminance = ([r, g, b]: Rgb) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** What is drawn in `fg` on `bg`, and the ratio it needs. */
const PAIRS: ReadonlyArray<[fg: string, bg: string, minimum: number, what: string]> = [
  ['--text', '--bg', TEXT, 'text on the page'],
  ['--text', '--surface', TEXT, 'text in panels and dialogs'],
  ['--muted', '--surface', TEXT, 'secondary text in panels'],
  ['--muted', '--bg', TEXT, 'secondary text on the page'],
  ['--accent-text', '--accent', TEXT, 'button labels'],
  ['--accent', '--surface', TEXT, 'secondary and link buttons in panels'],
  ['--accent', '--bg', TEXT, 'secondary and link buttons on the page'],
  ['--danger', '--surface', TEXT, 'error messages'],
  ['--danger', '--danger-bg', TEXT, 'error banners'],
  ['--danger-ink', '--danger', TEXT, 'destructive buttons'],
  ['--ok', '--surface', TEXT, 'health "connected" text'],
  ['--warn', '--surface', TEXT, 'health warnings'],
  ['--field-border', '--surface', LARGE_OR_UI, 'the edge of inputs and secondary buttons'],
  ['--state-active-ink', '--state-active', LARGE_OR_UI, 'icon glyph: active'],
  ['--state-inactive-ink', '--state-inactive', LARGE_OR_UI, 'icon glyph: inactive'],
  ['--state-ok-ink', '--state-ok', LARGE_OR_UI, 'icon glyph: ok'],
  ['--state-warning-ink', '--state-warning', LARGE_OR_UI, 'icon glyph: warning'],
  ['--state-alert-ink', '--state-alert', LARGE_OR_UI, 'icon glyph: alert'],
  ['--state-alarm-ink', '--state-alarm', LARGE_OR_UI, 'icon glyph: alarm'],
  ['--state-unavailable-ink', '--state-unavailable', LARGE_OR_UI, 'icon glyph: unavailable'],
  ['--state-neutral-ink', '--state-neutral', LARGE_OR_UI, 'icon glyph: neutral'],
];

describe('theme contrast (WCAG AA)', () => {
  it('measures as WCAG does', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrastRatio([118, 118, 118], [255, 255, 255])).toBeCloseTo(4.54, 2);
  });

  for (const theme of ['light', 'dark'] as const) {
    const properties = themeProperties(theme);
    it.each(PAIRS)(`${theme}: %s on %s at least %d:1 (%s)`, (fg, bg, minimum) => {
      expect(contrastRatio(resolve(properties, fg), resolve(properties, bg))).toBeGreaterThanOrEqual(minimum);
    });
  }
});
