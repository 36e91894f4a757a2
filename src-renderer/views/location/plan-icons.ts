import { useLayoutEffect, useMemo, useRef, type MutableRef } from 'preact/hooks';
import type { PlacedCollection, Placement } from '../../../src-shared/model/location';
import { appStore, type AppState } from '../../store';
import type { PlanEntity } from '../../store/home-slice';
import { collectionToken, entityLook, membersToken } from './EntityShape';
import { PlanIconPainter, type PaintedIcon, type PlanFrame } from './plan-icon-painter';
import { iconSize, itemKey, sameRef, type ItemRef, type PlanSizing } from './plan-items';

/** What the plan's canvas paints, from PlanCanvas's render. */
export interface PlanIconSource {
  frame: PlanFrame;
  /** False until the first fit has settled: nothing is painted before the plan is drawn at its size. */
  shown: boolean;
  entities: readonly PlanEntity[];
  collections: readonly PlacedCollection[];
  placementOf(ref: ItemRef, own: Placement): Placement;
  sizing: PlanSizing;
  /** A security view's areas and the sensors inside them. */
  areaSensors: ReadonlyMap<number, readonly number[]> | null;
  selected: ItemRef | null;
  /** The item that has keyboard focus, shown with a focus ring. */
  focusedKey: string | null;
}

/** The icons to paint, in drawing order, with the looks the store's states give them now. */
export function paintedIcons(source: PlanIconSource, state: Pick<AppState, 'entityStates' | 'alertedEntityIds'>): PaintedIcon[] {
  if (!source.shown) return [];
  const icons: PaintedIcon[] = [];
  const common = (ref: ItemRef, placement: Extract<Placement, { kind: 'icon' }>) => {
    const key = itemKey(ref);
    return {
      key,
      x: placement.x,
      y: placement.y,
      size: iconSize(source.sizing, placement.scale),
      rotate: placement.rotate,
      selected: sameRef(ref, source.selected),
      focused: key === source.focusedKey,
    };
  };
  for (const entity of source.entities) {
    const ref: ItemRef = { kind: 'entity', id: entity.id };
    const placement = source.placementOf(ref, entity.placement);
    if (placement.kind !== 'icon') continue;
    const members = source.areaSensors?.get(entity.id);
    const look = entityLook(entity, state.entityStates.get(entity.id), members ? membersToken(state.entityStates, members) : null);
    icons.push({ ...common(ref, placement), glyph: { type: look.glyph }, token: look.token, stale: look.stale, alerting: state.alertedEntityIds.has(entity.id) });
  }
  for (const collection of source.collections) {
    const ref: ItemRef = { kind: 'collection', id: collection.id };
    const placement = source.placementOf(ref, collection.placement);
    if (placement.kind !== 'icon') continue;
    icons.push({
      ...common(ref, placement),
      glyph: { collectionOf: collection.entityIds.length },
      token: collectionToken(state.entityStates, collection),
      stale: false,
      alerting: false,
    });
  }
  return icons;
}

/**
 * Paints the plan's icons on `canvasRef` after every render of the plan, and whenever the store's states or alerts
 * change (once per task, however many changes it brought), without rendering the plan again. The painter, the store
 * subscription and the theme observer go with the plan.
 */
export function usePlanIcons(canvasRef: MutableRef<HTMLCanvasElement | null>, source: PlanIconSource): void {
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const painterRef = useRef<PlanIconPainter | null>(null);
  // Renders, status batches and a theme switch in one task (the frame's status batch and the render it causes, the
  // passes of a fit) paint once, at the end of the task: still before the frame that shows them.
  const paintSoon = useMemo(() => {
    let queued = false;
    return () => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        painterRef.current?.paint(sourceRef.current.frame, paintedIcons(sourceRef.current, appStore.getState()));
      });
    };
  }, []);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const painter = new PlanIconPainter(canvas);
    painterRef.current = painter;
    const unsubscribe = appStore.subscribe((state, previous) => {
      if (state.entityStates !== previous.entityStates || state.alertedEntityIds !== previous.alertedEntityIds) paintSoon();
    });
    // The theme is an attribute of <html>: a switch repaints in the new colours. The shell sets it on start, to the
    // same value as often as not.
    let shownTheme = document.documentElement.dataset.theme;
    const theme = new MutationObserver(() => {
      if (document.documentElement.dataset.theme === shownTheme) return;
      shownTheme = document.documentElement.dataset.theme;
      painter.themeChanged();
      paintSoon();
    });
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      theme.disconnect();
      unsubscribe();
      painter.dispose();
      painterRef.current = null;
    };
  }, []);

  useLayoutEffect(() => paintSoon());
}
