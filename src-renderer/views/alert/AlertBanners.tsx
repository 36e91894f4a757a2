import { useState } from 'preact/hooks';
import { AlarmLevel } from '../../../src-shared/enums/alert';
import type { AlertView } from '../../../src-shared/model/alert';
import { useBridge } from '../../bridge-context';
import { errorMessage, formatTime, useHomeTimezone } from '../../components/format';
import { useHubQuery } from '../../components/use-hub-query';
import { navigate } from '../../routes';
import { useAppState } from '../../store';
import { Modal } from '../location/edit/Modal';
import { AlertLiveView, cameraOfAlert, useCameraIds } from '../video/AlertLiveView';
import { VideoBrowserDialog, type VideoRecordingToPlay } from '../video/VideoBrowser';

/** Banners shown at once; the rest are counted under them. */
const SHOWN_BANNERS = 3;

function titleOf(alert: AlertView): string {
  return alert.count > 1 ? `${alert.title} (${alert.count})` : alert.title;
}

/** The recording of the newest alarm that has one: what "Play recording" plays. */
function recordingOf(alert: AlertView): VideoRecordingToPlay | null {
  const alarm = alert.alarms.find((a) => a.recording);
  return alarm?.recording ? { cameraEntityId: alarm.recording.entityId, eventId: alarm.recording.eventId, at: alarm.at } : null;
}

/** An alert a link named that is no longer open: says what became of it. */
function ClosedAlertDetails({ alertId, onClose }: { alertId: number; onClose(): void }) {
  const zone = useHomeTimezone();
  const { data, error } = useHubQuery('alert.recent.list', {}, alertId);
  const alert = data?.find((a) => a.id === alertId);
  const outcome: Record<NonNullable<AlertView['closedBy']>, string> = { acknowledged: 'acknowledged', expired: 'over', dropped: 'set aside for more important ones', cleared: 'cleared by its source' };
  return (
    <Modal title={alert ? titleOf(alert) : 'Alert'} testId="alert-details" onClose={onClose}>
      {error && <p class="field-error">{error}</p>}
      {data && !alert && <p data-testid="alert-details-gone">This alert is no longer open, and too old to be listed.</p>}
      {alert?.closedAt != null && alert.closedBy && (
        <p data-testid="alert-details-closed">
          No longer open: {outcome[alert.closedBy]} at {formatTime(alert.closedAt, zone)}.
        </p>
      )}
      {alert && (
        <ol class="alarm-list">
          {alert.alarms.map((alarm, index) => (
            <li key={`${alarm.at}-${index}`}>
              <time>{formatTime(alarm.at, zone, true)}</time>
              <span>{alarm.details}</span>
            </li>
          ))}
        </ol>
      )}
    </Modal>
  );
}

function AlertDetails({ alert, onAcknowledge, onClose }: { alert: AlertView; onAcknowledge(): void; onClose(): void }) {
  const zone = useHomeTimezone();
  const shown = alert.alarms.length;
  return (
    <Modal
      title={titleOf(alert)}
      testId="alert-details"
      onClose={onClose}
      actions={
        <button type="button" data-testid="alert-details-acknowledge" onClick={onAcknowledge}>
          Acknowledge
        </button>
      }
    >
      <p class="muted">
        {AlarmLevel.fromNameSafe(alert.level).label} · since {formatTime(alert.firstAt, zone)}
        {alert.endsAt !== null ? ` · ends ${formatTime(alert.endsAt, zone)} unless it happens again` : ' · until acknowledged'}
      </p>
      <ol class="alarm-list" data-testid="alert-alarms">
        {alert.alarms.map((alarm, index) => (
          <li key={`${alarm.at}-${index}`}>
            <time>{formatTime(alarm.at, zone, true)}</time>
            <span>{alarm.details}</span>
          </li>
        ))}
      </ol>
      {alert.count > shown && <p class="muted">…and {alert.count - shown} earlier.</p>}
    </Modal>
  );
}

/**
 * Open alerts over every screen, below the header (its security switch stays reachable), the most important
 * first. Tap one for its alarms; acknowledge one or all.
 */
export function AlertBanners() {
  const bridge = useBridge();
  const alerts = useAppState((s) => s.alerts);
  const applyAlerts = useAppState((s) => s.applyAlerts);
  const zone = useHomeTimezone();
  const linkedId = useAppState((s) => (s.route.name === 'alert' ? s.route.alertId : null));
  const [chosenId, setChosenId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Kept here, not in the banner, and drawn after the banners in both branches below: the recording plays on when its
  // alert is acknowledged meanwhile.
  const [recording, setRecording] = useState<{ play: VideoRecordingToPlay; title: string } | null>(null);
  const cameraIds = useCameraIds(alerts.length > 0);
  const openId = chosenId ?? linkedId;
  const setOpenId = (id: number | null) => {
    setChosenId(id);
    if (id === null && linkedId !== null) navigate({ name: 'home' });
  };
  const recordingDialog = recording && (
    <VideoBrowserDialog cameraEntityIds={[recording.play.cameraEntityId]} play={recording.play} title={recording.title} onClose={() => setRecording(null)} />
  );
  if (alerts.length === 0) {
    return (
      <>
        {linkedId === null ? null : <ClosedAlertDetails alertId={linkedId} onClose={() => setOpenId(null)} />}
        {recordingDialog}
      </>
    );
  }

  const acknowledge = async (alertId: number) => {
    setError(null);
    try {
      await bridge.invoke('alert.acknowledge', { alertId });
      applyAlerts(alerts.filter((a) => a.id !== alertId));
      setOpenId(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const acknowledgeAll = async () => {
    setError(null);
    try {
      await bridge.invoke('alert.acknowledgeAll', {});
      applyAlerts([]);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const open = alerts.find((a) => a.id === openId);
  const hidden = alerts.length - SHOWN_BANNERS;
  // One live picture at most, for the most important alert about a camera: each costs one of the panel's streams.
  const live = alerts
    .slice(0, SHOWN_BANNERS)
    .map((alert) => ({ alertId: alert.id, camera: cameraOfAlert(alert, cameraIds), title: alert.title }))
    .find((entry) => entry.camera !== null);

  return (
    <>
      <section class="alert-banners" aria-label="Alerts" aria-live="assertive" data-testid="alert-banners">
        {alerts.slice(0, SHOWN_BANNERS).map((alert) => {
          const latest = alert.alarms[0];
          const play = recordingOf(alert);
          return (
            <div key={alert.id} class="alert-banner" data-level={alert.level} data-testid={`alert-banner-${alert.id}`} data-source={alert.source}>
              <button type="button" class="alert-banner-body" data-testid={`alert-open-${alert.id}`} onClick={() => setOpenId(alert.id)}>
                <strong class="alert-title">{titleOf(alert)}</strong>
                {latest && (
                  <span class="alert-latest">
                    {latest.details} · {formatTime(latest.at, zone)}
                  </span>
                )}
              </button>
              {live?.alertId === alert.id && live.camera !== null && <AlertLiveView entityId={live.camera} label={live.title} />}
              {play && (
                <button
                  type="button"
                  class="alert-play"
                  data-testid={`alert-play-${alert.id}`}
                  data-event-id={play.eventId}
                  onClick={() => setRecording({ play, title: `Recording: ${alert.title}` })}
                >
                  Play recording
                </button>
              )}
              <button type="button" class="alert-ack" data-testid={`alert-ack-${alert.id}`} onClick={() => void acknowledge(alert.id)}>
                Acknowledge
              </button>
            </div>
          );
        })}
        {(hidden > 0 || alerts.length > 1) && (
          <div class="alert-more">
            {hidden > 0 && <span data-testid="alert-more-count">+{hidden} more</span>}
            <button type="button" class="alert-ack" data-testid="alert-ack-all" onClick={() => void acknowledgeAll()}>
              Acknowledge all
            </button>
          </div>
        )}
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        {open && <AlertDetails alert={open} onAcknowledge={() => void acknowledge(open.id)} onClose={() => setOpenId(null)} />}
        {!open && openId !== null && <ClosedAlertDetails alertId={openId} onClose={() => setOpenId(null)} />}
      </section>
      {recordingDialog}
    </>
  );
}
