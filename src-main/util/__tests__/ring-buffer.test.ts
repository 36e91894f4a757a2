import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../ring-buffer';

describe('RingBuffer', () => {
  it('keeps the newest items, oldest first, and never more than its capacity', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    for (let i = 1; i <= 7; i += 1) ring.push(i);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(ring.size).toBe(3);
    ring.clear();
    ring.push(8);
    expect(ring.toArray()).toEqual([8]);
  });

  it('refuses a capacity that is not a positive whole number', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new RingBuffer(bad), String(bad)).toThrow(/positive capacity/);
  });
});
