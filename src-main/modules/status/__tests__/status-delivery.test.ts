import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StateDelta } from '../../../../src-shared/model/integration';
import { allowlist, stateIdFor, syncInto, upstreamLight } from '../../../test-support/integration-fixtures';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { STATUS_FRAME_MS } from '../status-coalescer';

const KEY = 'hass';
const LIGHTS = 100;
const lightId = (i: number) => `light.delivery_${i}`;

/**
 * Under load the panels may skip intermediate values (they are coalesced per frame) but never the last one, and
 * never show an older value after a newer one.
 */
describe('status.changed delivery under load', () => {
  let t: TestHub;
  let sent: StateDelta[][];
  let unsubscribe: () => void;
  let onOffIds: number[];

  beforeEach(async () => {
    t = await createTestHub();
    const lights = Array.from({ length: LIGHTS }, (_, i) => upstreamLight(lightId(i), `Light ${i}`, { on: false }));
    await syncInto(t, KEY, lights, allowlist(['light']));
    t.hub.statuses.reloadLinks();
    onOffIds = Array.from({ length: LIGHTS }, (_, i) => stateIdFor(t, lightId(i), 'on_off'));
    sent = [];
    unsubscribe = t.hub.events.on('status.changed', ({ states }) => sent.push(states));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    unsubscribe();
    await t.close();
  });

  /** Toggle number `n` of the run: light n % LIGHTS, its value numbered so that order can be checked. */
  const change = (n: number) => ({ upstreamId: lightId(n % LIGHTS), values: [{ key: 'brightness', value: String(n) }], ts: 1_000_000 + n });

  function expectDelivered(total: number) {
    const brightnessIds = Array.from({ length: LIGHTS }, (_, i) => stateIdFor(t, lightId(i), 'brightness'));
    const seen = new Map<number, number[]>();
    for (const delta of sent.flat()) seen.set(delta.stateId, [...(seen.get(delta.stateId) ?? []), Number(delta.value)]);
    for (const [i, stateId] of brightnessIds.entries()) {
      const values = seen.get(stateId) ?? [];
      // The last value of each light arrived, and what arrived came in the order it was sent.
      const last = total - LIGHTS + i;
      expect(values.at(-1), `light ${i}`).toBe(last);
      expect([...values].sort((a, b) => a - b), `light ${i}`).toEqual(values);
    }
    // Nothing about the on/off states, which did not change.
    expect(sent.flat().some((d) => onOffIds.includes(d.stateId))).toBe(false);
  }

  it('delivers the last value of every state after a burst of 2,000 changes in one go', () => {
    const burst = Array.from({ length: 2_000 }, (_, n) => change(n));
    expect(t.hub.statuses.ingest(KEY, burst)).toBe(2_000);
    vi.advanceTimersByTime(STATUS_FRAME_MS * 2);
    expect(sent).toHaveLength(1);
    expectDelivered(2_000);
  });

  it('delivers every state in order at 200 changes a second for 30 s, at most one event per frame', () => {
    const total = 200 * 30;
    for (let n = 0; n < total; n += 1) {
      t.hub.statuses.ingest(KEY, [change(n)]);
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(STATUS_FRAME_MS * 2);
    expectDelivered(total);
    // 30 s of frames is at most about 1,900 events: changes 5 ms apart share them.
    expect(sent.length).toBeLessThanOrEqual(Math.ceil((30_000 + STATUS_FRAME_MS) / STATUS_FRAME_MS) + 1);
    expect(sent.length).toBeGreaterThan(1_000);
  });
});
