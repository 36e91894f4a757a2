import { formatTime, useHomeTimezone } from '../../components/format';
import { MINUTE_MS, useNow } from '../../components/use-now';
import { useAppState } from '../../store';

/** The hub's time, redrawn when its minute changes and not in between. */
export function LockClock() {
  const offset = useAppState((s) => s.clockOffsetMs);
  const zone = useHomeTimezone();
  const now = useNow({ unitMs: MINUTE_MS, shiftMs: offset });
  return (
    <time class="lock-clock" data-testid="lock-clock">
      {formatTime(now + offset, zone)}
    </time>
  );
}
