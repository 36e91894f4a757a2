/**
 * Runs `task` at once while it has runs to spare, otherwise once when the next one is due: a quiet spell's changes go
 * out without delay (a few in a row, such as an acknowledgement and then a new alarm), a storm goes out at most once
 * per window. The spare runs refill at one per window, up to `burst`.
 */
export class Throttle {
  private spare: number;
  private refilledAt = performance.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly windowMs: number,
    private readonly task: () => void,
    private readonly burst = 1,
  ) {
    this.spare = burst;
  }

  request(): void {
    if (this.timer) return;
    this.refill();
    if (this.spare >= 1) {
      this.spare -= 1;
      this.run();
      return;
    }
    const wait = this.refilledAt + this.windowMs - performance.now();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refill();
      this.spare = Math.max(0, this.spare - 1);
      this.run();
    }, Math.max(0, wait));
  }

  /** Runs now if a run is pending, and cancels the timer: for shutdown. */
  flush(): void {
    if (!this.timer) return;
    this.cancel();
    this.run();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private refill(): void {
    const now = performance.now();
    const earned = Math.floor((now - this.refilledAt) / this.windowMs);
    if (earned <= 0) return;
    this.spare = Math.min(this.burst, this.spare + earned);
    this.refilledAt = this.spare >= this.burst ? now : this.refilledAt + earned * this.windowMs;
  }

  private run(): void {
    this.task();
  }
}
