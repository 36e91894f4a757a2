import { LRUCache } from 'lru-cache';
import { describeState, type StateDisplay } from '../../../src-shared/model/state-display';

const CACHE_ENTRIES = 10_000;
const CACHE_TTL_MS = 10 * 60_000;

/**
 * The display of each state value (text with units, style token), computed once per distinct (type, value, units)
 * and kept in a TTL cache: 200 changes a second mostly repeat a few hundred distinct values.
 */
export class StatusDisplayManager {
  private readonly cache = new LRUCache<string, StateDisplay>({ max: CACHE_ENTRIES, ttl: CACHE_TTL_MS });

  display(stateType: string, value: string | null, units: string | null): StateDisplay {
    const key = `${stateType}\u0000${value ?? '\u0001'}\u0000${units ?? ''}`;
    let display = this.cache.get(key);
    if (!display) {
      display = describeState(stateType, value, units);
      this.cache.set(key, display);
    }
    return display;
  }
}
