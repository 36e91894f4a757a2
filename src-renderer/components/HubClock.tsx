import { useAppState } from '../store';
import { useAfterPaint } from './after-paint';
import { formatTime, useHomeTimezone } from './format';
import { MINUTE_MS, useNow } from './use-now';

/**
 * Hours and minutes of the hub's clock in the home's zone, redrawn when the minute changes and not in between.
 * Empty until the hub has told its time and zone: this device's own clock, possibly in another zone, would show a
 * time that jumps once the hub answers. The time follows a frame later: the first time format in a page costs tens of
 * milliseconds (ICU loads its locale and zone data), which the first view's frame need not wait for.
 */
export function HubClock({ className, testId }: { className: string; testId: string }) {
  const offset = useAppState((s) => s.clockOffsetMs);
  const known = useAppState((s) => s.hubVersion !== null);
  const shown = useAfterPaint(known) && known;
  const now = useNow({ unitMs: MINUTE_MS, shiftMs: offset });
  const zone = useHomeTimezone();
  return (
    <time class={className} data-testid={testId}>
      {shown ? formatTime(now + offset, zone) : ''}
    </time>
  );
}
