import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { EventName } from '../../../src-shared/ipc/contract';
import { call } from '../../test-support/home-helpers';
import { createTestHub, type TestHub } from '../../test-support/test-hub';
import { EventBus } from '../event-bus';

const HOME_CHANGED = { reason: 'test' };

describe('EventBus', () => {
  let stderr: MockInstance<typeof process.stderr.write>;
  // Only this module's lines: other loggers may write while a test runs.
  const loggedFailures = () => stderr.mock.calls.map((c) => String(c[0])).filter((line) => line.includes('[events]') && line.includes('threw'));

  beforeEach(() => {
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
  });

  it('delivers to every listener when some throw, and never throws into the emitter', () => {
    const bus = new EventBus();
    const received: string[] = [];
    bus.onAny((name) => received.push(`first any:${name}`));
    bus.on('home.changed', () => {
      throw new Error('on listener broke');
    });
    bus.onAny(() => {
      throw new TypeError('onAny listener broke');
    });
    bus.on('home.changed', ({ reason }) => received.push(`last on:${reason}`));

    expect(() => bus.emit('home.changed', HOME_CHANGED)).not.toThrow();
    expect(received).toEqual(['first any:home.changed', 'last on:test']);
    const lines = loggedFailures();
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain('on listener broke');
    expect(lines.join('\n')).toContain('onAny listener broke');
  });

  it('logs a failing listener once per run of failures, and again after it recovered', () => {
    const bus = new EventBus();
    let broken = true;
    bus.on('home.changed', () => {
      if (broken) throw new Error('still broken');
    });
    for (let i = 0; i < 50; i += 1) {
      bus.emit('home.changed', HOME_CHANGED);
      // Events the listener does not take neither count as a success nor log.
      bus.emit('edit.changed', { editingPanelId: null, undoLabels: [] });
    }
    expect(loggedFailures()).toHaveLength(1);

    broken = false;
    bus.emit('home.changed', HOME_CHANGED);
    broken = true;
    bus.emit('home.changed', HOME_CHANGED);
    bus.emit('home.changed', HOME_CHANGED);
    expect(loggedFailures()).toHaveLength(2);
  });

  it('lets a listener unsubscribe itself or another while an event is delivered', () => {
    const bus = new EventBus();
    const received: string[] = [];
    const offSelf = bus.onAny(() => {
      received.push('self');
      offSelf();
    });
    bus.onAny(() => received.push('other'));
    bus.emit('home.changed', HOME_CHANGED);
    bus.emit('home.changed', HOME_CHANGED);
    expect(received).toEqual(['self', 'other', 'other']);
    expect(bus.listenerCount).toBe(1);
  });
});

describe('EventBus in a hub', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await createTestHub();
  });
  afterEach(async () => {
    await t.close();
  });

  it('a throwing subscriber does not fail the call that emitted, nor starve the transports', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const forwarded: EventName[] = [];
      t.hub.events.onAny(() => {
        throw new Error('a broken panel transport');
      });
      t.hub.events.onAny((name) => forwarded.push(name));
      await call(t, 'edit.begin', {});
      await call(t, 'location.create', { name: 'Ground floor' });
      expect(forwarded).toContain('edit.changed');
      expect(forwarded).toContain('home.changed');
    } finally {
      stderr.mockRestore();
    }
  });
});
