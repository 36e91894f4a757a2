import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EntityStateView } from '../../../../src-shared/model/location';
import { describeState } from '../../../../src-shared/model/state-display';
import { EntityIconPaths } from '../../../components/entity-icons';
import { drawSvgNode } from '../../../components/svg-canvas';
import type { PlanEntity } from '../../../store/home-slice';
import { greyOf, mixColours, PlanIconPainter, pulseLevel, type PaintedIcon, type PlanFrame } from '../plan-icon-painter';
import { paintedIcons, type PlanIconSource } from '../plan-icons';

/** What a test context was asked to draw: each fill and stroke with its colour, alpha, width and dash. */
interface Drawn {
  op: 'fill' | 'stroke' | 'image' | 'text';
  colour: string;
  alpha: number;
  width: number;
  dash: number[];
  path?: string;
}

class RecordingPath {
  readonly parts: string[] = [];
  constructor(d?: string) {
    if (d) this.parts.push(d);
  }
  arc(x: number, y: number, r: number) {
    this.parts.push(`arc ${x} ${y} ${r}`);
  }
  roundRect(x: number, y: number, w: number, h: number, r: number) {
    this.parts.push(`rect ${x} ${y} ${w} ${h} ${r}`);
  }
}

/** A 2D context that records what is drawn, enough of one for the painter and the SVG walker. */
function recordingContext(drawn: Drawn[]) {
  let dash: number[] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    lineCap: 'butt',
    lineJoin: 'miter',
    globalAlpha: 1,
    font: '',
    textAlign: 'start',
    textBaseline: 'alphabetic',
    setTransform: vi.fn(),
    translate: vi.fn(),
    rotate: vi.fn(),
    scale: vi.fn(),
    save: vi.fn(),
    restore: vi.fn(),
    clearRect: vi.fn(),
    beginPath: vi.fn(),
    arc: vi.fn(),
    rect: vi.fn(),
    clip: vi.fn(),
    setLineDash: (d: number[]) => (dash = d),
    fill: (path?: RecordingPath) => drawn.push({ op: 'fill', colour: ctx.fillStyle, alpha: ctx.globalAlpha, width: 0, dash, path: path?.parts.join(' ') }),
    stroke: (path?: RecordingPath) =>
      drawn.push({ op: 'stroke', colour: ctx.strokeStyle, alpha: ctx.globalAlpha, width: ctx.lineWidth, dash, path: path?.parts.join(' ') }),
    drawImage: () => drawn.push({ op: 'image', colour: '', alpha: ctx.globalAlpha, width: 0, dash }),
    fillText: (text: string) => drawn.push({ op: 'text', colour: ctx.fillStyle, alpha: ctx.globalAlpha, width: 0, dash, path: text }),
  };
  return ctx;
}

const THEME: Record<string, string> = {
  '--surface': '#ffffff',
  '--text': '#1d2430',
  '--muted': '#5b6575',
  '--accent': '#1a63d6',
  '--accent-text': '#ffffff',
  '--state-active': '#f5b400',
  '--state-active-ink': '#3d2c00',
  '--state-inactive': '#c6ccd5',
  '--state-inactive-ink': '#3a4452',
  '--state-alarm': '#d1242f',
  '--state-alarm-ink': '#ffffff',
  '--state-unavailable': '#eceef1',
  '--state-unavailable-ink': '#6e7781',
};

let drawn: Drawn[];
let frames: Array<() => void>;

/** A canvas whose context records, and glyph bitmaps whose contexts record into the same list. */
function fakeCanvas() {
  return { width: 0, height: 0, dataset: {} as Record<string, string>, getContext: () => recordingContext(drawn) };
}

beforeEach(() => {
  drawn = [];
  frames = [];
  vi.stubGlobal('Path2D', RecordingPath);
  vi.stubGlobal('window', { devicePixelRatio: 1 });
  vi.stubGlobal('document', { createElement: () => fakeCanvas() });
  vi.stubGlobal('getComputedStyle', () => ({ getPropertyValue: (name: string) => THEME[name] ?? '' }));
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
  vi.stubGlobal('cancelAnimationFrame', vi.fn());
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const FRAME: PlanFrame = {
  viewBox: { x: 0, y: 0, width: 1000, height: 500 },
  size: { width: 1000, height: 500 },
  rotate: 0,
  centre: { x: 500, y: 250 },
  turn: 0,
  security: false,
  greyscale: false,
};

const icon = (overrides: Partial<PaintedIcon> = {}): PaintedIcon => ({
  key: 'entity:1',
  x: 100,
  y: 100,
  size: 40,
  rotate: 0,
  glyph: { type: 'light' },
  token: 'active',
  stale: false,
  alerting: false,
  selected: false,
  focused: false,
  ...overrides,
});

/** Paints `icons` and answers what the disc (the circle of radius 30 for size 40) was filled and stroked with. */
function paintDisc(icons: PaintedIcon[], frame: PlanFrame = FRAME, reducedMotion = false) {
  const canvas = fakeCanvas();
  const painter = new PlanIconPainter(canvas as unknown as HTMLCanvasElement, () => reducedMotion);
  drawn = [];
  painter.paint(frame, icons);
  const disc = drawn.filter((d) => d.path === 'arc 0 0 30');
  return { fill: disc.find((d) => d.op === 'fill'), stroke: disc.find((d) => d.op === 'stroke'), canvas, painter };
}

describe('the plan icon painter', () => {
  it("fills a disc with its state's colour and outlines it in the surface colour", () => {
    const { fill, stroke } = paintDisc([icon()]);
    expect(fill).toMatchObject({ colour: '#f5b400', alpha: 1 });
    expect(stroke).toMatchObject({ colour: '#ffffff', width: 2, dash: [] });
  });

  it('drains a stale disc of its colour, dashes its outline and adds the clock mark', () => {
    const { fill, stroke } = paintDisc([icon({ stale: true })]);
    expect(fill?.colour).toBe(mixColours('#f5b400', '#eceef1', 0.25));
    expect(stroke).toMatchObject({ colour: '#5b6575', dash: [3, 3] });
    // The clock's dark face; not there when live.
    expect(drawn.filter((d) => d.op === 'fill' && d.colour === '#24292f')).toHaveLength(1);
    paintDisc([icon()]);
    expect(drawn.filter((d) => d.op === 'fill' && d.colour === '#24292f')).toHaveLength(0);
  });

  it('shows focus over selection, and selection over a dashed unavailable outline', () => {
    expect(paintDisc([icon({ token: 'unavailable' })]).stroke).toMatchObject({ colour: '#6e7781', dash: [4, 3] });
    expect(paintDisc([icon({ token: 'unavailable', selected: true })]).stroke).toMatchObject({ colour: '#1a63d6', width: 4, dash: [] });
    expect(paintDisc([icon({ selected: true, focused: true })]).stroke).toMatchObject({ colour: '#1d2430', width: 5 });
  });

  it('draws icons that look alike once and copies them, and paints nothing again for an unchanged plan', () => {
    const { painter } = paintDisc([icon({ key: 'entity:1' }), icon({ key: 'entity:2', x: 300 }), icon({ key: 'entity:3', x: 500, token: 'inactive' })]);
    expect(drawn.filter((d) => d.path === 'arc 0 0 30' && d.op === 'fill').map((d) => d.colour)).toEqual(['#f5b400', '#c6ccd5']);
    expect(drawn.filter((d) => d.op === 'image')).toHaveLength(3);
    drawn = [];
    painter.paint(FRAME, [icon({ key: 'entity:1' }), icon({ key: 'entity:2', x: 300 }), icon({ key: 'entity:3', x: 500, token: 'inactive' })]);
    expect(drawn).toEqual([]);
    painter.paint(FRAME, [icon({ key: 'entity:1' }), icon({ key: 'entity:2', x: 300 }), icon({ key: 'entity:3', x: 500 })]);
    expect(drawn.filter((d) => d.op === 'image')).toHaveLength(3);
  });

  it('keeps the looks in a small bitmap that doubles when full, and draws in place what the largest cannot hold', () => {
    const atlases: Array<ReturnType<typeof fakeCanvas>> = [];
    vi.stubGlobal('document', { createElement: () => atlases[atlases.push(fakeCanvas()) - 1] });
    // Each turned by a degree more: a look of its own, 88 device pixels square.
    const looks = (count: number) => Array.from({ length: count }, (_, i) => icon({ key: `entity:${i}`, x: 50 + (i % 20) * 45, y: 50 + Math.floor(i / 20) * 60, rotate: i }));
    paintDisc(looks(20));
    expect(atlases.map((a) => a.width)).toEqual([512]);
    expect(drawn.filter((d) => d.op === 'image')).toHaveLength(20);

    atlases.length = 0;
    paintDisc(looks(130));
    expect(atlases.map((a) => a.width)).toEqual([512, 1024]);
    expect(drawn.filter((d) => d.path === 'arc 0 0 30' && d.op === 'fill')).toHaveLength(130);
    // One copy of the first bitmap into the second, one per icon it holds; the rest were drawn on the plan itself.
    const copies = drawn.filter((d) => d.op === 'image').length;
    expect(copies).toBeGreaterThan(26);
    expect(copies).toBeLessThan(131);
  });

  it('repaints only where an icon changed, with the neighbours that overlap it, in their order', () => {
    const row = (token: PaintedIcon['token']) => [
      icon({ key: 'entity:1', x: 100 }),
      icon({ key: 'entity:2', x: 140, token }),
      icon({ key: 'entity:3', x: 180 }),
      icon({ key: 'entity:4', x: 600 }),
      icon({ key: 'entity:5', x: 800 }),
    ];
    const { painter } = paintDisc(row('active'));
    drawn = [];
    painter.paint(FRAME, row('inactive'));
    // Its neighbours reach into its box and are drawn again over it, clipped to it; the far ones are not.
    expect(drawn.filter((d) => d.op === 'image')).toHaveLength(3);
    expect(drawn.find((d) => d.path === 'arc 0 0 30' && d.op === 'fill')?.colour).toBe('#c6ccd5');
  });

  it('leaves out icons outside the canvas', () => {
    paintDisc([icon({ x: 5_000 })]);
    expect(drawn).toEqual([]);
  });

  it('keeps strokes the same on screen at any zoom: widths are in CSS pixels', () => {
    const zoomedOut = { ...FRAME, viewBox: { x: 0, y: 0, width: 4000, height: 2000 } };
    expect(paintDisc([icon()], zoomedOut).stroke?.width).toBe(8);
  });

  it('greys everything but alerts and alarms on a greyscale view', () => {
    const grey = { ...FRAME, greyscale: true };
    expect(paintDisc([icon()], grey).fill?.colour).toBe(greyOf('#f5b400'));
    expect(paintDisc([icon({ token: 'alarm' })], grey).fill?.colour).toBe('#d1242f');
  });

  it('fades what is merely off on a security view and rings the rest under its fill', () => {
    const security = { ...FRAME, security: true };
    expect(paintDisc([icon({ token: 'inactive' })], security).fill?.alpha).toBe(0.5);
    const active = paintDisc([icon()], security);
    expect(active.stroke).toMatchObject({ colour: '#f5b400', width: 6, alpha: 0.55 });
    const disc = drawn.filter((d) => d.path === 'arc 0 0 30');
    expect(disc.map((d) => d.op)).toEqual(['stroke', 'fill']);
  });

  it('pulses an alarm four times, then stops asking for frames though the alarm stays', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const { canvas, painter } = paintDisc([icon({ token: 'alarm' })]);
    expect(canvas.dataset.pulsing).toBe('true');
    expect(frames).toHaveLength(1);
    vi.advanceTimersByTime(600);
    drawn = [];
    frames.shift()!();
    expect(drawn.find((d) => d.path === 'arc 0 0 30' && d.op === 'fill')?.alpha).toBeCloseTo(0.45, 2);
    vi.advanceTimersByTime(4_300);
    frames.shift()!();
    expect(canvas.dataset.pulsing).toBe('false');
    expect(frames).toHaveLength(0);
    // The same alarm painted again (another status change) does not start the pulse again.
    painter.paint(FRAME, [icon({ token: 'alarm' })]);
    expect(canvas.dataset.pulsing).toBe('false');
  });

  it('eases each pulse down to its lowest level and back, and is steady outside it', () => {
    const pulse = { periodMs: 1_000, times: 2, lowest: 0.5 };
    expect([-1, 0, 250, 500, 1_000, 1_500, 2_000].map((ms) => Number(pulseLevel(ms, pulse).toFixed(3)))).toEqual([1, 1, 0.75, 0.5, 1, 0.5, 1]);
  });

  it('does not pulse at all when the panel asks for reduced motion', () => {
    const { canvas, fill } = paintDisc([icon({ token: 'alarm', alerting: true })], FRAME, true);
    expect(fill?.alpha).toBe(1);
    expect(canvas.dataset.pulsing).toBe('false');
    expect(frames).toHaveLength(0);
  });

  it("rings an item an open alert is about, and draws a collection's cards with its member count", () => {
    paintDisc([icon({ alerting: true })]);
    expect(drawn.find((d) => d.op === 'stroke' && d.colour === '#c62828')).toBeDefined();
    const { stroke } = paintDisc([icon({ glyph: { collectionOf: 7 } })]);
    expect(stroke).toMatchObject({ colour: '#1a63d6', width: 3 });
    expect(drawn.find((d) => d.op === 'text')).toMatchObject({ path: '7', colour: '#ffffff' });
  });
});

describe('drawing the icons JSX on a canvas', () => {
  it("strokes a light's paths in the ink, with the icons' stroke width and round caps", () => {
    const calls: Drawn[] = [];
    const ctx = recordingContext(calls);
    drawSvgNode(ctx as unknown as CanvasRenderingContext2D, EntityIconPaths({ type: 'light' }), '#3d2c00');
    expect(calls.map((c) => c.op)).toEqual(['stroke', 'stroke']);
    expect(calls.every((c) => c.colour === '#3d2c00' && c.width === 1.6)).toBe(true);
    expect(ctx.lineCap).toBe('round');
    expect(calls[0]!.path).toMatch(/^M12 2.5a6.5/);
  });

  it('fills what the icon fills with currentColor, and applies its transforms', () => {
    const calls: Drawn[] = [];
    const ctx = recordingContext(calls);
    drawSvgNode(ctx as unknown as CanvasRenderingContext2D, EntityIconPaths({ type: 'ceiling_fan' }), '#ffffff');
    // Three blades (each moved and turned), then the hub, filled and stroked.
    expect(ctx.rotate).toHaveBeenCalledWith((120 * Math.PI) / 180);
    expect(calls.filter((c) => c.op === 'fill')).toHaveLength(1);
    expect(calls.find((c) => c.op === 'fill')?.path).toBe('arc 12 12 2');
  });
});

describe('the icons to paint', () => {
  const view = (type: string, value: string, stale = false): EntityStateView =>
    ({ id: 1, entityId: 1, name: type, type, value, units: null, stale, display: describeState(type, value, null) }) as unknown as EntityStateView;
  const entity = (id: number, type: string, placement: PlanEntity['placement']): PlanEntity => ({ id, name: `Item ${id}`, type, placement }) as PlanEntity;
  const source = (entities: PlanEntity[], overrides: Partial<PlanIconSource> = {}): PlanIconSource => ({
    frame: FRAME,
    shown: true,
    entities,
    collections: [],
    placementOf: (_ref, own) => own,
    sizing: { unit: 30, minIcon: 20, font: 12 },
    areaSensors: null,
    selected: null,
    focusedKey: null,
    ...overrides,
  });
  const at = (x: number) => ({ kind: 'icon' as const, x, y: 10, scale: 1, rotate: 0 });

  it('takes each icon look from the store: state, staleness, the glyph an OTHER borrows, alerts, selection and focus', () => {
    const entities = [entity(1, 'light', at(1)), entity(2, 'other', at(2)), entity(3, 'door', { kind: 'path', style: 'area', svgPath: 'M0 0H5V5Z' })];
    const states = new Map([
      [1, [view('on_off', 'on')]],
      [2, [view('battery', '12', true)]],
    ]);
    const icons = paintedIcons(source(entities, { selected: { kind: 'entity', id: 1 }, focusedKey: 'entity:2' }), { entityStates: states, alertedEntityIds: new Set([2]) });
    expect(icons.map((i) => [i.key, i.token, i.stale, 'type' in i.glyph ? i.glyph.type : '', i.alerting, i.selected, i.focused])).toEqual([
      ['entity:1', 'active', false, 'light', false, true, false],
      ['entity:2', icons[1]!.token, true, 'battery_storage', true, false, true],
    ]);
    expect(icons[0]!.size).toBe(30);
  });

  it('paints nothing before the plan has settled at its size', () => {
    expect(paintedIcons(source([entity(1, 'light', at(1))], { shown: false }), { entityStates: new Map(), alertedEntityIds: new Set() })).toEqual([]);
  });
});
