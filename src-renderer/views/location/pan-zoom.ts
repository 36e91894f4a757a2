import type { ViewBox } from '../../../src-shared/model/location';

export interface Point {
  x: number;
  y: number;
}

export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 8;
/** A pointer released within this distance of where it went down, and soon enough, tapped rather than dragged. */
export const TAP_SLOP_PX = 8;
export const TAP_MAX_MS = 500;

export const round1 = (n: number): number => Math.round(n * 10) / 10;
const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n));

export function isTap(down: Point, up: Point, elapsedMs: number): boolean {
  return Math.hypot(up.x - down.x, up.y - down.y) <= TAP_SLOP_PX && elapsedMs < TAP_MAX_MS;
}

export function formatViewBox(vb: ViewBox): string {
  return `${vb.x} ${vb.y} ${vb.width} ${vb.height}`;
}

export function centreOf(vb: ViewBox): Point {
  return { x: vb.x + vb.width / 2, y: vb.y + vb.height / 2 };
}

export function rotatePoint(p: Point, degrees: number, about: Point): Point {
  const rad = (degrees * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const dx = p.x - about.x;
  const dy = p.y - about.y;
  return { x: about.x + dx * cos - dy * sin, y: about.y + dx * sin + dy * cos };
}

/**
 * The viewBox after zooming by `factor` so that `anchor` (an SVG point) comes to lie where `target` (another SVG
 * point of the same viewBox) is now. Panning is a factor of 1; zooming around a point has anchor = target.
 * Zoom stays within MIN_ZOOM..MAX_ZOOM of `base`, and the centre within reach of the plan (rotated or not).
 */
export function zoomPan(vb: ViewBox, base: ViewBox, anchor: Point, target: Point, factor: number): ViewBox {
  const width = clamp(vb.width / factor, base.width / MAX_ZOOM, base.width / MIN_ZOOM);
  const f = vb.width / width;
  const height = vb.height / f;
  const x = anchor.x - (target.x - vb.x) / f;
  const y = anchor.y - (target.y - vb.y) / f;
  const reach = Math.max(base.width, base.height) / 2;
  const c = centreOf(base);
  return {
    x: clamp(x + width / 2, c.x - reach, c.x + reach) - width / 2,
    y: clamp(y + height / 2, c.y - reach, c.y + reach) - height / 2,
    width,
    height,
  };
}

export function roundViewBox(vb: ViewBox): ViewBox {
  return { x: round1(vb.x), y: round1(vb.y), width: round1(vb.width), height: round1(vb.height) };
}

export interface Size {
  width: number;
  height: number;
}

/** How an SVG of `size` shows `vb` (preserveAspectRatio xMidYMid meet): pixels per unit, and where the view starts. */
export function viewBoxFit(vb: ViewBox, size: Size): { scale: number; left: number; top: number } {
  const scale = Math.min(size.width / vb.width, size.height / vb.height);
  return { scale, left: (size.width - vb.width * scale) / 2, top: (size.height - vb.height * scale) / 2 };
}

/** The point of `vb` under `offset`, a position in pixels from the top left of an SVG of `size` showing `vb`. */
export function viewBoxPointAt(vb: ViewBox, size: Size, offset: Point): Point {
  const { scale, left, top } = viewBoxFit(vb, size);
  return { x: vb.x + (offset.x - left) / scale, y: vb.y + (offset.y - top) / scale };
}

/**
 * The CSS transform (origin at the top left) that makes an SVG drawn with viewBox `drawn` look as it would with
 * `wanted`. Moving and scaling a composited layer needs no repaint, so gestures show their viewBox this way and set
 * the real one when they settle.
 */
export function previewTransform(drawn: ViewBox, wanted: ViewBox, size: Size): string {
  const from = viewBoxFit(drawn, size);
  const to = viewBoxFit(wanted, size);
  const scale = to.scale / from.scale;
  const x = to.left + (drawn.x - wanted.x) * to.scale - from.left * scale;
  const y = to.top + (drawn.y - wanted.y) * to.scale - from.top * scale;
  return `translate(${x}px, ${y}px) scale(${scale})`;
}

/** A client (screen) point in the user space of `element`, through its current screen transform. */
export function toUserSpace(element: SVGGraphicsElement, client: Point): Point {
  const ctm = element.getScreenCTM();
  if (!ctm) return client;
  const p = new DOMPoint(client.x, client.y).matrixTransform(ctm.inverse());
  return { x: p.x, y: p.y };
}

/** The room left around a fitted view, as a share of its larger side. */
export const FIT_MARGIN = 0.03;

/** The smallest box holding every box given; null for none. */
export function unionOf(boxes: Iterable<ViewBox>): ViewBox | null {
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const box of boxes) {
    left = Math.min(left, box.x);
    top = Math.min(top, box.y);
    right = Math.max(right, box.x + box.width);
    bottom = Math.max(bottom, box.y + box.height);
  }
  return left <= right && top <= bottom ? { x: left, y: top, width: right - left, height: bottom - top } : null;
}

/**
 * The viewBox a view opens with: its framing and everything drawn on it (`content`, null when nothing is), with
 * `margin` (a share of the larger side) all round. The plan shows it whole (xMidYMid meet) at any screen size.
 */
export function fitViewBox(frame: ViewBox, content: ViewBox | null, margin = FIT_MARGIN): ViewBox {
  const all = unionOf(content ? [frame, content] : [frame])!;
  const room = Math.max(all.width, all.height) * margin;
  return { x: all.x - room, y: all.y - room, width: all.width + 2 * room, height: all.height + 2 * room };
}

/** Two viewBoxes that differ by less than `tolerance` of the first one's larger side: the same to the eye. */
export function nearlySameViewBox(a: ViewBox, b: ViewBox, tolerance: number): boolean {
  const slack = Math.max(a.width, a.height) * tolerance;
  return Math.abs(a.x - b.x) <= slack && Math.abs(a.y - b.y) <= slack && Math.abs(a.width - b.width) <= slack && Math.abs(a.height - b.height) <= slack;
}

/** The box of `box` after `matrix` (a rotation turns it into a larger upright box). */
export function transformBox(box: ViewBox, matrix: DOMMatrixReadOnly | SVGMatrix | null): ViewBox {
  if (!matrix) return box;
  const corners = [
    [box.x, box.y],
    [box.x + box.width, box.y],
    [box.x, box.y + box.height],
    [box.x + box.width, box.y + box.height],
  ].map(([x, y]) => ({ x: matrix.a * x! + matrix.c * y! + matrix.e, y: matrix.b * x! + matrix.d * y! + matrix.f }));
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  return { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
}
