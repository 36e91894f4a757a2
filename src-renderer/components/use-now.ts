import { useEffect, useState } from 'preact/hooks';

/** The current time, refreshed every `periodMs`; the timer goes with the component. */
export function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
