import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { boundaryFromContentType, MultipartJpegParser } from '../../../src-shared/mjpeg/multipart-parser';
import { TestClock } from '../../test-support/test-hub';
import { ZmSimulator, type ZmSimulatorOptions } from '../zm-simulator';

const USER = 'admin';
const PASSWORD = 'secret';

/** Polls (every 20 ms, at most `timeoutMs`) until `condition` holds. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads a multipart stream to its end (at most `maxReads` reads), answering the whole frames in it. */
async function readFrames(response: Response, maxReads = 2_000): Promise<number> {
  const parser = new MultipartJpegParser({ boundary: boundaryFromContentType(response.headers.get('content-type'))! });
  const reader = response.body!.getReader();
  let frames = 0;
  for (let reads = 0; reads < maxReads; reads++) {
    const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
    if (chunk.done) break;
    frames += parser.push(chunk.value).length;
  }
  return frames;
}

describe('ZmSimulator', () => {
  let clock: TestClock;
  let sim: ZmSimulator;
  let url: string;

  async function start(options: Partial<ZmSimulatorOptions> = {}): Promise<void> {
    sim = new ZmSimulator({ user: USER, password: PASSWORD, clock, ...options });
    url = (await sim.start()).url;
  }

  async function login(): Promise<{ access_token: string; refresh_token: string; access_token_expires: number }> {
    const response = await fetch(`${url}/api/host/login.json`, { method: 'POST', body: new URLSearchParams({ user: USER, pass: PASSWORD }) });
    expect(response.status).toBe(200);
    return (await response.json()) as { access_token: string; refresh_token: string; access_token_expires: number };
  }

  const api = (path: string, token: string, init?: RequestInit) => fetch(`${url}/api/${path}${path.includes('?') ? '&' : '?'}token=${token}`, init);

  beforeEach(() => {
    clock = new TestClock(Date.UTC(2026, 2, 8, 6, 0, 0));
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('hands out tokens that expire, refreshes with the refresh token only, and refuses the wrong password', async () => {
    await start({ accessTokenSeconds: 10, refreshTokenSeconds: 100 });
    const tokens = await login();
    expect(tokens).toMatchObject({ version: '1.36.33', apiversion: '2.0', access_token_expires: 10, refresh_token_expires: 100 });
    expect((await api('monitors.json', tokens.access_token)).status).toBe(200);
    // A refresh token is no access token.
    expect((await api('monitors.json', tokens.refresh_token)).status).toBe(401);

    clock.advance(10_000);
    expect((await api('monitors.json', tokens.access_token)).status).toBe(401);
    const refreshed = await fetch(`${url}/api/host/login.json`, { method: 'POST', body: new URLSearchParams({ token: tokens.refresh_token }) });
    const body = (await refreshed.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'access_token_expires', 'apiversion', 'version']);
    expect((await api('monitors.json', body.access_token as string)).status).toBe(200);

    const wrong = await fetch(`${url}/api/host/login.json`, { method: 'POST', body: new URLSearchParams({ user: USER, pass: 'nope' }) });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ success: false, data: { name: expect.any(String) } });
  });

  it('answers without tokens when authentication is off', async () => {
    await start({ auth: false });
    const login = (await (await fetch(`${url}/api/host/login.json`, { method: 'POST' })).json()) as Record<string, unknown>;
    expect(login).toEqual({ version: '1.36.33', apiversion: '2.0' });
    expect((await fetch(`${url}/api/monitors.json`)).status).toBe(200);
    expect((await fetch(`${url}/cgi-bin/nph-zms?mode=single&monitor=1`)).status).toBe(200);
  });

  it('writes event times as wall times in the server zone, and filters, sorts and pages like CakePHP', async () => {
    await start({ timeZone: 'America/New_York' });
    // 06:30Z is 01:30 EST; 07:30Z is 03:30 EDT: the clocks jumped over 02:00-03:00 in between.
    sim.addEvent({ monitorId: 1, start: Date.UTC(2026, 2, 8, 6, 30), end: Date.UTC(2026, 2, 8, 6, 31) });
    sim.addEvent({ monitorId: 2, start: Date.UTC(2026, 2, 8, 7, 30), end: Date.UTC(2026, 2, 8, 7, 32), alarmFrames: 12 });
    for (let i = 0; i < 148; i++) sim.addEvent({ monitorId: 1, start: Date.UTC(2026, 2, 8, 8) + i * 60_000, end: Date.UTC(2026, 2, 8, 8) + i * 60_000 + 5_000 });
    const { access_token: token } = await login();

    const page = (await (await api('events/index/MonitorId:2.json', token)).json()) as { events: Array<{ Event: Record<string, unknown> }>; pagination: Record<string, unknown> };
    expect(page.events).toHaveLength(1);
    expect(page.events[0]!.Event).toMatchObject({ Id: '2', MonitorId: '2', StartDateTime: '2026-03-08 03:30:00', EndDateTime: '2026-03-08 03:32:00', StartTime: '2026-03-08 03:30:00', Length: '120.00', AlarmFrames: '12' });

    const filtered = (await (await api(`events/index/${encodeURIComponent('StartTime <=')}:${encodeURIComponent('2026-03-08 03:30:00')}.json`, token)).json()) as { events: Array<{ Event: { Id: string } }> };
    expect(filtered.events.map((e) => e.Event.Id)).toEqual(['1', '2']);

    // Paging only when asked; the limit is capped at 100, as CakePHP's paginator caps it.
    expect(((await (await api('events.json', token)).json()) as { events: unknown[] }).events).toHaveLength(150);
    const second = (await (await api('events/index.json?limit=500&page=2&sort=Id&direction=desc', token)).json()) as { events: Array<{ Event: { Id: string } }>; pagination: Record<string, unknown> };
    expect(second.pagination).toMatchObject({ page: 2, current: 50, count: 150, pageCount: 2, limit: 100, nextPage: false, prevPage: true });
    expect(second.events[0]!.Event.Id).toBe('50');
    expect((await api('events/index.json?limit=100&page=3', token)).status).toBe(404);

    const badOperator = await api(`events/index/${encodeURIComponent('Id OR')}:1.json`, token);
    expect(badOperator.status).toBe(500);
    expect(await badOperator.json()).toMatchObject({ data: { message: 'Invalid operator: OR' } });
  });

  it('opens and closes events through its control API, and motion closes by itself', async () => {
    await start();
    const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const opened = (await (await post('/sim/events', { monitorId: 2 })).json()) as { id: number; end: number | null };
    expect(opened.end).toBeNull();
    const closed = (await (await post(`/sim/events/${opened.id}/close`, {})).json()) as { end: number | null };
    expect(closed.end).not.toBeNull();
    expect((await post(`/sim/events/${opened.id}/close`, {})).status).toBe(400);
    expect((await post('/sim/events', { monitorId: 9 })).status).toBe(400);
    // A form post cannot reach it.
    expect((await fetch(`${url}/sim/events`, { method: 'POST', body: new URLSearchParams({ monitorId: '1' }) })).status).toBe(415);

    const motion = (await (await post('/sim/motion', { monitorId: 1, seconds: 0.05 })).json()) as { id: number };
    await waitFor(() => sim.allEvents().find((e) => e.id === motion.id)?.end !== null, 'the motion to end');
  });

  it('sets the function through Function on 1.36 and through the three columns on 1.37', async () => {
    await start({ apiGeneration: '1.37', numbersAsText: false });
    const { access_token: token } = await login();
    const monitors = (await (await api('monitors.json', token)).json()) as { monitors: Array<{ Monitor: Record<string, unknown> }> };
    expect(monitors.monitors[0]!.Monitor).toMatchObject({ Id: 1, Capturing: 'Always', Analysing: 'Always', Recording: 'OnMotion' });
    expect(monitors.monitors[0]!.Monitor).not.toHaveProperty('Function');

    // 1.37 ignores Function, as its model does.
    await api('monitors/1.json', token, { method: 'POST', body: new URLSearchParams({ 'Monitor[Function]': 'None' }) });
    expect(sim.monitorFunction(1)).toBe('Modect');
    const saved = await api('monitors/1.json', token, { method: 'POST', body: new URLSearchParams({ 'Monitor[Analysing]': 'None', 'Monitor[Recording]': 'Always' }) });
    expect(await saved.json()).toEqual({ message: 'Saved' });
    expect(sim.monitorFunction(1)).toBe('Record');
  });

  it('streams MJPEG only with a valid token, drops streams on request, and keeps tokens over a restart unless told', async () => {
    await start();
    const { access_token: token } = await login();
    expect((await fetch(`${url}/cgi-bin/nph-zms?mode=jpeg&monitor=1`)).status).toBe(401);
    expect((await fetch(`${url}/cgi-bin/nph-zms?mode=jpeg&monitor=1&token=forged`)).status).toBe(401);

    sim.setFault({ kind: 'drop_stream', afterFrames: 3 });
    const dropped = await fetch(`${url}/cgi-bin/nph-zms?mode=jpeg&monitor=1&scale=25&maxfps=30&token=${token}`);
    expect(dropped.status).toBe(200);
    expect(await readFrames(dropped)).toBe(3);

    sim.setFault(null);
    const live = await fetch(`${url}/cgi-bin/nph-zms?mode=jpeg&monitor=2&scale=25&maxfps=30&token=${token}`);
    await waitFor(() => sim.openStreams() === 1, 'the stream to open');
    const reading = readFrames(live);
    expect(sim.dropStreams()).toBe(1);
    expect(await reading).toBeGreaterThanOrEqual(0);
    expect(sim.openStreams()).toBe(0);

    const event = sim.addEvent({ monitorId: 1, start: clock.now() - 1_000, end: clock.now() });
    const replay = await fetch(`${url}/cgi-bin/nph-zms?mode=jpeg&source=event&event=${event.id}&scale=25&maxfps=30&token=${token}`);
    expect(await readFrames(replay)).toBe(5);

    await sim.restart();
    expect((await api('monitors.json', token)).status).toBe(200);
    await sim.restart({ forgetTokens: true });
    expect((await api('monitors.json', token)).status).toBe(401);
  });

  it('injects faults: server error, malformed JSON, HTML and slow answers', async () => {
    await start();
    const { access_token: token } = await login();
    sim.setFault({ kind: 'server_error' });
    expect((await api('monitors.json', token)).status).toBe(500);
    sim.setFault({ kind: 'malformed_json' });
    const malformed = await api('monitors.json', token);
    expect(malformed.headers.get('content-type')).toMatch(/application\/json/);
    await expect(malformed.json()).rejects.toThrow();
    sim.setFault({ kind: 'non_json' });
    expect((await api('monitors.json', token)).headers.get('content-type')).toMatch(/text\/html/);
    sim.setFault({ kind: 'slow', delayMs: 50 });
    expect((await api('monitors.json', token)).status).toBe(200);
  });
});
