import type { EventPayload } from '../../src-shared/ipc/contract';
import type { StateDelta } from '../../src-shared/model/integration';

export interface FrameScheduler {
  requestFrame(callback: () => void): () => void;
  /** A fallback for when frames stop (a hidden page gets none), so held deltas still reach the store. */
  setFallback(callback: () => void, ms: number): () => void;
}

export const browserFrameScheduler: FrameScheduler = {
  requestFrame(callback) {
    const handle = requestAnimationFrame(callback);
    return () => cancelAnimationFrame(handle);
  },
  setFallback(callback, ms) {
    const handle = setTimeout(callback, ms);
    return () => clearTimeout(handle);
  },
};

/** How long deltas may wait for a frame before they are applied anyway. */
export const FRAME_FALLBACK_MS = 250;

/**
 * Holds `status.changed` deltas until the next animation frame and hands them over in one call, so that several
 * messages arriving within a frame cost one store update and one render. Holds at most one delta per state (the
 * newest), so it stays bounded however long frames stop.
 */
export class StatusFrameBatcher {
  private readonly held = new Map<number, StateDelta>();
  private cancels: Array<() => void> = [];

  constructor(
    private readonly apply: (payload: EventPayload<'status.changed'>) => void,
    private readonly scheduler: FrameScheduler = browserFrameScheduler,
  ) {}

  receive(payload: EventPayload<'status.changed'>): void {
    for (const delta of payload.states) {
      // Deleting first moves a re-changed state to the end, keeping the order in which states last changed.
      this.held.delete(delta.stateId);
      this.held.set(delta.stateId, delta);
    }
    if (this.cancels.length > 0 || this.held.size === 0) return;
    this.cancels = [this.scheduler.requestFrame(() => this.flush()), this.scheduler.setFallback(() => this.flush(), FRAME_FALLBACK_MS)];
  }

  /** Applies what is held now. */
  flush(): void {
    this.cancelScheduled();
    if (this.held.size === 0) return;
    const states = [...this.held.values()];
    this.held.clear();
    this.apply({ states });
  }

  /** Stops: nothing held is applied after this. */
  dispose(): void {
    this.cancelScheduled();
    this.held.clear();
  }

  private cancelScheduled(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels = [];
  }
}
