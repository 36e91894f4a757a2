// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { boxesInPlanUnits, textOnlyCopy } from '../background-labels';
import type { Box } from '../label-layout';

const PLAN = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 800">
  <defs><pattern id="p"><text>not drawn</text></pattern></defs>
  <rect width="1200" height="800" fill="url(#p)" onclick="alert(1)"/>
  <g id="labels" transform="translate(10 20)" font-size="20" fill="#444" onload="alert(2)">
    <text x="250" y="247" style="font-size:6.35px;fill:red;text-anchor:middle">Garage<tspan x="250" dy="8">door</tspan></text>
    <a href="https://example.com"><text x="540" y="247">Kitchen</text></a>
  </g>
</svg>`;

describe('the room names of a plan drawing', () => {
  it('copies only the drawn text and what places and sizes it, nothing that runs, links or paints', () => {
    const source = new DOMParser().parseFromString(PLAN, 'image/svg+xml');
    const copy = textOnlyCopy(source, document, { width: 600, height: 400 })!;
    expect(copy.texts.map((t) => t.textContent)).toEqual(['Garagedoor', 'Kitchen']);
    expect(copy.svg.getAttribute('viewBox')).toBe('0 0 1200 800');
    expect(copy.svg.getAttribute('width')).toBe('600');
    const group = copy.texts[0]!.parentElement!;
    expect(group.getAttribute('transform')).toBe('translate(10 20)');
    expect(group.getAttribute('font-size')).toBe('20');
    const markup = copy.svg.outerHTML;
    for (const unwanted of ['onload', 'onclick', 'href', 'fill', 'pattern', 'rect', 'not drawn', 'red']) expect(markup, unwanted).not.toContain(unwanted);
    expect((copy.texts[0] as SVGElement).style.getPropertyValue('font-size')).toBe('6.35px');
    expect(copy.texts[0]!.querySelector('tspan')?.getAttribute('dy')).toBe('8');
  });

  it('answers nothing for a file that is not an SVG', () => {
    const source = new DOMParser().parseFromString('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', 'application/xhtml+xml');
    expect(textOnlyCopy(source, document, { width: 10, height: 10 })).toBeNull();
  });

  it('converts measured screen boxes to plan units, leaving out empty ones', () => {
    const source = new DOMParser().parseFromString(PLAN, 'image/svg+xml');
    const copy = textOnlyCopy(source, document, { width: 600, height: 400 })!;
    const boxes = new Map<Element, Box>([
      [copy.svg, { left: 50, top: 30, right: 650, bottom: 430 }],
      [copy.texts[0]!, { left: 150, top: 130, right: 200, bottom: 140 }],
      [copy.texts[1]!, { left: 300, top: 300, right: 300, bottom: 300 }],
    ]);
    const target = { x: 100, y: 200, width: 1200, height: 800 };
    expect(boxesInPlanUnits(copy, target, { width: 600, height: 400 }, (element) => boxes.get(element)!)).toEqual([{ left: 300, top: 400, right: 400, bottom: 420 }]);
  });
});
