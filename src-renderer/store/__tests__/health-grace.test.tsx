import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STALE_GRACE_MS, type IntegrationHealthView } from '../../../src-shared/model/integration';
import { createAppStore } from '../index';
import { selectWorstIntegration } from '../status-slice';

const health = (value: IntegrationHealthView['health'], message: string | null = null): IntegrationHealthView => ({ key: 'home_assistant', health: value, lastSuccessAt: 1, message });

describe('integration health on the panel', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const shown = (store: ReturnType<typeof createAppStore>) => store.getState().integrationHealth.home_assistant?.health;

  it('does not flash Unreachable for a live connection that is back within the grace period', () => {
    const store = createAppStore();
    store.getState().applyIntegrationHealth(health('ok'));
    const before = store.getState().integrationHealth;
    // Regression: the header said "Home Assistant: Unreachable" for every dropped socket, however briefly.
    store.getState().applyIntegrationHealth(health('unreachable', 'the connection was cut off'));
    store.getState().applyIntegrationHealth(health('connecting'));
    vi.advanceTimersByTime(STALE_GRACE_MS - 1);
    expect(shown(store)).toBe('ok');
    store.getState().applyIntegrationHealth(health('ok'));
    vi.advanceTimersByTime(STALE_GRACE_MS);
    expect(shown(store)).toBe('ok');
    expect(store.getState().integrationHealth).toBe(before);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shows the latest health once the connection stays away past the grace period, counted from the drop', () => {
    const store = createAppStore();
    store.getState().applyIntegrationHealth(health('ok'));
    store.getState().applyIntegrationHealth(health('unreachable', 'the connection was cut off'));
    vi.advanceTimersByTime(STALE_GRACE_MS / 2);
    store.getState().applyIntegrationHealth(health('unreachable', 'nothing accepts connections at that address'));
    vi.advanceTimersByTime(STALE_GRACE_MS / 2);
    expect(store.getState().integrationHealth.home_assistant).toMatchObject({ health: 'unreachable', message: 'nothing accepts connections at that address' });
    expect(selectWorstIntegration(store.getState())?.health).toBe('unreachable');
  });

  it('shows a refused token, and a first connection that fails, at once', () => {
    const store = createAppStore();
    store.getState().applyIntegrationHealth(health('ok'));
    store.getState().applyIntegrationHealth(health('auth_failed'));
    expect(shown(store)).toBe('auth_failed');

    const fresh = createAppStore();
    fresh.getState().applyIntegrationHealth(health('connecting'));
    fresh.getState().applyIntegrationHealth(health('unreachable'));
    expect(shown(fresh)).toBe('unreachable');
  });

  it('a refused token during the grace period shows at once and ends the wait', () => {
    const store = createAppStore();
    store.getState().applyIntegrationHealth(health('ok'));
    store.getState().applyIntegrationHealth(health('unreachable'));
    store.getState().applyIntegrationHealth(health('auth_failed'));
    expect(shown(store)).toBe('auth_failed');
    expect(vi.getTimerCount()).toBe(0);
  });
});
