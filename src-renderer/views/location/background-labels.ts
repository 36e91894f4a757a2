import { useEffect, useState } from 'preact/hooks';
import type { ViewBox } from '../../../src-shared/model/location';
import type { Box } from './label-layout';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** A plan with more text than this is a document, not a floor plan; its first texts still count. */
const MAX_TEXTS = 2000;
const MAX_CACHED_PLANS = 8;
/** The copy is drawn this large (its longer side, in px) to be measured: big enough for sub-pixel-free boxes. */
const MEASURE_PX = 2000;

/** Containers whose content is not drawn where it stands. */
const UNDRAWN = new Set(['defs', 'symbol', 'pattern', 'clipPath', 'mask', 'marker', 'title', 'desc', 'metadata', 'textPath']);
/** What places and sizes text: all that the copy keeps of a group or a text element. */
const TEXT_LAYOUT = [
  'transform', 'font-family', 'font-size', 'font-weight', 'font-style', 'font-stretch', 'font-variant', 'letter-spacing',
  'word-spacing', 'text-anchor', 'dominant-baseline', 'baseline-shift', 'writing-mode', 'direction', 'display',
];
const TEXT_POSITION = ['x', 'y', 'dx', 'dy', 'rotate', 'textLength', 'lengthAdjust'];
const NESTED_SVG = ['x', 'y', 'width', 'height', 'viewBox', 'preserveAspectRatio'];
const STYLE_KEPT = new Set([...TEXT_LAYOUT.filter((name) => name !== 'transform'), 'white-space']);

function copyAttributes(from: Element, to: Element, names: readonly string[]): void {
  for (const name of names) {
    const value = from.getAttribute(name);
    if (value !== null) to.setAttribute(name, value);
  }
  // Through the CSSOM, which the panel's CSP allows where a style attribute would be refused.
  const style = from.getAttribute('style');
  if (!style) return;
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    const property = declaration.slice(0, colon).trim().toLowerCase();
    if (colon > 0 && STYLE_KEPT.has(property)) (to as SVGElement).style.setProperty(property, declaration.slice(colon + 1).trim());
  }
}

function copyText(source: Element, into: Document): Element {
  const copy = into.createElementNS(SVG_NS, source.localName);
  copyAttributes(source, copy, [...TEXT_LAYOUT, ...TEXT_POSITION]);
  for (const child of source.childNodes) {
    if (child.nodeType === 3) copy.appendChild(into.createTextNode(child.nodeValue ?? ''));
    else if (child.nodeType === 1 && (child as Element).localName === 'tspan') copy.appendChild(copyText(child as Element, into));
  }
  return copy;
}

/**
 * The plan's drawn text and the groups it stands in, keeping only what places and sizes it, as an `<svg>` of `into`
 * that draws the plan's viewBox over `size` as the plan's `<image>` does (centred, aspect kept). Inert by
 * construction: no scripts, links, styles or paint survive, whatever the file held. Null when the file is no SVG.
 */
export function textOnlyCopy(source: Document, into: Document, size: { width: number; height: number }): { svg: SVGSVGElement; texts: Element[] } | null {
  const root = source.documentElement;
  if (root.localName !== 'svg' || root.namespaceURI !== SVG_NS) return null;
  const svg = into.createElementNS(SVG_NS, 'svg');
  const viewBox = root.getAttribute('viewBox') ?? `0 0 ${root.getAttribute('width') ?? size.width} ${root.getAttribute('height') ?? size.height}`;
  svg.setAttribute('viewBox', viewBox);
  svg.setAttribute('width', String(size.width));
  svg.setAttribute('height', String(size.height));
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  copyAttributes(root, svg, TEXT_LAYOUT.filter((name) => name !== 'transform'));
  const copies = new Map<Element, Element>([[root, svg]]);
  const texts: Element[] = [];
  for (const text of source.getElementsByTagNameNS(SVG_NS, 'text')) {
    if (texts.length >= MAX_TEXTS) break;
    const chain: Element[] = [];
    let drawn = true;
    for (let at = text.parentElement; at && at !== root; at = at.parentElement) {
      if (UNDRAWN.has(at.localName) || at.localName === 'text') drawn = false;
      chain.unshift(at);
    }
    if (!drawn || text.parentElement === null) continue;
    let parent: Element = svg;
    for (const group of chain) {
      let copy = copies.get(group);
      if (!copy) {
        const nested = group.localName === 'svg';
        copy = into.createElementNS(SVG_NS, nested ? 'svg' : 'g');
        copyAttributes(group, copy, nested ? NESTED_SVG : TEXT_LAYOUT);
        parent.appendChild(copy);
        copies.set(group, copy);
      }
      parent = copy;
    }
    const copy = copyText(text, into);
    parent.appendChild(copy);
    texts.push(copy);
  }
  return { svg: svg as unknown as SVGSVGElement, texts };
}

/**
 * The boxes of the plan's text in plan units (`target`: where the plan's `<image>` draws it), from the screen boxes
 * `measure` gives of the copy's elements while it is drawn `size` large. Empty boxes (blank or hidden text) are left out.
 */
export function boxesInPlanUnits(copy: { svg: Element; texts: readonly Element[] }, target: ViewBox, size: { width: number; height: number }, measure: (element: Element) => Box): Box[] {
  const frame = measure(copy.svg);
  const scaleX = target.width / size.width;
  const scaleY = target.height / size.height;
  return copy.texts.flatMap((text) => {
    const box = measure(text);
    if (box.right - box.left <= 0 || box.bottom - box.top <= 0) return [];
    return [
      {
        left: target.x + (box.left - frame.left) * scaleX,
        top: target.y + (box.top - frame.top) * scaleY,
        right: target.x + (box.right - frame.left) * scaleX,
        bottom: target.y + (box.bottom - frame.top) * scaleY,
      },
    ];
  });
}

/** Fetches the plan drawing and measures its text once, drawn off screen in this document. */
async function measureBackground(url: string, target: ViewBox): Promise<Box[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the plan drawing answered HTTP ${response.status}`);
  const source = new DOMParser().parseFromString(await response.text(), 'image/svg+xml');
  const longer = Math.max(target.width, target.height);
  const size = { width: (target.width / longer) * MEASURE_PX, height: (target.height / longer) * MEASURE_PX };
  const copy = textOnlyCopy(source, document, size);
  if (!copy || copy.texts.length === 0) return [];
  copy.svg.setAttribute('class', 'plan-text-measure');
  copy.svg.setAttribute('aria-hidden', 'true');
  document.body.appendChild(copy.svg);
  try {
    return boxesInPlanUnits(copy, target, size, (element) => element.getBoundingClientRect());
  } finally {
    copy.svg.remove();
  }
}

/** Measured plans by drawing and frame; a few, for switching between floors without measuring again. */
const measured = new Map<string, readonly Box[]>();
const NO_BOXES: readonly Box[] = [];

/**
 * The boxes of the room names and other text drawn in a location's background, in plan units: obstacles for the
 * names of the items on it. Null while the drawing is being measured (once per drawing); empty when there is no
 * drawing, or when it could not be measured (tried again when the plan is shown again).
 */
export function useBackgroundLabels(url: string | null, target: ViewBox): readonly Box[] | null {
  const key = url === null ? null : `${url}#${target.x},${target.y},${target.width},${target.height}`;
  const [, setRevision] = useState(0);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (key === null || url === null || measured.has(key)) return;
    let current = true;
    measureBackground(url, target).then(
      (boxes) => {
        if (measured.size >= MAX_CACHED_PLANS) measured.delete(measured.keys().next().value!);
        measured.set(key, boxes);
        if (current) setRevision((n) => n + 1);
      },
      (error: unknown) => {
        console.warn('The plan drawing could not be measured; item names may cover its room names', error);
        if (current) setFailed(key);
      },
    );
    return () => {
      current = false;
    };
  }, [key]);
  if (key === null || failed === key) return NO_BOXES;
  return measured.get(key) ?? null;
}
