import { describe, expect, it } from 'vitest';
import { VideoBrowsingHelper, type VideoEventRecord } from '../video-browsing-helper';

const NEW_YORK = 'America/New_York';
const iso = (ms: number) => new Date(ms).toISOString();
const event = (eventId: string, start: string, cameraEntityId = 1): VideoEventRecord => ({ eventId, cameraEntityId, start: Date.parse(start), end: Date.parse(start) + 30_000, alarmFrames: 4 });
const LATER_NOW = Date.parse('2027-01-01T00:00:00Z');

describe('VideoBrowsingHelper', () => {
  it('groups one local day by hour, counting each hour and listing its events newest first', () => {
    const helper = new VideoBrowsingHelper(NEW_YORK);
    const span = helper.spanAround(Date.parse('2026-06-10T15:00:00Z'), 'hour', LATER_NOW);
    expect([iso(span.start), iso(span.end)]).toEqual(['2026-06-10T04:00:00.000Z', '2026-06-11T04:00:00.000Z']);
    const groups = helper.group(span, [
      event('a', '2026-06-10T13:05:00Z'),
      event('b', '2026-06-10T13:55:00Z', 2),
      event('c', '2026-06-10T14:00:00Z'),
      event('before', '2026-06-10T03:59:59Z'),
      event('after', '2026-06-11T04:00:00Z'),
    ]);
    expect(groups).toHaveLength(24);
    // 13:xx UTC is 09:xx in New York in June.
    expect(groups[9]).toMatchObject({ start: Date.parse('2026-06-10T13:00:00Z'), count: 2 });
    expect(groups[9]!.events.map((e) => e.eventId)).toEqual(['b', 'a']);
    expect(groups[10]!.count).toBe(1);
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(3);
  });

  it('gives the spring-forward day 23 hours and the fall-back day 25, each starting on a local hour', () => {
    const helper = new VideoBrowsingHelper(NEW_YORK);
    const spring = helper.group(helper.spanAround(Date.parse('2026-03-08T12:00:00Z'), 'hour', LATER_NOW), []);
    expect(spring).toHaveLength(23);
    expect(iso(spring[2]!.start)).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT, straight after 01:00 EST
    const fall = helper.group(helper.spanAround(Date.parse('2026-11-01T12:00:00Z'), 'hour', LATER_NOW), [
      event('first-1:30', '2026-11-01T05:30:00Z'),
      event('second-1:30', '2026-11-01T06:30:00Z'),
    ]);
    expect(fall).toHaveLength(25);
    // The repeated 01:00 hour is two groups, one event each.
    expect([fall[1]!.count, fall[2]!.count]).toEqual([1, 1]);
    expect(fall.at(-1)!.end).toBe(Date.parse('2026-11-02T05:00:00Z'));
  });

  it('groups a week by local day, with a short and a long day across the changes', () => {
    const helper = new VideoBrowsingHelper(NEW_YORK);
    const span = helper.spanAround(Date.parse('2026-03-10T12:00:00Z'), 'day', LATER_NOW);
    const groups = helper.group(span, [event('x', '2026-03-08T04:59:00Z'), event('y', '2026-03-08T05:00:00Z')]);
    expect(groups.map((g) => iso(g.start))).toEqual([
      '2026-03-04T05:00:00.000Z',
      '2026-03-05T05:00:00.000Z',
      '2026-03-06T05:00:00.000Z',
      '2026-03-07T05:00:00.000Z',
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
      '2026-03-10T04:00:00.000Z',
    ]);
    expect(groups[4]!.end - groups[4]!.start).toBe(23 * 3_600_000);
    expect([groups[3]!.count, groups[4]!.count]).toEqual([1, 1]);
  });

  it('pages earlier and later without gaps or overlaps, and has no later page once it reaches now', () => {
    const helper = new VideoBrowsingHelper(NEW_YORK);
    const now = Date.parse('2026-06-12T16:00:00Z');
    const today = helper.spanAround(now, 'hour', now);
    expect(today.laterAnchor).toBeNull();
    const yesterday = helper.spanAround(today.earlierAnchor, 'hour', now);
    expect(yesterday.end).toBe(today.start);
    expect(helper.spanAround(yesterday.laterAnchor!, 'hour', now)).toEqual(today);

    const thisWeek = helper.spanAround(now, 'day', now);
    const lastWeek = helper.spanAround(thisWeek.earlierAnchor, 'day', now);
    expect(lastWeek.end).toBe(thisWeek.start);
    expect(helper.spanAround(lastWeek.laterAnchor!, 'day', now)).toEqual(thisWeek);
  });

  it('counts every event of a busy hour but lists only the newest, bounded', () => {
    const helper = new VideoBrowsingHelper('UTC', 10);
    const span = helper.spanAround(Date.parse('2026-06-10T12:00:00Z'), 'hour', LATER_NOW);
    const busy = Array.from({ length: 1_000 }, (_, i) => ({ eventId: String(i), cameraEntityId: 1, start: Date.parse('2026-06-10T12:00:00Z') + i * 3_000, end: null, alarmFrames: 1 }));
    const [, , , , , , , , , , , , noon] = helper.group(span, busy);
    expect(noon!.count).toBe(1_000);
    expect(noon!.events.map((e) => e.eventId)).toEqual(['999', '998', '997', '996', '995', '994', '993', '992', '991', '990']);
  });
});
