import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ViewBox } from '../../../src-shared/model/location';
import { fitViewBox, formatViewBox, nearlySameViewBox, type Size } from './pan-zoom';

/**
 * Fitting again changes the icons' size in plan units (they keep a minimum size on screen), which can change the fit:
 * this many corrections at most after each change of view, data or size, so that it can never go on for ever.
 */
const MAX_FIT_PASSES = 4;
/** Closer than this share of the view's size is fitted already. */
const FIT_TOLERANCE = 0.005;

export interface PlanFitOptions {
  /** The view's own framing: a new one is fitted again, even after the user panned or zoomed. */
  frame: ViewBox;
  /** The framing as drawn (turned with the plan, see plan-turn.ts): what is fitted; a new turn is fitted again unless the user panned or zoomed. */
  framing: ViewBox;
  /** Where the plan's items are drawn (names and values included), in the SVG's coordinates; null for none. */
  content: ViewBox | null;
  /** The viewBox wanted now (the user's, or the last fit). */
  current: () => ViewBox;
  /** Shows a viewBox at once. */
  apply: (viewBox: ViewBox) => void;
  /** What the plan shows: a new answer is fitted again, unless the plan is being edited. */
  data: unknown;
  editing: boolean;
  /** The plan's size on screen: a new one (a turned panel) is fitted again. */
  size: Size;
}

export interface PlanFit {
  /**
   * False until the first fit for a measured size has converged: items are drawn only then, once, instead of once per
   * fit pass (each pass changes the zoom, and with it every icon's size in plan units).
   */
  settled: boolean;
  /** The user panned or zoomed: the plan stays where they put it. */
  touched(): void;
  /** Back to the fitted view, which then follows size and data again. */
  reset(): void;
}

/**
 * Opens a view fitted to its framing and to every item drawn on it (names and values included), and keeps it fitted
 * as the screen turns or the items change, until the user pans or zooms.
 */
export function usePlanFit({ frame, framing, content, current, apply, data, editing, size }: PlanFitOptions): PlanFit {
  const touched = useRef(false);
  const passes = useRef(MAX_FIT_PASSES);
  const fitted = () => fitViewBox(framing, content);
  const [settled, setSettled] = useState(false);

  // Not while editing: a dragged item must not move the plan under the finger. First, so that a new framing or size,
  // which comes with new data, is fitted even then.
  useLayoutEffect(() => {
    passes.current = editing ? 0 : MAX_FIT_PASSES;
  }, [data, editing]);
  useLayoutEffect(() => {
    touched.current = false;
    passes.current = MAX_FIT_PASSES;
  }, [formatViewBox(frame)]);
  useLayoutEffect(() => {
    passes.current = MAX_FIT_PASSES;
  }, [size.width, size.height, formatViewBox(framing)]);
  // After every render while untouched: what is drawn may have changed its size (names laid out, values shown).
  useLayoutEffect(() => {
    const measured = size.width > 0 && size.height > 0;
    if (touched.current || passes.current <= 0) {
      if (measured && !settled) setSettled(true);
      return;
    }
    const wanted = fitted();
    const off = !nearlySameViewBox(current(), wanted, FIT_TOLERANCE);
    // Editing, one fit for the new size and no more.
    if (editing) passes.current = 0;
    else if (off) passes.current -= 1;
    if (off) apply(wanted);
    else if (measured && !settled) setSettled(true);
  });

  return {
    settled,
    touched: () => {
      touched.current = true;
    },
    reset: () => {
      touched.current = false;
      passes.current = MAX_FIT_PASSES;
      apply(fitted());
    },
  };
}
