import type { Placement } from '../../../../src-shared/model/location';
import { useAppState } from '../../../store';
import type { PlanItem } from '../plan-items';
import { parsePolyline } from '../plan-path';
import { useEditCall } from './edit-call';
import { minDraftPoints, SELECT_TOOL, type Tool } from './placement-edit';

/** The dialogs edit mode opens over the plan. */
export type EditDialog =
  | { name: 'picker'; drawn: Extract<Placement, { kind: 'path' }> | null }
  | { name: 'archive' }
  | { name: 'locations' }
  | { name: 'collections' }
  | { name: 'add-to-view' }
  | { name: 'confirm-delete' }
  | null;

interface EditToolbarProps {
  /** The item selected for editing. */
  target: PlanItem | null;
  tool: Tool;
  onTool(tool: Tool): void;
  onOpen(dialog: EditDialog): void;
  onFinishDraw(): void;
}

export function EditToolbar({ target, tool, onTool, onOpen, onFinishDraw }: EditToolbarProps) {
  const undoLabels = useAppState((s) => s.edit.undoLabels);
  const applyEdit = useAppState((s) => s.applyEdit);
  const run = useEditCall();

  if (tool.name === 'draw') {
    const needed = minDraftPoints(tool.style);
    return (
      <div class="edit-toolbar drawing" role="toolbar" aria-label="Drawing" data-testid="edit-toolbar">
        <span class="toolbar-hint" data-testid="draw-hint">
          Tap the {tool.style === 'area' ? 'corners of the area' : 'points along the line'}, then double-tap or Finish.
          {tool.points.length < needed && ` At least ${needed} points.`}
        </span>
        <button type="button" class="secondary" data-testid="draw-undo-point" disabled={tool.points.length === 0} onClick={() => onTool({ ...tool, points: tool.points.slice(0, -1) })}>
          Remove last point
        </button>
        <button type="button" class="secondary" data-testid="draw-cancel" onClick={() => onTool(SELECT_TOOL)}>
          Cancel
        </button>
        <button type="button" data-testid="draw-finish" disabled={tool.points.length < needed} onClick={onFinishDraw}>
          Finish
        </button>
      </div>
    );
  }

  const reshapable = target?.placement.kind === 'path' && parsePolyline(target.placement.svgPath) !== null;
  const undo = async () => {
    const edit = await run('edit.undo', {});
    if (edit) applyEdit(edit);
  };
  return (
    <div class="edit-toolbar" role="toolbar" aria-label="Edit the plan" data-testid="edit-toolbar">
      <button
        type="button"
        class="secondary"
        data-testid="edit-undo"
        disabled={undoLabels.length === 0}
        title={undoLabels[0] ? `Undo ${undoLabels[0]}` : 'Nothing to undo'}
        onClick={() => void undo()}
      >
        ↶ Undo
      </button>
      <button type="button" data-testid="edit-add" onClick={() => onOpen({ name: 'picker', drawn: null })}>
        + Add item
      </button>
      <button type="button" class="secondary" data-testid="edit-draw-area" onClick={() => onTool({ name: 'draw', style: 'area', points: [] })}>
        Draw area
      </button>
      <button type="button" class="secondary" data-testid="edit-draw-line" onClick={() => onTool({ name: 'draw', style: 'line', points: [] })}>
        Draw line
      </button>
      <span class="toolbar-target" data-testid="edit-target">
        {target ? target.name : 'Tap an item to edit it'}
      </span>
      <button
        type="button"
        class="secondary"
        data-testid="edit-shape"
        aria-pressed={tool.name === 'shape'}
        disabled={!reshapable}
        onClick={() => onTool(tool.name === 'shape' ? SELECT_TOOL : { name: 'shape' })}
      >
        {tool.name === 'shape' ? 'Done shaping' : 'Edit shape'}
      </button>
      <button type="button" class="secondary" data-testid="edit-add-to-view" disabled={!target} onClick={() => onOpen({ name: 'add-to-view' })}>
        Add to view…
      </button>
      <button type="button" class="danger" data-testid="edit-delete" disabled={target?.kind !== 'entity'} onClick={() => onOpen({ name: 'confirm-delete' })}>
        Delete
      </button>
      <span class="toolbar-spacer" />
      <button type="button" class="secondary" data-testid="edit-archive" onClick={() => onOpen({ name: 'archive' })}>
        Archive
      </button>
      <button type="button" class="secondary" data-testid="edit-locations" onClick={() => onOpen({ name: 'locations' })}>
        Locations
      </button>
      <button type="button" class="secondary" data-testid="edit-collections" onClick={() => onOpen({ name: 'collections' })}>
        Collections
      </button>
    </div>
  );
}
