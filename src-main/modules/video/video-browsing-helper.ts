import { DAY_MS, HOUR_MS, instantOfWallTime, localMidnightOf } from '../../util/zoned-time';

/** How the event browser groups a camera's recordings: the hours of one local day, or the days of one local week. */
export type VideoGrouping = 'hour' | 'day';

/** One recorded event as the browser needs it, whichever integration recorded it. */
export interface VideoEventRecord {
  /** The integration's own id of the event (ZoneMinder's event id). */
  eventId: string;
  cameraEntityId: number;
  /** Epoch ms. */
  start: number;
  /** Epoch ms; null while the event is still being recorded. */
  end: number | null;
  /** Frames in which motion was detected; 0 for a plain recording. */
  alarmFrames: number;
}

/** One hour or one day of events. */
export interface VideoEventGroup {
  start: number;
  end: number;
  count: number;
  /** The newest first, at most `maxEventsPerGroup`; `count` says how many there were. */
  events: VideoEventRecord[];
}

/** A span the browser shows at once; `earlier` and `later` are anchors for the neighbouring spans. */
export interface VideoBrowseSpan {
  grouping: VideoGrouping;
  start: number;
  end: number;
  /** Null when the span after this one has not begun yet. */
  laterAnchor: number | null;
  earlierAnchor: number;
}

export const DAYS_PER_WEEK_SPAN = 7;

/**
 * Splits time into the spans and groups the event browser pages through, in the home's zone: a day of hours (23 or
 * 25 of them across a DST change) or a week of days, each group starting at a local hour or midnight. The IPC
 * handler fetches the span's events from the integrations and hands them here; this class does no I/O.
 */
export class VideoBrowsingHelper {
  constructor(
    private readonly timeZone: string,
    private readonly maxEventsPerGroup = 100,
  ) {}

  /** The span that holds `anchor`: its local day for hours, or the week of days ending with its local day. */
  spanAround(anchor: number, grouping: VideoGrouping, now: number): VideoBrowseSpan {
    const midnight = localMidnightOf(anchor, this.timeZone);
    const firstDate = grouping === 'hour' ? midnight : midnight - (DAYS_PER_WEEK_SPAN - 1) * DAY_MS;
    const start = this.startOfDate(firstDate);
    const end = this.startOfDate(midnight + DAY_MS);
    // The week after ends on its seventh day, or today when that is still to come.
    const laterAnchor = end > now ? null : Math.min(now, end + (grouping === 'hour' ? 0 : (DAYS_PER_WEEK_SPAN - 1) * DAY_MS));
    return { grouping, start, end, earlierAnchor: start - 1, laterAnchor };
  }

  /** Every hour or day of the span, empty ones included (the timeline strip draws them all). */
  group(span: VideoBrowseSpan, events: readonly VideoEventRecord[]): VideoEventGroup[] {
    const bounds = span.grouping === 'hour' ? this.hourStarts(span) : this.dayStarts(span);
    const groups: VideoEventGroup[] = bounds.map((start, i) => ({ start, end: bounds[i + 1] ?? span.end, count: 0, events: [] }));
    const newestFirst = [...events].sort((a, b) => b.start - a.start || a.eventId.localeCompare(b.eventId));
    for (const event of newestFirst) {
      if (event.start < span.start || event.start >= span.end) continue;
      const group = groups[this.groupIndex(groups, event.start)]!;
      group.count += 1;
      if (group.events.length < this.maxEventsPerGroup) group.events.push(event);
    }
    return groups;
  }

  private startOfDate(localMidnight: number): number {
    return instantOfWallTime(localMidnight, 0, this.timeZone);
  }

  /** Real hours from local midnight are the local hours, across a DST change too (a day has at most 25). */
  private hourStarts(span: VideoBrowseSpan): number[] {
    const starts: number[] = [];
    for (let t = span.start; t < span.end && starts.length < 25; t += HOUR_MS) starts.push(t);
    return starts;
  }

  private dayStarts(span: VideoBrowseSpan): number[] {
    const firstMidnight = localMidnightOf(span.start, this.timeZone);
    const starts: number[] = [];
    for (let day = 0; day < DAYS_PER_WEEK_SPAN; day += 1) starts.push(this.startOfDate(firstMidnight + day * DAY_MS));
    return starts;
  }

  /** Binary search: groups are sorted and contiguous. */
  private groupIndex(groups: readonly VideoEventGroup[], instant: number): number {
    let low = 0;
    let high = groups.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (groups[middle]!.start <= instant) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
