/** At most `max` events in any `windowMs`: the times of the latest ones, never more than `max` kept. */
export class SlidingWindow {
  private times: number[] = [];

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds until one more event is allowed; 0 when it is allowed now. */
  waitMs(now: number): number {
    this.times = this.times.filter((t) => t > now - this.windowMs);
    if (this.times.length < this.max) return 0;
    return this.times[0]! + this.windowMs - now;
  }

  record(now: number): void {
    this.times.push(now);
    if (this.times.length > this.max) this.times.shift();
  }

  clear(): void {
    this.times = [];
  }
}

/** Wrong PINs allowed from one panel, and from all panels together (a reload opens a new panel session). */
export const WRONG_PINS_PER_PANEL = { max: 5, windowMs: 60_000 } as const;
export const WRONG_PINS_GLOBAL = { max: 20, windowMs: 10 * 60_000 } as const;

export const panelWindow = (): SlidingWindow => new SlidingWindow(WRONG_PINS_PER_PANEL.max, WRONG_PINS_PER_PANEL.windowMs);
export const globalWindow = (): SlidingWindow => new SlidingWindow(WRONG_PINS_GLOBAL.max, WRONG_PINS_GLOBAL.windowMs);
