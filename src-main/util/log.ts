import { LRUCache } from 'lru-cache';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const threshold = (): number => ORDER[(process.env.HI_LOG_LEVEL as Level | undefined) ?? 'info'] ?? ORDER.info;

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export interface RepeatLimits {
  /** Identical lines written in full per window; the rest are counted. */
  perWindow: number;
  windowMs: number;
  /** Distinct lines remembered; the least recent is forgotten (after its count is reported). */
  trackedLines: number;
}

export const DEFAULT_REPEAT_LIMITS: RepeatLimits = { perWindow: 5, windowMs: 60_000, trackedLines: 500 };

interface LineWindow {
  /** The line without its time stamp. */
  head: string;
  windowStart: number;
  written: number;
  suppressed: number;
}

/**
 * Keeps a flood of one identical line (same scope, level and message) from filling the journal: the first few per
 * window are written, the rest counted and reported as one "(repeated N times)" line when the window ends.
 */
export class RepeatLimiter {
  private readonly lines: LRUCache<string, LineWindow>;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => number = Date.now,
    private readonly limits: RepeatLimits = DEFAULT_REPEAT_LIMITS,
  ) {
    this.lines = new LRUCache<string, LineWindow>({
      max: limits.trackedLines,
      dispose: (entry, _key, reason) => {
        if (reason === 'evict') this.report(entry);
      },
    });
  }

  /** `head` (level, scope and message) identifies the line; `text`, the full record, is written when it is not suppressed. */
  offer(head: string, text: string): void {
    const now = this.now();
    let entry = this.lines.get(head);
    if (entry && now - entry.windowStart >= this.limits.windowMs) {
      this.report(entry);
      entry = undefined;
    }
    if (!entry) {
      entry = { head, windowStart: now, written: 0, suppressed: 0 };
      this.lines.set(head, entry);
    }
    if (entry.written < this.limits.perWindow) {
      entry.written += 1;
      this.write(text);
      return;
    }
    entry.suppressed += 1;
    this.scheduleFlush();
  }

  /** Reports every suppressed count whose window has ended. */
  flush(): void {
    this.flushTimer = null;
    const now = this.now();
    let pending = false;
    for (const [key, entry] of [...this.lines.entries()]) {
      if (entry.suppressed === 0) continue;
      if (now - entry.windowStart >= this.limits.windowMs) {
        this.report(entry);
        this.lines.delete(key);
      } else pending = true;
    }
    if (pending) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), this.limits.windowMs);
    this.flushTimer.unref();
  }

  private report(entry: LineWindow): void {
    if (entry.suppressed === 0) return;
    this.write(`${new Date(this.now()).toISOString()} ${entry.head} (repeated ${entry.suppressed} more times)\n`);
    entry.suppressed = 0;
  }
}

const stderrLimiter = new RepeatLimiter((line) => process.stderr.write(line));

/** Plain stderr logging: one line per record, so the kiosk's journal stays greppable. */
export function createLogger(scope: string, limiter: RepeatLimiter = stderrLimiter): Logger {
  const write = (level: Level, message: string, detail?: unknown): void => {
    if (ORDER[level] < threshold()) return;
    const suffix = detail === undefined ? '' : ` ${detail instanceof Error ? (detail.stack ?? detail.message) : JSON.stringify(detail)}`;
    const head = `${level.toUpperCase()} [${scope}] ${message}`;
    limiter.offer(head, `${new Date().toISOString()} ${head}${suffix}\n`);
  };
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  };
}
