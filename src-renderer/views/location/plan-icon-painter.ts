import type { ComponentChildren } from 'preact';
import type { StateStyleToken } from '../../../src-shared/enums/entity';
import type { ViewBox } from '../../../src-shared/model/location';
import { COLLECTION_GLYPH, EntityIconPaths, STALE_MARK } from '../../components/entity-icons';
import { drawSvgNode } from '../../components/svg-canvas';
import { viewBoxFit, type Point, type Size } from './pan-zoom';
import { ICON_DISC_RADIUS } from './plan-items';

/**
 * The plan's icons, painted on one canvas above the SVG. A thousand discs and glyphs as SVG elements made every
 * status change repaint the whole plan and were most of a first paint; the SVG keeps each item's hit target, name,
 * value and keyboard focus. The looks here follow what the plan's CSS gave the SVG icons, from the same theme colours.
 */

/** One icon to paint: where it is, how large, and the look its states give it. */
export interface PaintedIcon {
  key: string;
  x: number;
  y: number;
  /** Its glyph box in plan units (iconSize); the disc is ICON_DISC_RADIUS of it. */
  size: number;
  /** Degrees the glyph turns (the placement's rotation). */
  rotate: number;
  /** An entity type's glyph, or a collection's cards with its member count. */
  glyph: { type: string } | { collectionOf: number };
  token: StateStyleToken;
  stale: boolean;
  alerting: boolean;
  selected: boolean;
  focused: boolean;
}

/** How the plan is drawn: the SVG's viewBox and size, and its turn. */
export interface PlanFrame {
  viewBox: ViewBox;
  /** The SVG's size in CSS pixels. */
  size: Size;
  /** Degrees the plan's content turns about `centre` (the view's rotation and the turn to fill a portrait panel). */
  rotate: number;
  centre: Point;
  /** Degrees each item turns back, so that it looks as it would on the plan unturned. */
  turn: number;
  /** A security view: heavy rings, and whatever is merely off recedes. */
  security: boolean;
  /** A greyscale view: colour only for alerts and alarms. */
  greyscale: boolean;
}

interface Palette {
  surface: string;
  text: string;
  muted: string;
  accent: string;
  accentText: string;
  state(token: StateStyleToken): string;
  ink(token: StateStyleToken): string;
}

/** An item in alarm pulses its disc four times (as the CSS animation of the SVG icons did), then stays. */
const ALARM_PULSE = { periodMs: 1_200, times: 4, lowest: 0.45 };
/** The ring of an item an open alert is about. */
const ALERT_PULSE = { periodMs: 1_600, times: 4, lowest: 0.25 };
const ALERT_RING_COLOUR = '#c62828';
/** Glyph bitmaps are drawn with this margin (in the 24-unit box) for strokes and a collection's count that reach past it. */
const GLYPH_MARGIN = 2;
const GLYPH_BOX = 24;
/** Distinct glyph bitmaps kept: types × inks × sizes at the zooms in use. */
const MAX_GLYPH_BITMAPS = 400;

type Rgb = [number, number, number];

function parseHex(colour: string): Rgb | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim())?.[1];
  if (!hex) return null;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
}

const rgb = ([r, g, b]: Rgb) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;

/** `share` of `a` and the rest of `b`, in sRGB (CSS color-mix in srgb). */
export function mixColours(a: string, b: string, share: number): string {
  const [x, y] = [parseHex(a), parseHex(b)];
  if (!x || !y) return a;
  return rgb([0, 1, 2].map((i) => x[i]! * share + y[i]! * (1 - share)) as Rgb);
}

/** The grey CSS grayscale(1) turns a colour into. */
export function greyOf(colour: string): string {
  const c = parseHex(colour);
  if (!c) return colour;
  const l = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  return rgb([l, l, l]);
}

/** 1 outside a pulse; within it, down to `lowest` and back `times` times, eased in and out. */
export function pulseLevel(sinceMs: number, pulse: { periodMs: number; times: number; lowest: number }): number {
  if (sinceMs < 0 || sinceMs >= pulse.periodMs * pulse.times) return 1;
  const phase = (sinceMs % pulse.periodMs) / pulse.periodMs;
  const depth = 0.5 - 0.5 * Math.cos(2 * Math.PI * phase);
  return 1 - (1 - pulse.lowest) * depth;
}

function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    surface: read('--surface', '#ffffff'),
    text: read('--text', '#1d2430'),
    muted: read('--muted', '#5b6575'),
    accent: read('--accent', '#1a63d6'),
    accentText: read('--accent-text', '#ffffff'),
    state: (token) => read(`--state-${token}`, '#6b8299'),
    ink: (token) => read(`--state-${token}-ink`, '#ffffff'),
  };
}

export class PlanIconPainter {
  private palette: Palette | null = null;
  private readonly glyphs = new Map<string, HTMLCanvasElement>();
  /** When each item's alarm and alert began, for their pulses: only items on the plan now. */
  private alarmSince = new Map<string, number>();
  private alertSince = new Map<string, number>();
  private frame: PlanFrame | null = null;
  private icons: readonly PaintedIcon[] = [];
  private animation: number | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly reducedMotion: () => boolean = () => matchMedia('(prefers-reduced-motion: reduce)').matches,
  ) {}

  /** The theme changed: colours are read again at the next paint. */
  themeChanged(): void {
    this.palette = null;
    this.glyphs.clear();
    this.repaint();
  }

  paint(frame: PlanFrame, icons: readonly PaintedIcon[]): void {
    this.frame = frame;
    this.icons = icons;
    const now = performance.now();
    this.alarmSince = this.sinceFor(this.alarmSince, icons, (icon) => icon.token === 'alarm', now);
    this.alertSince = this.sinceFor(this.alertSince, icons, (icon) => icon.alerting, now);
    this.draw(now);
  }

  repaint(): void {
    if (this.frame) this.draw(performance.now());
  }

  dispose(): void {
    if (this.animation !== null) cancelAnimationFrame(this.animation);
    this.animation = null;
    this.glyphs.clear();
  }

  private sinceFor(previous: Map<string, number>, icons: readonly PaintedIcon[], on: (icon: PaintedIcon) => boolean, now: number): Map<string, number> {
    const next = new Map<string, number>();
    for (const icon of icons) if (on(icon)) next.set(icon.key, previous.get(icon.key) ?? now);
    return next;
  }

  private draw(now: number): void {
    const frame = this.frame;
    const ctx = this.canvas.getContext('2d');
    if (!frame || !ctx) return;
    const palette = (this.palette ??= readPalette(this.canvas));
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(frame.size.width * dpr));
    const height = Math.max(1, Math.round(frame.size.height * dpr));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    } else {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, width, height);
    }
    const { viewBox } = frame;
    const { scale, left, top } = viewBoxFit(viewBox, frame.size);
    const k = scale * dpr;
    ctx.setTransform(k, 0, 0, k, dpr * left - viewBox.x * k, dpr * top - viewBox.y * k);
    ctx.translate(frame.centre.x, frame.centre.y);
    ctx.rotate((frame.rotate * Math.PI) / 180);
    ctx.translate(-frame.centre.x, -frame.centre.y);
    const moving = !this.reducedMotion();
    for (const icon of this.icons) this.drawIcon(ctx, icon, frame, palette, { scale, dpr }, moving ? now : Infinity);
    this.animateWhilePulsing(now, moving);
  }

  private animateWhilePulsing(now: number, moving: boolean): void {
    const pulsing =
      moving &&
      ([...this.alarmSince.values()].some((since) => now - since < ALARM_PULSE.periodMs * ALARM_PULSE.times) ||
        [...this.alertSince.values()].some((since) => now - since < ALERT_PULSE.periodMs * ALERT_PULSE.times));
    this.canvas.dataset.pulsing = String(pulsing);
    if (!pulsing || this.animation !== null) return;
    this.animation = requestAnimationFrame(() => {
      this.animation = null;
      this.repaint();
    });
  }

  /** `scale` is CSS pixels per plan unit: strokes are widths on screen, as the SVG's non-scaling strokes were. */
  private drawIcon(ctx: CanvasRenderingContext2D, icon: PaintedIcon, frame: PlanFrame, palette: Palette, { scale, dpr }: { scale: number; dpr: number }, now: number): void {
    const px = 1 / scale;
    const devicePxPerUnit = scale * dpr;
    const colour = (value: string) => (frame.greyscale && icon.token !== 'alert' && icon.token !== 'alarm' ? greyOf(value) : value);
    const disc = icon.size * ICON_DISC_RADIUS;
    ctx.save();
    ctx.translate(icon.x, icon.y);
    if (frame.turn !== 0) ctx.rotate((-frame.turn * Math.PI) / 180);
    if (frame.security && (icon.token === 'inactive' || icon.token === 'neutral')) ctx.globalAlpha = 0.5;
    const baseAlpha = ctx.globalAlpha;

    if (icon.alerting) {
      ctx.globalAlpha = baseAlpha * pulseLevel(now - (this.alertSince.get(icon.key) ?? now), ALERT_PULSE);
      ctx.beginPath();
      ctx.arc(0, 0, disc * 1.45, 0, 2 * Math.PI);
      ctx.strokeStyle = ALERT_RING_COLOUR;
      ctx.lineWidth = 3 * px;
      ctx.stroke();
      ctx.globalAlpha = baseAlpha;
    }

    const fill = icon.stale ? mixColours(palette.state(icon.token), palette.state('unavailable'), 0.25) : palette.state(icon.token);
    const stroke = this.discStroke(icon, frame, palette);
    const discPath = new Path2D();
    discPath.arc(0, 0, disc, 0, 2 * Math.PI);
    const strokeDisc = () => {
      ctx.globalAlpha = baseAlpha * stroke.alpha;
      ctx.strokeStyle = colour(stroke.colour);
      ctx.lineWidth = stroke.width * px;
      ctx.setLineDash(stroke.dash.map((d) => d * px));
      ctx.stroke(discPath);
      ctx.setLineDash([]);
      ctx.globalAlpha = baseAlpha;
    };
    // A security view's heavy ring lies under the fill, half of it hidden (paint-order: stroke).
    if (stroke.under) strokeDisc();
    ctx.globalAlpha = baseAlpha * (icon.token === 'alarm' ? pulseLevel(now - (this.alarmSince.get(icon.key) ?? now), ALARM_PULSE) : 1);
    ctx.fillStyle = colour(fill);
    ctx.fill(discPath);
    ctx.globalAlpha = baseAlpha;
    if (!stroke.under) strokeDisc();

    const ink = colour(icon.stale ? palette.muted : palette.ink(icon.token));
    const glyph = this.glyphBitmap(icon.glyph, ink, palette, icon.size * devicePxPerUnit);
    const reach = (icon.size * (GLYPH_BOX + 2 * GLYPH_MARGIN)) / GLYPH_BOX;
    ctx.save();
    if (icon.rotate !== 0) ctx.rotate((icon.rotate * Math.PI) / 180);
    ctx.drawImage(glyph, -reach / 2, -reach / 2, reach, reach);
    ctx.restore();

    // A clock on the rim, top left: unlike a hatching, nothing on a floor plan looks like it.
    if (icon.stale) {
      const mark = disc * 0.8;
      const bitmap = this.glyphBitmap('stale', '', palette, mark * devicePxPerUnit);
      const markReach = (mark * (GLYPH_BOX + 2 * GLYPH_MARGIN)) / GLYPH_BOX;
      ctx.drawImage(bitmap, -disc * 0.7 - markReach / 2, -disc * 0.7 - markReach / 2, markReach, markReach);
    }
    ctx.restore();
  }

  /** The disc's outline, in CSS pixels: focus over selection over staleness over the rest. */
  private discStroke(icon: PaintedIcon, frame: PlanFrame, palette: Palette): { colour: string; width: number; dash: number[]; alpha: number; under: boolean } {
    const plain = { dash: [] as number[], alpha: 1, under: false };
    if (icon.focused) return { ...plain, colour: palette.text, width: 5 };
    if (icon.selected) return { ...plain, colour: palette.accent, width: 4 };
    if (icon.stale) return { ...plain, colour: palette.muted, width: 2, dash: [3, 3] };
    if (frame.security) return { colour: palette.state(icon.token), width: 6, dash: [], alpha: 0.55, under: true };
    if (icon.token === 'unavailable') return { ...plain, colour: palette.ink('unavailable'), width: 2, dash: [4, 3] };
    if ('collectionOf' in icon.glyph) return { ...plain, colour: palette.accent, width: 3 };
    return { ...plain, colour: palette.surface, width: 2 };
  }

  /** A glyph drawn once per ink and size in device pixels, with GLYPH_MARGIN around its box. */
  private glyphBitmap(glyph: PaintedIcon['glyph'] | 'stale', ink: string, palette: Palette, devicePx: number): HTMLCanvasElement {
    const boxPx = Math.max(1, Math.round(devicePx));
    const name = glyph === 'stale' ? 'stale' : 'type' in glyph ? glyph.type : `collection:${glyph.collectionOf}`;
    const key = `${name}|${ink}|${boxPx}`;
    let bitmap = this.glyphs.get(key);
    if (bitmap) return bitmap;
    if (this.glyphs.size >= MAX_GLYPH_BITMAPS) this.glyphs.clear();
    bitmap = document.createElement('canvas');
    const side = Math.ceil((boxPx * (GLYPH_BOX + 2 * GLYPH_MARGIN)) / GLYPH_BOX);
    bitmap.width = side;
    bitmap.height = side;
    const ctx = bitmap.getContext('2d');
    if (ctx) {
      ctx.scale(side / (GLYPH_BOX + 2 * GLYPH_MARGIN), side / (GLYPH_BOX + 2 * GLYPH_MARGIN));
      ctx.translate(GLYPH_MARGIN, GLYPH_MARGIN);
      const drawing: ComponentChildren = glyph === 'stale' ? STALE_MARK : 'type' in glyph ? EntityIconPaths({ type: glyph.type }) : COLLECTION_GLYPH;
      drawSvgNode(ctx, drawing, ink);
      if (glyph !== 'stale' && 'collectionOf' in glyph) drawCount(ctx, glyph.collectionOf, palette);
    }
    this.glyphs.set(key, bitmap);
    return bitmap;
  }
}

/** A collection's member count, on an accent badge at the top right of its cards. */
function drawCount(ctx: CanvasRenderingContext2D, count: number, palette: Palette): void {
  ctx.beginPath();
  ctx.arc(20, 4, 5.5, 0, 2 * Math.PI);
  ctx.fillStyle = palette.accent;
  ctx.fill();
  ctx.strokeStyle = palette.surface;
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.fillStyle = palette.accentText;
  ctx.font = '700 7px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(String(count), 20, 4.3);
}
