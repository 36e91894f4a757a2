import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// Run from the repository root, as npm scripts are (e2e and the benchmarks both use this).
const ENTRY = path.resolve('dist', 'main', 'main-node.cjs');
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;

/** The real panel server, as `npm run serve` runs it, in a child process on a data dir of the test's own. */
export class PanelServerProcess {
  private child: ChildProcess | null = null;
  private output = '';
  url = '';
  port = 0;

  constructor(
    readonly dataDir: string,
    private readonly env: Record<string, string> = {},
  ) {}

  /** Starts on `port` (0 picks a free one) and resolves with the URL once the server says it listens. */
  async start(port = this.port): Promise<string> {
    if (this.child) throw new Error('already running');
    const child = spawn(process.execPath, [ENTRY, '--data-dir', this.dataDir, '--port', String(port)], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.output = '';
    const collect = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    child.stderr!.on('data', collect);
    this.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`panel server did not start in time:\n${this.output}`)), START_TIMEOUT_MS);
      child.stdout!.on('data', (chunk: Buffer) => {
        collect(chunk);
        const match = /listening on (http:\/\/\S+)/.exec(this.output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`panel server exited with ${code}:\n${this.output}`));
      });
    });
    this.port = Number(new URL(this.url).port);
    return this.url;
  }

  /** SIGTERM: the graceful shutdown path. */
  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  /** SIGKILL: the hub vanishing without a goodbye. */
  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  /** The running server's process id (for memory readings). */
  get pid(): number {
    if (!this.child?.pid) throw new Error('not running');
    return this.child.pid;
  }

  get log(): string {
    return this.output;
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`panel server ignored ${signal}`)), STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }
}
