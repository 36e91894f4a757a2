import { MAX_STREAMS_PER_PANEL } from '../../../src-shared/mjpeg/camera-paths';

/**
 * The panel's own count of open camera streams, so that it never asks the hub for more than the hub allows: a
 * stream waits for a free slot and takes it when one is released.
 */
export class StreamSlots {
  private used = 0;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly capacity: number) {}

  /** A release function, or null when every slot is taken (then `onFree` is called once one is released). */
  tryAcquire(onFree: () => void): (() => void) | null {
    if (this.used >= this.capacity) {
      this.waiting.add(onFree);
      return null;
    }
    this.waiting.delete(onFree);
    this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
      const next = this.waiting.values().next();
      if (!next.done) {
        this.waiting.delete(next.value);
        next.value();
      }
    };
  }

  /** Stops waiting for a slot. */
  cancelWait(onFree: () => void): void {
    this.waiting.delete(onFree);
  }

  get inUse(): number {
    return this.used;
  }
}

export const panelStreamSlots = new StreamSlots(MAX_STREAMS_PER_PANEL);
