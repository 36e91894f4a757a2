import type { Placement } from '../../../../src-shared/model/location';
import type { Point } from '../pan-zoom';
import { parsePolyline, polylinePath } from '../plan-path';
import { iconHandlePositions } from './placement-edit';

interface OverlayProps {
  /** The selected item's placement, as currently shown. */
  placement: Placement;
  unit: number;
  /** Handle radius in plan units: a 44 px finger target at the current zoom. */
  handleRadius: number;
  reshaping: boolean;
}

function Handle({ at, radius, testId, grip, index }: { at: Point; radius: number; testId: string; grip: string; index?: number }) {
  return (
    <g class={`edit-handle edit-handle-${grip}`} data-grip={grip} data-index={index} data-testid={testId} transform={`translate(${at.x} ${at.y})`}>
      <circle class="handle-hit" r={radius} />
      <circle class="handle-dot" r={radius * 0.45} />
    </g>
  );
}

/** Handles for the item selected in edit mode: scale and rotate for an icon, one per vertex while reshaping a path. */
export function SelectionHandles({ placement, unit, handleRadius, reshaping }: OverlayProps) {
  if (placement.kind === 'icon') {
    const { rotate, scale } = iconHandlePositions(placement, unit, handleRadius);
    return (
      <g class="edit-handles">
        <line class="handle-stem" x1={placement.x} y1={placement.y} x2={rotate.x} y2={rotate.y} />
        <Handle at={rotate} radius={handleRadius} testId="handle-rotate" grip="rotate" />
        <Handle at={scale} radius={handleRadius} testId="handle-scale" grip="scale" />
      </g>
    );
  }
  const polyline = reshaping ? parsePolyline(placement.svgPath) : null;
  if (!polyline) return null;
  return (
    <g class="edit-handles">
      {polyline.points.map((p, index) => (
        <Handle key={index} at={p} radius={handleRadius} testId={`vertex-handle-${index}`} grip="vertex" index={index} />
      ))}
    </g>
  );
}

/** The shape being drawn: the points tapped so far. */
export function DraftShape({ points, closed, dotRadius }: { points: readonly Point[]; closed: boolean; dotRadius: number }) {
  return (
    <g class="draw-draft" data-testid="draw-draft" data-points={points.length}>
      {points.length > 1 && <path class={closed ? 'draft-area' : 'draft-line'} d={polylinePath(points, closed)} />}
      {points.map((p, index) => (
        <circle key={index} class="draft-point" cx={p.x} cy={p.y} r={dotRadius} />
      ))}
    </g>
  );
}
