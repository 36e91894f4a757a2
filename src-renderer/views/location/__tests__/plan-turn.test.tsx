// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { appStore } from '../../../store';
import { EntityShape } from '../EntityShape';
import { labelBox, layoutLabels, overlaps, type IconPlacement, type LabelledItem } from '../label-layout';
import { centreOf } from '../pan-zoom';
import { LABEL_FONT_SIZE, type PlanSizing } from '../plan-items';
import { framingAsDrawn, planTurn, TURN_MIN_RATIO, turnBox, turnPlacement, turnPoint, turnViewBox } from '../plan-turn';

/** A starter plan's framing: 3:2 landscape. */
const FRAME = { x: 0, y: 0, width: 1200, height: 800 };
const CENTRE = centreOf(FRAME);
const PORTRAIT_AREA = { width: 800, height: 1150 };
const LANDSCAPE_AREA = { width: 1280, height: 670 };

describe('when the plan turns', () => {
  it('turns a landscape plan on a portrait area, and a portrait plan on a landscape area', () => {
    expect(planTurn(PORTRAIT_AREA, FRAME)).toBe(90);
    expect(planTurn(LANDSCAPE_AREA, { width: 800, height: 1200 })).toBe(90);
  });

  it('leaves the plan alone when area and plan have the same orientation', () => {
    expect(planTurn(LANDSCAPE_AREA, FRAME)).toBe(0);
    expect(planTurn(PORTRAIT_AREA, { width: 800, height: 1200 })).toBe(0);
  });

  it('does not turn near-square shapes, so that a resize around the threshold cannot flip the plan', () => {
    // The area only just portrait: 10 % taller than wide.
    expect(planTurn({ width: 1000, height: 1100 }, FRAME)).toBe(0);
    // The plan only just landscape.
    expect(planTurn(PORTRAIT_AREA, { width: 1100, height: 1000 })).toBe(0);
    // Just beyond the threshold on both sides.
    expect(planTurn({ width: 1000, height: 1000 * TURN_MIN_RATIO + 1 }, { width: 1000 * TURN_MIN_RATIO + 1, height: 1000 })).toBe(90);
  });

  it('does not turn before the area is measured', () => {
    expect(planTurn({ width: 0, height: 0 }, FRAME)).toBe(0);
    expect(planTurn(PORTRAIT_AREA, { width: 0, height: 0 })).toBe(0);
  });

  it('decides by the framing after the view’s own rotation', () => {
    // A view stored turned by 90° already shows its landscape plan as a portrait: nothing more to turn.
    const stored = framingAsDrawn(FRAME, 90);
    expect(stored.width).toBeCloseTo(800);
    expect(stored.height).toBeCloseTo(1200);
    expect(planTurn(PORTRAIT_AREA, stored)).toBe(0);
    expect(planTurn(LANDSCAPE_AREA, stored)).toBe(90);
  });
});

describe('coordinates of a turned plan', () => {
  it('turns clockwise about the framing’s centre, as SVG’s rotate does', () => {
    // The framing's top-left corner goes to its top right once turned: (0, 0) -> (1000, -200) about (600, 400).
    const corner = turnPoint({ x: 0, y: 0 }, 90, CENTRE);
    expect(corner.x).toBeCloseTo(1000);
    expect(corner.y).toBeCloseTo(-200);
    expect(turnPoint({ x: 5, y: 6 }, 0, CENTRE)).toEqual({ x: 5, y: 6 });
  });

  it('turns the framing into an upright portrait box around the same centre', () => {
    const turned = framingAsDrawn(FRAME, 90);
    expect(turned.x).toBeCloseTo(200);
    expect(turned.y).toBeCloseTo(-200);
    expect(turned.width).toBeCloseTo(800);
    expect(turned.height).toBeCloseTo(1200);
    expect(framingAsDrawn(FRAME, 0)).toBe(FRAME);
  });

  it('turns a viewBox so that it shows the same part of the plan once the plan has turned under it', () => {
    const zoomed = { x: 100, y: 150, width: 300, height: 200 };
    const turned = turnViewBox(zoomed, 90, CENTRE);
    // The plan point at the zoomed view's centre is at the turned view's centre once turned.
    const seen = turnPoint(centreOf(zoomed), 90, CENTRE);
    expect(centreOf(turned).x).toBeCloseTo(seen.x);
    expect(centreOf(turned).y).toBeCloseTo(seen.y);
    expect(turned.width).toBeCloseTo(200);
    expect(turned.height).toBeCloseTo(300);
    // Turning back restores it.
    const back = turnViewBox(turned, -90, CENTRE);
    expect(back.x).toBeCloseTo(zoomed.x);
    expect(back.y).toBeCloseTo(zoomed.y);
    expect(back.width).toBeCloseTo(zoomed.width);
    expect(back.height).toBeCloseTo(zoomed.height);
  });

  it('turns a room name’s box and an icon’s centre, and leaves paths as they are', () => {
    const box = turnBox({ left: 100, top: 100, right: 300, bottom: 140 }, 90, CENTRE);
    // 200 wide and 40 high becomes 40 wide and 200 high.
    expect(box.right - box.left).toBeCloseTo(40);
    expect(box.bottom - box.top).toBeCloseTo(200);
    const icon = turnPlacement({ kind: 'icon', x: 0, y: 0, scale: 1.5, rotate: 30 }, 90, CENTRE) as IconPlacement;
    expect(icon.x).toBeCloseTo(1000);
    expect(icon.y).toBeCloseTo(-200);
    // Only the position turns: the icon's own scale and rotation are kept.
    expect(icon.scale).toBe(1.5);
    expect(icon.rotate).toBe(30);
    const path = { kind: 'path', svgPath: 'M0 0 L10 0', style: 'line' } as const;
    expect(turnPlacement(path, 90, CENTRE)).toBe(path);
  });
});

const UNIT = 36;
const SIZING: PlanSizing = { unit: UNIT, minIcon: 0, font: UNIT * LABEL_FONT_SIZE };
const icon = (key: string, x: number, y: number, name = 'Ceiling light'): LabelledItem & { placement: IconPlacement } => ({
  key,
  name,
  placement: { kind: 'icon', x, y, scale: 1, rotate: 0 },
});

describe('names on a turned plan', () => {
  // Two icons one above the other, 60 units apart: unturned, the upper one's name below would cover the lower icon.
  const column = [icon('a', 600, 300), icon('b', 600, 360)];

  it('are laid out where the turn puts the icons, so that names clear of each other unturned stay clear turned', () => {
    const unturned = layoutLabels(column, SIZING);
    expect([...unturned]).toEqual([
      ['a', 'above'],
      ['b', 'below'],
    ]);
    // Turned, the icons stand side by side: both names below would overlap each other, so one goes above.
    const turned = column.map((item) => ({ ...item, placement: turnPlacement(item.placement, 90, CENTRE) as IconPlacement }));
    const sides = layoutLabels(turned, SIZING);
    expect([...sides]).toEqual([
      ['a', 'below'],
      ['b', 'above'],
    ]);
    const [boxA, boxB] = turned.map((item) => labelBox(item.placement, item.name, SIZING, sides.get(item.key)!));
    expect(overlaps(boxA!, boxB!)).toBe(false);
  });

  it('keep clear of the room names turned with the plan', () => {
    // A room name right of the icon in the plan: below the icon once the plan turns clockwise.
    const lone = [icon('a', 600, 400)];
    const roomName = { left: 640, top: 385, right: 760, bottom: 415 };
    expect([...layoutLabels(lone, SIZING, [roomName])]).toEqual([['a', 'below']]);
    const turned = lone.map((item) => ({ ...item, placement: turnPlacement(item.placement, 90, CENTRE) as IconPlacement }));
    const turnedRoomName = turnBox(roomName, 90, CENTRE);
    expect([...layoutLabels(turned, SIZING, [turnedRoomName])]).toEqual([['a', 'above']]);
  });
});

/** An affine matrix [a b c d e f] as SVG writes it. */
type Affine = [number, number, number, number, number, number];
const multiply = ([a1, b1, c1, d1, e1, f1]: Affine, [a2, b2, c2, d2, e2, f2]: Affine): Affine => [
  a1 * a2 + c1 * b2,
  b1 * a2 + d1 * b2,
  a1 * c2 + c1 * d2,
  b1 * c2 + d1 * d2,
  a1 * e2 + c1 * f2 + e1,
  b1 * e2 + d1 * f2 + f1,
];
const rotation = (degrees: number): Affine => {
  const rad = (degrees * Math.PI) / 180;
  return [Math.cos(rad), Math.sin(rad), -Math.sin(rad), Math.cos(rad), 0, 0];
};
const translation = (x: number, y: number): Affine => [1, 0, 0, 1, x, y];

/** The matrix of a transform list of translate() and rotate() as drawItem and PlanCanvas write them. */
function parseTransform(list: string): Affine {
  let matrix: Affine = [1, 0, 0, 1, 0, 0];
  for (const [, name, args] of list.matchAll(/(translate|rotate)\(([^)]*)\)/g)) {
    const [p = 0, q = 0, r = 0] = args!.trim().split(/[\s,]+/).map(Number);
    const step = name === 'translate' ? translation(p, q) : multiply(multiply(translation(q, r), rotation(p)), translation(-q, -r));
    matrix = multiply(matrix, step);
  }
  return matrix;
}

describe('an item on a turned plan', () => {
  let root: HTMLElement | null = null;

  afterEach(async () => {
    if (root) await act(() => render(null, root!));
    root = null;
    appStore.setState({ entityStates: new Map() });
  });

  it('turns back by the plan’s turn: upright on screen, at the turned position', async () => {
    const placement = { kind: 'icon', x: 100, y: 150, scale: 1, rotate: 0 } as const;
    appStore.setState({ entityStates: new Map(), alertedEntityIds: new Set() });
    root = document.createElement('div');
    document.body.appendChild(root);
    await act(() =>
      render(
        <svg>
          <EntityShape entity={{ id: 7, name: 'Hall', type: 'light', placement }} placement={placement} sizing={SIZING} turn={90} selected={false} label="below" unitSystem="metric" />
        </svg>,
        root!,
      ),
    );
    const group = root.querySelector('[data-entity-id="7"]')!;
    // PlanCanvas turns its content group by the turn about the framing's centre.
    const onScreen = multiply(parseTransform(`rotate(90 ${CENTRE.x} ${CENTRE.y})`), parseTransform(group.getAttribute('transform')!));
    const [a, b, c, d, e, f] = onScreen;
    // No rotation left: the glyph, its name and any value read as on an unturned plan.
    expect(a).toBeCloseTo(1);
    expect(b).toBeCloseTo(0);
    expect(c).toBeCloseTo(0);
    expect(d).toBeCloseTo(1);
    const at = turnPoint(placement, 90, CENTRE);
    expect(e).toBeCloseTo(at.x);
    expect(f).toBeCloseTo(at.y);
    // The name stays a horizontal text inside that group.
    expect(group.querySelector('.plan-label')?.getAttribute('transform')).toBeNull();
  });
});
