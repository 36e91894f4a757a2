import type { StateDelta } from '../../../src-shared/model/integration';
import type { EventBus } from '../../ipc/event-bus';

/** About one display frame: changes closer together than this reach the panels together. */
export const STATUS_FRAME_MS = 16;

/**
 * Sends `status.changed` on the leading edge: the first change after a quiet frame goes out at the end of the
 * current event-loop turn (with whatever else that turn changed); changes within the following frame are held and
 * sent together at its end, keeping only the newest delta of each state.
 */
export class StatusCoalescer {
  private readonly pending = new Map<number, StateDelta>();
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** When the last event went out, by the monotonic clock; -Infinity before the first. */
  private lastSentAt = -Infinity;

  constructor(
    private readonly events: EventBus,
    private readonly frameMs = STATUS_FRAME_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(delta: StateDelta): void {
    this.pending.set(delta.stateId, delta);
    if (this.immediate || this.timer) return;
    const wait = this.lastSentAt + this.frameMs - this.now();
    if (wait <= 0) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = null;
    this.timer = null;
    if (this.pending.size === 0) return;
    const states = [...this.pending.values()];
    this.pending.clear();
    this.lastSentAt = this.now();
    this.events.emit('status.changed', { states });
  }
}
