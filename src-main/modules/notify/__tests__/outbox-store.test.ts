import { afterEach, describe, expect, it } from 'vitest';
import { rows } from '../../../test-support/home-helpers';
import { createTestHub, TestClock, type TestHub } from '../../../test-support/test-hub';
import { OutboxStatus } from '../enums';
import {
  dueOutboxMail,
  insertOutboxMail,
  parseMailContent,
  pruneOutbox,
  recordOutboxFailure,
  type MailContent,
  type OutboxRow,
} from '../models';

const START = Date.UTC(2026, 0, 15, 18);
const content: MailContent = { alerts: [{ id: 1, title: 'Smoke in the kitchen', level: 'critical', count: 1, openedAt: START }], omitted: 0 };

let hubs: TestHub[] = [];

afterEach(async () => {
  for (const t of hubs) await t.close();
  hubs = [];
});

async function hub(): Promise<TestHub> {
  const t = await createTestHub({ clock: new TestClock(START) });
  hubs.push(t);
  return t;
}

describe('the mail outbox table', () => {
  it('is STRICT and finds due mail through its index', async () => {
    const t = await hub();
    const { sqlite } = t.hub.store;
    for (const table of ['mail_outbox', 'notify_state']) {
      const info = sqlite.prepare(`select strict from pragma_table_list where name = ?`).get(table) as { strict: number };
      expect(info.strict, table).toBe(1);
    }
    expect(() => sqlite.prepare(`insert into mail_outbox (created_at, status_str, content_json, next_attempt_at) values ('soon', 'pending', '{}', 0)`).run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    const plan = sqlite
      .prepare(`explain query plan select * from mail_outbox where status_str = 'pending' and next_attempt_at <= ? order by next_attempt_at limit 10`)
      .all(START) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX mail_outbox_due/);
  });

  it('is capped: the oldest given-up mail goes first, then the oldest waiting mail', async () => {
    const t = await hub();
    const { db } = t.hub.store;
    const ids: number[] = [];
    for (let i = 0; i < 8; i += 1) ids.push(await insertOutboxMail(db, content, START + i, START + i));
    for (const id of [ids[1]!, ids[3]!, ids[5]!]) {
      await recordOutboxFailure(db, id, { status: OutboxStatus.FAILED, attempts: 30, attemptedAt: START, nextAttemptAt: START, error: 'refused' });
    }
    expect(await pruneOutbox(db, 6)).toBe(0);
    expect(rows<OutboxRow>(t, 'mail_outbox').map((r) => r.id)).toEqual([ids[0], ids[2], ids[4], ids[5], ids[6], ids[7]]);
    // Past every given-up one, the oldest waiting mail is dropped (and counted).
    expect(await pruneOutbox(db, 3)).toBe(2);
    expect(rows<OutboxRow>(t, 'mail_outbox').map((r) => r.id)).toEqual([ids[4], ids[6], ids[7]]);
    expect((await dueOutboxMail(db, START + 6, 10)).map((r) => r.id)).toEqual([ids[4], ids[6]]);
  });

  it('reads a damaged or foreign row as unreadable instead of failing', () => {
    expect(parseMailContent(JSON.stringify(content))).toEqual(content);
    expect(parseMailContent('{')).toBeNull();
    expect(parseMailContent(JSON.stringify({ alerts: [{ id: 'x' }], omitted: 0 }))).toBeNull();
    expect(parseMailContent(JSON.stringify({ alerts: [], omitted: -1 }))).toBeNull();
  });
});
