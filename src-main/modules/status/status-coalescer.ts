import type { StateDelta } from '../../../src-shared/model/integration';
import type { EventBus } from '../../ipc/event-bus';

export const STATUS_COALESCE_MS = 50;

/** At most one `status.changed` per window, holding only the newest delta of each state that changed in it. */
export class StatusCoalescer {
  private readonly pending = new Map<number, StateDelta>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly events: EventBus,
    private readonly windowMs = STATUS_COALESCE_MS,
  ) {}

  push(delta: StateDelta): void {
    this.pending.set(delta.stateId, delta);
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const states = [...this.pending.values()];
    this.pending.clear();
    this.events.emit('status.changed', { states });
  }
}
