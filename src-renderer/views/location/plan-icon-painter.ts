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
/** Icons are drawn in a 24-unit box. */
const GLYPH_BOX = 24;
/**
 * The side of the bitmap that holds every distinct icon at the current zoom, in device pixels: it starts small (the
 * few dozen looks of most plans, and a quarter of the memory to clear at the first paint) and doubles when full.
 */
const ATLAS_FIRST_SIDE = 512;
const ATLAS_MAX_SIDE = 1024;

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

// A record, so that a token added to StateStyleToken and not here fails to compile.
const STATE_TOKENS = Object.keys({ active: 0, inactive: 0, ok: 0, warning: 0, alert: 0, alarm: 0, unavailable: 0, neutral: 0 } satisfies Record<StateStyleToken, 0>) as StateStyleToken[];

/** The theme's colours, read once per theme: reading a computed style per icon would cost a style recalculation each. */
function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const fills = new Map(STATE_TOKENS.map((token) => [token, read(`--state-${token}`, '#6b8299')]));
  const inks = new Map(STATE_TOKENS.map((token) => [token, read(`--state-${token}-ink`, '#ffffff')]));
  return {
    surface: read('--surface', '#ffffff'),
    text: read('--text', '#1d2430'),
    muted: read('--muted', '#5b6575'),
    accent: read('--accent', '#1a63d6'),
    accentText: read('--accent-text', '#ffffff'),
    state: (token) => fills.get(token) ?? '#6b8299',
    ink: (token) => inks.get(token) ?? '#ffffff',
  };
}

const sameFrame = (a: PlanFrame, b: PlanFrame): boolean =>
  a.viewBox.x === b.viewBox.x &&
  a.viewBox.y === b.viewBox.y &&
  a.viewBox.width === b.viewBox.width &&
  a.viewBox.height === b.viewBox.height &&
  a.size.width === b.size.width &&
  a.size.height === b.size.height &&
  a.rotate === b.rotate &&
  a.centre.x === b.centre.x &&
  a.centre.y === b.centre.y &&
  a.turn === b.turn &&
  a.security === b.security &&
  a.greyscale === b.greyscale;

const sameGlyph = (a: PaintedIcon['glyph'], b: PaintedIcon['glyph']): boolean =>
  'type' in a ? 'type' in b && a.type === b.type : 'collectionOf' in b && a.collectionOf === b.collectionOf;

/** The same icons in the same places and sizes: only their looks may differ. */
function sameGeometry(a: readonly PaintedIcon[], b: readonly PaintedIcon[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((icon, i) => {
    const other = b[i]!;
    return icon.key === other.key && icon.x === other.x && icon.y === other.y && icon.size === other.size && icon.rotate === other.rotate;
  });
}

/** The same look: what the store's states and the selection give an icon, apart from where it is. */
const sameLook = (a: PaintedIcon, b: PaintedIcon): boolean =>
  sameGlyph(a.glyph, b.glyph) && a.token === b.token && a.stale === b.stale && a.alerting === b.alerting && a.selected === b.selected && a.focused === b.focused;

/** An icon on the canvas: its index in the painted list, its centre in device pixels and how far it reaches. */
interface Placed {
  index: number;
  x: number;
  y: number;
  reach: number;
}

interface AtlasCell {
  x: number;
  y: number;
  side: number;
}

/**
 * Icons drawn once each into one bitmap, in rows: a thousand icons on a plan are a few dozen looks (type, state,
 * size), and copying a drawn icon costs a fraction of drawing its paths. One canvas for all of them, rather than one
 * each, keeps the first paint from allocating dozens of bitmaps.
 */
class IconAtlas {
  private canvas: HTMLCanvasElement | null = null;
  private side = ATLAS_FIRST_SIDE;
  private readonly cells = new Map<string, AtlasCell>();
  private rowX = 0;
  private rowY = 0;
  private rowHeight = 0;

  get bitmap(): HTMLCanvasElement | null {
    return this.canvas;
  }

  clear(): void {
    this.cells.clear();
    this.rowX = this.rowY = this.rowHeight = 0;
    this.canvas?.getContext('2d')?.clearRect(0, 0, this.side, this.side);
  }

  /** The cell holding `key`, drawn by `draw` (centred on the origin) the first time; null when the atlas is full. */
  cell(key: string, side: number, draw: (ctx: CanvasRenderingContext2D) => void): AtlasCell | null {
    const known = this.cells.get(key);
    if (known) return known;
    if (side > ATLAS_MAX_SIDE) return null;
    let spot = this.place(side);
    while (!spot && this.grow()) spot = this.place(side);
    const ctx = spot && this.bitmap?.getContext('2d');
    if (!spot || !ctx) return null;
    const cell = { ...spot, side };
    ctx.save();
    ctx.beginPath();
    ctx.rect(cell.x, cell.y, side, side);
    ctx.clip();
    ctx.translate(cell.x + side / 2, cell.y + side / 2);
    draw(ctx);
    ctx.restore();
    this.cells.set(key, cell);
    return cell;
  }

  /** Where the next cell of `side` goes, in rows; null when the bitmap has no room left. */
  private place(side: number): { x: number; y: number } | null {
    if (this.rowX + side > this.side) {
      this.rowX = 0;
      this.rowY += this.rowHeight + 1;
      this.rowHeight = 0;
    }
    if (this.rowY + side > this.side) return null;
    this.canvas ??= this.newCanvas();
    const spot = { x: this.rowX, y: this.rowY };
    this.rowX += side + 1;
    this.rowHeight = Math.max(this.rowHeight, side);
    return spot;
  }

  /** Doubles the bitmap, keeping the cells drawn so far where they are; false at the largest size. */
  private grow(): boolean {
    if (this.side >= ATLAS_MAX_SIDE) return false;
    this.side *= 2;
    const previous = this.canvas;
    this.canvas = this.newCanvas();
    if (previous) this.canvas.getContext('2d')?.drawImage(previous, 0, 0);
    return true;
  }

  private newCanvas(): HTMLCanvasElement {
    const canvas = document.createElement('canvas');
    canvas.width = this.side;
    canvas.height = this.side;
    return canvas;
  }
}

export class PlanIconPainter {
  private palette: Palette | null = null;
  private readonly atlas = new IconAtlas();
  /** The device pixels per plan unit the atlas's icons were drawn at: a zoom draws them again. */
  private atlasScale = 0;
  /** When each item's alarm and alert began, for their pulses: only items on the plan now. */
  private alarmSince = new Map<string, number>();
  private alertSince = new Map<string, number>();
  private frame: PlanFrame | null = null;
  private icons: readonly PaintedIcon[] = [];
  private animation: number | null = null;
  /** Where the last full paint put each icon on the canvas, for repainting only what changed. */
  private layout: { scale: number; dpr: number; cos: number; sin: number; placed: Placed[] } | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly reducedMotion: () => boolean = () => matchMedia('(prefers-reduced-motion: reduce)').matches,
  ) {}

  /** The theme changed: colours are read again at the next paint. */
  themeChanged(): void {
    this.palette = null;
    this.atlas.clear();
  }

  paint(frame: PlanFrame, icons: readonly PaintedIcon[]): void {
    const relayout = this.frame === null || this.palette === null || !sameFrame(this.frame, frame) || !sameGeometry(this.icons, icons);
    const changed = relayout ? null : new Set(icons.filter((icon, i) => !sameLook(icon, this.icons[i]!)).map((icon) => icon.key));
    // A render that changed nothing painted (a pass of the name layout, a badge's text) paints nothing.
    if (changed?.size === 0) return;
    const now = performance.now();
    this.frame = frame;
    this.icons = icons;
    this.alarmSince = this.sinceFor(this.alarmSince, icons, (icon) => icon.token === 'alarm', now);
    this.alertSince = this.sinceFor(this.alertSince, icons, (icon) => icon.alerting, now);
    if (changed) this.drawChanged(changed, now);
    else this.draw(now);
  }

  /** The next frame of the pulses: only the icons that pulse are drawn again. */
  repaint(): void {
    if (this.frame) this.drawChanged(new Set([...this.alarmSince.keys(), ...this.alertSince.keys()]), performance.now());
  }

  dispose(): void {
    if (this.animation !== null) cancelAnimationFrame(this.animation);
    this.animation = null;
    this.atlas.clear();
  }

  private sinceFor(previous: Map<string, number>, icons: readonly PaintedIcon[], on: (icon: PaintedIcon) => boolean, now: number): Map<string, number> {
    const next = new Map<string, number>();
    for (const icon of icons) if (on(icon)) next.set(icon.key, previous.get(icon.key) ?? now);
    return next;
  }

  /** Lays every icon out again and paints the whole canvas. */
  private draw(now: number): void {
    const frame = this.frame;
    const ctx = this.canvas.getContext('2d');
    if (!frame || !ctx) return;
    this.palette ??= readPalette(this.canvas);
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
    const turnRadians = (frame.rotate * Math.PI) / 180;
    const [cos, sin] = [Math.cos(turnRadians), Math.sin(turnRadians)];
    const [originX, originY] = [dpr * left - viewBox.x * k, dpr * top - viewBox.y * k];
    this.layout = { scale, dpr, cos, sin, placed: [] };
    this.icons.forEach((icon, index) => {
      // Where the icon's centre lands, in device pixels: the plan's turn about its centre, then the viewBox's fit.
      const [relX, relY] = [icon.x - frame.centre.x, icon.y - frame.centre.y];
      const x = originX + k * (frame.centre.x + relX * cos - relY * sin);
      const y = originY + k * (frame.centre.y + relX * sin + relY * cos);
      // As far as anything of it reaches: its alert ring is the widest.
      const reach = Math.ceil(icon.size * ICON_DISC_RADIUS * 1.5 * k + 6 * dpr);
      if (x < -reach || y < -reach || x > width + reach || y > height + reach) return;
      this.layout!.placed.push({ index, x, y, reach });
    });
    this.drawPlaced(ctx, this.layout.placed, now);
    // How many icons are on screen, for tests and the first-paint benchmark: the canvas has no elements to count.
    this.canvas.dataset.painted = String(this.layout.placed.length);
  }

  /**
   * Paints again only where the icons in `keys` are: cleared and redrawn with every icon that overlaps them, in
   * order, so that a few changes in a frame cost a few icons and not the whole canvas.
   */
  private drawChanged(keys: ReadonlySet<string>, now: number): void {
    const ctx = this.canvas.getContext('2d');
    if (!this.layout || !ctx) return this.draw(now);
    const dirty = this.layout.placed.filter((p) => keys.has(this.icons[p.index]!.key));
    if (dirty.length === 0) return this.animateWhilePulsing(now);
    if (dirty.length * 4 > this.layout.placed.length) return this.draw(now);
    const overlaps = (a: Placed, b: Placed) => Math.abs(a.x - b.x) < a.reach + b.reach && Math.abs(a.y - b.y) < a.reach + b.reach;
    const affected = this.layout.placed.filter((p) => dirty.some((d) => overlaps(p, d)));
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.beginPath();
    for (const d of dirty) {
      const box = [Math.floor(d.x - d.reach), Math.floor(d.y - d.reach), 2 * d.reach + 2, 2 * d.reach + 2] as const;
      ctx.clearRect(...box);
      ctx.rect(...box);
    }
    ctx.clip();
    this.drawPlaced(ctx, affected, now);
    ctx.restore();
  }

  private drawPlaced(ctx: CanvasRenderingContext2D, placed: readonly Placed[], now: number): void {
    const { frame, palette, layout } = this;
    if (!frame || !palette || !layout) return;
    const { scale, dpr, cos, sin } = layout;
    const k = scale * dpr;
    const moving = !this.reducedMotion();
    const at = moving ? now : Infinity;
    // Every look is drawn into the atlas before any is copied out of it: a bitmap changed between two copies is
    // copied whole again for the second.
    const cells = placed.map(({ index }) => {
      const icon = this.icons[index]!;
      const special = icon.alerting || icon.selected || icon.focused || this.alarmSince.has(icon.key);
      return special ? null : this.atlasCell(icon, frame, palette, { scale, dpr }, this.cellReach(icon, k, dpr));
    });
    const atlas = this.atlas.bitmap;
    // Copies are placed in device pixels: the identity transform is set again only after an icon drawn in place.
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    let identity = true;
    placed.forEach(({ index, x, y }, i) => {
      const icon = this.icons[index]!;
      const cell = cells[i];
      if (cell && atlas) {
        if (!identity) ctx.setTransform(1, 0, 0, 1, 0, 0);
        identity = true;
        ctx.drawImage(atlas, cell.x, cell.y, cell.side, cell.side, Math.round(x - cell.side / 2), Math.round(y - cell.side / 2), cell.side, cell.side);
      } else {
        // Rare, perhaps animated, or more looks than the atlas holds: drawn as paths, in place.
        ctx.setTransform(k * cos, k * sin, -k * sin, k * cos, x, y);
        identity = false;
        if (frame.turn !== 0) ctx.rotate((-frame.turn * Math.PI) / 180);
        this.drawIcon(ctx, icon, frame, palette, scale, at);
      }
    });
    this.animateWhilePulsing(now);
  }

  /** Half the side of an icon's cell in device pixels: its disc, its outline and its stale mark. */
  private cellReach(icon: PaintedIcon, devicePxPerUnit: number, dpr: number): number {
    return Math.ceil(icon.size * ICON_DISC_RADIUS * 1.25 * devicePxPerUnit + 6 * dpr);
  }

  /** The atlas cell of an icon drawn upright as the screen shows it, drawn there the first time it is asked for. */
  private atlasCell(icon: PaintedIcon, frame: PlanFrame, palette: Palette, sizes: { scale: number; dpr: number }, reach: number): AtlasCell | null {
    const k = sizes.scale * sizes.dpr;
    if (k !== this.atlasScale) {
      this.atlas.clear();
      this.atlasScale = k;
    }
    const screenTurn = frame.rotate - frame.turn;
    const glyph = 'type' in icon.glyph ? icon.glyph.type : `collection:${icon.glyph.collectionOf}`;
    const key = [glyph, icon.token, icon.stale, icon.size, icon.rotate, screenTurn, frame.security, frame.greyscale].join('|');
    return this.atlas.cell(key, 2 * reach, (ctx) => {
      ctx.scale(k, k);
      ctx.rotate((screenTurn * Math.PI) / 180);
      this.drawIcon(ctx, icon, frame, palette, sizes.scale, Infinity);
    });
  }

  private animateWhilePulsing(now: number): void {
    const pulsing =
      !this.reducedMotion() &&
      ([...this.alarmSince.values()].some((since) => now - since < ALARM_PULSE.periodMs * ALARM_PULSE.times) ||
        [...this.alertSince.values()].some((since) => now - since < ALERT_PULSE.periodMs * ALERT_PULSE.times));
    this.canvas.dataset.pulsing = String(pulsing);
    if (!pulsing || this.animation !== null) return;
    this.animation = requestAnimationFrame(() => {
      this.animation = null;
      this.repaint();
    });
  }

  /**
   * An icon's paths, centred on the context's origin in plan units, turned as the item is. `scale` is CSS pixels per
   * plan unit: strokes are widths on screen, as the SVG's non-scaling strokes were.
   */
  private drawIcon(ctx: CanvasRenderingContext2D, icon: PaintedIcon, frame: PlanFrame, palette: Palette, scale: number, now: number): void {
    const px = 1 / scale;
    const colour = (value: string) => (frame.greyscale && icon.token !== 'alert' && icon.token !== 'alarm' ? greyOf(value) : value);
    const disc = icon.size * ICON_DISC_RADIUS;
    ctx.save();
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
    ctx.save();
    if (icon.rotate !== 0) ctx.rotate((icon.rotate * Math.PI) / 180);
    ctx.scale(icon.size / GLYPH_BOX, icon.size / GLYPH_BOX);
    ctx.translate(-GLYPH_BOX / 2, -GLYPH_BOX / 2);
    if ('type' in icon.glyph) drawSvgNode(ctx, EntityIconPaths({ type: icon.glyph.type }), ink);
    else {
      drawSvgNode(ctx, COLLECTION_GLYPH, ink);
      drawCount(ctx, icon.glyph.collectionOf, palette);
    }
    ctx.restore();

    // A clock on the rim, top left: unlike a hatching, nothing on a floor plan looks like it.
    if (icon.stale) {
      const mark = disc * 0.8;
      ctx.translate(-disc * 0.7 - mark / 2, -disc * 0.7 - mark / 2);
      ctx.scale(mark / GLYPH_BOX, mark / GLYPH_BOX);
      drawSvgNode(ctx, STALE_MARK, '');
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
