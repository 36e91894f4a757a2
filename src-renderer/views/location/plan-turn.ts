import type { Placement, ViewBox } from '../../../src-shared/model/location';
import type { Box } from './label-layout';
import { centreOf, rotatePoint, transformBox, type Point, type Size } from './pan-zoom';

/** How far the plan is turned to fill its area: not at all, or a quarter turn clockwise (always the same way). */
export type PlanTurn = 0 | 90;

/**
 * The plan turns only when the area's and the framing's width-to-height ratios lie on different sides of 1, each by
 * at least this factor: near-square shapes never turn, so a panel resized around the threshold does not flip back
 * and forth.
 */
export const TURN_MIN_RATIO = 1.15;

const ratioOf = (size: Size): number => size.width / size.height;
const isWide = (ratio: number): boolean => ratio >= TURN_MIN_RATIO;
const isTall = (ratio: number): boolean => ratio <= 1 / TURN_MIN_RATIO;

/** The matrix of a turn of `degrees` clockwise (SVG's `rotate`) about `about`. */
function turnMatrix(degrees: number, about: Point): DOMMatrixReadOnly {
  const rad = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(rad), Math.sin(rad)];
  // rotate(d cx cy) = translate(cx cy) rotate(d) translate(-cx -cy)
  return { a: cos, b: sin, c: -sin, d: cos, e: about.x - about.x * cos + about.y * sin, f: about.y - about.x * sin - about.y * cos } as DOMMatrixReadOnly;
}

/** The upright box around `box` turned by `degrees` clockwise about `about`. */
export function turnViewBox(box: ViewBox, degrees: number, about: Point): ViewBox {
  return degrees % 360 === 0 ? box : transformBox(box, turnMatrix(degrees, about));
}

/** `turnViewBox` for a label layout's box (left, top, right, bottom). */
export function turnBox(box: Box, degrees: number, about: Point): Box {
  const turned = turnViewBox({ x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top }, degrees, about);
  return { left: turned.x, top: turned.y, right: turned.x + turned.width, bottom: turned.y + turned.height };
}

/** The view's framing as drawn: turned by `degrees` (its own rotation, plus the plan's turn) about its centre. */
export function framingAsDrawn(frame: ViewBox, degrees: number): ViewBox {
  return turnViewBox(frame, degrees, centreOf(frame));
}

/**
 * Whether a plan whose framing (after the view's own rotation) is `framing` is turned to fill an `area` of the screen:
 * when one is clearly landscape and the other clearly portrait. Nothing is turned before the area is measured.
 */
export function planTurn(area: Size, framing: Size): PlanTurn {
  if (area.width <= 0 || area.height <= 0 || framing.width <= 0 || framing.height <= 0) return 0;
  const [screen, plan] = [ratioOf(area), ratioOf(framing)];
  return (isTall(screen) && isWide(plan)) || (isWide(screen) && isTall(plan)) ? 90 : 0;
}

/** Where a plan point `p` lies once the plan is turned by `turn` about `about`: the frame names are laid out in. */
export const turnPoint = (p: Point, turn: number, about: Point): Point => (turn % 360 === 0 ? p : rotatePoint(p, turn, about));

/** An item as laid out in the turned frame: an icon's centre turned with the plan, a path as it is (names go by icons only). */
export function turnPlacement(placement: Placement, turn: number, about: Point): Placement {
  return placement.kind === 'icon' && turn % 360 !== 0 ? { ...placement, ...turnPoint(placement, turn, about) } : placement;
}
