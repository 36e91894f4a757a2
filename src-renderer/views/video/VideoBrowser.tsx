import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { eventPath } from '../../../src-shared/mjpeg/camera-paths';
import type { VideoBrowseView, VideoEventView, VideoGroupingName } from '../../../src-shared/model/video';
import { useBridge } from '../../bridge-context';
import { ModalDialog } from '../../components/ModalDialog';
import { errorMessage, formatDate, formatTime, knownTimezone, useHomeTimezone } from '../../components/format';
import { CameraStream } from '../camera/CameraStream';
import './video.css';

const GROUPING_LABEL: Record<VideoGroupingName, string> = { hour: 'Day', day: 'Week' };
/** The newest group that has recordings, else the last one. */
function defaultGroup(view: VideoBrowseView): number {
  for (let i = view.groups.length - 1; i >= 0; i--) if (view.groups[i]!.count > 0) return i;
  return view.groups.length - 1;
}

function recordingsWord(count: number): string {
  return count === 1 ? '1 recording' : `${count} recordings`;
}

/** A short label of a group in the home zone: "10 AM" (or "10") for an hour, "Mon 12" for a day. */
function useGroupLabel(grouping: VideoGroupingName, timeZone: string | undefined): (epochMs: number) => string {
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(undefined, grouping === 'hour' ? { timeZone, hour: 'numeric' } : { timeZone, weekday: 'short', day: 'numeric' });
    return (epochMs: number) => format.format(epochMs);
  }, [grouping, timeZone]);
}

/** A recording to open the browser with (an alert's): its hour or day is shown and it plays at once. */
export interface VideoRecordingToPlay {
  cameraEntityId: number;
  eventId: string;
  /** About when it was recorded (the alarm's time), to choose the span before the listing says exactly. */
  at: number;
}

interface VideoBrowserProps {
  /** Empty: every camera. */
  cameraEntityIds: readonly number[];
  play?: VideoRecordingToPlay;
}

/** Where the listing has the event: its group and its own entry, else the group its time falls in. */
function placeOf(view: VideoBrowseView, wanted: VideoRecordingToPlay): { group: number; event: VideoEventView | null } {
  for (const [group, g] of view.groups.entries()) {
    const event = g.events.find((e) => e.eventId === wanted.eventId && e.cameraEntityId === wanted.cameraEntityId);
    if (event) return { group, event };
  }
  const group = view.groups.findIndex((g) => wanted.at >= g.start && wanted.at < g.end);
  return { group: group === -1 ? defaultGroup(view) : group, event: null };
}

/**
 * Recordings as a timeline strip (the hours of a day or the days of a week, each bar as tall as its count), earlier
 * and later paging, the chosen hour's or day's recordings with a thumbnail each, and playback of one. Times are in
 * the home zone; the hub does the grouping.
 */
export function VideoBrowser({ cameraEntityIds, play }: VideoBrowserProps) {
  const bridge = useBridge();
  const timeZone = knownTimezone(useHomeTimezone());
  const [grouping, setGrouping] = useState<VideoGroupingName>('hour');
  const groupLabel = useGroupLabel(grouping, timeZone);
  const [anchor, setAnchor] = useState<number | undefined>(play?.at);
  const [view, setView] = useState<VideoBrowseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  // A recording to open with plays before the listing arrives; it is not always in it (listings are bounded).
  const [playing, setPlaying] = useState<VideoEventView | null>(
    play ? { cameraEntityId: play.cameraEntityId, eventId: play.eventId, start: play.at, end: null, alarmFrames: 0 } : null,
  );
  const toPlace = useRef(play ?? null);
  const timeline = useRef<HTMLOListElement>(null);
  const [attempt, setAttempt] = useState(0);
  const camerasKey = cameraEntityIds.join(',');

  useEffect(() => {
    let current = true;
    setError(null);
    bridge.invoke('video.events.browse', { cameraEntityIds: camerasKey === '' ? [] : camerasKey.split(',').map(Number), grouping, anchor }).then(
      (next) => {
        if (!current) return;
        setView(next);
        const wanted = toPlace.current;
        toPlace.current = null;
        if (!wanted) return setSelected(defaultGroup(next));
        const place = placeOf(next, wanted);
        setSelected(place.group);
        // The listed entry has the recording's own times; the player keeps playing (same key).
        if (place.event) setPlaying(place.event);
      },
      (e: unknown) => current && setError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [bridge, camerasKey, grouping, anchor, attempt]);

  // On a narrow screen the strip scrolls sideways: the chosen hour or day must not be left out of sight.
  useEffect(() => {
    timeline.current?.querySelector('[aria-pressed="true"]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [view, selected]);

  const nameOf = useMemo(() => new Map(view?.cameras.map((c) => [c.entityId, c.name]) ?? []), [view]);
  const withoutRecordings = view?.cameras.filter((c) => !c.recordings) ?? [];
  const group = view?.groups[selected];
  const maxCount = Math.max(1, ...(view?.groups.map((g) => g.count) ?? []));
  const spanLabel = view ? (grouping === 'hour' ? formatDate(view.span.start, timeZone) : `${formatDate(view.span.start, timeZone)} – ${formatDate(view.span.end - 1, timeZone)}`) : '';

  return (
    <div class="video-browser" data-testid="video-browser" data-grouping={grouping}>
      <div class="video-browser-bar">
        <div class="video-grouping" role="group" aria-label="Show">
          {(['hour', 'day'] as const).map((g) => (
            <button
              key={g}
              type="button"
              class={g === grouping ? '' : 'secondary'}
              aria-pressed={g === grouping}
              data-testid={`video-grouping-${g}`}
              onClick={() => {
                setGrouping(g);
                setPlaying(null);
              }}
            >
              {GROUPING_LABEL[g]}
            </button>
          ))}
        </div>
        <button type="button" class="secondary" data-testid="video-earlier" disabled={!view} onClick={() => view && (setAnchor(view.span.earlierAnchor), setPlaying(null))}>
          ← Earlier
        </button>
        <span class="video-span" data-testid="video-span">
          {spanLabel}
        </span>
        <button
          type="button"
          class="secondary"
          data-testid="video-later"
          disabled={!view || view.span.laterAnchor === null}
          onClick={() => view?.span.laterAnchor != null && (setAnchor(view.span.laterAnchor), setPlaying(null))}
        >
          Later →
        </button>
      </div>
      {error && (
        <div class="field-error" role="alert" data-testid="video-error">
          <p>{error}</p>
          <button type="button" class="secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {view && (
        <>
          <ol ref={timeline} class="video-timeline" data-testid="video-timeline" aria-label={grouping === 'hour' ? 'Hours of the day' : 'Days of the week'}>
            {view.groups.map((g, i) => (
              <li key={g.start}>
                <button
                  type="button"
                  class="video-group"
                  aria-pressed={i === selected}
                  aria-label={`${groupLabel(g.start)}: ${recordingsWord(g.count)}`}
                  data-testid="video-group"
                  data-start={g.start}
                  data-count={g.count}
                  onClick={() => {
                    setSelected(i);
                    setPlaying(null);
                  }}
                >
                  <span class="video-group-bar" style={{ '--bar': (g.count / maxCount).toFixed(3) }} />
                  <span class="video-group-label">{groupLabel(g.start)}</span>
                </button>
              </li>
            ))}
          </ol>
          {!view.complete && <p class="muted">This span has more recordings than can be shown at once; the counts are of the newest ones.</p>}
          {withoutRecordings.length > 0 && <p class="muted">No recordings are kept for {withoutRecordings.map((c) => c.name).join(', ')}.</p>}
          <div class="video-body">
          {group && (
            <section class="video-events" aria-label={`Recordings at ${groupLabel(group.start)}`}>
              <h3 data-testid="video-group-title">
                {groupLabel(group.start)} · {recordingsWord(group.count)}
              </h3>
              {group.count > group.events.length && (
                <p class="muted">
                  The newest {group.events.length} of {group.count} are listed.
                </p>
              )}
              <ul class="video-event-list">
                {group.events.map((event) => (
                  <li key={`${event.cameraEntityId}/${event.eventId}`}>
                    <button
                      type="button"
                      class="video-event"
                      aria-pressed={playing?.eventId === event.eventId && playing.cameraEntityId === event.cameraEntityId}
                      data-testid="video-event"
                      data-event-id={event.eventId}
                      data-entity-id={event.cameraEntityId}
                      onClick={() => setPlaying(event)}
                    >
                      <img src={eventPath('event-thumbnail', event.cameraEntityId, event.eventId)} loading="lazy" alt="" width={160} height={90} data-testid="video-event-thumbnail" />
                      <span class="video-event-text">
                        <strong>{formatTime(event.start, timeZone, true)}</strong>
                        <span>{nameOf.get(event.cameraEntityId) ?? 'Camera'}</span>
                        <span class="muted">{event.end === null ? 'Still recording' : `${Math.max(1, Math.round((event.end - event.start) / 1000))} s`}</span>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {playing && (
            <section class="video-player" data-testid="video-player" data-event-id={playing.eventId} aria-label="Playback">
              <div class="video-player-head">
                <h3>
                  {nameOf.get(playing.cameraEntityId) ?? 'Camera'} · {formatTime(playing.start, timeZone, true)}
                </h3>
                <button type="button" class="secondary" data-testid="video-player-close" onClick={() => setPlaying(null)}>
                  Close
                </button>
              </div>
              <CameraStream key={`${playing.cameraEntityId}/${playing.eventId}`} entityId={playing.cameraEntityId} eventId={playing.eventId} label={nameOf.get(playing.cameraEntityId) ?? 'camera'} />
            </section>
          )}
          </div>
        </>
      )}
    </div>
  );
}

/** The browser over the whole screen, opened from a camera's details, the cameras view or an alert's recording. */
export function VideoBrowserDialog({ cameraEntityIds, play, title, onClose }: VideoBrowserProps & { title: string; onClose(): void }) {
  return (
    <ModalDialog className="video-browser-dialog" label={title} testId="video-browser-dialog" onClose={onClose}>
      <div class="video-browser-head">
        <h2>{title}</h2>
        <button type="button" class="secondary" data-testid="video-browser-close" data-autofocus onClick={onClose}>
          Close
        </button>
      </div>
      <VideoBrowser cameraEntityIds={cameraEntityIds} play={play} />
    </ModalDialog>
  );
}
