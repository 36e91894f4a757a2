import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MonitorHealth } from '../../../../src-shared/enums';
import { AlarmLevel, AlarmSource } from '../../../../src-shared/enums/alert';
import { SecurityState } from '../../../../src-shared/enums/security';
import type { SettingValue } from '../../../../src-shared/model/settings';
import { call, callFails, rows } from '../../../test-support/home-helpers';
import { createTestHub, makeTempDir, TestClock, type TestHub } from '../../../test-support/test-hub';
import type { Alarm } from '../../alert/transient-models';
import { OutboxStatus } from '../enums';
import { NOTIFY_MONITOR_NAME } from '../monitors';
import { FIRST_RETRY_DELAY_MS, GIVE_UP_AFTER_MS, MAX_RETRY_DELAY_MS } from '../notify-manager';
import { MAX_ALERTS_PER_MAIL, type OutboxRow } from '../models';
import { SmtpTestServer } from './smtp-test-server';

// 12:00 in the home's default time zone (the test hub's machine zone, America/Chicago).
const START = Date.UTC(2026, 0, 15, 18);
const SECOND = 1000;
const WINDOW_MS = 60 * SECOND;
const BASE_URL = 'http://hub.lan:8411';
const FROM = 'panel@home.test';
const TO = 'owner@home.test, partner@home.test';
const CREDENTIALS = { user: 'panel', password: 'correct horse' };

let hubs: TestHub[] = [];
let servers: SmtpTestServer[] = [];

afterEach(async () => {
  for (const t of hubs) await t.close();
  for (const server of servers) await server.close();
  hubs = [];
  servers = [];
});

async function smtpServer(options: Parameters<typeof SmtpTestServer.start>[0] = {}): Promise<SmtpTestServer> {
  const server = await SmtpTestServer.start(options);
  servers.push(server);
  return server;
}

async function hubAt(at = START, options: { dataDir?: string; baseUrl?: string | null } = {}): Promise<TestHub> {
  const t = await createTestHub({
    clock: new TestClock(at),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    runtime: { baseUrlForEmailLinks: options.baseUrl === undefined ? BASE_URL : options.baseUrl },
  });
  hubs.push(t);
  return t;
}

async function setNotify(t: TestHub, key: string, value: SettingValue): Promise<void> {
  await call(t, 'settings.update', { subsystem: 'notify', key, value });
}

/** Mail set up for `server` and switched on; the hub in Away. */
async function configure(t: TestHub, server: SmtpTestServer, options: { signIn?: boolean } = {}): Promise<void> {
  await setNotify(t, 'smtp_host', '127.0.0.1');
  await setNotify(t, 'smtp_port', server.port);
  await setNotify(t, 'smtp_security', 'none');
  await setNotify(t, 'from_address', FROM);
  await setNotify(t, 'recipients', TO);
  if (options.signIn) {
    await setNotify(t, 'smtp_user', CREDENTIALS.user);
    await setNotify(t, 'smtp_password', CREDENTIALS.password);
  }
  await setNotify(t, 'enabled', true);
  await call(t, 'security.set', { state: SecurityState.AWAY.value });
}

function alarm(t: TestHub, n: number, overrides: Partial<Alarm> = {}): Alarm {
  return {
    source: AlarmSource.EVENT,
    type: `event-${n}`,
    level: AlarmLevel.CRITICAL,
    title: `Motion in room ${n}`,
    details: `Room ${n} motion: Detected`,
    entityIds: [n],
    at: t.clock.now(),
    lifetimeMs: null,
    ...overrides,
  };
}

const outbox = (t: TestHub): OutboxRow[] => rows<OutboxRow>(t, 'mail_outbox');

/** Moves the clock to `until`, letting the outbox finish each run it starts on the way (bounded). */
async function runOutboxUntil(t: TestHub, until: number, maxSteps = 200): Promise<void> {
  await t.hub.notify.idle();
  for (let step = 0; step < maxSteps; step += 1) {
    const due = outbox(t)
      .filter((r) => r.status_str === OutboxStatus.PENDING.value)
      .map((r) => r.next_attempt_at)
      .sort((a, b) => a - b)[0];
    if (due === undefined || due > until) break;
    t.scheduler.runUntil(Math.max(due, t.clock.now()));
    await t.hub.notify.idle();
  }
  t.scheduler.runUntil(until);
  await t.hub.notify.idle();
}

function monitorStatus(t: TestHub) {
  const status = t.hub.monitors.get(NOTIFY_MONITOR_NAME)?.status();
  if (!status) throw new Error('the e-mail monitor is not registered');
  return status;
}

/** A port on 127.0.0.1 with nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('e-mail for alerts', () => {
  it('gathers a storm of new alerts into one mail per batch window, each with a link that opens it on the panel', async () => {
    const server = await smtpServer();
    const t = await hubAt();
    await configure(t, server);
    const opened: number[] = [];
    for (let n = 1; n <= 10; n += 1) {
      t.clock.advance(SECOND);
      opened.push(t.hub.alerts.raise(alarm(t, n))!.id);
    }
    // Alarms that join an open alert are not new alerts, but its count in the mail grows with them.
    t.hub.alerts.raise(alarm(t, 1));
    t.hub.alerts.raise(alarm(t, 1));
    await t.hub.notify.idle();
    expect(outbox(t)).toHaveLength(1);
    expect(server.received).toHaveLength(0);

    await runOutboxUntil(t, START + SECOND + WINDOW_MS);
    const [mail] = await server.waitForMail(1);
    expect(server.received).toHaveLength(1);
    expect(mail!.from).toBe(FROM);
    expect(mail!.to).toEqual(['owner@home.test', 'partner@home.test']);
    expect(mail!.parsed.subject).toBe('Home Information – 10 new alerts – Critical: Motion in room 1 (3) and 9 more');
    const text = mail!.parsed.text ?? '';
    expect(text).toContain('10 new alerts at home:');
    for (let n = 1; n <= 10; n += 1) expect(text).toContain(`Critical – Motion in room ${n}${n === 1 ? ' (3)' : ''}\n`);
    // Times are given in the home's time zone.
    expect(text).toContain('Opened Thu, Jan 15, 2026, 12:00 CST');
    const links = [...text.matchAll(/Open on the panel: (\S+)/g)].map((m) => m[1]);
    expect(links).toEqual(opened.map((id) => `${BASE_URL}/#/alert/${id}`));
    const html = typeof mail!.parsed.html === 'string' ? mail!.parsed.html : '';
    for (const id of opened) expect(html).toContain(`<a href="${BASE_URL}/#/alert/${id}">`);
    expect(outbox(t)).toHaveLength(0);

    // The next new alert opens the next window: a second mail, not one per alarm.
    t.clock.advance(10 * SECOND);
    t.hub.alerts.raise(alarm(t, 11, { level: AlarmLevel.WARNING, title: 'Battery low <kitchen>' }));
    await runOutboxUntil(t, t.clock.now() + WINDOW_MS);
    const second = (await server.waitForMail(2))[1]!;
    expect(second.parsed.subject).toBe('Home Information – Warning: Battery low <kitchen>');
    expect(typeof second.parsed.html === 'string' ? second.parsed.html : '').toContain('Battery low &lt;kitchen&gt;');
  });

  it('bounds one mail in a storm past the live-alert cap: the first alerts listed, the rest counted', async () => {
    const server = await smtpServer();
    const t = await hubAt();
    await configure(t, server);
    for (let n = 1; n <= MAX_ALERTS_PER_MAIL + 15; n += 1) t.hub.alerts.raise(alarm(t, n));
    await runOutboxUntil(t, START + WINDOW_MS);
    const [mail] = await server.waitForMail(1);
    expect(server.received).toHaveLength(1);
    expect(mail!.parsed.subject).toContain(`${MAX_ALERTS_PER_MAIL + 15} new alerts`);
    expect([...(mail!.parsed.text ?? '').matchAll(/Open on the panel:/g)]).toHaveLength(MAX_ALERTS_PER_MAIL);
    expect(mail!.parsed.text).toContain('…and 15 more; the panel lists them all.');
  });

  it('marks an unreadable outbox row failed and goes on with the others', async () => {
    const server = await smtpServer();
    const t = await hubAt();
    await configure(t, server);
    t.hub.store.sqlite
      .prepare(`insert into mail_outbox (created_at, status_str, content_json, next_attempt_at) values (?, 'pending', '{"alerts": "?"}', ?)`)
      .run(START, START);
    t.hub.alerts.raise(alarm(t, 1));
    await runOutboxUntil(t, START + WINDOW_MS);
    await server.waitForMail(1);
    expect(outbox(t)).toMatchObject([{ status_str: 'failed', last_error: 'The mail in the outbox could not be read.' }]);
  });

  it('keeps new alerts whose outbox write failed and writes them a minute later', async () => {
    const server = await smtpServer();
    const t = await hubAt();
    await configure(t, server);
    const { sqlite } = t.hub.store;
    sqlite.exec(`create temp trigger refuse_mail before insert on mail_outbox begin select raise(abort, 'database is busy'); end`);
    t.hub.alerts.raise(alarm(t, 1));
    await t.hub.notify.idle();
    expect(outbox(t)).toHaveLength(0);

    sqlite.exec('drop trigger refuse_mail');
    await runOutboxUntil(t, START + 60 * SECOND);
    expect(outbox(t)).toHaveLength(1);
    await runOutboxUntil(t, START + 60 * SECOND + WINDOW_MS);
    const [mail] = await server.waitForMail(1);
    expect(mail!.parsed.subject).toBe('Home Information – Critical: Motion in room 1');
  });

  it('mails only in the security modes that notify (Away by default) and only when switched on', async () => {
    const server = await smtpServer();
    const t = await hubAt();
    await configure(t, server);
    await call(t, 'security.set', { state: SecurityState.DAY.value });
    t.hub.alerts.raise(alarm(t, 1));
    await call(t, 'security.set', { state: SecurityState.NIGHT.value });
    t.hub.alerts.raise(alarm(t, 2));
    await setNotify(t, 'enabled', false);
    await call(t, 'security.set', { state: SecurityState.AWAY.value });
    t.hub.alerts.raise(alarm(t, 3));
    await runOutboxUntil(t, START + 2 * WINDOW_MS);
    expect(outbox(t)).toHaveLength(0);
    expect(server.received).toHaveLength(0);

    await setNotify(t, 'enabled', true);
    await setNotify(t, 'notify_when_night', true);
    await call(t, 'security.set', { state: SecurityState.NIGHT.value });
    t.hub.alerts.raise(alarm(t, 4));
    await runOutboxUntil(t, t.clock.now() + WINDOW_MS);
    const [mail] = await server.waitForMail(1);
    expect(mail!.parsed.subject).toBe('Home Information – Critical: Motion in room 4');
  });

  it('sends no links without HI_BASE_URL_FOR_EMAIL_LINKS', async () => {
    const server = await smtpServer();
    const t = await hubAt(START, { baseUrl: null });
    await configure(t, server);
    t.hub.alerts.raise(alarm(t, 1));
    await runOutboxUntil(t, START + WINDOW_MS);
    const [mail] = await server.waitForMail(1);
    expect(mail!.parsed.text).toContain('Critical – Motion in room 1');
    expect(mail!.parsed.text).not.toMatch(/https?:|Open on the panel/);
    expect(mail!.parsed.html).not.toContain('<a ');
  });

  it('retries a refused mail with growing waits, shows it in health, and sends it once the server takes it', async () => {
    const server = await smtpServer();
    server.refuseWith = { code: 451, text: '4.3.0 Mailbox busy, try again later' };
    const t = await hubAt();
    await configure(t, server);
    t.hub.alerts.raise(alarm(t, 1));
    await runOutboxUntil(t, START + WINDOW_MS);

    const firstTry = START + WINDOW_MS;
    expect(outbox(t)).toMatchObject([{ attempts: 1, status_str: 'pending', last_attempt_at: firstTry, next_attempt_at: firstTry + FIRST_RETRY_DELAY_MS }]);
    expect(outbox(t)[0]!.last_error).toBe('The mail server refused the sender or a recipient: 451 4.3.0 Mailbox busy, try again later');
    const problem = t.hub.notify.healthProblem();
    expect(problem).toBe(
      'E-mail is failing (1 mail waiting): The mail server refused the sender or a recipient: 451 4.3.0 Mailbox busy, try again later. Next try at 12:01.',
    );
    await vi.waitFor(() => expect(monitorStatus(t)).toMatchObject({ health: MonitorHealth.ERROR.value, lastError: problem }));

    // Not before its time; then each wait doubles.
    await runOutboxUntil(t, firstTry + FIRST_RETRY_DELAY_MS - 1);
    expect(outbox(t)[0]!.attempts).toBe(1);
    await runOutboxUntil(t, firstTry + FIRST_RETRY_DELAY_MS);
    expect(outbox(t)[0]).toMatchObject({ attempts: 2, next_attempt_at: firstTry + FIRST_RETRY_DELAY_MS + 2 * FIRST_RETRY_DELAY_MS });
    await runOutboxUntil(t, outbox(t)[0]!.next_attempt_at);
    expect(outbox(t)[0]).toMatchObject({ attempts: 3 });
    expect(outbox(t)[0]!.next_attempt_at - outbox(t)[0]!.last_attempt_at!).toBe(4 * FIRST_RETRY_DELAY_MS);
    expect(server.received).toHaveLength(0);

    server.refuseWith = null;
    await runOutboxUntil(t, outbox(t)[0]!.next_attempt_at);
    const [mail] = await server.waitForMail(1);
    expect(mail!.parsed.subject).toBe('Home Information – Critical: Motion in room 1');
    expect(outbox(t)).toHaveLength(0);
    expect(t.hub.notify.healthProblem()).toBeNull();
    await vi.waitFor(() => expect(monitorStatus(t)).toMatchObject({ health: MonitorHealth.OK.value, lastError: null }));
  });

  it('gives a mail up after a day of refusals, waiting at most an hour between tries, and says so in health', async () => {
    const server = await smtpServer();
    server.refuseWith = { code: 550, text: '5.7.1 Relaying denied' };
    const t = await hubAt();
    await configure(t, server);
    t.hub.alerts.raise(alarm(t, 1));
    await runOutboxUntil(t, START + WINDOW_MS + GIVE_UP_AFTER_MS + WINDOW_MS);

    const [row] = outbox(t);
    expect(row).toMatchObject({ status_str: 'failed', last_error: 'The mail server refused the sender or a recipient: 550 5.7.1 Relaying denied' });
    // 30 s doubling to the one-hour cap: about thirty tries in the day, none after it.
    expect(row!.attempts).toBeGreaterThan(20);
    expect(row!.attempts).toBeLessThan(40);
    expect(row!.last_attempt_at! - row!.created_at).toBeLessThan(GIVE_UP_AFTER_MS);
    expect(row!.last_attempt_at! - row!.created_at).toBeGreaterThan(GIVE_UP_AFTER_MS - 2 * MAX_RETRY_DELAY_MS);
    expect(t.hub.notify.healthProblem()).toBe('1 mail was given up: The mail server refused the sender or a recipient: 550 5.7.1 Relaying denied.');

    // A later mail that goes through clears the health; the given-up one stays on record.
    server.refuseWith = null;
    t.hub.alerts.raise(alarm(t, 2));
    await runOutboxUntil(t, t.clock.now() + WINDOW_MS);
    await server.waitForMail(1);
    expect(t.hub.notify.healthProblem()).toBeNull();
    expect(outbox(t).map((r) => r.status_str)).toEqual(['failed']);
  });

  it('loses no mail across a restart: the outbox is sent by the next start', async () => {
    const server = await smtpServer({ credentials: CREDENTIALS });
    const dataDir = makeTempDir('hi-notify-restart-');
    const first = await createTestHub({ dataDir, clock: new TestClock(START), runtime: { baseUrlForEmailLinks: BASE_URL } });
    hubs.push(first);
    await configure(first, server, { signIn: true });
    const alertId = first.hub.alerts.raise(alarm(first, 1))!.id;
    await first.hub.notify.idle();
    expect(outbox(first)).toHaveLength(1);
    // Stopped inside the batch window: nothing was sent yet.
    await first.stop();
    expect(server.received).toHaveLength(0);

    const second = await hubAt(START + 5 * WINDOW_MS, { dataDir });
    await second.hub.notify.idle();
    const [mail] = await server.waitForMail(1);
    expect(mail!.parsed.subject).toBe('Home Information – Critical: Motion in room 1');
    expect(mail!.parsed.text).toContain(`${BASE_URL}/#/alert/${alertId}`);
    expect(outbox(second)).toHaveLength(0);
  });

  it('sends a test e-mail at once with sign-in, and answers the server’s refusal in plain words', async () => {
    const server = await smtpServer({ credentials: CREDENTIALS });
    const t = await hubAt();
    expect(await call(t, 'notify.test', {})).toEqual({ ok: false, message: 'Set the mail server first.' });
    await configure(t, server, { signIn: true });
    await setNotify(t, 'enabled', false);

    // Switched off, the test still goes: it is how the settings are checked before switching on.
    expect(await call(t, 'notify.test', {})).toEqual({ ok: true, message: 'Sent a test e-mail to owner@home.test, partner@home.test.' });
    const [mail] = await server.waitForMail(1);
    expect(mail!.parsed.subject).toBe('Home Information – test e-mail');
    expect(mail!.parsed.text).toContain('New alerts are mailed in: Away.');
    expect(outbox(t)).toHaveLength(0);

    await setNotify(t, 'smtp_password', 'wrong');
    const refused = await call(t, 'notify.test', {});
    expect(refused).toEqual({ ok: false, message: 'The mail server refused the sign-in: 535 5.7.8 Authentication credentials invalid' });

    // A changed port would withhold the password: this server is tried without a sign-in.
    await setNotify(t, 'smtp_user', '');
    await setNotify(t, 'smtp_port', await closedPort());
    const unreachable = await call(t, 'notify.test', {});
    expect(unreachable.ok).toBe(false);
    expect(unreachable.message).toMatch(/^The mail server at 127\.0\.0\.1:\d+ refused the connection/);
  });

  it('sends a saved password only to the server it was saved for', async () => {
    const server = await smtpServer({ credentials: CREDENTIALS });
    const t = await hubAt();
    await configure(t, server, { signIn: true });
    expect((await call(t, 'notify.test', {})).ok).toBe(true);

    // Another name for a server is another server: the password waits to be entered again.
    await setNotify(t, 'smtp_host', 'localhost');
    expect(await call(t, 'notify.test', {})).toEqual({
      ok: false,
      message: 'Enter the password again: a saved password is only sent to the mail server it was saved for.',
    });
    expect(server.received).toHaveLength(1);
    await setNotify(t, 'smtp_host', '127.0.0.1');
    await setNotify(t, 'smtp_password', CREDENTIALS.password);
    expect((await call(t, 'notify.test', {})).ok).toBe(true);
    expect(server.received).toHaveLength(2);
  });

  it('keeps the password binding across a restart', async () => {
    const server = await smtpServer({ credentials: CREDENTIALS });
    const dataDir = makeTempDir('hi-notify-binding-');
    const first = await createTestHub({ dataDir, clock: new TestClock(START) });
    hubs.push(first);
    await configure(first, server, { signIn: true });
    await first.hub.notify.idle();
    await first.stop();
    const second = await hubAt(START + SECOND, { dataDir });
    expect((await call(second, 'notify.test', {})).ok).toBe(true);
  });

  it('tries failing mail again at once when the settings change', async () => {
    const server = await smtpServer({ credentials: CREDENTIALS });
    const t = await hubAt();
    await configure(t, server, { signIn: true });
    await setNotify(t, 'smtp_password', 'wrong');
    t.hub.alerts.raise(alarm(t, 1));
    await runOutboxUntil(t, START + WINDOW_MS);
    expect(outbox(t)[0]).toMatchObject({ attempts: 1, last_error: 'The mail server refused the sign-in: 535 5.7.8 Authentication credentials invalid' });

    await setNotify(t, 'smtp_password', CREDENTIALS.password);
    await t.hub.notify.idle();
    await server.waitForMail(1);
    expect(outbox(t)).toHaveLength(0);
    expect(t.clock.now()).toBe(START + WINDOW_MS);
  });

  it('refuses addresses that are not e-mail addresses, naming the bad one', async () => {
    const t = await hubAt();
    const error = await callFails(t, 'settings.update', { subsystem: 'notify', key: 'recipients', value: 'owner@home.test, owner at home' });
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe("To: 'owner' is not an e-mail address such as home@example.com.");
    expect((await callFails(t, 'settings.update', { subsystem: 'notify', key: 'from_address', value: 'a@home.test b@home.test' })).message).toBe(
      'From: Must be one e-mail address.',
    );
    await setNotify(t, 'recipients', 'owner@home.test;partner@home.test');
    const section = (await call(t, 'settings.sections.get', {})).find((s) => s.subsystem === 'notify');
    expect(section?.settings.find((s) => s.key === 'recipients')?.value).toBe('owner@home.test, partner@home.test');
    // The password never reaches a panel.
    await setNotify(t, 'smtp_password', CREDENTIALS.password);
    const password = (await call(t, 'settings.sections.get', {})).find((s) => s.subsystem === 'notify')?.settings.find((s) => s.key === 'smtp_password');
    expect(password).toMatchObject({ value: null, hasValue: true });
  });
});
