import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Placement } from '../../../../src-shared/model/location';
import { useAppState } from '../../../store';
import type { PlanItem } from '../plan-items';
import { parsePolyline } from '../plan-path';
import { useEditCall } from './edit-call';
import { minDraftPoints, SELECT_TOOL, type Tool } from './placement-edit';
import { overflowingControls } from './toolbar-overflow';

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

/** One of the toolbar's actions, drawn as a button in the bar or as a row of its More menu. */
interface ToolbarAction {
  key: string;
  label: string;
  testId: string;
  look: 'primary' | 'secondary' | 'danger';
  disabled?: boolean;
  /** A toggle: whether it is on. */
  pressed?: boolean;
  title?: string;
  /** Drawn after the selected item's name, or at the far end. */
  group: 'start' | 'item' | 'end';
  run(): void;
}

/** What goes into the More menu first when the bar is too narrow: the least used. */
const COLLAPSE_ORDER = ['collections', 'locations', 'archive', 'draw-line', 'draw-area', 'add-to-view', 'shape', 'delete', 'add', 'undo'];

const lookClass = (look: ToolbarAction['look']) => (look === 'primary' ? undefined : look);

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
  const actions: ToolbarAction[] = [
    {
      key: 'undo',
      label: '↶ Undo',
      testId: 'edit-undo',
      look: 'secondary',
      disabled: undoLabels.length === 0,
      title: undoLabels[0] ? `Undo ${undoLabels[0]}` : 'Nothing to undo',
      group: 'start',
      run: () => void undo(),
    },
    { key: 'add', label: '+ Add item', testId: 'edit-add', look: 'primary', group: 'start', run: () => onOpen({ name: 'picker', drawn: null }) },
    { key: 'draw-area', label: 'Draw area', testId: 'edit-draw-area', look: 'secondary', group: 'start', run: () => onTool({ name: 'draw', style: 'area', points: [] }) },
    { key: 'draw-line', label: 'Draw line', testId: 'edit-draw-line', look: 'secondary', group: 'start', run: () => onTool({ name: 'draw', style: 'line', points: [] }) },
    {
      key: 'shape',
      label: tool.name === 'shape' ? 'Done shaping' : 'Edit shape',
      testId: 'edit-shape',
      look: 'secondary',
      pressed: tool.name === 'shape',
      disabled: !reshapable,
      group: 'item',
      run: () => onTool(tool.name === 'shape' ? SELECT_TOOL : { name: 'shape' }),
    },
    { key: 'add-to-view', label: 'Add to view…', testId: 'edit-add-to-view', look: 'secondary', disabled: !target, group: 'item', run: () => onOpen({ name: 'add-to-view' }) },
    { key: 'delete', label: 'Delete', testId: 'edit-delete', look: 'danger', disabled: target?.kind !== 'entity', group: 'item', run: () => onOpen({ name: 'confirm-delete' }) },
    { key: 'archive', label: 'Archive', testId: 'edit-archive', look: 'secondary', group: 'end', run: () => onOpen({ name: 'archive' }) },
    { key: 'locations', label: 'Locations', testId: 'edit-locations', look: 'secondary', group: 'end', run: () => onOpen({ name: 'locations' }) },
    { key: 'collections', label: 'Collections', testId: 'edit-collections', look: 'secondary', group: 'end', run: () => onOpen({ name: 'collections' }) },
  ];
  return <FittedToolbar actions={actions} targetText={target ? target.name : 'Tap an item to edit it'} />;
}

function ActionButton({ action }: { action: ToolbarAction }) {
  return (
    <button
      type="button"
      class={lookClass(action.look)}
      data-testid={action.testId}
      disabled={action.disabled}
      aria-pressed={action.pressed}
      title={action.title}
      onClick={action.run}
    >
      {action.label}
    </button>
  );
}

/**
 * The bar of edit actions. Every action is also drawn, unseen, at its natural width; what does not fit in the bar's
 * width goes into a More menu, the least used first.
 */
function FittedToolbar({ actions, targetText }: { actions: readonly ToolbarAction[]; targetText: string }) {
  const bar = useRef<HTMLDivElement>(null);
  const measure = useRef<HTMLDivElement>(null);
  const [overflow, setOverflow] = useState<ReadonlySet<string>>(new Set());
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    const observer = new ResizeObserver(() => setRevision((n) => n + 1));
    if (bar.current) observer.observe(bar.current);
    // Its size changes when a label does or the font arrives.
    if (measure.current) observer.observe(measure.current.firstElementChild!);
    return () => observer.disconnect();
  }, []);

  const measuredKey = actions.map((a) => a.label).join('\u0000');
  useLayoutEffect(() => {
    const barElement = bar.current;
    const row = measure.current?.firstElementChild;
    if (!barElement || !row) return;
    const style = getComputedStyle(barElement);
    const width = (selector: string) => row.querySelector(selector)?.getBoundingClientRect().width ?? 0;
    // The selected item's name gives way down to its smallest width (it ellipsises) before an action moves.
    const target = barElement.querySelector('.toolbar-target');
    const targetNeeded = target ? parseFloat(getComputedStyle(target).minWidth) || 0 : 0;
    const next = overflowingControls(
      actions.map((action) => ({ key: action.key, width: width(`[data-measure="${action.key}"]`) })),
      COLLAPSE_ORDER,
      {
        available: barElement.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
        gap: parseFloat(style.columnGap) || 0,
        fixed: [targetNeeded],
        more: width('[data-measure="more"]'),
      },
    );
    setOverflow((current) => (current.size === next.size && [...next].every((key) => current.has(key)) ? current : next));
  }, [measuredKey, revision]);

  const inBar = (group: ToolbarAction['group']) => actions.filter((a) => a.group === group && !overflow.has(a.key)).map((a) => <ActionButton key={a.key} action={a} />);
  const inMenu = actions.filter((a) => overflow.has(a.key));
  return (
    <div ref={bar} class="edit-toolbar" role="toolbar" aria-label="Edit the plan" data-testid="edit-toolbar" data-overflow={inMenu.length > 0 ? 'true' : 'false'}>
      {inBar('start')}
      <span class="toolbar-target" data-testid="edit-target">
        {targetText}
      </span>
      {inBar('item')}
      <span class="toolbar-spacer" />
      {inBar('end')}
      {inMenu.length > 0 && <MoreMenu actions={inMenu} />}
      <div ref={measure} class="toolbar-measure" aria-hidden="true" inert>
        <div class="toolbar-measure-row">
          {actions.map((a) => (
            <button key={a.key} type="button" tabIndex={-1} class={lookClass(a.look)} data-measure={a.key}>
              {a.label}
            </button>
          ))}
          <button type="button" tabIndex={-1} class="secondary toolbar-more-button" data-measure="more">
            More
          </button>
        </div>
      </div>
    </div>
  );
}

/** The actions that did not fit: a menu button and its menu (arrow keys move, Esc closes, focus goes back). */
function MoreMenu({ actions }: { actions: readonly ToolbarAction[] }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const items = () => [...(root.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
    items()[0]?.focus();
    const close = (returnFocus: boolean) => {
      setOpen(false);
      if (returnFocus) button.current?.focus();
    };
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) close(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const all = items();
      const at = all.indexOf(document.activeElement as HTMLElement);
      const moveTo = (index: number) => {
        event.preventDefault();
        all[(index + all.length) % all.length]?.focus();
      };
      if (event.key === 'Escape') {
        event.preventDefault();
        close(true);
      } else if (event.key === 'Tab') close(false);
      else if (event.key === 'ArrowDown') moveTo(at + 1);
      else if (event.key === 'ArrowUp') moveTo(at - 1);
      else if (event.key === 'Home') moveTo(0);
      else if (event.key === 'End') moveTo(all.length - 1);
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  return (
    <div ref={root} class="toolbar-more">
      <button
        ref={button}
        type="button"
        class="secondary toolbar-more-button"
        data-testid="edit-more"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
      >
        More
      </button>
      {open && (
        <div id={menuId} class="toolbar-menu" role="menu" aria-label="More editing actions" data-testid="edit-more-menu">
          {actions.map((action) => (
            <button
              key={action.key}
              type="button"
              role={action.pressed === undefined ? 'menuitem' : 'menuitemcheckbox'}
              aria-checked={action.pressed}
              // Still reachable with the arrow keys, as menus keep their disabled rows.
              aria-disabled={action.disabled ? 'true' : undefined}
              class={action.look === 'danger' ? 'danger-text' : undefined}
              data-testid={action.testId}
              title={action.title}
              tabIndex={-1}
              onClick={() => {
                if (action.disabled) return;
                // A dialog the action opens gives focus back to the menu's button when it closes.
                button.current?.focus();
                setOpen(false);
                action.run();
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
