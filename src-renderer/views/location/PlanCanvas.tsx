import { useEffect, useLayoutEffect, useMemo, useRef, useState, type MutableRef } from 'preact/hooks';
import type { Placement, ViewBox } from '../../../src-shared/model/location';
import type { PlanViewData } from '../../store/home-slice';
import { LocationViewType, ViewStyle } from '../../../src-shared/enums/entity';
import { useAfterPaint } from '../../components/after-paint';
import { PlanMarkSymbols } from '../../components/entity-icons';
import { useUnitSystem } from '../../components/format';
import { appStore, useAppState, useSettingValue } from '../../store';
import { useBackgroundLabels } from './background-labels';
import { displayScaleFactor } from './display-scale';
import { areaMembers } from './area-members';
import { CollectionShape, EntityShape, EntityValue } from './EntityShape';
import { DraftShape, SelectionHandles } from './edit/EditOverlay';
import { draggedPlacement, type Grip, type PlacementDrag, type Tool } from './edit/placement-edit';
import { centreOf, formatViewBox, isTap, previewTransform, roundViewBox, TAP_SLOP_PX, toUserSpace, viewBoxPointAt, zoomPan, type Point, type Size } from './pan-zoom';
import { drawnItemsBox, layoutLabels, type LabelSide } from './label-layout';
import { badgedEntities, BADGE_RESERVED_CHARS, findItem, iconSize, itemKey, parseItemKey, planSizing, sameRef, valueBadge, type ItemRef } from './plan-items';
import { parsePolyline } from './plan-path';
import { NoPlanPrompt } from './PlanUpload';
import { usePlanFit } from './plan-fit';
import { usePlanIcons } from './plan-icons';
import { framingAsDrawn, planTurn, turnBox, turnPlacement, turnPoint, turnViewBox } from './plan-turn';

export interface PlanCanvasProps {
  data: PlanViewData;
  editing: boolean;
  /** Highlighted: the item selected for editing, or the one whose details are open. */
  selected: ItemRef | null;
  tool: Tool;
  /** Kept up to date with the visible viewBox, for placing new items where the user is looking. */
  viewportRef: MutableRef<ViewBox | null>;
  onSelect(ref: ItemRef | null): void;
  onDrawPoint(at: Point): void;
  onDrawFinish(): void;
  /** Saves a placement; resolves false when the hub refused it (the canvas then reverts). */
  onPlace(ref: ItemRef, placement: Placement): Promise<boolean>;
  onSaveViewBox(viewBox: ViewBox): void;
}

/** A placement shown before the hub has it: while dragging (`pending`), then until the view is refetched. */
interface Override {
  placement: Placement;
  pending: boolean;
  /** The view data it was settled against; a newer answer replaces it. */
  base: PlanViewData | null;
}

interface PointerDrag {
  pointerId: number;
  down: Point;
  downAt: number;
  hit: ItemRef | null;
  edit: (PlacementDrag & { ref: ItemRef; current: Placement | null }) | null;
  moved: boolean;
}

const WHEEL_ZOOM_RATE = 0.002;
/** A pan or zoom that pauses this long is drawn for real, as is one whose fingers lift. */
const SETTLE_MS = 150;
const DOUBLE_TAP_MS = 350;
const DOUBLE_TAP_SLOP_PX = 24;
/** Half the 44 px minimum touch target. */
const HANDLE_RADIUS_PX = 22;
const DRAFT_DOT_PX = 7;

const NO_LABELS: ReadonlyMap<string, LabelSide> = new Map();

const midpoint = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/** Areas underneath, then lines, then icons on top. */
function pathsFirst<T extends { placement: Placement }>(items: readonly T[]): T[] {
  const rank = ({ placement }: T) => (placement.kind === 'icon' ? 2 : placement.style === 'line' ? 1 : 0);
  return [...items].sort((a, b) => rank(a) - rank(b));
}

/** The grip a handle element (drawn by SelectionHandles) stands for. */
function gripOf(handle: Element): Grip {
  const kind = handle.getAttribute('data-grip');
  if (kind === 'vertex') return { kind, index: Number(handle.getAttribute('data-index')) };
  return { kind: kind === 'rotate' ? 'rotate' : 'scale' };
}

/** The plan of one location view: background, entities and collections, with pan and zoom, and edit gestures. */
export function PlanCanvas(props: PlanCanvasProps) {
  const { data, editing, selected, tool, viewportRef } = props;
  const base = data.view.viewBox;
  const wrapRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  /** The plan's own layer, which a gesture moves and scales until it settles. */
  const layerRef = useRef<HTMLDivElement>(null);
  const iconCanvasRef = useRef<HTMLCanvasElement>(null);
  const valuesRef = useRef<SVGSVGElement>(null);
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const contentRef = useRef<SVGGElement>(null);
  /** The viewBox the plan is drawn with. */
  const [viewBox, setViewBox] = useState<ViewBox>(base);
  const drawnRef = useRef(viewBox);
  /** The viewBox the user has panned and zoomed to: ahead of `viewBox` while a gesture is being previewed. */
  const viewBoxRef = useRef(viewBox);
  const settleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** The plan's size on screen, for gestures: read between renders. */
  const sizeRef = useRef<Size>({ width: 0, height: 0 });
  /**
   * The plan's and the window's size, which icons and text are sized by; null until measured before the first paint,
   * so that a thousand items are not drawn once at a guessed size and again at the real one.
   */
  const [screen, setScreen] = useState<{ plan: Size; viewport: Size } | null>(null);
  const [overrides, setOverrides] = useState<ReadonlyMap<string, Override>>(new Map());
  const dataRef = useRef(data);
  dataRef.current = data;
  const pointers = useRef(new Map<number, Point>());
  const dragRef = useRef<PointerDrag | null>(null);
  const lastTap = useRef<{ at: Point; time: number } | null>(null);

  const want = (next: ViewBox) => {
    viewBoxRef.current = next;
    viewportRef.current = next;
  };

  /** Draws the plan with the wanted viewBox: one repaint of everything, so gestures do it only when they settle. */
  const settle = () => {
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    settleTimer.current = null;
    const next = viewBoxRef.current;
    // Attributes and transform change together, so the plan never shows both or neither.
    for (const svg of [svgRef.current, valuesRef.current]) svg?.setAttribute('viewBox', formatViewBox(next));
    layerRef.current?.style.removeProperty('transform');
    drawnRef.current = next;
    setViewBox(next);
  };

  /**
   * Shows `next` at once by moving and scaling the plan's layer (no repaint, so a finger drag stays smooth with a
   * thousand items), and draws it for real once the gesture has paused for SETTLE_MS or ended.
   */
  const preview = (next: ViewBox) => {
    fit.touched();
    want(next);
    const layer = layerRef.current;
    if (!layer || sizeRef.current.width === 0 || sizeRef.current.height === 0) return settle();
    // On a layer around the SVG, not on the SVG: a new transform on the SVG itself lays out its text again and repaints
    // every item on every move.
    layer.style.transform = previewTransform(drawnRef.current, next, sizeRef.current);
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    settleTimer.current = setTimeout(settle, SETTLE_MS);
  };

  const apply = (next: ViewBox) => {
    want(next);
    settle();
  };

  useEffect(
    () => () => {
      if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    },
    [],
  );

  useLayoutEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const measured = (width: number, height: number) => {
      sizeRef.current = { width, height };
      const viewport = { width: window.innerWidth, height: window.innerHeight };
      setScreen((current) =>
        current?.plan.width === width && current.plan.height === height && current.viewport.width === viewport.width && current.viewport.height === viewport.height
          ? current
          : { plan: { width, height }, viewport },
      );
    };
    const { width, height } = svg.getBoundingClientRect();
    measured(width, height);
    const observer = new ResizeObserver(([entry]) => entry && measured(entry.contentRect.width, entry.contentRect.height));
    observer.observe(svg);
    return () => observer.disconnect();
  }, []);

  const size = screen?.plan ?? sizeRef.current;
  // A landscape plan on a portrait panel (or the reverse) is turned to fill it; not while editing, where the rotate
  // handle and the glyph it turns must agree.
  const turn = editing ? 0 : planTurn(size, framingAsDrawn(base, data.view.rotate));
  const drawnRotate = data.view.rotate + turn;
  const centre = centreOf(base);
  /** The view's framing as drawn: what is fitted and what pan and zoom keep within reach. */
  const framing = framingAsDrawn(base, drawnRotate);
  const turnRef = useRef(turn);
  // The plan turned under the viewBox: turn the viewBox with it, so that a zoom the user chose shows the same part.
  useLayoutEffect(() => {
    if (turnRef.current === turn) return;
    const by = turn - turnRef.current;
    turnRef.current = turn;
    apply(turnViewBox(viewBoxRef.current, by, centre));
  }, [turn]);
  const unitsPerPx = size.width > 0 && size.height > 0 ? Math.max(viewBox.width / size.width, viewBox.height / size.height) : viewBox.width / 1000;
  const displayScale = displayScaleFactor(useSettingValue('console', 'display_scale'), screen?.viewport ?? size);
  const sizing = planSizing(base, unitsPerPx, displayScale);
  const unitSystem = useUnitSystem();
  const roomNames = useBackgroundLabels(data.location.backgroundUrl, data.location.viewBox);
  // Which entities show a value: their names keep clear of it. A string, so that only a change of that set re-lays out.
  const badged = useAppState((s) => badgedEntities(s.entityStates));
  const rotation = `rotate(${drawnRotate} ${centre.x} ${centre.y})`;

  const placementOf = (ref: ItemRef, own: Placement): Placement => {
    const override = overrides.get(itemKey(ref));
    return override && (override.pending || override.base === data) ? override.placement : own;
  };
  const setOverride = (key: string, override: Override | null) =>
    setOverrides((current) => {
      const next = new Map([...current].filter(([, o]) => o.pending || o.base === dataRef.current));
      if (override) next.set(key, override);
      else next.delete(key);
      return next;
    });

  const planPoint = (client: Point): Point => (contentRef.current ? toUserSpace(contentRef.current, client) : client);
  // From the wanted viewBox rather than the SVG's screen transform, which lags behind it during a preview.
  const svgPoint = (client: Point): Point => {
    const box = wrapRef.current?.getBoundingClientRect();
    return box ? viewBoxPointAt(viewBoxRef.current, sizeRef.current, { x: client.x - box.left, y: client.y - box.top }) : client;
  };

  const gripAt = (element: Element, hit: ItemRef | null, client: Point): PointerDrag['edit'] => {
    if (!editing || tool.name === 'draw') return null;
    const handle = selected && element.closest('[data-grip]');
    const [ref, grip]: [ItemRef | null, Grip] = handle
      ? [selected, gripOf(handle)]
      : [tool.name === 'select' ? hit : null, { kind: 'move' }];
    const item = findItem(data, ref);
    if (!ref || !item) return null;
    const origin = placementOf(ref, item.placement);
    if (grip.kind === 'move' && origin.kind !== 'icon') return null;
    const polyline = origin.kind === 'path' ? parsePolyline(origin.svgPath) : null;
    return { ref, grip, origin, start: planPoint(client), polyline, current: null };
  };

  const abortEdit = (drag: PointerDrag | null) => {
    if (drag?.edit?.current) setOverride(itemKey(drag.edit.ref), null);
  };

  const commit = (edit: NonNullable<PointerDrag['edit']>) => {
    const placement = edit.current;
    if (!placement) return;
    const key = itemKey(edit.ref);
    void props.onPlace(edit.ref, placement).then((ok) =>
      setOverrides((current) => {
        const override = current.get(key);
        if (override?.placement !== placement) return current;
        const next = new Map(current);
        if (ok) next.set(key, { placement, pending: false, base: dataRef.current });
        else next.delete(key);
        return next;
      }),
    );
  };

  /** A plan item focused from the keyboard gets a focus ring on the canvas; one focused by a tap does not. */
  const onFocusIn = (e: FocusEvent) => {
    const element = e.target as Element;
    setFocusedKey(element.matches(':focus-visible') ? element.closest('[data-item]')?.getAttribute('data-item') ?? null : null);
  };

  /** Enter or Space on a focused plan item opens it, as a tap does. */
  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.key !== 'Enter' && e.key !== ' ') || tool.name === 'draw') return;
    const hit = parseItemKey((e.target as Element).closest('[data-item]')?.getAttribute('data-item'));
    if (!hit) return;
    e.preventDefault();
    props.onSelect(hit);
  };

  const tap = (hit: ItemRef | null, client: Point, time: number) => {
    if (tool.name !== 'draw') {
      props.onSelect(hit);
      return;
    }
    const last = lastTap.current;
    if (last && time - last.time < DOUBLE_TAP_MS && Math.hypot(client.x - last.at.x, client.y - last.at.y) < DOUBLE_TAP_SLOP_PX) {
      lastTap.current = null;
      props.onDrawFinish();
      return;
    }
    lastTap.current = { at: client, time };
    props.onDrawPoint(planPoint(client));
  };

  const onPointerDown = (e: PointerEvent) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    // Hit-testing and edits read the drawn plan, so a previewed zoom (from the wheel) is drawn first.
    if (settleTimer.current !== null) settle();
    svgRef.current?.setPointerCapture(e.pointerId);
    const client = { x: e.clientX, y: e.clientY };
    pointers.current.set(e.pointerId, client);
    if (pointers.current.size === 1) {
      const element = e.target as Element;
      const hit = parseItemKey(element.closest('[data-item]')?.getAttribute('data-item'));
      dragRef.current = { pointerId: e.pointerId, down: client, downAt: e.timeStamp, hit, edit: gripAt(element, hit, client), moved: false };
    } else {
      // A second finger: pinch instead of whatever the first one was doing.
      abortEdit(dragRef.current);
      dragRef.current = null;
    }
  };

  const onPointerMove = (e: PointerEvent) => {
    const previous = pointers.current.get(e.pointerId);
    if (!previous) return;
    const client = { x: e.clientX, y: e.clientY };
    pointers.current.set(e.pointerId, client);
    if (pointers.current.size >= 2) {
      const other = [...pointers.current].find(([id]) => id !== e.pointerId)?.[1];
      if (!other) return;
      const [from, to, fixed] = [svgPoint(previous), svgPoint(client), svgPoint(other)];
      const before = Math.hypot(from.x - fixed.x, from.y - fixed.y);
      if (before < 1e-9) return;
      const after = Math.hypot(to.x - fixed.x, to.y - fixed.y);
      preview(zoomPan(viewBoxRef.current, framing, midpoint(from, fixed), midpoint(to, fixed), after / before));
      return;
    }
    const drag = dragRef.current;
    if (drag?.pointerId !== e.pointerId) return;
    if (!drag.moved) {
      if (Math.hypot(client.x - drag.down.x, client.y - drag.down.y) <= TAP_SLOP_PX) return;
      drag.moved = true;
      if (drag.edit && !sameRef(drag.edit.ref, selected)) props.onSelect(drag.edit.ref);
    }
    if (drag.edit) {
      drag.edit.current = draggedPlacement(drag.edit, planPoint(client));
      setOverride(itemKey(drag.edit.ref), { placement: drag.edit.current, pending: true, base: null });
    } else {
      const [from, to] = [svgPoint(previous), svgPoint(client)];
      preview(zoomPan(viewBoxRef.current, framing, from, to, 1));
    }
  };

  const onPointerUp = (e: PointerEvent) => {
    pointers.current.delete(e.pointerId);
    if (pointers.current.size === 0 && settleTimer.current !== null) settle();
    const drag = dragRef.current;
    if (drag?.pointerId === e.pointerId) {
      dragRef.current = null;
      const client = { x: e.clientX, y: e.clientY };
      // A tap on a handle is not a tap on the plan.
      const onHandle = drag.edit !== null && drag.edit.grip.kind !== 'move';
      if (drag.edit?.current) commit(drag.edit);
      else if (!drag.moved && !onHandle && isTap(drag.down, client, e.timeStamp - drag.downAt)) tap(drag.hit, client, e.timeStamp);
    }
    // A pinch lost a finger: the one left pans on.
    const [remaining] = pointers.current;
    if (pointers.current.size === 1 && remaining && !dragRef.current) {
      dragRef.current = { pointerId: remaining[0], down: remaining[1], downAt: e.timeStamp, hit: null, edit: null, moved: true };
    }
  };

  const onPointerCancel = (e: PointerEvent) => {
    pointers.current.delete(e.pointerId);
    if (pointers.current.size === 0 && settleTimer.current !== null) settle();
    if (dragRef.current?.pointerId === e.pointerId) {
      abortEdit(dragRef.current);
      dragRef.current = null;
    }
  };

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const delta = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? e.deltaY * 40 : e.deltaY;
    const at = svgPoint({ x: e.clientX, y: e.clientY });
    preview(zoomPan(viewBoxRef.current, framing, at, at, Math.exp(-delta * WHEEL_ZOOM_RATE)));
  };

  // Not on every render (a settled gesture re-renders the canvas): the order changes with the layout, the names also with edits.
  const drawn = useMemo(() => ({ entities: pathsFirst(data.entities), collections: pathsFirst(data.collections) }), [data.entities, data.collections]);
  const security = data.view.type === LocationViewType.SECURITY.value;
  const areaSensors = useMemo(() => (security ? areaMembers(data.entities) : null), [data.entities, security]);
  // Names stay upright while the plan turns: they are laid out where the turn puts their icons and the room names.
  const withValue = useMemo(() => new Set(badged.split(',').map(Number)), [badged]);
  const labelled = useMemo(() => {
    const turned = (placement: Placement) => turnPlacement(placement, turn, centre);
    return [
      ...data.entities.map((e) => ({
        key: itemKey({ kind: 'entity', id: e.id }),
        name: e.name,
        placement: turned(placementOf({ kind: 'entity', id: e.id }, e.placement)),
        badgeChars: withValue.has(e.id) ? BADGE_RESERVED_CHARS : 0,
      })),
      ...data.collections.map((c) => ({ key: itemKey({ kind: 'collection', id: c.id }), name: c.name, placement: turned(placementOf({ kind: 'collection', id: c.id }, c.placement)) })),
    ];
  }, [data.entities, data.collections, overrides, withValue, turn, centre.x, centre.y]);
  // Names wait for the room names they keep clear of: laid out before those are known, most of them would move or go
  // a moment later, and a thousand of them would hold up the view's first frame.
  const labelSides = useMemo(
    () => (roomNames === null ? NO_LABELS : layoutLabels(labelled, sizing, turn === 0 ? roomNames : roomNames.map((box) => turnBox(box, turn, centre)))),
    [labelled, sizing.unit, sizing.minIcon, sizing.font, roomNames],
  );
  // What the view is fitted to, from the same geometry the names were laid out with, in the SVG's coordinates.
  const drawnContent = useMemo(() => {
    const box = drawnItemsBox(labelled, labelSides, sizing, (point) => turnPoint(point, turn, centre));
    if (!box) return null;
    const inView = turnBox(box, data.view.rotate, centre);
    return { x: inView.left, y: inView.top, width: inView.right - inView.left, height: inView.bottom - inView.top };
  }, [labelled, labelSides, data.view.rotate]);
  const fit = usePlanFit({ frame: base, framing, content: drawnContent, current: () => viewBoxRef.current, apply, data, editing, size });
  usePlanIcons(iconCanvasRef, {
    frame: { viewBox, size, rotate: drawnRotate, centre, turn, security, greyscale: data.view.style === ViewStyle.GREYSCALE.value },
    shown: fit.settled,
    entities: drawn.entities,
    collections: drawn.collections,
    placementOf,
    sizing,
    areaSensors,
    selected,
    focusedKey,
  });
  const { location, view } = data;
  const isSelected = (ref: ItemRef) => sameRef(ref, selected);
  // The view's first frame is the canvas and what the SVG shows: areas, lines, names and values. An icon with none
  // of these is only its invisible hit target and tooltip in the SVG, added a frame later, so that a thousand of them
  // do not hold up that frame.
  const everyItem = useAfterPaint(fit.settled, view.id);
  // Read, not subscribed to: a value that comes before the rest of the items shows with them.
  const showsValue = (id: number) => withValue.has(id) && valueBadge(appStore.getState().entityStates.get(id), unitSystem) !== null;
  const showsInSvg = (ref: ItemRef, placement: Placement, label: LabelSide | null) =>
    everyItem || placement.kind === 'path' || label !== null || isSelected(ref) || (ref.kind === 'entity' && showsValue(ref.id));
  const selectedItem = editing ? findItem(data, selected) : null;
  const selectedPlacement = selectedItem && placementOf(selectedItem, selectedItem.placement);
  // The unit that puts the handles on the icon as drawn, which may be held at its minimum size.
  const handleUnit = selectedPlacement?.kind === 'icon' ? iconSize(sizing, selectedPlacement.scale) / selectedPlacement.scale : sizing.unit;
  const svgClass = `plan-canvas view-${view.type} style-${view.style}${editing ? ' editing' : ''}${tool.name === 'draw' ? ' drawing' : ''}`;

  return (
    <div ref={wrapRef} class="plan-canvas-wrap">
      <div ref={layerRef} class="plan-layer">
        <svg
          ref={svgRef}
          class={svgClass}
          data-testid="plan-canvas"
          data-view-id={view.id}
          data-zoom={(framing.width / viewBox.width).toFixed(2)}
          data-turn={turn}
          data-items={everyItem ? 'all' : 'shown'}
          viewBox={formatViewBox(viewBox)}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerCancel}
          onLostPointerCapture={onPointerCancel}
          onWheel={onWheel}
          onKeyDown={onKeyDown}
          onFocusIn={onFocusIn}
          onFocusOut={() => setFocusedKey(null)}
        >
          <defs>
            <PlanMarkSymbols />
          </defs>
          <g ref={contentRef} transform={rotation}>
            {location.backgroundUrl ? (
              <image
                class="plan-background"
                href={location.backgroundUrl}
                x={location.viewBox.x}
                y={location.viewBox.y}
                width={location.viewBox.width}
                height={location.viewBox.height}
              />
            ) : (
              <rect class="plan-blank" x={location.viewBox.x} y={location.viewBox.y} width={location.viewBox.width} height={location.viewBox.height} />
            )}
            {fit.settled &&
              drawn.entities.map((entity) => {
              const ref: ItemRef = { kind: 'entity', id: entity.id };
              const key = itemKey(ref);
              const label = labelSides.get(key) ?? null;
              if (!showsInSvg(ref, entity.placement, label)) return null;
              return (
                <EntityShape
                  key={key}
                  entity={entity}
                  placement={placementOf(ref, entity.placement)}
                  sizing={sizing}
                  turn={turn}
                  selected={isSelected(ref)}
                  label={label}
                  members={areaSensors?.get(entity.id)}
                  security={security}
                  unitSystem={unitSystem}
                />
              );
            })}
            {fit.settled &&
              drawn.collections.map((collection) => {
              const ref: ItemRef = { kind: 'collection', id: collection.id };
              const key = itemKey(ref);
              const label = labelSides.get(key) ?? null;
              if (!showsInSvg(ref, collection.placement, label)) return null;
              return (
                <CollectionShape
                  key={key}
                  collection={collection}
                  placement={placementOf(ref, collection.placement)}
                  sizing={sizing}
                  turn={turn}
                  selected={isSelected(ref)}
                  label={label}
                  security={security}
                />
              );
            })}
            {selectedPlacement && (
              <SelectionHandles
                placement={selectedPlacement}
                unit={handleUnit}
                handleRadius={HANDLE_RADIUS_PX * unitsPerPx}
                reshaping={tool.name === 'shape'}
              />
            )}
            {tool.name === 'draw' && <DraftShape points={tool.points} closed={tool.style === 'area'} dotRadius={DRAFT_DOT_PX * unitsPerPx} />}
          </g>
        </svg>
        <canvas ref={iconCanvasRef} class="plan-icons" data-testid="plan-icons" aria-hidden="true" />
        {/* Each item's accessible name says its value. */}
        <svg ref={valuesRef} class="plan-values" data-testid="plan-values" aria-hidden="true" viewBox={formatViewBox(viewBox)}>
          <g transform={rotation}>
            {fit.settled &&
              drawn.entities.map((entity) => {
                if (!withValue.has(entity.id)) return null;
                const placement = placementOf({ kind: 'entity', id: entity.id }, entity.placement);
                if (placement.kind !== 'icon') return null;
                return <EntityValue key={entity.id} entityId={entity.id} placement={placement} sizing={sizing} turn={turn} security={security} unitSystem={unitSystem} />;
              })}
          </g>
        </svg>
      </div>
      {!location.backgroundUrl && <NoPlanPrompt locationId={location.id} />}
      <div class="plan-controls">
        {editing && (
          <button type="button" class="secondary" data-testid="save-viewbox" onClick={() => props.onSaveViewBox(roundViewBox(viewBoxRef.current))}>
            Save this zoom as the view's framing
          </button>
        )}
        <button type="button" class="secondary" data-testid="zoom-reset" onClick={fit.reset}>
          Reset zoom
        </button>
      </div>
    </div>
  );
}
