import { useEffect, useRef, useState } from 'preact/hooks';
import type { EntityTypeValue } from '../../../src-shared/enums/entity';
import type { Placement, ViewBox } from '../../../src-shared/model/location';
import { lazyComponent } from '../../components/lazy-component';
import { appStore, selectIsEditing, useAppState } from '../../store';
import type { PlanViewData } from '../../store/home-slice';
import { useEditCall } from './edit/edit-call';
import { EditToolbar, type EditDialog } from './edit/EditToolbar';
import { ConfirmDialog } from './edit/Modal';
import { MAX_DRAFT_POINTS, minDraftPoints, SELECT_TOOL, type Tool } from './edit/placement-edit';
import { centreOf, rotatePoint, round1, type Point } from './pan-zoom';
import { PlanCanvas } from './PlanCanvas';
import { findItem, sameRef, type ItemRef } from './plan-items';
import { polylinePath } from './plan-path';

/** One view's plan with, in edit mode, its toolbar and dialogs. Keyed by view: another view starts afresh. */
// Edit-mode dialogs load when first opened, not with the plan.
const TypePicker = lazyComponent(() => import('./edit/TypePicker').then((m) => m.TypePicker));
const ArchivePanel = lazyComponent(() => import('./edit/ArchivePanel').then((m) => m.ArchivePanel));
const LocationsPanel = lazyComponent(() => import('./edit/LocationsPanel').then((m) => m.LocationsPanel));
const AddToViewDialog = lazyComponent(() => import('./edit/AddToViewDialog').then((m) => m.AddToViewDialog));
const CollectionsDialog = lazyComponent(() => import('./edit/CollectionsDialog').then((m) => m.CollectionsDialog));

export function PlanWorkspace({ data }: { data: PlanViewData }) {
  const editing = useAppState(selectIsEditing);
  const detailSelection = useAppState((s) => s.selection);
  const select = useAppState((s) => s.select);
  const run = useEditCall();
  const [target, setTarget] = useState<ItemRef | null>(null);
  const [tool, setTool] = useState<Tool>(SELECT_TOOL);
  const [dialog, setDialog] = useState<EditDialog>(null);
  const viewportRef = useRef<ViewBox | null>(null);

  useEffect(() => {
    setTarget(null);
    setTool(SELECT_TOOL);
    setDialog(null);
    // The details panel closes while the plan is being edited.
    if (editing) appStore.getState().select(null);
  }, [editing]);

  const targetItem = findItem(data, target);

  const onSelect = (ref: ItemRef | null) => {
    if (!editing) {
      if (ref || detailSelection) select(ref);
      return;
    }
    if (!sameRef(ref, target)) setTool(SELECT_TOOL);
    setTarget(ref);
  };

  const onDrawPoint = (at: Point) =>
    setTool((current) =>
      current.name === 'draw' && current.points.length < MAX_DRAFT_POINTS ? { ...current, points: [...current.points, { x: round1(at.x), y: round1(at.y) }] } : current,
    );

  const finishDraw = () => {
    if (tool.name !== 'draw' || tool.points.length < minDraftPoints(tool.style)) return;
    setDialog({ name: 'picker', drawn: { kind: 'path', style: tool.style, svgPath: polylinePath(tool.points, tool.style === 'area') } });
    setTool(SELECT_TOOL);
  };

  const onPlace = async (ref: ItemRef, placement: Placement): Promise<boolean> => {
    const locationId = data.location.id;
    const result =
      ref.kind === 'entity'
        ? await run('entity.place', { entityId: ref.id, locationId, placement })
        : await run('collection.place', { collectionId: ref.id, locationId, placement });
    return result !== null;
  };

  /** The middle of what the user is looking at, in plan coordinates: the hub puts a new icon at the free spot nearest it. */
  const viewportCentre = (): Point => {
    const centre = rotatePoint(centreOf(viewportRef.current ?? data.view.viewBox), -data.view.rotate, centreOf(data.view.viewBox));
    return { x: round1(centre.x), y: round1(centre.y) };
  };

  const create = async (type: EntityTypeValue, name: string, drawn: Placement | null) => {
    const where = drawn ? { placement: drawn } : { near: viewportCentre() };
    const created = await run('entity.create', { name, type, locationViewId: data.view.id, ...where });
    if (!created) return;
    setDialog(null);
    setTarget({ kind: 'entity', id: created.id });
  };

  const archiveTarget = async () => {
    if (targetItem?.kind !== 'entity') return;
    if (await run('entity.archive', { entityId: targetItem.id })) {
      setDialog(null);
      setTarget(null);
    }
  };

  const close = () => setDialog(null);

  return (
    <div class="plan-workspace">
      {editing && <EditToolbar target={targetItem} tool={tool} onTool={setTool} onOpen={setDialog} onFinishDraw={finishDraw} />}
      <PlanCanvas
        data={data}
        editing={editing}
        selected={editing ? target : detailSelection}
        tool={editing ? tool : SELECT_TOOL}
        viewportRef={viewportRef}
        onSelect={onSelect}
        onDrawPoint={onDrawPoint}
        onDrawFinish={finishDraw}
        onPlace={onPlace}
        onSaveViewBox={(viewBox) => void run('location.view.update', { locationViewId: data.view.id, viewBox })}
      />
      {editing && dialog?.name === 'picker' && (
        <TypePicker shape={dialog.drawn?.style ?? null} onCancel={close} onCreate={(type, name) => create(type, name, dialog.drawn)} />
      )}
      {editing && dialog?.name === 'archive' && <ArchivePanel onClose={close} />}
      {editing && dialog?.name === 'locations' && <LocationsPanel currentLocationId={data.location.id} onClose={close} />}
      {editing && dialog?.name === 'collections' && (
        <CollectionsDialog
          locationViewId={data.view.id}
          viewName={data.view.name}
          shownIds={new Set(data.collections.map((c) => c.id))}
          near={viewportCentre}
          onClose={close}
        />
      )}
      {editing && dialog?.name === 'add-to-view' && targetItem && <AddToViewDialog item={targetItem} data={data} onClose={close} />}
      {editing && dialog?.name === 'confirm-delete' && targetItem && (
        <ConfirmDialog
          title={`Delete ${targetItem.name}?`}
          message="It leaves the plan and goes to the Archive, with its notes and history; Restore brings it back."
          confirmLabel="Delete"
          testId="confirm-delete"
          onConfirm={archiveTarget}
          onCancel={close}
        />
      )}
    </div>
  );
}
