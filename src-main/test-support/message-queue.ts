/** Messages a test socket received, waited for by content rather than by arrival order. */
export class MessageQueue<T> {
  private readonly received: T[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly waitMs: number) {}

  push(...messages: T[]): void {
    this.received.push(...messages);
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves with (and consumes) the first message that matches, or rejects after `waitMs`. */
  next(match: (message: T) => boolean, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const index = this.received.findIndex(match);
        if (index < 0) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(this.received.splice(index, 1)[0]!);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no message within ${this.waitMs} ms: ${what}`));
      }, this.waitMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Messages received and not consumed yet. */
  pending(): T[] {
    return [...this.received];
  }
}
