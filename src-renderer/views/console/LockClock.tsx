import { useEffect, useState } from 'preact/hooks';
import { formatTime } from '../../components/format';
import { useAppState, useSettingValue } from '../../store';

const MINUTE_MS = 60_000;

/** The hub's time, redrawn when its minute changes and not in between. */
export function LockClock() {
  const offset = useAppState((s) => s.clockOffsetMs);
  const timezone = useSettingValue('console', 'timezone');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const hubNow = now + offset;
    const timer = setTimeout(() => setNow(Date.now()), MINUTE_MS - (((hubNow % MINUTE_MS) + MINUTE_MS) % MINUTE_MS) + 50);
    return () => clearTimeout(timer);
  }, [now, offset]);
  return (
    <time class="lock-clock" data-testid="lock-clock">
      {formatTime(now + offset, typeof timezone === 'string' ? timezone : undefined)}
    </time>
  );
}
