import { Fragment, type ComponentChildren, type VNode } from 'preact';

/**
 * Draws the icons' own JSX (entity-icons.tsx) on a 2D canvas, so that the plan's canvas and every SVG icon elsewhere
 * share one drawing. It knows the few things those icons use: `g`, `path`, `rect` and `circle`, presentation
 * attributes (fill, stroke, stroke-width, line caps and joins) and `translate`, `scale` and `rotate` transforms.
 * `currentColor` is the ink passed in. Anything else (text, classes) is not drawn.
 */

interface Paint {
  fill: string;
  stroke: string;
  strokeWidth: number;
  lineCap: CanvasLineCap;
  lineJoin: CanvasLineJoin;
}

/** SVG's initial values. */
const SVG_DEFAULT_PAINT: Paint = { fill: '#000', stroke: 'none', strokeWidth: 1, lineCap: 'butt', lineJoin: 'miter' };

/** Parsed path data by its text: the icons hold a few hundred distinct paths, drawn thousands of times. */
const paths = new Map<string, Path2D>();

function pathOf(d: string): Path2D {
  let path = paths.get(d);
  if (!path) {
    path = new Path2D(d);
    paths.set(d, path);
  }
  return path;
}

type Attributes = Record<string, unknown>;

const numberOf = (value: unknown, fallback = 0): number => {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : fallback;
};

const TRANSFORM_STEP = /(translate|scale|rotate)\(([^)]*)\)/g;

function applyTransform(ctx: CanvasRenderingContext2D, transform: string): void {
  for (const [, kind, args] of transform.matchAll(TRANSFORM_STEP)) {
    const n = (args ?? '').trim().split(/[\s,]+/).map(Number);
    if (kind === 'translate') ctx.translate(n[0] ?? 0, n[1] ?? 0);
    else if (kind === 'scale') ctx.scale(n[0] ?? 1, n[1] ?? n[0] ?? 1);
    else if (n.length >= 3) {
      ctx.translate(n[1]!, n[2]!);
      ctx.rotate(((n[0] ?? 0) * Math.PI) / 180);
      ctx.translate(-n[1]!, -n[2]!);
    } else ctx.rotate(((n[0] ?? 0) * Math.PI) / 180);
  }
}

function paintOf(attributes: Attributes, inherited: Paint): Paint {
  const text = (name: string): string | undefined => (typeof attributes[name] === 'string' ? (attributes[name] as string) : undefined);
  return {
    fill: text('fill') ?? inherited.fill,
    stroke: text('stroke') ?? inherited.stroke,
    strokeWidth: attributes['stroke-width'] === undefined ? inherited.strokeWidth : numberOf(attributes['stroke-width'], inherited.strokeWidth),
    lineCap: (text('stroke-linecap') as CanvasLineCap | undefined) ?? inherited.lineCap,
    lineJoin: (text('stroke-linejoin') as CanvasLineJoin | undefined) ?? inherited.lineJoin,
  };
}

function shapeOf(type: string, a: Attributes): Path2D | null {
  if (type === 'path') return typeof a.d === 'string' ? pathOf(a.d) : null;
  const shape = new Path2D();
  if (type === 'circle') shape.arc(numberOf(a.cx), numberOf(a.cy), numberOf(a.r), 0, 2 * Math.PI);
  else if (type === 'rect') shape.roundRect(numberOf(a.x), numberOf(a.y), numberOf(a.width), numberOf(a.height), numberOf(a.rx));
  else return null;
  return shape;
}

/** Draws `node` in the context's current coordinates, with `ink` for currentColor. */
export function drawSvgNode(ctx: CanvasRenderingContext2D, node: ComponentChildren, ink: string, inherited: Paint = SVG_DEFAULT_PAINT): void {
  if (Array.isArray(node)) {
    for (const child of node) drawSvgNode(ctx, child as ComponentChildren, ink, inherited);
    return;
  }
  if (node === null || typeof node !== 'object' || !('type' in node)) return;
  const vnode = node as VNode<Attributes>;
  if (vnode.type === Fragment) {
    drawSvgNode(ctx, vnode.props.children as ComponentChildren, ink, inherited);
    return;
  }
  if (typeof vnode.type === 'function') {
    drawSvgNode(ctx, (vnode.type as (props: Attributes) => ComponentChildren)(vnode.props), ink, inherited);
    return;
  }
  const attributes = vnode.props;
  const paint = paintOf(attributes, inherited);
  ctx.save();
  if (typeof attributes.transform === 'string') applyTransform(ctx, attributes.transform);
  if (vnode.type === 'g') drawSvgNode(ctx, attributes.children as ComponentChildren, ink, paint);
  else {
    const shape = shapeOf(vnode.type, attributes);
    if (shape) {
      const colour = (value: string) => (value === 'currentColor' ? ink : value);
      if (paint.fill !== 'none') {
        ctx.fillStyle = colour(paint.fill);
        ctx.fill(shape);
      }
      if (paint.stroke !== 'none' && paint.strokeWidth > 0) {
        ctx.strokeStyle = colour(paint.stroke);
        ctx.lineWidth = paint.strokeWidth;
        ctx.lineCap = paint.lineCap;
        ctx.lineJoin = paint.lineJoin;
        ctx.stroke(shape);
      }
    }
  }
  ctx.restore();
}
