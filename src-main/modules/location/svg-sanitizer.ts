import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';

/** A file that cannot be used as a floor plan; the message is meant for the person who uploaded it. */
export class SvgRejectedError extends Error {
  override readonly name = 'SvgRejectedError';
}

export interface SvgLimits {
  maxBytes: number;
  /** Elements in the file, and elements drawn once `<use>` references are expanded. */
  maxElements: number;
  maxDepth: number;
}

export const DEFAULT_SVG_LIMITS: SvgLimits = { maxBytes: 10 * 1024 * 1024, maxElements: 50_000, maxDepth: 64 };

export interface SvgViewBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SanitizedSvg {
  /** The clean document, serialized; its root always carries the viewBox below. */
  svg: string;
  viewBox: SvgViewBox;
  /** Elements in the clean document. */
  elementCount: number;
  /** Short notes on what was stripped, for the person who uploaded the file. */
  removed: string[];
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const UNBOUND_NS = 'urn:x-home-information:unbound-prefix';
const MAX_NOTES = 50;

const KEPT_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'image', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
  'text', 'tspan', 'textPath', 'title', 'desc', 'linearGradient', 'radialGradient', 'stop', 'clipPath', 'mask',
  'pattern', 'marker', 'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feDropShadow',
  'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feMerge', 'feMergeNode',
  'feMorphology', 'feOffset',
]);
/** Links and conditional groups: their children are drawn, the element itself is not needed. */
const UNWRAPPED_ELEMENTS = new Set(['a', 'switch']);
const TEXT_CONTENT_ELEMENTS = new Set(['text', 'tspan', 'textPath', 'title', 'desc']);
const HREF_ELEMENTS = new Set(['use', 'image', 'linearGradient', 'radialGradient', 'pattern', 'textPath']);

const PRESENTATION_PROPERTIES = [
  'alignment-baseline', 'baseline-shift', 'clip', 'clip-path', 'clip-rule', 'color', 'color-interpolation',
  'color-interpolation-filters', 'direction', 'display', 'dominant-baseline', 'fill', 'fill-opacity', 'fill-rule',
  'filter', 'flood-color', 'flood-opacity', 'font-family', 'font-size', 'font-size-adjust', 'font-stretch',
  'font-style', 'font-variant', 'font-weight', 'image-rendering', 'isolation', 'letter-spacing', 'lighting-color',
  'marker-end', 'marker-mid', 'marker-start', 'mask', 'mix-blend-mode', 'opacity', 'overflow', 'paint-order',
  'shape-rendering', 'stop-color', 'stop-opacity', 'stroke', 'stroke-dasharray', 'stroke-dashoffset',
  'stroke-linecap', 'stroke-linejoin', 'stroke-miterlimit', 'stroke-opacity', 'stroke-width', 'text-anchor',
  'text-decoration', 'text-rendering', 'transform', 'unicode-bidi', 'vector-effect', 'visibility', 'white-space',
  'word-spacing', 'writing-mode',
];
const STYLE_PROPERTIES = new Set([...PRESENTATION_PROPERTIES, 'font', 'line-height', 'marker']);
const KEPT_ATTRIBUTES = new Set([
  ...PRESENTATION_PROPERTIES,
  'id', 'class', 'style', 'version', 'baseProfile', 'viewBox', 'preserveAspectRatio',
  'x', 'y', 'width', 'height', 'rx', 'ry', 'cx', 'cy', 'r', 'fx', 'fy', 'fr', 'x1', 'y1', 'x2', 'y2',
  'd', 'points', 'pathLength', 'dx', 'dy', 'rotate', 'textLength', 'lengthAdjust', 'startOffset', 'method',
  'spacing', 'side', 'offset', 'gradientUnits', 'gradientTransform', 'spreadMethod', 'patternUnits',
  'patternContentUnits', 'patternTransform', 'clipPathUnits', 'maskUnits', 'maskContentUnits', 'markerWidth',
  'markerHeight', 'markerUnits', 'refX', 'refY', 'orient', 'filterUnits', 'primitiveUnits', 'in', 'in2', 'result',
  'stdDeviation', 'mode', 'type', 'values', 'operator', 'k1', 'k2', 'k3', 'k4', 'radius', 'tableValues', 'slope',
  'intercept', 'amplitude', 'exponent',
]);
const KEPT_XML_ATTRIBUTES = new Set(['space', 'lang']);
/** CSS functions a value may call: colours, transforms, shapes and filters; none can load anything. */
const SAFE_FUNCTIONS = new Set([
  'url', 'rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'matrix', 'translate', 'translatex',
  'translatey', 'scale', 'scalex', 'scaley', 'rotate', 'skewx', 'skewy', 'calc', 'min', 'max', 'clamp', 'inset',
  'circle', 'ellipse', 'polygon', 'blur', 'brightness', 'contrast', 'drop-shadow', 'grayscale', 'hue-rotate',
  'invert', 'opacity', 'saturate', 'sepia',
]);

const LOCAL_REF = /^#[\p{L}\p{N}_.:-]+$/u;
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+$/i;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const PX_PER_UNIT: Record<string, number> = { '': 1, px: 1, pt: 4 / 3, pc: 16, in: 96, cm: 96 / 2.54, mm: 96 / 25.4 };
/** The W3C SVG DOCTYPEs some editors still write; the parser never fetches them and the output drops them. */
const HARMLESS_DOCTYPES = new Set([
  'svg PUBLIC "-//W3C//DTD SVG 1.0//EN" "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd"',
  'svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"',
]);

/**
 * Cleans an uploaded floor-plan background. A strict XML parser that never resolves entities or DTDs reads it, and
 * the document is rebuilt from an allowlist: anything that could run script, load a resource or restyle the panel
 * is left out. Throws SvgRejectedError for files that are malformed, declare entities, are not SVG, have no size or
 * pass the limits.
 */
export function sanitizeSvg(input: string | Buffer, limits: SvgLimits = DEFAULT_SVG_LIMITS): SanitizedSvg {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (bytes > limits.maxBytes) {
    throw new SvgRejectedError(`The file is ${formatSize(bytes, true)}; the limit is ${formatSize(limits.maxBytes, false)}.`);
  }
  return new SvgRebuilder(limits).run(typeof input === 'string' ? input : decode(input));
}

interface Frame {
  /** The element's output name, or null when it is unwrapped (only its children are written). */
  readonly name: string | null;
  /** Index of this element's node in the output tree, or of the nearest written ancestor when unwrapped. */
  readonly node: number;
  readonly keepsText: boolean;
  /** Index in `out` of the open tag, so an empty element can be closed as `<x/>`. */
  readonly openTagAt: number;
  empty: boolean;
}

interface OutNode {
  readonly children: number[];
  readonly useTarget: string | null;
}

class SvgRebuilder {
  private readonly notes = new Notes();
  private readonly out: string[] = [];
  private readonly frames: Frame[] = [];
  private readonly nodes: OutNode[] = [];
  private readonly ids = new Map<string, number>();
  private parsedCount = 0;
  private depth = 0;
  /** While > 0, events belong to a dropped subtree. */
  private skipDepth = 0;
  private rootSeen = false;
  private usesXlink = false;
  private viewBox: SvgViewBox | null = null;

  constructor(private readonly limits: SvgLimits) {}

  run(text: string): SanitizedSvg {
    const parser = new SaxesParser({
      xmlns: true,
      defaultXMLVersion: '1.0',
      // Output is XML 1.0: a 1.1 declaration must not let control characters through.
      forceXMLVersion: true,
      // Hand-written files often use xlink:href without declaring it; browsers render them anyway.
      additionalNamespaces: { xlink: XLINK_NS },
      // Other undeclared prefixes resolve to a namespace nothing is kept from.
      resolvePrefix: (prefix: string) => (prefix === '' ? undefined : UNBOUND_NS),
    });
    parser.on('error', (error) => {
      const reason = error.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '').replace(/^unclosed tag: (.+)$/, 'unclosed tag <$1>');
      throw new SvgRejectedError(`The file is not valid SVG: ${reason} at line ${parser.line}, column ${parser.column + 1}.`);
    });
    parser.on('doctype', (doctype) => {
      if (!HARMLESS_DOCTYPES.has(doctype.trim().replace(/\s+/g, ' '))) {
        throw new SvgRejectedError('The file contains a DOCTYPE or ENTITY declaration, which floor plans may not use. Export it again as plain SVG.');
      }
      this.notes.add('DOCTYPE declaration');
    });
    parser.on('processinginstruction', ({ target }) => this.notes.add(`processing instruction <?${target}?>`));
    parser.on('opentag', (tag) => this.open(tag));
    parser.on('closetag', () => this.close());
    parser.on('text', (value) => this.text(value));
    parser.on('cdata', (value) => this.text(value));
    parser.write(text).close();

    const viewBox = this.viewBox;
    if (viewBox === null) throw new SvgRejectedError('The file is not valid SVG: it has no <svg> element.');
    const drawn = expandedSize(this.nodes, this.ids, this.limits.maxElements);
    if (drawn > this.limits.maxElements) {
      throw new SvgRejectedError(
        `Through <use> references the drawing grows to more than ${count(this.limits.maxElements)} elements; the limit is ${count(this.limits.maxElements)}.`,
      );
    }
    if (this.usesXlink) this.out[0] = this.out[0]!.replace(`xmlns="${SVG_NS}"`, `xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}"`);
    return { svg: this.out.join(''), viewBox, elementCount: this.nodes.length, removed: this.notes.list() };
  }

  private open(tag: SaxesTagNS): void {
    this.parsedCount += 1;
    this.depth += 1;
    if (this.parsedCount > this.limits.maxElements) {
      throw new SvgRejectedError(`The drawing has more than ${count(this.limits.maxElements)} elements; the limit is ${count(this.limits.maxElements)}.`);
    }
    if (this.depth > this.limits.maxDepth) {
      throw new SvgRejectedError(`The drawing nests elements more than ${count(this.limits.maxDepth)} levels deep; the limit is ${count(this.limits.maxDepth)}.`);
    }
    if (this.skipDepth > 0) {
      this.skipDepth += 1;
      return;
    }
    const isSvg = tag.uri === SVG_NS || tag.uri === '';
    if (!this.rootSeen) {
      this.rootSeen = true;
      if (!isSvg || tag.local !== 'svg') {
        const where = tag.uri === '' || tag.uri === SVG_NS ? '' : ` in namespace ${tag.uri}`;
        throw new SvgRejectedError(`The file is not an SVG drawing: its root element is <${tag.name}>${where}, not <svg>.`);
      }
    }
    const name = tag.local;
    const parent = this.frames.at(-1);
    if (isSvg && UNWRAPPED_ELEMENTS.has(name) && parent) {
      this.notes.add(`<${name}> wrapper (its contents were kept)`);
      this.frames.push({ name: null, node: parent.node, keepsText: parent.keepsText, openTagAt: -1, empty: true });
      return;
    }
    if (!isSvg || !KEPT_ELEMENTS.has(name)) {
      this.drop(tag.uri === UNBOUND_NS || !isSvg ? `<${tag.name}> element` : elementNote(name));
      return;
    }
    const attributes = this.attributes(name, tag.attributes);
    if (attributes === null) return;
    if (!parent) {
      this.viewBox = rootViewBox(tag.attributes, this.notes);
      const { x, y, width, height } = this.viewBox;
      attributes.set('viewBox', `${x} ${y} ${width} ${height}`);
      attributes.set('xmlns', SVG_NS);
    }
    this.markParentFilled();
    const node = this.nodes.length;
    this.nodes.push({ children: [], useTarget: name === 'use' ? (attributes.get('href') ?? attributes.get('xlink:href'))!.slice(1) : null });
    if (parent) this.nodes[parent.node]!.children.push(node);
    const id = attributes.get('id');
    if (id !== undefined && !this.ids.has(id)) this.ids.set(id, node);

    // xmlns first, so the root reads like any SVG file.
    const ordered = [...attributes].sort(([a], [b]) => Number(b === 'xmlns') - Number(a === 'xmlns'));
    this.out.push(`<${name}${ordered.map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`).join('')}>`);
    this.frames.push({ name, node, keepsText: TEXT_CONTENT_ELEMENTS.has(name), openTagAt: this.out.length - 1, empty: true });
  }

  private close(): void {
    this.depth -= 1;
    if (this.skipDepth > 0) {
      this.skipDepth -= 1;
      return;
    }
    const frame = this.frames.pop()!;
    if (frame.name === null) return;
    if (frame.empty) this.out[frame.openTagAt] = this.out[frame.openTagAt]!.replace(/>$/, '/>');
    else this.out.push(`</${frame.name}>`);
  }

  private text(value: string): void {
    const frame = this.frames.at(-1);
    if (this.skipDepth > 0 || !frame?.keepsText || value === '') return;
    this.markParentFilled();
    this.out.push(escapeText(value));
  }

  private drop(note: string): void {
    this.notes.add(note);
    this.skipDepth = 1;
  }

  private markParentFilled(): void {
    // An unwrapped frame shares its written ancestor's open tag, so every frame up to that one is marked.
    for (let i = this.frames.length - 1; i >= 0; i -= 1) {
      const frame = this.frames[i]!;
      frame.empty = false;
      if (frame.name !== null) return;
    }
  }

  /** The element's surviving attributes by output name, or null when the element itself must go. */
  private attributes(element: string, raw: Record<string, SaxesAttributeNS>): Map<string, string> | null {
    const kept = new Map<string, string>();
    for (const attribute of Object.values(raw)) {
      const { uri, local, name, value } = attribute;
      if (uri === XMLNS_NS) continue;
      const isHref = local === 'href' && (uri === '' || uri === XLINK_NS);
      if (isHref) {
        if (!HREF_ELEMENTS.has(element)) {
          this.notes.add(`link on <${element}>`);
        } else if (LOCAL_REF.test(value.trim()) || (element === 'image' && DATA_IMAGE.test(value.trim()))) {
          const outName = uri === XLINK_NS ? 'xlink:href' : 'href';
          if (outName === 'xlink:href') this.usesXlink = true;
          kept.set(outName, value.trim().replace(/\s+/g, ''));
        } else if (element !== 'use' && element !== 'image') {
          // A use or image without a usable link is dropped below, with its own note.
          this.notes.add(`<${element}> link pointing outside the drawing`);
        }
        continue;
      }
      if (uri === XML_NS && KEPT_XML_ATTRIBUTES.has(local)) {
        kept.set(`xml:${local}`, value);
        continue;
      }
      if (uri !== '' || !KEPT_ATTRIBUTES.has(local)) {
        this.notes.add(/^on/i.test(name) ? `${name} event handler on <${element}>` : `${name} attribute`);
        continue;
      }
      if (!isSafeValue(value)) {
        this.notes.add(`${name} attribute on <${element}> with an unsafe value`);
        continue;
      }
      if (local === 'style') {
        const style = cleanStyle(value, this.notes);
        if (style === null) this.notes.add(`style attribute on <${element}> with unsafe CSS`);
        else if (style !== '') kept.set('style', style);
        continue;
      }
      kept.set(local, value);
    }
    if ((element === 'use' || element === 'image') && !kept.has('href') && !kept.has('xlink:href')) {
      this.drop(element === 'use' ? '<use> of something outside the drawing' : '<image> that is not an embedded PNG, JPEG, GIF or WebP');
      return null;
    }
    return kept;
  }
}

/** Collapses repeated notes into one line with a count, and caps the list. */
class Notes {
  private readonly counts = new Map<string, number>();

  add(note: string): void {
    if (this.counts.has(note) || this.counts.size < MAX_NOTES) this.counts.set(note, (this.counts.get(note) ?? 0) + 1);
    else this.counts.set('other items', (this.counts.get('other items') ?? 0) + 1);
  }

  list(): string[] {
    return [...this.counts].map(([note, times]) => (times > 1 ? `${note} (${count(times)}×)` : note));
  }
}

function decode(input: Buffer): string {
  const encoding = input[0] === 0xff && input[1] === 0xfe ? 'utf-16le' : input[0] === 0xfe && input[1] === 0xff ? 'utf-16be' : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(input);
  } catch {
    throw new SvgRejectedError(`The file is not valid SVG: it is not ${encoding === 'utf-8' ? 'UTF-8' : 'UTF-16'} text.`);
  }
}

/** The text a browser would act on: character references decoded, case folded, whitespace, controls and format characters gone. */
function normalizeForCheck(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?|&#(\d+);?/gi, (_, hex: string | undefined, dec: string | undefined) =>
      String.fromCodePoint(Math.min(hex !== undefined ? parseInt(hex, 16) : Number(dec), 0x10ffff)),
    )
    .replace(/&colon;/gi, ':')
    .replace(/[\s\p{Cc}\p{Cf}]/gu, '')
    .toLowerCase();
}

/**
 * False for values that could run script, load something or smuggle CSS: script schemes, `data:`, at-rules,
 * comments, backslashes (CSS escapes can spell `url(`), functions outside SAFE_FUNCTIONS (`expression(`,
 * `image-set(`) and any `url(` but a local `url(#id)`.
 */
function isSafeValue(value: string): boolean {
  const check = normalizeForCheck(value);
  if (/javascript:|vbscript:|livescript:|data:|-moz-binding|behavior:|[\\<>@]|\/\*/.test(check)) return false;
  return [...check.matchAll(/([a-z0-9_-]*)\(/g)].every(
    (match) => SAFE_FUNCTIONS.has(match[1]!) && (match[1] !== 'url' || /^url\(['"]?#/.test(check.slice(match.index))),
  );
}

/**
 * Keeps the allowlisted declarations of an already checked style attribute. Returns null when it does not parse
 * cleanly, so the whole attribute goes rather than a guess at what the browser would make of it.
 */
function cleanStyle(value: string, notes: Notes): string | null {
  const declarations: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i <= value.length; i += 1) {
    const ch = value[i];
    if (quote !== null) {
      if (ch === quote) quote = null;
      else if (ch === undefined) return null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ';' || ch === undefined) {
      declarations.push(value.slice(start, i));
      start = i + 1;
    }
  }
  const kept: string[] = [];
  for (const declaration of declarations) {
    if (declaration.trim() === '') continue;
    const match = /^\s*(-?[a-z][a-z0-9-]*)\s*:([^]*)$/i.exec(declaration);
    if (!match) return null;
    const property = match[1]!.toLowerCase();
    const propertyValue = match[2]!.trim();
    if (!STYLE_PROPERTIES.has(property)) notes.add(`style property ${property}`);
    else if (!/^[\p{L}\p{N}\s#%.,+\-_()'"!/]*$/u.test(propertyValue)) notes.add(`style property ${property} with an unusual value`);
    else kept.push(`${property}:${propertyValue}`);
  }
  return kept.join(';');
}

function rootViewBox(attributes: Record<string, SaxesAttributeNS>, notes: Notes): SvgViewBox {
  const attribute = (name: string): string | undefined => {
    const found = attributes[name];
    return found && found.uri === '' ? found.value : undefined;
  };
  const declared = attribute('viewBox');
  if (declared !== undefined) {
    const parts = declared.trim().split(/[\s,]+/);
    if (parts.length === 4 && parts.every((part) => NUMBER.test(part))) {
      const [x, y, width, height] = parts.map(Number) as [number, number, number, number];
      if ([x, y, width, height].every(Number.isFinite) && width > 0 && height > 0) return { x, y, width, height };
    }
    notes.add(`unusable viewBox "${declared.slice(0, 40)}"`);
  }
  const width = lengthInPx(attribute('width'));
  const height = lengthInPx(attribute('height'));
  if (width === null || height === null) {
    throw new SvgRejectedError('The drawing has no size: its <svg> element needs a viewBox, or a width and height in px, mm, cm, in or pt.');
  }
  return { x: 0, y: 0, width, height };
}

function lengthInPx(value: string | undefined): number | null {
  const match = value === undefined ? null : /^\s*([^a-z%\s]+)\s*([a-z]*)\s*$/i.exec(value);
  if (!match || !NUMBER.test(match[1]!)) return null;
  const perUnit = PX_PER_UNIT[match[2]!.toLowerCase()];
  const px = Number(match[1]) * (perUnit ?? NaN);
  return Number.isFinite(px) && px > 0 ? Math.round(px * 1000) / 1000 : null;
}

/**
 * How many elements the renderer draws once every `<use>` is expanded, capped just past `limit`. Cycles count
 * as nothing because browsers do not draw them. Iterative, so long reference chains cannot overflow the stack.
 */
function expandedSize(nodes: readonly OutNode[], ids: ReadonlyMap<string, number>, limit: number): number {
  if (nodes.length === 0) return 0;
  const IN_PROGRESS = -1;
  const size = new Array<number | undefined>(nodes.length);
  const dependencies = (i: number): number[] => {
    const target = nodes[i]!.useTarget === null ? undefined : ids.get(nodes[i]!.useTarget!);
    return target === undefined ? nodes[i]!.children : [...nodes[i]!.children, target];
  };
  const stack = [0];
  while (stack.length > 0) {
    const i = stack.at(-1)!;
    if (size[i] === undefined) {
      size[i] = IN_PROGRESS;
      for (const dependency of dependencies(i)) if (size[dependency] === undefined) stack.push(dependency);
    } else {
      stack.pop();
      if (size[i] === IN_PROGRESS) {
        const total = dependencies(i).reduce((sum, dependency) => sum + Math.max(size[dependency] ?? 0, 0), 1);
        size[i] = Math.min(total, limit + 1);
      }
    }
  }
  return size[0]!;
}

function elementNote(name: string): string {
  if (name === 'style') return '<style> element (CSS stylesheets are not supported; use style or presentation attributes)';
  if (name === 'script') return '<script> element';
  return `<${name}> element`;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function formatSize(bytes: number, roundUp: boolean): string {
  const round = (n: number): string => String((roundUp ? Math.ceil(n * 10) : Math.round(n * 10)) / 10);
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${round(bytes / 1024)} KB`;
  return `${round(bytes / (1024 * 1024))} MB`;
}
