import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventPath, MAX_STREAMS_PER_PANEL } from '../../../../src-shared/mjpeg/camera-paths';
import { boundaryFromContentType, MultipartJpegParser } from '../../../../src-shared/mjpeg/multipart-parser';
import { monitorUpstreamId, ZM_DOMAINS, ZONEMINDER_KEY } from '../../../integrations/zoneminder/gateway';
import { ZmSimulator } from '../../../simulator/zm-simulator';
import { call, callFails } from '../../../test-support/home-helpers';
import { entityFor, stateIdFor } from '../../../test-support/integration-fixtures';
import { serveTestHub, type ServedHub } from '../../../test-support/served-hub';
import type { TestHub } from '../../../test-support/test-hub';

const USER = 'hub';
const PASSWORD = 'zm-browse-secret';
const WAIT_MS = 8_000;
// 11:00 in Chicago (the test hub's home zone); the simulated ZoneMinder keeps New York time.
const NOW = Date.UTC(2026, 4, 10, 16, 0, 0);
const at = (iso: string) => Date.parse(iso);

/** Polls every 20 ms, at most WAIT_MS: the hub talks to a real server here. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > WAIT_MS) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

/** Reads whole frames of a hub MJPEG answer until `count` came or it ended; every byte is kept to look for secrets. */
async function readFrames(response: Response, count: number): Promise<{ frames: number; text: string }> {
  const boundary = boundaryFromContentType(response.headers.get('content-type'));
  if (!boundary || !response.body) throw new Error(`not a stream: ${response.status}`);
  const parser = new MultipartJpegParser({ boundary });
  const reader = response.body.getReader();
  const received: Uint8Array[] = [];
  let frames = 0;
  const deadline = AbortSignal.timeout(WAIT_MS);
  while (frames < count && !deadline.aborted) {
    const { done, value } = await reader.read();
    if (done) break;
    received.push(value);
    frames += parser.push(value).length;
  }
  await reader.cancel();
  return { frames, text: Buffer.concat(received).toString('latin1') };
}

describe('the video event browser against the ZoneMinder simulator', () => {
  let served: ServedHub;
  let t: TestHub;
  let sim: ZmSimulator;
  let simPort: string;
  let front: number;
  let back: number;

  beforeEach(async () => {
    served = await serveTestHub();
    t = served.t;
    t.clock.set(NOW);
    sim = new ZmSimulator({ user: USER, password: PASSWORD, clock: t.clock });
    const { url } = await sim.start();
    simPort = new URL(url).port;
    await call(t, 'integration.configure', { key: ZONEMINDER_KEY, fields: { url, user: USER, password: PASSWORD }, importDomains: [...ZM_DOMAINS] });
    await call(t, 'integration.enable', { key: ZONEMINDER_KEY });
    await call(t, 'integration.sync', { key: ZONEMINDER_KEY });
    front = entityFor(t, ZONEMINDER_KEY, monitorUpstreamId(1))!.id;
    back = entityFor(t, ZONEMINDER_KEY, monitorUpstreamId(2))!.id;
  });
  afterEach(async () => {
    await served.close();
    await sim.stop();
  });

  /** Events at Chicago times 09:05, 09:20 (back yard), 09:40 and 10:15 today, and 20:00 the evening before. */
  function recordDay(): number[] {
    const starts: Array<[number, string]> = [
      [1, '2026-05-10T14:05:00Z'],
      [2, '2026-05-10T14:20:00Z'],
      [1, '2026-05-10T14:40:00Z'],
      [1, '2026-05-10T15:15:00Z'],
      [1, '2026-05-10T01:00:00Z'],
    ];
    return starts.map(([monitorId, start]) => sim.addEvent({ monitorId, start: at(start), end: at(start) + 30_000, alarmFrames: 5 }).id);
  }

  it('groups every camera’s events by local hour with counts, and pages to the day before', async () => {
    const [first, second, third, fourth, yesterday] = recordDay();
    const today = await call(t, 'video.events.browse', { cameraEntityIds: [], grouping: 'hour' });
    expect(today.span).toMatchObject({ grouping: 'hour', start: at('2026-05-10T05:00:00Z'), end: at('2026-05-11T05:00:00Z'), laterAnchor: null });
    expect(today.groups).toHaveLength(24);
    expect(today.groups.map((g) => g.count)).toEqual(Array.from({ length: 24 }, (_, hour) => (hour === 9 ? 3 : hour === 10 ? 1 : 0)));
    expect(today.groups[9]!.events).toEqual([
      { cameraEntityId: front, eventId: String(third), start: at('2026-05-10T14:40:00Z'), end: at('2026-05-10T14:40:30Z'), alarmFrames: 5 },
      { cameraEntityId: back, eventId: String(second), start: at('2026-05-10T14:20:00Z'), end: at('2026-05-10T14:20:30Z'), alarmFrames: 5 },
      { cameraEntityId: front, eventId: String(first), start: at('2026-05-10T14:05:00Z'), end: at('2026-05-10T14:05:30Z'), alarmFrames: 5 },
    ]);
    expect(today.groups[10]!.events.map((e) => e.eventId)).toEqual([String(fourth)]);
    expect(today.cameras).toEqual([
      { entityId: back, name: 'Back yard', recordings: true },
      { entityId: front, name: 'Front door', recordings: true },
    ]);
    expect(today.complete).toBe(true);

    const before = await call(t, 'video.events.browse', { cameraEntityIds: [], grouping: 'hour', anchor: today.span.earlierAnchor });
    expect(before.span).toMatchObject({ start: at('2026-05-09T05:00:00Z'), end: at('2026-05-10T05:00:00Z'), laterAnchor: today.span.start });
    expect(before.groups.filter((g) => g.count > 0).map((g) => [new Date(g.start).toISOString(), g.events.map((e) => e.eventId)])).toEqual([
      ['2026-05-10T01:00:00.000Z', [String(yesterday)]],
    ]);
  });

  it('browses one camera, and a week by day', async () => {
    recordDay();
    const frontOnly = await call(t, 'video.events.browse', { cameraEntityIds: [front], grouping: 'hour' });
    expect(frontOnly.groups[9]!.count).toBe(2);
    expect(frontOnly.cameras.map((c) => c.entityId)).toEqual([front]);
    const week = await call(t, 'video.events.browse', { cameraEntityIds: [], grouping: 'day' });
    expect(week.groups.map((g) => g.count)).toEqual([0, 0, 0, 0, 0, 1, 4]);
    expect(week.span).toMatchObject({ start: at('2026-05-04T05:00:00Z'), end: at('2026-05-11T05:00:00Z') });
  });

  it('refuses an item that is not a camera, and says so in words when ZoneMinder cannot be reached', async () => {
    const runState = entityFor(t, ZONEMINDER_KEY, 'run_state')!.id;
    expect(await callFails(t, 'video.events.browse', { cameraEntityIds: [runState], grouping: 'hour' })).toMatchObject({ code: 'not_found' });
    await sim.stop();
    const failure = await callFails(t, 'video.events.browse', { cameraEntityIds: [], grouping: 'hour' });
    expect(failure).toMatchObject({ code: 'unavailable', message: 'ZoneMinder cannot be reached, so its recordings cannot be shown now. Try again later.' });
  });

  it('plays an event and serves its thumbnail through the hub, with no token or upstream address in either', async () => {
    const [first] = recordDay();
    const thumbnail = await fetch(`${served.url}${eventPath('event-thumbnail', front, String(first))}`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = Buffer.from(await thumbnail.arrayBuffer());
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);

    const play = await fetch(`${served.url}${eventPath('event-play', front, String(first), 'panel-a')}`);
    expect(play.status).toBe(200);
    const { frames, text } = await readFrames(play, 3);
    expect(frames).toBe(3);
    for (const secret of ['token', `:${simPort}`, 'nph-zms', PASSWORD]) expect(text).not.toContain(secret);
  });

  it('refuses event paths with ids that are not digits, and an event the server does not have in plain words', async () => {
    for (const bad of [`/event/${front}/abc/play`, `/event/${front}/0/play`, `/event/${front}/12/rewind`, `/event/${front}/1e3/thumbnail`, `/event/${front}/12/play/more`]) {
      expect((await fetch(`${served.url}${bad}`)).status, bad).toBe(404);
    }
  });

  it('plays an event only through its own camera: another camera’s path and an unknown id are 404 with no stream asked for', async () => {
    const [first, second] = recordDay();
    const streamsAsked = () => sim.hitCount('/cgi-bin/nph-zms');
    const play = await fetch(`${served.url}${eventPath('event-play', front, String(first))}`);
    expect(play.status).toBe(200);
    expect((await readFrames(play, 2)).frames).toBe(2);
    const askedBefore = streamsAsked();

    for (const mode of ['event-play', 'event-thumbnail'] as const) {
      const wrong = await fetch(`${served.url}${eventPath(mode, back, String(first))}`);
      expect(wrong.status, mode).toBe(404);
      expect(await wrong.text()).toBe(`Recording ${first} was not made by this camera.`);
      const missing = await fetch(`${served.url}${eventPath(mode, front, '999999')}`);
      expect(missing.status, mode).toBe(404);
      expect(await missing.text()).toBe('ZoneMinder has no recording 999999.');
    }
    expect(streamsAsked()).toBe(askedBefore);
    // The back yard's own event plays from its own path; a verified pair is not asked for again.
    const eventLookups = () => sim.hitCount(`/api/events/${second}.json`);
    for (let i = 0; i < 2; i++) {
      const thumbnail = await fetch(`${served.url}${eventPath('event-thumbnail', back, String(second))}`);
      expect(thumbnail.status).toBe(200);
      await thumbnail.arrayBuffer();
    }
    expect(eventLookups()).toBe(1);
    expect(streamsAsked()).toBe(askedBefore + 2);
  });

  it('counts each playback against the panel’s streams, and gives every playback its own upstream', async () => {
    const [first] = recordDay();
    const open: Response[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_PANEL; i++) {
      const response = await fetch(`${served.url}${eventPath('event-play', front, String(first), 'panel-b')}`);
      expect(response.status).toBe(200);
      open.push(response);
    }
    expect(t.hub.cameras.stats().upstreams).toHaveLength(MAX_STREAMS_PER_PANEL);
    const refused = await fetch(`${served.url}${eventPath('event-play', front, String(first), 'panel-b')}`);
    expect(refused.status).toBe(429);
    await refused.body?.cancel();
    for (const response of open) await response.body?.cancel();
    await waitFor(() => t.hub.cameras.stats().upstreams.length === 0, 'the playbacks to close');
  });

  it('raises an alert about the camera when ZoneMinder records motion in Away', async () => {
    await waitFor(() => t.hub.integrations.healthViews().find((h) => h.key === ZONEMINDER_KEY)?.health === 'ok', 'the first poll');
    await t.hub.rules.ensureDefaultRules();
    await call(t, 'settings.update', { subsystem: 'security', key: 'away_delay_seconds', value: 0 });
    await call(t, 'security.set', { state: 'away' });
    t.clock.advance(120_000);
    sim.addEvent({ monitorId: 1, start: t.clock.now() });
    const motion = stateIdFor(t, monitorUpstreamId(1), 'motion');
    await waitFor(() => t.hub.statuses.latest(motion)?.value === 'active', 'motion on the front door');
    await t.hub.rules.idle();
    expect(t.hub.alerts.list()).toMatchObject([{ title: 'Motion: Front door', entityIds: [front] }]);
  });

  it('carries the ZoneMinder event id from motion to its history rows and to the alarm, which names the recording', async () => {
    await waitFor(() => t.hub.integrations.healthViews().find((h) => h.key === ZONEMINDER_KEY)?.health === 'ok', 'the first poll');
    await t.hub.rules.ensureDefaultRules();
    await call(t, 'settings.update', { subsystem: 'security', key: 'away_delay_seconds', value: 0 });
    await call(t, 'security.set', { state: 'away' });
    t.clock.advance(120_000);
    const event = sim.addEvent({ monitorId: 1, start: t.clock.now() });
    const motion = stateIdFor(t, monitorUpstreamId(1), 'motion');
    await waitFor(() => t.hub.statuses.latest(motion)?.value === 'active', 'motion on the front door');
    t.clock.advance(5_000);
    sim.closeEvent(event.id);
    await waitFor(() => t.hub.statuses.latest(motion)?.value === 'idle', 'the event to close');
    await t.hub.rules.idle();

    t.hub.statuses.flushHistory();
    const history = t.hub.store.sqlite
      .prepare('select h.value, h.correlation from sensor_history h join sensor s on s.id = h.sensor_id where s.entity_state_id = ? order by h.id')
      .all(motion);
    // The sync's first value belongs to no event; the event's open and close carry its id.
    expect(history).toEqual([
      { value: 'idle', correlation: null },
      { value: 'active', correlation: String(event.id) },
      { value: 'idle', correlation: String(event.id) },
    ]);
    const [alert] = t.hub.alerts.list();
    expect(alert?.alarms).toMatchObject([{ details: 'Front door Motion: active', recording: { entityId: front, eventId: String(event.id) } }]);
    // Stored with the alert: a restarted hub still offers the recording.
    await t.hub.alerts.save();
    const stored = t.hub.store.sqlite.prepare('select alarms_json from alert where id = ?').get(alert!.id) as { alarms_json: string };
    expect(JSON.parse(stored.alarms_json)).toMatchObject([{ recording: { entityId: front, eventId: String(event.id) } }]);
  });
});
