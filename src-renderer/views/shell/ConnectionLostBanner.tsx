import { useEffect, useState } from 'preact/hooks';
import { ConnectionState } from '../../../src-shared/enums';
import { formatTime, useHomeTimezone } from '../../components/format';
import { useAppState } from '../../store';

/** A blip shorter than this (a reconnect that succeeds at once) shows no banner. */
const GRACE_MS = 1_000;

export function ConnectionLostBanner() {
  const lost = useAppState((s) => s.connection === ConnectionState.DISCONNECTED.value);
  const lostSince = useAppState((s) => s.lostSince);
  const zone = useHomeTimezone();
  const [visible, setVisible] = useState(false);

  useEffect(() => {
    if (!lost) {
      setVisible(false);
      return;
    }
    const timer = setTimeout(() => setVisible(true), GRACE_MS);
    return () => clearTimeout(timer);
  }, [lost]);

  if (!visible || lostSince === null) return null;
  return (
    <div class="banner banner-error" role="alert" data-testid="connection-lost-banner">
      Connection to the hub lost since {formatTime(lostSince, zone)}. What you see may be out of date; reconnecting…
    </div>
  );
}
