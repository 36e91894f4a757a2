import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SVG_LIMITS, sanitizeSvg, SvgRejectedError, type SvgViewBox } from '../svg-sanitizer';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOSTILE_DIR = path.join(HERE, 'fixtures', 'hostile');
const PLANS_DIR = path.join(HERE, 'fixtures', 'plans');
const STARTER_DIR = path.join(HERE, '..', 'starter-plans');

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const DOCTYPE_REFUSED = /DOCTYPE or ENTITY declaration/;

/**
 * Every hostile fixture and what must happen to it: 'defused' (the output is inert) or a RegExp that the refusal
 * message must match. A fixture without an entry fails the suite, so nobody adds one without deciding.
 */
const HOSTILE: Record<string, 'defused' | RegExp> = {
  'a-xlink-javascript.svg': 'defused',
  'animate-href-javascript.svg': 'defused',
  'base-tag.svg': 'defused',
  'comments-and-cdata-outside-text.svg': 'defused',
  'data-html-href.svg': 'defused',
  'deep-nesting.svg': /nests elements more than 64 levels deep; the limit is 64/,
  'doctype-billion-laughs.svg': DOCTYPE_REFUSED,
  'doctype-external-dtd.svg': DOCTYPE_REFUSED,
  'doctype-parameter-entity.svg': DOCTYPE_REFUSED,
  'doctype-svg-public-with-subset.svg': DOCTYPE_REFUSED,
  'doctype-xxe.svg': DOCTYPE_REFUSED,
  'embed-object.svg': 'defused',
  'event-handlers-mixed-case.svg': 'defused',
  'feimage-external.svg': 'defused',
  'font-face-cursor-external.svg': 'defused',
  'foreignobject-html-script.svg': 'defused',
  'foreignobject-meta-refresh-base.svg': 'defused',
  'handler-svg-tiny.svg': 'defused',
  'href-javascript-whitespace-obfuscated.svg': 'defused',
  'href-javascript.svg': 'defused',
  'html-root.svg': /not an SVG drawing: its root element is <html> in namespace http:\/\/www\.w3\.org\/1999\/xhtml/,
  'iframe.svg': 'defused',
  'image-external.svg': 'defused',
  'image-file-url.svg': 'defused',
  'image-svg-data-url.svg': 'defused',
  'malformed-html-soup.svg': /^The file is not valid SVG: .+ at line 1, column \d+\.$/,
  'malformed-unclosed.svg': /^The file is not valid SVG: unexpected close tag at line 4, column \d+\.$/,
  'malformed-unquoted-attribute.svg': /^The file is not valid SVG: .+ at line 1, column \d+\.$/,
  'nested-svg-onload.svg': 'defused',
  'no-size.svg': /The drawing has no size/,
  'onload-root.svg': 'defused',
  'presentation-attribute-external-url.svg': 'defused',
  'script-cdata.svg': 'defused',
  'script-external-src.svg': 'defused',
  'script-prefixed-svg-namespace.svg': 'defused',
  'script-tag.svg': 'defused',
  'set-href-javascript.svg': 'defused',
  'smil-values-javascript.svg': 'defused',
  'style-attribute-expression-escape.svg': 'defused',
  'style-attribute-external-url.svg': 'defused',
  'style-element-import.svg': 'defused',
  'svg-wrong-namespace.svg': /root element is <svg> in namespace http:\/\/www\.w3\.org\/1999\/xhtml, not <svg>/,
  'undeclared-entity.svg': /^The file is not valid SVG: undefined entity at line 1, column \d+\.$/,
  'use-bomb.svg': /Through <use> references the drawing grows to more than 50,000 elements; the limit is 50,000/,
  'use-data-and-self-reference.svg': 'defused',
  'use-external.svg': 'defused',
  'vbscript-href.svg': 'defused',
  'xinclude.svg': 'defused',
  'xlink-href-javascript-entity-encoded.svg': 'defused',
  'xml-base.svg': 'defused',
  'xml-stylesheet-pi.svg': 'defused',
};

/** Written here rather than imported, so widening the sanitiser's allowlist is a visible test change. */
const INERT_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'image', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
  'text', 'tspan', 'textPath', 'title', 'desc', 'linearGradient', 'radialGradient', 'stop', 'clipPath', 'mask',
  'pattern', 'marker', 'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feDropShadow',
  'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feMerge', 'feMergeNode',
  'feMorphology', 'feOffset',
]);
const DRAWING_ELEMENTS = new Set(['path', 'rect', 'circle', 'line', 'polyline', 'polygon', 'text', 'ellipse', 'use']);
const COMPARED_PROPERTIES = new Set(['d', 'points', 'transform', 'fill', 'stroke']);
const EMBEDDED_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=]+$/i;

interface ParsedAttribute {
  readonly uri: string;
  readonly local: string;
  readonly name: string;
  readonly value: string;
}

interface ParsedElement {
  readonly uri: string;
  readonly local: string;
  readonly attributes: readonly ParsedAttribute[];
  text: string;
}

/** Every element in document order, each with the text of its whole subtree. */
function parse(svg: string): ParsedElement[] {
  const parser = new SaxesParser({ xmlns: true });
  const elements: ParsedElement[] = [];
  const open: ParsedElement[] = [];
  const addText = (value: string): void => open.forEach((element) => (element.text += value));
  parser.on('opentag', (tag) => {
    const element = { uri: tag.uri, local: tag.local, attributes: Object.values(tag.attributes), text: '' };
    elements.push(element);
    open.push(element);
  });
  parser.on('closetag', () => open.pop());
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.write(svg).close();
  return elements;
}

const read = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');
const svgFiles = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.svg')).sort();

function expectInert(svg: string): void {
  for (const element of parse(svg)) {
    expect(element.uri).toBe(SVG_NS);
    expect(INERT_ELEMENTS, `<${element.local}> is not on the allowlist`).toContain(element.local);
    for (const { uri, local, name, value } of element.attributes) {
      expect(name).not.toMatch(/^on/i);
      expect([XMLNS_NS, XLINK_NS, XML_NS, '']).toContain(uri);
      if (local === 'href') {
        const embedded = element.local === 'image' && EMBEDDED_IMAGE.test(value);
        expect(embedded || value.startsWith('#'), `${name}="${value}" on <${element.local}>`).toBe(true);
      }
    }
  }
  const flat = svg
    .replaceAll(`xmlns="${SVG_NS}"`, '')
    .replaceAll(`xmlns:xlink="${XLINK_NS}"`, '')
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/href="data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=]+"/g, '');
  for (const banned of ['javascript:', 'vbscript:', 'data:', '://', 'file:', '<script', '<foreignobject', '<style', '@import', 'expression(', '\\']) {
    expect(flat, `output contains ${banned}`).not.toContain(banned);
  }
  for (const match of flat.matchAll(/url\(/g)) expect(flat.slice(match.index, match.index + 6)).toMatch(/^url\(['"]?#/);
}

function rejection(run: () => unknown): SvgRejectedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SvgRejectedError);
    return error as SvgRejectedError;
  }
  throw new Error('expected the SVG to be refused');
}

describe('hostile SVG corpus', () => {
  const fixtures = svgFiles(HOSTILE_DIR);

  it('has at least 30 fixtures, each named in the table, and no table entry without a file', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    expect(fixtures).toEqual(Object.keys(HOSTILE).sort());
  });

  it.each(fixtures)('%s is refused or defused as the table says', (name) => {
    const expected = HOSTILE[name];
    const input = read(HOSTILE_DIR, name);
    if (expected === undefined) throw new Error(`${name} has no entry in HOSTILE`);
    if (expected === 'defused') {
      const result = sanitizeSvg(input);
      expectInert(result.svg);
      expect(result.removed.length, 'something was stripped and reported').toBeGreaterThan(0);
      expect(sanitizeSvg(result.svg).svg, 'sanitising is idempotent').toBe(result.svg);
    } else {
      expect(rejection(() => sanitizeSvg(input)).message).toMatch(expected);
    }
  });
});

describe('limits', () => {
  const svgWith = (body: string): string => `<svg xmlns="${SVG_NS}" viewBox="0 0 10 10">${body}</svg>`;

  it('refuses more elements than the limit and accepts exactly the limit', () => {
    const limit = DEFAULT_SVG_LIMITS.maxElements;
    expect(rejection(() => sanitizeSvg(svgWith('<rect/>'.repeat(limit)))).message).toBe(
      'The drawing has more than 50,000 elements; the limit is 50,000.',
    );
    expect(sanitizeSvg(svgWith('<rect/>'.repeat(limit - 1))).elementCount).toBe(limit);
  });

  it('stops counting as soon as the limit is passed, before the rest of the file is read', () => {
    const input = svgWith('<rect/>'.repeat(20)).replace('</svg>', '<g><unclosed');
    const limits = { ...DEFAULT_SVG_LIMITS, maxElements: 10 };
    expect(rejection(() => sanitizeSvg(input, limits)).message).toMatch(/more than 10 elements/);
  });

  it('refuses nesting past the depth limit and accepts exactly the limit', () => {
    const nested = (groups: number): string => svgWith('<g>'.repeat(groups) + '</g>'.repeat(groups));
    expect(rejection(() => sanitizeSvg(nested(64))).message).toBe(
      'The drawing nests elements more than 64 levels deep; the limit is 64.',
    );
    expect(sanitizeSvg(nested(63)).elementCount).toBe(64);
  });

  it('refuses an oversize file by its byte length, before parsing', () => {
    const padding = '<!--' + 'x'.repeat(DEFAULT_SVG_LIMITS.maxBytes) + '-->';
    expect(rejection(() => sanitizeSvg(svgWith(padding))).message).toBe('The file is 10.1 MB; the limit is 10 MB.');
    expect(rejection(() => sanitizeSvg(Buffer.from(svgWith('')), { ...DEFAULT_SVG_LIMITS, maxBytes: 20 })).message).toBe(
      'The file is 66 bytes; the limit is 20 bytes.',
    );
  });
});

describe('input decoding', () => {
  const svg = `<svg xmlns="${SVG_NS}" viewBox="0 0 10 10"><text>Küche</text></svg>`;

  it('reads UTF-8 with or without a byte order mark, and UTF-16 with one', () => {
    expect(sanitizeSvg(Buffer.from(svg)).svg).toContain('Küche');
    expect(sanitizeSvg(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(svg)])).svg).toContain('Küche');
    expect(sanitizeSvg(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(svg, 'utf16le')])).svg).toContain('Küche');
  });

  it('names the tag a truncated file leaves open', () => {
    expect(rejection(() => sanitizeSvg(`<svg xmlns="${SVG_NS}" viewBox="0 0 1 1">\n<g>\n<rect/>`)).message).toMatch(
      /^The file is not valid SVG: unclosed tag <g> at line 3, column \d+\.$/,
    );
  });

  it('refuses bytes that are not text, and an empty file', () => {
    expect(rejection(() => sanitizeSvg(Buffer.from([0x3c, 0x73, 0xff, 0xfe, 0x00]))).message).toBe(
      'The file is not valid SVG: it is not UTF-8 text.',
    );
    expect(rejection(() => sanitizeSvg('')).message).toMatch(/^The file is not valid SVG: /);
  });
});

describe('drawing size', () => {
  const size = (attributes: string): SvgViewBox => sanitizeSvg(`<svg xmlns="${SVG_NS}" ${attributes}/>`).viewBox;

  it('comes from the viewBox, commas or spaces', () => {
    expect(size('viewBox="-10,5.5,640,480" width="100%"')).toEqual({ x: -10, y: 5.5, width: 640, height: 480 });
  });

  it('falls back to width and height in px or physical units, and writes the viewBox out', () => {
    expect(size('width="800px" height="600"')).toEqual({ x: 0, y: 0, width: 800, height: 600 });
    expect(size('width="210mm" height="1in"')).toEqual({ x: 0, y: 0, width: 793.701, height: 96 });
    expect(sanitizeSvg(`<svg width="800" height="600"/>`).svg).toBe(`<svg xmlns="${SVG_NS}" width="800" height="600" viewBox="0 0 800 600"/>`);
    const unusable = sanitizeSvg(`<svg viewBox="0 0 0 10" width="40" height="30"/>`);
    expect(unusable.viewBox).toEqual({ x: 0, y: 0, width: 40, height: 30 });
    expect(unusable.removed).toContain('unusable viewBox "0 0 0 10"');
  });

  it('refuses a drawing without a positive, finite size', () => {
    for (const attributes of ['', 'width="100%" height="100%"', 'viewBox="0 0 -5 10"', 'width="-5" height="10"', 'width="1e999" height="5"']) {
      expect(rejection(() => sanitizeSvg(`<svg ${attributes}/>`)).message).toMatch(/^The drawing has no size/);
    }
  });
});

describe('rebuilt document', () => {
  const clean = (body: string, rootAttributes = ''): ReturnType<typeof sanitizeSvg> =>
    sanitizeSvg(`<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}" viewBox="0 0 10 10"${rootAttributes}>${body}</svg>`);

  it('declares xlink only when an xlink:href survived', () => {
    expect(clean('<rect id="r"/><use xlink:href="#r"/>').svg).toContain(`xmlns:xlink="${XLINK_NS}"`);
    expect(clean('<rect id="r"/><use href="#r"/>').svg).not.toContain('xmlns:xlink');
  });

  it('escapes text and attribute values', () => {
    const { svg } = clean('<text font-family="&quot;Segoe UI&quot; &amp; co">a &lt; b &amp; c &gt; d<![CDATA[ <e> ]]></text>');
    expect(svg).toContain('<text font-family="&quot;Segoe UI&quot; &amp; co">a &lt; b &amp; c &gt; d &lt;e&gt; </text>');
  });

  it('unwraps links and conditional groups but keeps what they drew', () => {
    const { svg, removed } = clean('<a href="#x"><rect width="1"/></a><text><a>door</a> 1</text><switch><circle r="1"/></switch>');
    expect(svg).toContain('<rect width="1"/><text>door 1</text><circle r="1"/>');
    expect(removed).toContain('<a> wrapper (its contents were kept) (2×)');
  });

  it('keeps allowlisted style declarations and drops the rest one by one', () => {
    const { svg, removed } = clean(`<rect style="fill:red; -inkscape-font-specification:'Sans Bold'; stroke : url(#g) ;font-family:'Segoe UI', Arial"/>`);
    expect(svg).toContain(`<rect style="fill:red;stroke:url(#g);font-family:'Segoe UI', Arial"/>`);
    expect(removed).toContain('style property -inkscape-font-specification');
  });

  it('keeps embedded PNG, JPEG, GIF and WebP images and drops every other image', () => {
    const { svg } = clean('<image href="data:image/png;base64,iVBO\n RW0K" width="2"/><image href="photo.png"/><image/>');
    expect(svg).toContain('<image href="data:image/png;base64,iVBORW0K" width="2"/>');
    expect(parse(svg).filter((element) => element.local === 'image')).toHaveLength(1);
  });

  it('accepts the plain W3C SVG 1.1 DOCTYPE that older editors write, and drops it', () => {
    const result = sanitizeSvg(
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' +
        `<svg xmlns="${SVG_NS}" viewBox="0 0 1 1"/>`,
    );
    expect(result.svg).toBe(`<svg xmlns="${SVG_NS}" viewBox="0 0 1 1"/>`);
    expect(result.removed).toEqual(['DOCTYPE declaration']);
  });

  it('collapses repeated notes and caps the list', () => {
    expect(clean('<rect onclick="x()"/>'.repeat(12)).removed).toEqual(['onclick event handler on <rect> (12×)']);
    const many = Array.from({ length: 200 }, (_, i) => `data-n${i}="1"`).join(' ');
    const { removed } = clean(`<rect ${many}/>`);
    expect(removed).toHaveLength(51);
    expect(removed.at(-1)).toBe('other items (150×)');
  });
});

interface PlanSummary {
  viewBox: SvgViewBox;
  drawingElements: number;
  elements: number;
  properties: string[];
  texts: string[];
}

/** What a viewer sees of a plan: its frame, its drawn elements, their geometry and paint, and its words. */
function summarize(svg: string): PlanSummary {
  const elements = parse(svg);
  const svgElements = elements.filter((element) => element.uri === SVG_NS || element.uri === '');
  const properties: string[] = [];
  for (const element of svgElements) {
    for (const { uri, local, value } of element.attributes) {
      if (uri !== '') continue;
      if (COMPARED_PROPERTIES.has(local)) properties.push(`${local}=${value}`);
      if (local !== 'style') continue;
      for (const declaration of value.split(';')) {
        const [property = '', ...rest] = declaration.split(':');
        if (COMPARED_PROPERTIES.has(property.trim())) properties.push(`${property.trim()}=${rest.join(':').trim()}`);
      }
    }
  }
  const root = elements[0]!;
  const viewBox = root.attributes.find((attribute) => attribute.local === 'viewBox')!.value.split(/[\s,]+/).map(Number);
  return {
    viewBox: { x: viewBox[0]!, y: viewBox[1]!, width: viewBox[2]!, height: viewBox[3]! },
    drawingElements: svgElements.filter((element) => DRAWING_ELEMENTS.has(element.local)).length,
    elements: elements.length,
    properties: properties.sort(),
    texts: svgElements.filter((element) => element.local === 'text').map((element) => element.text),
  };
}

function expectVisuallyIntact(input: string): ReturnType<typeof sanitizeSvg> {
  const result = sanitizeSvg(input);
  const before = summarize(input);
  const after = summarize(result.svg);
  expect(result.viewBox).toEqual(before.viewBox);
  expect(after.viewBox).toEqual(before.viewBox);
  expect(after.drawingElements).toBe(before.drawingElements);
  expect(after.properties).toEqual(before.properties);
  expect(after.texts).toEqual(before.texts);
  expectInert(result.svg);
  return result;
}

describe('real floor plans', () => {
  const plans = svgFiles(PLANS_DIR);

  it('has five of them', () => {
    expect(plans).toHaveLength(5);
  });

  it.each(plans)('%s comes out visually intact', (name) => {
    const result = expectVisuallyIntact(read(PLANS_DIR, name));
    expect(summarize(result.svg).drawingElements).toBeGreaterThan(20);
  });

  it('strips Inkscape and Illustrator bookkeeping without touching the drawing', () => {
    const inkscape = sanitizeSvg(read(PLANS_DIR, 'cottage-inkscape.svg'));
    expect(inkscape.svg).not.toMatch(/inkscape|sodipodi|rdf:|metadata/);
    expect(inkscape.removed).toEqual(expect.arrayContaining(['<sodipodi:namedview> element', '<metadata> element']));
    const illustrator = sanitizeSvg(read(PLANS_DIR, 'townhouse-illustrator.svg'));
    expect(illustrator.removed).toEqual(expect.arrayContaining(['DOCTYPE declaration', 'style property enable-background']));
  });
});

describe('starter plans', () => {
  const starters = svgFiles(STARTER_DIR);

  it('ship the four first-run profiles', () => {
    expect(starters).toEqual(['apartment.svg', 'single-story.svg', 'two-story-ground.svg', 'two-story-upper.svg']);
  });

  it.each(starters)('%s passes the sanitiser unchanged in content', (name) => {
    const input = read(STARTER_DIR, name);
    const result = expectVisuallyIntact(input);
    expect(result.removed).toEqual([]);
    expect(result.elementCount).toBe(summarize(input).elements);
    expect(result.viewBox).toEqual({ x: 0, y: 0, width: 1200, height: 800 });
  });
});
