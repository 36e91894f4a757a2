type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const idOf = (value: unknown): unknown => (isObject(value) ? value.id : undefined);

/**
 * `next`, reusing every part of `prev` that is deep-equal to it, and `prev` itself when nothing changed. Refetched
 * data then keeps the identity of unchanged entities, so only the shapes of changed ones re-render. Array elements
 * with an `id` are matched by id, others by position.
 */
export function shareEqual<T>(prev: unknown, next: T): T {
  if (Object.is(prev, next)) return next;
  if (Array.isArray(prev) && Array.isArray(next)) {
    const byId = new Map(prev.filter((item) => idOf(item) !== undefined).map((item) => [idOf(item), item]));
    let same = prev.length === next.length;
    const shared = next.map((item: unknown, index) => {
      const id = idOf(item);
      const result = shareEqual(id === undefined ? prev[index] : byId.get(id), item);
      if (result !== prev[index]) same = false;
      return result;
    });
    return (same ? prev : shared) as T;
  }
  if (isObject(prev) && isObject(next)) {
    const keys = Object.keys(next);
    let same = keys.length === Object.keys(prev).length;
    const shared: Obj = {};
    for (const key of keys) {
      shared[key] = shareEqual(prev[key], next[key]);
      if (shared[key] !== prev[key] || !Object.hasOwn(prev, key)) same = false;
    }
    return (same ? prev : shared) as T;
  }
  return next;
}
