import type { HandlerMap } from '../../ipc/router';
import type { AlertManager } from './alert-manager';
import type { SoundMute } from './sound-mute';

export function alertHandlers(alerts: AlertManager): HandlerMap<'alert.list' | 'alert.recent.list' | 'alert.acknowledge' | 'alert.acknowledgeAll'> {
  return {
    'alert.list': () => alerts.list(),
    'alert.recent.list': () => alerts.recentList(),
    'alert.acknowledge': ({ alertId }) => alerts.acknowledge(alertId),
    'alert.acknowledgeAll': () => ({ count: alerts.acknowledgeAll() }),
  };
}

export function alertSoundHandlers(mute: SoundMute): HandlerMap<'alert.sound.mute' | 'alert.sound.unmute'> {
  return {
    'alert.sound.mute': () => mute.mute(),
    'alert.sound.unmute': () => mute.unmute(),
  };
}
