import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src-shared/ipc/contract';
import type { StateDelta } from '../../../src-shared/model/integration';
import { describeState } from '../../../src-shared/model/state-display';
import { FRAME_FALLBACK_MS, StatusFrameBatcher, type FrameScheduler } from '../status-frame-batcher';

const delta = (stateId: number, value: string, ts: number): StateDelta => ({
  stateId,
  entityId: 100 + stateId,
  value,
  ts,
  stale: false,
  display: describeState('on_off', value, null),
});

/** Frames and fallbacks that run only when the test says so. */
class ManualFrames implements FrameScheduler {
  frames: Array<() => void> = [];
  fallbacks: Array<{ callback: () => void; ms: number }> = [];
  requestFrame(callback: () => void) {
    this.frames.push(callback);
    return () => (this.frames = this.frames.filter((f) => f !== callback));
  }
  setFallback(callback: () => void, ms: number) {
    const entry = { callback, ms };
    this.fallbacks.push(entry);
    return () => (this.fallbacks = this.fallbacks.filter((f) => f !== entry));
  }
  runFrame() {
    const due = this.frames;
    this.frames = [];
    due.forEach((frame) => frame());
  }
}

function setUp() {
  const frames = new ManualFrames();
  const applied: Array<EventPayload<'status.changed'>> = [];
  const batcher = new StatusFrameBatcher((payload) => applied.push(payload), frames);
  return { frames, applied, batcher };
}

describe('StatusFrameBatcher', () => {
  it('applies every message of a frame in one call, with the newest delta of each state', () => {
    const { frames, applied, batcher } = setUp();
    batcher.receive({ states: [delta(1, 'on', 1), delta(2, 'on', 1)] });
    batcher.receive({ states: [delta(1, 'off', 2)] });
    batcher.receive({ states: [delta(3, 'on', 3)] });
    expect(applied).toEqual([]);
    expect(frames.frames).toHaveLength(1);

    frames.runFrame();
    expect(applied).toHaveLength(1);
    expect(applied[0]!.states.map((d) => [d.stateId, d.value])).toEqual([
      [2, 'on'],
      [1, 'off'],
      [3, 'on'],
    ]);
    // Nothing held, nothing scheduled: an idle panel has no frame callbacks and no timers.
    expect(frames.frames).toEqual([]);
    expect(frames.fallbacks).toEqual([]);
  });

  it('applies held deltas after the fallback when frames stop (a hidden page), once', () => {
    const { frames, applied, batcher } = setUp();
    batcher.receive({ states: [delta(1, 'on', 1)] });
    expect(frames.fallbacks.map((f) => f.ms)).toEqual([FRAME_FALLBACK_MS]);
    frames.fallbacks[0]!.callback();
    expect(applied).toHaveLength(1);
    expect(frames.frames).toEqual([]);
    frames.runFrame();
    expect(applied).toHaveLength(1);
  });

  it('holds at most one delta per state however many arrive without a frame', () => {
    const { frames, applied, batcher } = setUp();
    for (let i = 0; i < 10_000; i += 1) batcher.receive({ states: [delta(i % 50, String(i), i)] });
    frames.runFrame();
    expect(applied[0]!.states).toHaveLength(50);
    expect(applied[0]!.states.find((d) => d.stateId === 7)!.value).toBe('9957');
  });

  it('applies nothing after dispose', () => {
    const { frames, applied, batcher } = setUp();
    batcher.receive({ states: [delta(1, 'on', 1)] });
    batcher.dispose();
    expect(frames.frames).toEqual([]);
    expect(frames.fallbacks).toEqual([]);
    batcher.flush();
    expect(applied).toEqual([]);
  });
});
