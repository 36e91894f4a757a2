import { useEffect, useState } from 'preact/hooks';

export const MINUTE_MS = 60_000;
export const SECOND_MS = 1_000;

export interface TickOptions {
  /** The step of what is shown: MINUTE_MS for a clock of hours and minutes, SECOND_MS for a countdown in seconds. */
  unitMs: number;
  /**
   * Added to this panel's clock before it is cut into units: the hub's clock offset for a clock; the offset less the
   * end time for a countdown, whose shown seconds turn over in step with its end rather than with the clock's seconds.
   */
  shiftMs?: number;
  /** Panel time from which nothing shown changes any more (a countdown at zero): no timer is kept past it. */
  stopAt?: number;
  /** The panel time last shown; a tick comes at once if the unit has turned since. */
  shownAt: number;
}

const modulo = (value: number, divisor: number) => ((value % divisor) + divisor) % divisor;

/**
 * Calls `onTick` with Date.now() each time `Date.now() + shiftMs` enters a new multiple of `unitMs`, and at no
 * other time: one timer, set to the next boundary. Returns the function that stops it.
 */
export function startTicker({ unitMs, shiftMs = 0, stopAt = Infinity, shownAt }: TickOptions, onTick: (now: number) => void): () => void {
  let shownUnit = Math.floor((shownAt + shiftMs) / unitMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    const now = Date.now();
    const unit = Math.floor((now + shiftMs) / unitMs);
    if (unit !== shownUnit) {
      shownUnit = unit;
      onTick(now);
    }
    if (now >= stopAt) return;
    // A timer that fires a little early by Date.now() is set again for what is left, without a tick.
    timer = setTimeout(check, unitMs - modulo(now + shiftMs, unitMs));
  };
  check();
  return () => clearTimeout(timer);
}

/**
 * This panel's clock, refreshed only when what a component shows of it can change (see `startTicker`): a clock of
 * minutes redraws once a minute, at the minute. Every IANA time zone in use is a whole number of minutes off UTC,
 * so a UTC minute boundary is a local one. The timer goes with the component.
 */
export function useNow({ unitMs, shiftMs = 0, stopAt = Infinity }: Omit<TickOptions, 'shownAt'>): number {
  const [now, setNow] = useState(() => Date.now());
  // `now` is left out of the dependencies on purpose: the ticker keeps itself going, and restarts only when what
  // it counts changes (a new clock offset), from the time shown then.
  useEffect(() => startTicker({ unitMs, shiftMs, stopAt, shownAt: now }, setNow), [unitMs, shiftMs, stopAt]);
  return now;
}
