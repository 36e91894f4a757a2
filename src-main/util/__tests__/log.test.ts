import { describe, expect, it } from 'vitest';
import { createLogger, RepeatLimiter } from '../log';

const limits = { perWindow: 3, windowMs: 60_000, trackedLines: 4 };

function setUp() {
  const written: string[] = [];
  let now = 1_000_000;
  const limiter = new RepeatLimiter((line) => written.push(line), () => now, limits);
  return { written, limiter, advance: (ms: number) => (now += ms) };
}

describe('RepeatLimiter', () => {
  it('writes the first few identical lines of a window and reports the rest as one count', () => {
    const { written, limiter, advance } = setUp();
    for (let i = 0; i < 200; i += 1) limiter.offer('WARN [server] refused', `WARN [server] refused ${i}\n`);
    expect(written).toEqual(['WARN [server] refused 0\n', 'WARN [server] refused 1\n', 'WARN [server] refused 2\n']);
    advance(limits.windowMs);
    limiter.flush();
    expect(written).toHaveLength(4);
    expect(written[3]).toMatch(/WARN \[server\] refused \(repeated 197 more times\)\n$/);
    // A new window writes again.
    limiter.offer('WARN [server] refused', 'again\n');
    expect(written.at(-1)).toBe('again\n');
  });

  it('reports the count when the next line arrives after the window, without a flush', () => {
    const { written, limiter, advance } = setUp();
    for (let i = 0; i < 5; i += 1) limiter.offer('ERROR [x] boom', 'boom\n');
    advance(limits.windowMs);
    limiter.offer('ERROR [x] boom', 'boom\n');
    expect(written).toEqual(['boom\n', 'boom\n', 'boom\n', expect.stringMatching(/ERROR \[x\] boom \(repeated 2 more times\)/), 'boom\n']);
  });

  it('keeps different lines apart', () => {
    const { written, limiter } = setUp();
    for (let i = 0; i < 5; i += 1) {
      limiter.offer('INFO [a] one', 'one\n');
      limiter.offer('INFO [a] two', 'two\n');
    }
    expect(written.filter((l) => l === 'one\n')).toHaveLength(3);
    expect(written.filter((l) => l === 'two\n')).toHaveLength(3);
  });

  it('remembers a bounded number of lines and reports a forgotten line’s count', () => {
    const { written, limiter } = setUp();
    for (let i = 0; i < 5; i += 1) limiter.offer('WARN [a] first', 'first\n');
    for (let n = 0; n < 100; n += 1) limiter.offer(`WARN [a] line ${n}`, `line ${n}\n`);
    expect(written.filter((l) => /first \(repeated 2 more times\)/.test(l))).toHaveLength(1);
    // Still written: each distinct line once, no unbounded growth of what is remembered.
    expect(written.filter((l) => l.startsWith('line '))).toHaveLength(100);
  });
});

describe('createLogger', () => {
  it('rate-limits repeated identical records, whatever their detail', () => {
    const { written, limiter } = setUp();
    const log = createLogger('panel-server', limiter);
    for (let i = 0; i < 50; i += 1) log.warn('Refused an upgrade', new Error(`stack ${i}`));
    expect(written).toHaveLength(limits.perWindow);
    expect(written[0]).toMatch(/^\S+ WARN \[panel-server\] Refused an upgrade Error: stack 0/);
  });
});
