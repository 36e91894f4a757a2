import type { Generated, Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { enumSchema } from '../../../src-shared/enums/enum-schema';
import { AlarmLevel } from '../../../src-shared/enums/alert';
import { enumColumn } from '../../store/enum-column';
import { OutboxStatus } from './enums';

export interface MailOutboxTable {
  id: Generated<number>;
  created_at: number;
  status_str: string;
  /** The alerts the mail is about (`MailContent`); the mail is composed from it at each try. */
  content_json: string;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_error: string | null;
}

export interface NotifyStateTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface NotifyTables {
  mail_outbox: MailOutboxTable;
  notify_state: NotifyStateTable;
}

export type OutboxRow = Selectable<MailOutboxTable>;

export const outboxStatusColumn = enumColumn(OutboxStatus);

/** At most this many alerts are listed in one mail; the rest of a storm is counted. */
export const MAX_ALERTS_PER_MAIL = 50;

const mailedAlertSchema = z.object({
  id: z.number().int(),
  title: z.string().max(1000),
  level: enumSchema(AlarmLevel),
  count: z.number().int().nonnegative(),
  openedAt: z.number(),
});
export type MailedAlert = z.infer<typeof mailedAlertSchema>;

const mailContentSchema = z.object({
  alerts: z.array(mailedAlertSchema).max(MAX_ALERTS_PER_MAIL),
  /** Alerts of the batch past MAX_ALERTS_PER_MAIL. */
  omitted: z.number().int().nonnegative(),
});
export type MailContent = z.infer<typeof mailContentSchema>;

/** A row that cannot be read (written by a newer version, or damaged) reads as null rather than failing the outbox. */
export function parseMailContent(text: string): MailContent | null {
  try {
    const parsed = mailContentSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function insertOutboxMail(db: Kysely<NotifyTables>, content: MailContent, createdAt: number, sendAt: number): Promise<number> {
  const row = await db
    .insertInto('mail_outbox')
    .values({
      created_at: createdAt,
      status_str: outboxStatusColumn.write(OutboxStatus.PENDING),
      content_json: JSON.stringify(content),
      next_attempt_at: sendAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateOutboxContent(db: Kysely<NotifyTables>, id: number, content: MailContent): Promise<void> {
  await db.updateTable('mail_outbox').set({ content_json: JSON.stringify(content) }).where('id', '=', id).execute();
}

export function dueOutboxMail(db: Kysely<NotifyTables>, now: number, limit: number): Promise<OutboxRow[]> {
  return db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('status_str', '=', outboxStatusColumn.write(OutboxStatus.PENDING))
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function nextOutboxAttemptAt(db: Kysely<NotifyTables>): Promise<number | null> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status_str', '=', outboxStatusColumn.write(OutboxStatus.PENDING))
    .executeTakeFirst();
  return row?.at ?? null;
}

export async function deleteOutboxMail(db: Kysely<NotifyTables>, id: number): Promise<void> {
  await db.deleteFrom('mail_outbox').where('id', '=', id).execute();
}

export async function recordOutboxFailure(
  db: Kysely<NotifyTables>,
  id: number,
  change: { status: OutboxStatus; attempts: number; attemptedAt: number; nextAttemptAt: number; error: string },
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      status_str: outboxStatusColumn.write(change.status),
      attempts: change.attempts,
      last_attempt_at: change.attemptedAt,
      next_attempt_at: change.nextAttemptAt,
      last_error: change.error,
    })
    .where('id', '=', id)
    .execute();
}

/** Mail that failed and waits for another try is tried at `at` instead: the settings it failed with have changed. */
export async function retryFailingMailAt(db: Kysely<NotifyTables>, at: number): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ next_attempt_at: at })
    .where('status_str', '=', outboxStatusColumn.write(OutboxStatus.PENDING))
    .where('attempts', '>', 0)
    .where('next_attempt_at', '>', at)
    .execute();
}

export interface OutboxProblems {
  /** Pending mail that has failed at least once, with the newest failure. */
  failing: number;
  failingError: string | null;
  nextAttemptAt: number | null;
  /** Mail given up since `since`, with the newest reason. */
  givenUp: number;
  givenUpError: string | null;
}

export async function outboxProblems(db: Kysely<NotifyTables>, since: number): Promise<OutboxProblems> {
  const pending = outboxStatusColumn.write(OutboxStatus.PENDING);
  const failed = outboxStatusColumn.write(OutboxStatus.FAILED);
  const failing = await db
    .selectFrom('mail_outbox')
    .select(['last_error', 'next_attempt_at'])
    .where('status_str', '=', pending)
    .where('attempts', '>', 0)
    .orderBy('last_attempt_at', 'desc')
    .execute();
  const givenUp = await db
    .selectFrom('mail_outbox')
    .select(['last_error'])
    .where('status_str', '=', failed)
    .where('last_attempt_at', '>', since)
    .orderBy('last_attempt_at', 'desc')
    .execute();
  return {
    failing: failing.length,
    failingError: failing[0]?.last_error ?? null,
    nextAttemptAt: failing.length === 0 ? null : Math.min(...failing.map((r) => r.next_attempt_at)),
    givenUp: givenUp.length,
    givenUpError: givenUp[0]?.last_error ?? null,
  };
}

async function deleteOldest(db: Kysely<NotifyTables>, status: OutboxStatus, count: number): Promise<number> {
  const victims = await db
    .selectFrom('mail_outbox')
    .select('id')
    .where('status_str', '=', outboxStatusColumn.write(status))
    .orderBy('created_at')
    .orderBy('id')
    .limit(count)
    .execute();
  if (victims.length > 0) await db.deleteFrom('mail_outbox').where('id', 'in', victims.map((v) => v.id)).execute();
  return victims.length;
}

/**
 * Keeps the outbox at most `cap` rows: the oldest given-up mail goes first, then (a server down for weeks) the
 * oldest waiting mail. Answers how many waiting mails were dropped.
 */
export async function pruneOutbox(db: Kysely<NotifyTables>, cap: number): Promise<number> {
  const total = await db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const excess = Number(total.n) - cap;
  if (excess <= 0) return 0;
  const failedDropped = await deleteOldest(db, OutboxStatus.FAILED, excess);
  return excess > failedDropped ? deleteOldest(db, OutboxStatus.PENDING, excess - failedDropped) : 0;
}

export async function readNotifyState(db: Kysely<NotifyTables>, key: string): Promise<string | null> {
  const row = await db.selectFrom('notify_state').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function writeNotifyState(db: Kysely<NotifyTables>, key: string, value: string | null, now: number): Promise<void> {
  if (value === null) {
    await db.deleteFrom('notify_state').where('key', '=', key).execute();
    return;
  }
  await db
    .insertInto('notify_state')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}
