import type { Kysely } from 'kysely';
import { SecurityState } from '../../../src-shared/enums/security';
import type { AlertView } from '../../../src-shared/model/alert';
import { isValidTimezone, splitEmailAddresses, type SettingView } from '../../../src-shared/model/settings';
import type { EventBus } from '../../ipc/event-bus';
import type { Database } from '../../store/schema';
import { AsyncMutex } from '../../util/async-mutex';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import type { Scheduler } from '../../util/scheduler';
import type { AlertManager } from '../alert/alert-manager';
import type { SettingsManager } from '../config/settings-manager';
import type { SettingKey } from '../config/setting-declaration';
import { consoleSettings } from '../console/settings';
import { OutboxStatus, SmtpSecurity } from './enums';
import { composeAlertMail, composeTestMail, type ComposedMail } from './mail-composer';
import {
  deleteOutboxMail,
  dueOutboxMail,
  insertOutboxMail,
  MAX_ALERTS_PER_MAIL,
  nextOutboxAttemptAt,
  outboxProblems,
  parseMailContent,
  pruneOutbox,
  readNotifyState,
  recordOutboxFailure,
  retryFailingMailAt,
  updateOutboxContent,
  writeNotifyState,
  type MailContent,
  type MailedAlert,
  type OutboxRow,
} from './models';
import { notifySettings } from './settings';
import { deliverMail, MailDeliveryError, type SmtpConfig } from './smtp-mailer';

const log = createLogger('notify');

/** Most rows the outbox keeps; past it the oldest given-up mail, then the oldest waiting mail, is dropped. */
export const OUTBOX_CAP = 200;
/** Retries wait 30 s, 1 min, 2 min, … up to an hour between tries; a mail not sent within a day is given up. */
export const FIRST_RETRY_DELAY_MS = 30_000;
export const MAX_RETRY_DELAY_MS = 3_600_000;
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;
const MAX_ATTEMPTS = 40;
/** Mails sent per outbox run; more due ones go in the next run, right after. */
const MAILS_PER_RUN = 10;
/** After the outbox itself could not be read or written (disk full, say), it is tried again this much later. */
const OUTBOX_ERROR_RETRY_MS = 60_000;
/** Shutdown waits this long for a mail on its way; after that the mail is sent again after the restart. */
const STOP_WAIT_MS = 5_000;

const PASSWORD_ADDRESS_KEY = 'smtp_password_address';
const LAST_DELIVERED_KEY = 'last_delivered_at';

/** Changing any of these may cure a failing mail: the outbox tries again at once. */
const DELIVERY_KEYS: ReadonlySet<string> = new Set([
  'enabled',
  'smtp_host',
  'smtp_port',
  'smtp_security',
  'smtp_user',
  'smtp_password',
  'from_address',
  'recipients',
]);

type NotifyKey = SettingKey<typeof notifySettings>;

const NOTIFY_IN: Readonly<Record<SecurityState['value'], NotifyKey>> = {
  away: 'notify_when_away',
  night: 'notify_when_night',
  day: 'notify_when_day',
  disabled: 'notify_when_disabled',
};

export interface TestMailResult {
  ok: boolean;
  message: string;
}

export interface NotifyManagerDeps {
  db: Kysely<Database>;
  settings: SettingsManager;
  security: { currentState(): SecurityState };
  alerts: AlertManager;
  events: EventBus;
  clock: Clock;
  scheduler: Scheduler;
  /** HI_BASE_URL_FOR_EMAIL_LINKS: links in the mails open the alert on the panel at this address. */
  baseUrl: string | null;
}

interface OpenBatch {
  id: number;
  closesAt: number;
  content: MailContent;
}

type ResolvedConfig = { config: SmtpConfig } | { problem: string };

export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

/** A reason as one sentence ending in a full stop. */
function sentence(reason: string | null): string {
  const text = (reason ?? 'no reason given').trim();
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Mails new alerts while the security mode notifies. The first new alert opens a batch window; everything that opens
 * within it goes in the same mail. Each mail waits in the outbox table from the moment its batch opens until the
 * server takes it, so a restart loses none; a failed try is repeated with growing waits for up to a day, then given
 * up and kept for the record. Failing mail is reported as health.
 */
export class NotifyManager {
  /** Serialises everything that reads or writes the outbox. */
  private readonly outbox = new AsyncMutex();
  /** Alerts opened since the outbox last took them in (bounded: a storm past the bound is only counted). */
  private incoming: Array<{ alert: MailedAlert; at: number }> = [];
  private incomingOmitted = 0;
  private incomingQueued = false;
  private openBatch: OpenBatch | null = null;
  private cancelDrain: (() => void) | null = null;
  /** `host:port` the stored password was saved for: it is sent to no other server. */
  private passwordAddress: string | null = null;
  private lastDeliveredAt = 0;
  private problem: string | null = null;
  private readonly healthListeners = new Set<() => void>();
  private readonly unsubscribes: Array<() => void> = [];
  private testInProgress = false;
  private warnedNoLinks = false;
  private running = false;

  constructor(private readonly deps: NotifyManagerDeps) {}

  async start(): Promise<void> {
    const { db } = this.deps;
    this.passwordAddress = await readNotifyState(db, PASSWORD_ADDRESS_KEY);
    this.lastDeliveredAt = Number(await readNotifyState(db, LAST_DELIVERED_KEY)) || 0;
    this.running = true;
    this.unsubscribes.push(this.deps.alerts.onOpened((alert) => this.alertOpened(alert)));
    this.unsubscribes.push(this.deps.events.on('settings.changed', ({ settings }) => this.settingsChanged(settings)));
    await this.refreshHealth();
    // Mail left waiting by the last run goes out now, or when its batch window closes.
    void this.queue(() => this.drain());
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.cancelDrain?.();
    this.cancelDrain = null;
    // Alerts that have not reached the outbox yet are written, so the next start mails them.
    const written = this.outbox.runExclusive(() => this.takeIncoming());
    this.running = false;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)));
    await Promise.race([written.catch((error: unknown) => log.error('Could not write alerts to the outbox at shutdown', error)), gaveUp]);
    clearTimeout(timer);
  }

  /** Resolves once the outbox has done everything asked of it so far; tests and shutdown use it. */
  idle(): Promise<void> {
    return this.outbox.runExclusive(() => undefined);
  }

  /** Why mail is failing, in plain words, or null while it works. */
  healthProblem(): string | null {
    return this.problem;
  }

  onHealthChanged(listener: () => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  /** Sends a test mail at once (not through the outbox) and answers the server's refusal in plain words. */
  async sendTest(): Promise<TestMailResult> {
    if (this.testInProgress) return { ok: false, message: 'A test e-mail is on its way; wait for its answer.' };
    this.testInProgress = true;
    try {
      const resolved = this.resolveConfig();
      if ('problem' in resolved) return { ok: false, message: resolved.problem };
      const now = this.deps.clock.now();
      const modes = SecurityState.members.filter((state) => this.setting(NOTIFY_IN[state.value]) === true).map((state) => state.label);
      await deliverMail(resolved.config, composeTestMail(modes, this.compositionContext(), now));
      log.info(`Sent a test e-mail to ${plural(resolved.config.to.length, 'recipient', 'recipients')}`);
      await this.delivered(now);
      // The settings work now: mail that failed with them goes at once.
      void this.queue(() => this.retryNow());
      return { ok: true, message: `Sent a test e-mail to ${resolved.config.to.join(', ')}.` };
    } catch (error) {
      if (error instanceof MailDeliveryError) return { ok: false, message: error.message };
      log.error('The test e-mail failed unexpectedly', error);
      return { ok: false, message: "The test e-mail failed unexpectedly; the details are in the hub's log." };
    } finally {
      this.testInProgress = false;
    }
  }

  private alertOpened(alert: AlertView): void {
    if (!this.running || this.setting('enabled') !== true) return;
    const state = this.deps.security.currentState();
    if (this.setting(NOTIFY_IN[state.value]) !== true) return;
    const mailed: MailedAlert = { id: alert.id, title: alert.title, level: alert.level, count: alert.count, openedAt: alert.firstAt };
    if (this.incoming.length < MAX_ALERTS_PER_MAIL) this.incoming.push({ alert: mailed, at: this.deps.clock.now() });
    else this.incomingOmitted += 1;
    this.requestIncoming();
  }

  private requestIncoming(): void {
    if (this.incomingQueued) return;
    this.incomingQueued = true;
    void this.queue(() => this.takeIncoming());
  }

  private settingsChanged(settings: readonly SettingView[]): void {
    const ours = settings.filter((s) => s.subsystem === notifySettings.subsystem);
    if (ours.length === 0) return;
    const password = ours.find((s) => s.key === 'smtp_password');
    if (password) {
      // Bound in memory at once: a test right after saving must already find it.
      this.passwordAddress = password.hasValue ? this.serverAddress() : null;
      const address = this.passwordAddress;
      void this.queue(() => writeNotifyState(this.deps.db, PASSWORD_ADDRESS_KEY, address, this.deps.clock.now()));
    }
    if (ours.some((s) => DELIVERY_KEYS.has(s.key))) void this.queue(() => this.retryNow());
  }

  /** Runs an outbox task after the ones before it; a failure is logged, never thrown at the caller. */
  private queue(task: () => Promise<void>): Promise<void> {
    return this.outbox.runExclusive(async () => {
      if (!this.running) return;
      try {
        await task();
      } catch (error) {
        log.error('The e-mail outbox failed', error);
      }
    });
  }

  /** Puts the alerts opened since the last call into the open batch, or into new ones as their windows close. */
  private async takeIncoming(): Promise<void> {
    this.incomingQueued = false;
    const entries = this.incoming;
    const omitted = this.incomingOmitted;
    this.incoming = [];
    this.incomingOmitted = 0;
    if (entries.length === 0 && omitted === 0) return;
    const windowMs = Number(this.setting('batch_window_seconds')) * 1000;
    try {
      // One transaction, on a copy of the open batch: a failed write leaves both as they were.
      this.openBatch = await this.deps.db.transaction().execute(async (transaction) => {
        const trx: Kysely<Database> = transaction;
        let batch: OpenBatch | null = this.openBatch && { ...this.openBatch, content: { ...this.openBatch.content, alerts: [...this.openBatch.content.alerts] } };
        const touched = new Set<OpenBatch>();
        for (const { alert, at } of entries) {
          if (batch === null || at >= batch.closesAt) {
            const content: MailContent = { alerts: [alert], omitted: 0 };
            batch = { id: await insertOutboxMail(trx, content, at, at + windowMs), closesAt: at + windowMs, content };
            continue;
          }
          if (batch.content.alerts.length < MAX_ALERTS_PER_MAIL) batch.content.alerts.push(alert);
          else batch.content.omitted += 1;
          touched.add(batch);
        }
        if (batch !== null && omitted > 0) {
          batch.content.omitted += omitted;
          touched.add(batch);
        }
        for (const changed of touched) await updateOutboxContent(trx, changed.id, changed.content);
        return batch;
      });
    } catch (error) {
      // Kept for the next try: an alert must not go unmailed because the disk was busy or full.
      const kept = [...entries, ...this.incoming];
      this.incoming = kept.slice(0, MAX_ALERTS_PER_MAIL);
      this.incomingOmitted += omitted + (kept.length - this.incoming.length);
      log.error(`Could not put ${plural(kept.length, 'new alert', 'new alerts')} in the e-mail outbox; trying again in a minute`, error);
      this.deps.scheduler.at(this.deps.clock.now() + OUTBOX_ERROR_RETRY_MS, () => this.requestIncoming());
      return;
    }
    const dropped = await pruneOutbox(this.deps.db, OUTBOX_CAP);
    if (dropped > 0) log.warn(`The outbox is full: dropped the ${plural(dropped, 'oldest waiting mail', 'oldest waiting mails')}`);
    await this.armDrain();
  }

  /** Sends the mail that is due, a few at a time, then waits for the next one that will be. */
  private async drain(): Promise<void> {
    this.cancelDrain?.();
    this.cancelDrain = null;
    if (this.setting('enabled') === true) {
      try {
        const rows = await dueOutboxMail(this.deps.db, this.deps.clock.now(), MAILS_PER_RUN);
        for (const row of rows) {
          if (!this.running) return;
          // A batch whose window has closed takes no more alerts.
          if (this.openBatch?.id === row.id) this.openBatch = null;
          await this.attempt(row);
        }
      } catch (error) {
        log.error('The e-mail outbox could not be read or written; trying again in a minute', error);
        this.cancelDrain = this.deps.scheduler.at(this.deps.clock.now() + OUTBOX_ERROR_RETRY_MS, () => void this.queue(() => this.drain()));
        return;
      }
    }
    await this.refreshHealth();
    await this.armDrain();
  }

  private async armDrain(): Promise<void> {
    this.cancelDrain?.();
    this.cancelDrain = null;
    // Switched off, mail waits in the outbox until it is switched on again.
    if (!this.running || this.setting('enabled') !== true) return;
    const at = await nextOutboxAttemptAt(this.deps.db);
    if (at === null) return;
    this.cancelDrain = this.deps.scheduler.at(at, () => {
      this.cancelDrain = null;
      void this.queue(() => this.drain());
    });
  }

  private async retryNow(): Promise<void> {
    await retryFailingMailAt(this.deps.db, this.deps.clock.now());
    await this.drain();
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const content = parseMailContent(row.content_json);
    const giveUp = (error: string) =>
      recordOutboxFailure(db, row.id, { status: OutboxStatus.FAILED, attempts: row.attempts, attemptedAt: now, nextAttemptAt: now, error });
    if (content === null) {
      log.warn(`Mail ${row.id} in the outbox cannot be read; marked failed`);
      return giveUp('The mail in the outbox could not be read.');
    }
    if (now - row.created_at >= GIVE_UP_AFTER_MS) {
      log.warn(`Mail ${row.id} was not sent within a day; given up`);
      return giveUp(`Not sent within a day${row.last_error ? `: ${row.last_error}` : '.'}`);
    }
    const resolved = this.resolveConfig();
    let error: string;
    if ('problem' in resolved) {
      error = resolved.problem;
    } else {
      try {
        await deliverMail(resolved.config, this.composeAlerts(content));
        await deleteOutboxMail(db, row.id);
        await this.delivered(now);
        log.info(`Mailed ${plural(content.alerts.length + content.omitted, 'alert', 'alerts')} to ${plural(resolved.config.to.length, 'recipient', 'recipients')}`);
        return;
      } catch (failure) {
        if (!(failure instanceof MailDeliveryError)) throw failure;
        error = failure.message;
      }
    }
    const attempts = row.attempts + 1;
    const nextAttemptAt = now + retryDelayMs(attempts);
    const final = attempts >= MAX_ATTEMPTS || nextAttemptAt - row.created_at >= GIVE_UP_AFTER_MS;
    await recordOutboxFailure(db, row.id, {
      status: final ? OutboxStatus.FAILED : OutboxStatus.PENDING,
      attempts,
      attemptedAt: now,
      nextAttemptAt: final ? now : nextAttemptAt,
      error,
    });
    if (final) log.warn(`Gave up on mail ${row.id} after ${plural(attempts, 'try', 'tries')}: ${error}`);
    else log.warn(`Mail ${row.id} not sent (try ${attempts}); trying again at ${new Date(nextAttemptAt).toISOString()}: ${error}`);
  }

  private async delivered(at: number): Promise<void> {
    this.lastDeliveredAt = Math.max(this.lastDeliveredAt, at);
    await writeNotifyState(this.deps.db, LAST_DELIVERED_KEY, String(this.lastDeliveredAt), at);
    await this.refreshHealth();
  }

  private async refreshHealth(): Promise<void> {
    const problems = await outboxProblems(this.deps.db, this.lastDeliveredAt);
    const parts: string[] = [];
    if (problems.failing > 0) {
      const next = problems.nextAttemptAt === null ? '' : ` Next try at ${this.timeOfDay(problems.nextAttemptAt)}.`;
      parts.push(`E-mail is failing (${plural(problems.failing, 'mail', 'mails')} waiting): ${sentence(problems.failingError)}${next}`);
    }
    if (problems.givenUp > 0) {
      parts.push(`${plural(problems.givenUp, 'mail was', 'mails were')} given up: ${sentence(problems.givenUpError)}`);
    }
    const problem = parts.length === 0 ? null : parts.join(' ');
    if (problem === this.problem) return;
    this.problem = problem;
    for (const listener of this.healthListeners) listener();
  }

  /** The mail, with each alert's count as it is now (it may have gathered more alarms since it opened). */
  private composeAlerts(content: MailContent): ComposedMail {
    const known = new Map([...this.deps.alerts.recentList(), ...this.deps.alerts.list()].map((a) => [a.id, a]));
    const alerts = content.alerts.map((a) => ({ ...a, count: Math.max(a.count, known.get(a.id)?.count ?? 0) }));
    if (this.deps.baseUrl === null && !this.warnedNoLinks) {
      this.warnedNoLinks = true;
      log.warn('HI_BASE_URL_FOR_EMAIL_LINKS is not set: mailed alerts carry no links to the panel');
    }
    return composeAlertMail({ ...content, alerts }, this.compositionContext());
  }

  private compositionContext() {
    return { timeZone: this.timeZone(), baseUrl: this.deps.baseUrl };
  }

  private timeZone(): string {
    const zone = String(this.deps.settings.value(consoleSettings, 'timezone'));
    return isValidTimezone(zone) ? zone : 'UTC';
  }

  private timeOfDay(at: number): string {
    return new Intl.DateTimeFormat('en-US', { timeZone: this.timeZone(), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  }

  private setting(key: NotifyKey) {
    return this.deps.settings.value(notifySettings, key);
  }

  private serverAddress(): string {
    return `${String(this.setting('smtp_host')).trim().toLowerCase()}:${Number(this.setting('smtp_port'))}`;
  }

  /** The server and addresses to send with, or what is missing, in words the settings dialog uses. */
  private resolveConfig(): ResolvedConfig {
    const host = String(this.setting('smtp_host')).trim();
    const from = String(this.setting('from_address'));
    const to = splitEmailAddresses(String(this.setting('recipients')));
    const user = String(this.setting('smtp_user'));
    const password = String(this.setting('smtp_password'));
    if (host === '') return { problem: 'Set the mail server first.' };
    if (from === '') return { problem: 'Set the From address first.' };
    if (to.length === 0) return { problem: 'Set at least one address under To first.' };
    if (user !== '' && password === '') return { problem: 'Set the password first, or clear the user name if the mail server needs no sign-in.' };
    if (user !== '' && this.passwordAddress !== this.serverAddress()) {
      return { problem: 'Enter the password again: a saved password is only sent to the mail server it was saved for.' };
    }
    const security = SmtpSecurity.fromNameSafe(String(this.setting('smtp_security')));
    return { config: { host, port: Number(this.setting('smtp_port')), security, user, password: user === '' ? '' : password, from, to } };
  }
}
