/** Serialises async sections that interleave on shared state (the event-loop counterpart of a lock). */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  runExclusive<T>(section: () => Promise<T> | T): Promise<T> {
    const run = this.tail.then(section);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
