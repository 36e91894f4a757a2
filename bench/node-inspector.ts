import WebSocket from 'ws';

const REPLY_TIMEOUT_MS = 30_000;

/** The inspector URL a Node process started with `--inspect=127.0.0.1:0` prints on stderr. */
export function inspectorUrl(log: string): string {
  const match = /Debugger listening on (ws:\/\/\S+)/.exec(log);
  if (!match) throw new Error('the process printed no inspector URL; was it started with --inspect?');
  return match[1]!;
}

/** A Chrome DevTools Protocol session with another Node process, for reading its heap after a full collection. */
export class NodeInspector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
    socket.on('close', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('inspector closed'));
      this.pending.clear();
    });
  }

  static connect(url: string): Promise<NodeInspector> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new NodeInspector(socket)));
      socket.once('error', reject);
    });
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no reply in ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Used JS heap in MB after a full garbage collection. */
  async heapAfterGcMegabytes(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    const usage = await this.send<{ usedSize: number }>('Runtime.getHeapUsage');
    return usage.usedSize / 1024 / 1024;
  }

  /** The process's own `process.memoryUsage()`, in MB. */
  async memoryUsage(): Promise<Record<keyof NodeJS.MemoryUsage, number>> {
    const reply = await this.send<{ result: { value: string } }>('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const usage = JSON.parse(reply.result.value) as NodeJS.MemoryUsage;
    return Object.fromEntries(Object.entries(usage).map(([key, bytes]) => [key, bytes / 1024 / 1024])) as Record<keyof NodeJS.MemoryUsage, number>;
  }

  close(): void {
    this.socket.close();
  }
}
