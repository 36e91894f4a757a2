import { LRUCache } from 'lru-cache';
import { describeState, type StateDisplay } from '../../../src-shared/model/state-display';

const CACHE_ENTRIES = 10_000;
const CACHE_TTL_MS = 10 * 60_000;

/** A number as upstreams send them ("21.5", "-3", "1e3"); the empty string is not one. */
const looksNumeric = (value: string): boolean => value !== '' && Number.isFinite(Number(value));

/**
 * The display of each state value (text with units, style token). Named values (on/off, open/closed, modes) repeat
 * endlessly and are computed once per (type, value, units), kept in a TTL cache. Numbers are described directly:
 * a sensor's readings rarely repeat, so caching them cost more in misses and evictions than describing them does
 * (profiled in the history ingest bench).
 */
export class StatusDisplayManager {
  private readonly cache = new LRUCache<string, StateDisplay>({ max: CACHE_ENTRIES, ttl: CACHE_TTL_MS });

  display(stateType: string, value: string | null, units: string | null): StateDisplay {
    if (value !== null && looksNumeric(value)) return describeState(stateType, value, units);
    const key = `${stateType}\u0000${value ?? '\u0001'}\u0000${units ?? ''}`;
    let display = this.cache.get(key);
    if (!display) {
      display = describeState(stateType, value, units);
      this.cache.set(key, display);
    }
    return display;
  }
}
