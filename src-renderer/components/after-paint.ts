import { useEffect, useState } from 'preact/hooks';

/**
 * False until a frame rendered with `ready` true (for this `key`) has been painted, then true: for work the first
 * frame of a screen can do without. Preact runs effects after the next paint (or after 100 ms when the page gets no
 * frames); the change then comes in a task of its own, behind whatever else was waiting for that frame.
 */
export function useAfterPaint(ready: boolean, key: unknown = null): boolean {
  const [paintedFor, setPaintedFor] = useState<{ key: unknown } | null>(null);
  const painted = paintedFor !== null && Object.is(paintedFor.key, key);
  useEffect(() => {
    if (!ready || painted) return;
    const timer = setTimeout(() => setPaintedFor({ key }), 0);
    return () => clearTimeout(timer);
  }, [ready, painted, key]);
  return painted;
}
