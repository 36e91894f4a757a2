import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { boundaryFromContentType, MultipartJpegParser } from '../../../../src-shared/mjpeg/multipart-parser';
import { ZmSimulator, type ZmSimulatorOptions } from '../../../simulator/zm-simulator';
import { TestClock } from '../../../test-support/test-hub';
import { GatewayError } from '../../gateway';
import { ZM_PROTOCOL, ZoneMinderClient, type ZoneMinderClientOptions } from '../client';

const USER = 'viewer';
const PASSWORD = 'correct horse';
const MINUTE = 60_000;
/** A Sunday in spring: New York is on EDT, so wall times are UTC - 4 h. */
const NOW = Date.UTC(2026, 4, 10, 16, 0, 0);

const simulators: ZmSimulator[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(simulators.splice(0).map((sim) => sim.stop()));
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function startSim(options: Partial<ZmSimulatorOptions> = {}, clock = new TestClock(NOW)): Promise<{ sim: ZmSimulator; url: string; clock: TestClock }> {
  const sim = new ZmSimulator({ user: USER, password: PASSWORD, clock, ...options });
  simulators.push(sim);
  const { url } = await sim.start();
  return { sim, url, clock };
}

function clientFor(url: string, clock: TestClock, options: Partial<ZoneMinderClientOptions> = {}): ZoneMinderClient {
  return new ZoneMinderClient({ baseUrl: url, user: USER, password: PASSWORD, clock, requestTimeoutMs: 5_000, ...options });
}

async function failureOf(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

/** A server on 127.0.0.1 that answers every request with `handler`'s status and body. */
async function fakeServer(status: number, body: string, contentType = 'application/json'): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'Content-Type': contentType });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('ZoneMinderClient sign-in', () => {
  it('logs in once, refreshes the access token before it expires, and logs in again after the refresh token expires', async () => {
    const { sim, url, clock } = await startSim({ accessTokenSeconds: 60, refreshTokenSeconds: 300 });
    const client = clientFor(url, clock);

    await client.getVersion();
    expect(client.stats).toEqual({ logins: 1, refreshes: 0 });

    // 30 s into a 60 s token: still good, used as it is.
    clock.advance(30_000);
    await client.getMonitors();
    expect(client.stats).toEqual({ logins: 1, refreshes: 0 });

    // 50 s: within the last quarter of its life, renewed with the refresh token before it runs out.
    clock.advance(20_000);
    await client.getMonitors();
    expect(client.stats).toEqual({ logins: 1, refreshes: 1 });

    // Well past the access token's own expiry: another refresh, and no call was ever refused.
    clock.advance(55_000);
    await client.getRunStates();
    expect(client.stats).toEqual({ logins: 1, refreshes: 2 });

    // Past the refresh token's expiry: a full login with the password.
    clock.advance(300_000);
    await client.getMonitors();
    expect(client.stats).toEqual({ logins: 2, refreshes: 2 });
    expect(sim.hitCount('/api/host/login.json')).toBe(4);
    // Every call went through with a token the server took: no call had to be repeated.
    expect(sim.hitCount('/api/monitors.json')).toBe(3);
  });

  it('signs in again when a call is refused (the server forgot its tokens), and repeats the call once', async () => {
    const { sim, url, clock } = await startSim();
    const client = clientFor(url, clock);
    await client.getMonitors();
    await sim.restart({ forgetTokens: true });

    const listing = await client.getMonitors();

    expect(listing.monitors).toHaveLength(2);
    expect(client.stats.logins).toBe(2);
    expect(sim.hitCount('/api/monitors.json')).toBe(2 + 1);
  });

  it('signs in once when several calls are refused at the same time', async () => {
    const { sim, url, clock } = await startSim();
    const client = clientFor(url, clock);
    await client.getVersion();
    await sim.restart({ forgetTokens: true });

    await Promise.all([client.getMonitors(), client.getRunStates(), client.getVersion()]);

    expect(client.stats.logins).toBe(2);
  });

  it('logs in with the password when the server refuses the refresh token', async () => {
    const { sim, url, clock } = await startSim({ accessTokenSeconds: 60, refreshTokenSeconds: 3_600 });
    const client = clientFor(url, clock);
    await client.getVersion();
    await sim.restart({ forgetTokens: true });
    clock.advance(55_000);

    await client.getVersion();

    expect(client.stats).toEqual({ logins: 2, refreshes: 1 });
  });

  it('signs in once for many calls made at the same time', async () => {
    const { url, clock } = await startSim();
    const client = clientFor(url, clock);
    await Promise.all([client.getMonitors(), client.getRunStates(), client.getVersion(), client.serverTimeZone()]);
    expect(client.stats.logins).toBe(1);
  });

  it('says plainly when the password is wrong', async () => {
    const { url, clock } = await startSim();
    const error = await failureOf(clientFor(url, clock, { password: 'wrong' }).getMonitors());
    expect(error.failure).toBe('auth');
    expect(error.message).toMatch(/ZoneMinder refused the sign-in .*Check the user name and password/);
  });

  it('works without a user against a server with authentication off, and without tokens in stream URLs', async () => {
    const { url, clock } = await startSim({ auth: false });
    const client = clientFor(url, clock, { user: '', password: '' });

    expect((await client.getMonitors()).monitors.map((m) => m.name)).toEqual(['Front door', 'Back yard']);
    expect(client.authDisabled).toBe(true);
    expect(client.stats.logins).toBe(0);
    const live = new URL(await client.liveStreamUrl(1));
    expect(live.searchParams.has('token')).toBe(false);
  });

  it('works with a user against a server with authentication off: its login answers no token', async () => {
    const { url, clock } = await startSim({ auth: false });
    const client = clientFor(url, clock);
    await client.getVersion();
    expect(client.authDisabled).toBe(true);
  });

  it('asks for a user when the server needs one and none is set', async () => {
    const { url, clock } = await startSim();
    const error = await failureOf(clientFor(url, clock, { user: '', password: '' }).getMonitors());
    expect(error.failure).toBe('auth');
    expect(error.message).toMatch(/asks for a user name and password/);
  });
});

describe('ZoneMinderClient API', () => {
  it('reads monitors of a 1.36 server (Function, numbers as text) and sets their function', async () => {
    const { sim, url, clock } = await startSim({ apiGeneration: '1.36', numbersAsText: true });
    const client = clientFor(url, clock);
    const { monitors, unreadable } = await client.getMonitors();
    expect(unreadable).toEqual([]);
    expect(monitors).toEqual([
      { id: 1, name: 'Front door', function: 'Modect', splitFunction: false, enabled: true, width: 640, height: 360 },
      { id: 2, name: 'Back yard', function: 'Mocord', splitFunction: false, enabled: true, width: 640, height: 360 },
    ]);

    await client.setMonitorFunction(monitors[0]!, 'Record');
    expect(sim.monitorFunction(1)).toBe('Record');
  });

  it('reads monitors of a 1.37 server (Capturing / Analysing / Recording, numbers as numbers) and sets their function', async () => {
    const { sim, url, clock } = await startSim({ apiGeneration: '1.37', numbersAsText: false, monitors: [{ name: 'Drive', function: 'Nodect' }] });
    const client = clientFor(url, clock);
    const [monitor] = (await client.getMonitors()).monitors;
    expect(monitor).toMatchObject({ id: 1, name: 'Drive', function: 'Nodect', splitFunction: true });

    await client.setMonitorFunction(monitor!, 'Mocord');
    expect(sim.monitorFunction(1)).toBe('Mocord');
  });

  it('lists run states and changes the active one', async () => {
    const { sim, url, clock } = await startSim();
    const client = clientFor(url, clock);
    expect(await client.getRunStates()).toEqual([
      { id: 1, name: 'default', active: true },
      { id: 2, name: 'Home', active: false },
      { id: 3, name: 'Away', active: false },
    ]);
    await client.changeRunState('Away');
    expect(sim.runState()).toBe('Away');
    expect((await client.getRunStates()).find((s) => s.active)?.name).toBe('Away');

    expect((await failureOf(client.changeRunState('Holiday'))).failure).toBe('refused');
    expect((await failureOf(client.changeRunState('../host/getVersion'))).message).toMatch(/not a ZoneMinder run state name/);
  });

  it("asks for the server's zone once", async () => {
    const { sim, url, clock } = await startSim({ timeZone: 'Europe/Amsterdam' });
    const client = clientFor(url, clock);
    expect(await client.serverTimeZone()).toBe('Europe/Amsterdam');
    expect(await client.serverTimeZone()).toBe('Europe/Amsterdam');
    expect(sim.hitCount('/api/host/getTimeZone.json')).toBe(1);
  });
});

describe('ZoneMinderClient events', () => {
  it('pages through 1,000 events, and stops at its page bound with a listing that says it is incomplete', async () => {
    const { sim, url, clock } = await startSim();
    for (let i = 0; i < 1_000; i++) sim.addEvent({ monitorId: 1 + (i % 2), start: NOW - (1_000 - i) * MINUTE, end: NOW - (1_000 - i) * MINUTE + 20_000 });
    const client = clientFor(url, clock);

    const all = await client.listEvents({});
    expect(all.complete).toBe(true);
    expect(all.total).toBe(1_000);
    expect(all.events).toHaveLength(1_000);
    expect(new Set(all.events.map((e) => e.id)).size).toBe(1_000);
    expect(all.events.map((e) => e.start)).toEqual(sim.allEvents().map((e) => e.start));
    expect(all.events.every((e, i) => e.end === sim.allEvents()[i]!.end)).toBe(true);
    expect(sim.hitCount('/api/events/index.json')).toBe(1_000 / ZM_PROTOCOL.eventsPerPage);

    const bounded = await client.listEvents({}, { maxPages: 3 });
    expect(bounded).toMatchObject({ complete: false, total: 1_000 });
    expect(bounded.events).toHaveLength(300);

    const page = await client.getEventsPage({ direction: 'desc' }, 2, { perPage: 25 });
    expect(page.pagination).toMatchObject({ page: 2, current: 25, count: 1_000, pageCount: 40 });
    expect(page.events[0]!.id).toBe(1_000 - 25);
  });

  it('filters by monitor, start, end, alarm frames and id, and sorts', async () => {
    const { sim, url, clock } = await startSim();
    const at = (minutes: number) => NOW - minutes * MINUTE;
    const a = sim.addEvent({ monitorId: 1, start: at(60), end: at(59), alarmFrames: 2 });
    const b = sim.addEvent({ monitorId: 2, start: at(50), end: at(45), alarmFrames: 20 });
    const c = sim.addEvent({ monitorId: 1, start: at(40), end: at(39), alarmFrames: 8 });
    const open = sim.addEvent({ monitorId: 1, start: at(5), alarmFrames: 1 });
    const client = clientFor(url, clock);
    const ids = async (query: Parameters<ZoneMinderClient['listEvents']>[0]) => (await client.listEvents(query)).events.map((e) => e.id);

    expect(await ids({ monitorId: 1 })).toEqual([a.id, c.id, open.id]);
    expect(await ids({ startFrom: at(50) })).toEqual([b.id, c.id, open.id]);
    expect(await ids({ endUntil: at(45) })).toEqual([a.id, b.id]);
    expect(await ids({ minAlarmFrames: 8 })).toEqual([b.id, c.id]);
    expect(await ids({ afterId: b.id, sort: 'Id' })).toEqual([c.id, open.id]);
    expect(await ids({ monitorId: 1, direction: 'desc' })).toEqual([open.id, c.id, a.id]);
    expect(await ids({ monitorId: 2, startFrom: at(55), endUntil: at(40), minAlarmFrames: 10 })).toEqual([b.id]);

    const [openEvent] = (await client.listEvents({ afterId: c.id })).events;
    expect(openEvent).toMatchObject({ id: open.id, monitorId: 1, start: at(5), end: null, alarmFrames: 1 });
  });

  it("converts times from the server's zone across spring forward and fall back", async () => {
    // America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
    const { sim, url, clock } = await startSim({ timeZone: 'America/New_York' }, new TestClock(Date.UTC(2026, 10, 2)));
    const times = [
      [Date.UTC(2026, 2, 8, 6, 50), Date.UTC(2026, 2, 8, 7, 10)], // 01:50 EST to 03:10 EDT
      [Date.UTC(2026, 10, 1, 5, 20), Date.UTC(2026, 10, 1, 5, 25)], // 01:20 EDT, first pass
      [Date.UTC(2026, 10, 1, 5, 50), Date.UTC(2026, 10, 1, 6, 10)], // 01:50 EDT to 01:10 EST, across the change
      [Date.UTC(2026, 10, 1, 6, 20), Date.UTC(2026, 10, 1, 6, 30)], // 01:20 EST, second pass
      [Date.UTC(2026, 10, 1, 7, 5), Date.UTC(2026, 10, 1, 7, 6)], // 02:05 EST
    ] as const;
    for (const [start, end] of times) sim.addEvent({ monitorId: 1, start, end });
    const client = clientFor(url, clock);

    const { events } = await client.listEvents({ sort: 'Id' });

    expect(events.map((e) => [e.start, e.end])).toEqual(times);
    expect(events[0]!.end! - events[0]!.start).toBe(20 * MINUTE);
    // Filters name instants: one in the second pass of the repeated hour finds the events of that pass only.
    const second = await client.listEvents({ startFrom: Date.UTC(2026, 10, 1, 6, 15), endUntil: Date.UTC(2026, 10, 1, 6, 45) });
    expect(second.events.map((e) => e.start)).toEqual([Date.UTC(2026, 10, 1, 6, 20)]);
    const upToSecondPass = await client.listEvents({ startFrom: Date.UTC(2026, 10, 1), endUntil: Date.UTC(2026, 10, 1, 6, 15) });
    expect(upToSecondPass.events.map((e) => e.start)).toEqual([Date.UTC(2026, 10, 1, 5, 20), Date.UTC(2026, 10, 1, 5, 50)]);
  });
});

describe('ZoneMinderClient streams', () => {
  it('builds live, snapshot and replay URLs that carry a token the stream server takes', async () => {
    const { sim, url, clock } = await startSim();
    const client = clientFor(url, clock);
    const live = new URL(await client.liveStreamUrl(2, { scale: 50, maxFps: 2 }));
    expect(live.pathname).toBe('/cgi-bin/nph-zms');
    expect(Object.fromEntries(live.searchParams)).toMatchObject({ mode: 'jpeg', monitor: '2', scale: '50', maxfps: '2' });
    expect(live.searchParams.get('token')).toMatch(/^[\w-]{16,}$/);
    expect(Object.fromEntries(new URL(await client.snapshotUrl(1)).searchParams)).toMatchObject({ mode: 'single', monitor: '1' });
    const event = sim.addEvent({ monitorId: 1, start: NOW - MINUTE, end: NOW - MINUTE + 2_000 });
    expect(Object.fromEntries(new URL(await client.eventStreamUrl(event.id)).searchParams)).toMatchObject({ mode: 'jpeg', source: 'event', event: String(event.id) });

    const snapshot = await fetch(await client.snapshotUrl(1));
    expect(snapshot.status).toBe(200);
    expect(snapshot.headers.get('content-type')).toBe('image/jpeg');
    expect([...new Uint8Array(await snapshot.arrayBuffer()).subarray(0, 2)]).toEqual([0xff, 0xd8]);

    const noToken = new URL(await client.snapshotUrl(1));
    noToken.searchParams.set('token', 'forged');
    expect((await fetch(noToken)).status).toBe(401);
  });

  it('reads whole frames of a live stream, and none from a frame cut off half way', async () => {
    const { sim, url, clock } = await startSim();
    sim.setFault({ kind: 'truncate_stream', afterFrames: 2 });
    const client = clientFor(url, clock);

    const response = await fetch(await client.liveStreamUrl(1, { scale: 25, maxFps: 20 }));
    const boundary = boundaryFromContentType(response.headers.get('content-type'));
    expect(boundary).not.toBeNull();
    const parser = new MultipartJpegParser({ boundary: boundary! });
    const frames: Uint8Array[] = [];
    let bytes = 0;
    const reader = response.body!.getReader();
    // Bounded: the stream sends two frames and half of a third, then the simulator cuts it (a read may then reject).
    for (let reads = 0; reads < 1_000; reads++) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) break;
      bytes += chunk.value.byteLength;
      frames.push(...parser.push(chunk.value));
    }

    expect(frames).toHaveLength(2);
    for (const frame of frames) {
      expect([...frame.subarray(0, 2)]).toEqual([0xff, 0xd8]);
      expect([...frame.subarray(-2)]).toEqual([0xff, 0xd9]);
    }
    // The half frame arrived and was held back, never handed out.
    expect(bytes).toBeGreaterThan(frames.reduce((sum, f) => sum + f.byteLength, 0));
    expect(parser.bufferedBytes).toBeGreaterThan(0);
  });
});

describe('ZoneMinderClient failures', () => {
  it('says the server is unreachable when nothing listens', async () => {
    const { sim, url, clock } = await startSim();
    await sim.stop();
    const error = await failureOf(clientFor(url, clock).getMonitors());
    expect(error.failure).toBe('unreachable');
    expect(error.message).toBe('ZoneMinder is unreachable: nothing accepts connections at that address; check that it is running and that the port is right.');
  });

  it('says so when the server answers a server error', async () => {
    const { sim, url, clock } = await startSim();
    sim.setFault({ kind: 'server_error' });
    const error = await failureOf(clientFor(url, clock).getMonitors());
    expect(error.failure).toBe('unreachable');
    expect(error.message).toMatch(/server error \(500\)/);
  });

  it('calls malformed JSON and HTML a protocol error, and quotes neither a token nor a password', async () => {
    const { sim, url, clock } = await startSim();
    const client = clientFor(url, clock);
    await client.getVersion();
    sim.setFault({ kind: 'malformed_json' });
    const malformed = await failureOf(client.getMonitors());
    expect(malformed.failure).toBe('protocol');
    expect(malformed.message).toMatch(/not JSON/);
    sim.setFault({ kind: 'non_json' });
    const html = await failureOf(client.getMonitors());
    expect(html.failure).toBe('protocol');
    expect(html.message).toMatch(/Check that the address is ZoneMinder's/);
    for (const message of [malformed.message, html.message]) {
      expect(message).not.toContain('token=');
      expect(message).not.toContain(PASSWORD);
    }
  });

  it('refuses payloads that break the bounds: a monitor row is unreadable, a bad pagination block is a protocol error', async () => {
    const clock = new TestClock(NOW);
    const monitors = await fakeServer(
      200,
      JSON.stringify({ monitors: [{ Monitor: { Id: '1', Name: 'x'.repeat(300), Function: 'Modect', Enabled: '1' } }, { Monitor: { Id: '2', Name: 'Ok', Function: 'Dance', Enabled: '1' } }, { Monitor: { Id: '3', Name: 'Fine', Function: 'Monitor', Enabled: '0' } }] }),
    );
    const listing = await new ZoneMinderClient({ baseUrl: monitors, clock }).getMonitors();
    expect(listing.monitors.map((m) => m.id)).toEqual([3]);
    expect(listing.unreadable.map((u) => u.id)).toEqual(['1', '2']);

    const deep = await fakeServer(200, `{"monitors":${'['.repeat(100)}${']'.repeat(100)}}`);
    expect((await failureOf(new ZoneMinderClient({ baseUrl: deep, clock }).getMonitors())).message).toMatch(/nested deeper/);

    const badPaging = await fakeServer(200, JSON.stringify({ tz: 'UTC', events: [], pagination: { page: 'one' } }));
    expect((await failureOf(new ZoneMinderClient({ baseUrl: badPaging, clock }).listEvents({}))).message).toMatch(/pagination/);

    const badZone = await fakeServer(200, JSON.stringify({ tz: 'Mars/Olympus_Mons' }));
    expect((await failureOf(new ZoneMinderClient({ baseUrl: badZone, clock }).serverTimeZone())).failure).toBe('protocol');
  });

  it('lists an event it cannot read as unreadable, with its id, and keeps the rest of the page', async () => {
    const clock = new TestClock(NOW);
    const pagination = { page: 1, current: 3, count: 3, pageCount: 1 };
    const events = [
      { Event: { Id: '7', MonitorId: '1', StartDateTime: '2026-05-10 11:00:00', EndDateTime: '2026-05-10 11:00:30', Length: '30.00', AlarmFrames: '4' } },
      { Event: { Id: '8', MonitorId: '1', StartDateTime: 'yesterday', EndDateTime: null } },
      { Event: { Id: '9', MonitorId: '1', StartDateTime: '2026-05-10 11:05:00', EndDateTime: '0000-00-00 00:00:00', Cause: 'x'.repeat(5_000) } },
    ];
    const url = await fakeServer(200, JSON.stringify({ tz: 'UTC', events, pagination }));
    const listing = await new ZoneMinderClient({ baseUrl: url, clock }).listEvents({});
    expect(listing.events.map((e) => [e.id, e.start, e.end])).toEqual([
      [7, Date.UTC(2026, 4, 10, 11, 0, 0), Date.UTC(2026, 4, 10, 11, 0, 30)],
      [9, Date.UTC(2026, 4, 10, 11, 5, 0), null],
    ]);
    expect(listing.events[1]!.cause!.length).toBeLessThanOrEqual(256);
    expect(listing.unreadable).toEqual([{ id: '8', reason: expect.stringMatching(/StartDateTime/) }]);

    const overfull = await fakeServer(200, JSON.stringify({ tz: 'UTC', events: Array.from({ length: 101 }, () => events[0]), pagination }));
    expect((await failureOf(new ZoneMinderClient({ baseUrl: overfull, clock }).listEvents({}))).message).toMatch(/101 events on a page of 100/);
  });

  it('refuses an address that is not http(s)', () => {
    expect(() => new ZoneMinderClient({ baseUrl: 'ftp://nvr/zm', clock: new TestClock() })).toThrow(/not an http:\/\/ or https:\/\/ address/);
  });
});
