import type { EventName, EventPayload } from '../../src-shared/ipc/contract';
import { createLogger } from '../util/log';

type AnyListener = (name: EventName, payload: unknown) => void;

interface Subscription {
  /** Only this event, or every event when null. */
  readonly only: EventName | null;
  readonly listener: AnyListener;
  /** Set by a throw, cleared by the next clean call: one log line per run of failures, not one per event. */
  failing: boolean;
}

const log = createLogger('events');

/**
 * Typed fan-out of hub events; transports subscribe with `onAny` and forward to their panels. A listener that
 * throws is logged and skipped: the other listeners still get the event and the emitter never sees the error.
 */
export class EventBus {
  private readonly subscriptions = new Set<Subscription>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const subscription of [...this.subscriptions]) {
      if (subscription.only !== null && subscription.only !== name) continue;
      try {
        subscription.listener(name, payload);
        subscription.failing = false;
      } catch (error) {
        if (!subscription.failing) log.error(`a listener of ${name} threw; later failures of this listener are not logged until it succeeds again`, error);
        subscription.failing = true;
      }
    }
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribe(name, (_name, payload) => listener(payload as EventPayload<E>));
  }

  onAny(listener: AnyListener): () => void {
    return this.subscribe(null, listener);
  }

  private subscribe(only: EventName | null, listener: AnyListener): () => void {
    const subscription: Subscription = { only, listener, failing: false };
    this.subscriptions.add(subscription);
    return () => this.subscriptions.delete(subscription);
  }

  get listenerCount(): number {
    return this.subscriptions.size;
  }
}
