/**
 * Runs `task` at once when it has not run within `windowMs`, otherwise once at the end of the window: the first
 * change of a quiet spell goes out without delay, a storm goes out at most once per window.
 */
export class Throttle {
  private lastRunAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly windowMs: number,
    private readonly task: () => void,
  ) {}

  request(): void {
    if (this.timer) return;
    const wait = this.lastRunAt + this.windowMs - performance.now();
    if (wait <= 0) this.run();
    else this.timer = setTimeout(() => this.run(), wait);
  }

  /** Runs now if a run is pending, and cancels the timer: for shutdown. */
  flush(): void {
    if (this.timer) this.run();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private run(): void {
    this.cancel();
    this.lastRunAt = performance.now();
    this.task();
  }
}
