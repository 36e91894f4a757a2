import { rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test-support/test-hub';
import { openStore, type Store } from '../database';
import { StorageHealth, StorageStartError, storageFailureOf, storageFailureOn } from '../storage-errors';
import { PageCap, tookWrite, writeUntilRefused } from './full-storage';

const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('storageFailureOf', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = makeTempDir('hi-storage-');
    store = openStore(path.join(dir, 'db.sqlite'));
    store.sqlite.exec('create table filler (id integer primary key, body text not null)');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recognises the SQLITE_FULL that a full database throws', async () => {
    new PageCap(store.sqlite).fill();
    let thrown: unknown = null;
    try {
      store.sqlite.prepare('insert into filler (body) values (?)').run('x'.repeat(10_000));
    } catch (error) {
      thrown = error;
    }
    expect(storageFailureOf(thrown)).toEqual({ kind: 'full', code: 'SQLITE_FULL', detail: 'database or disk is full' });
  });

  it('recognises a full disk from the file system and a write refused for a quota or a size limit', () => {
    expect(storageFailureOf(nodeError('ENOSPC', 'ENOSPC: no space left on device, write'))?.kind).toBe('full');
    expect(storageFailureOf(nodeError('EDQUOT', 'EDQUOT: disk quota exceeded'))?.kind).toBe('full');
    expect(storageFailureOf(nodeError('SQLITE_IOERR_WRITE', 'disk I/O error'))?.kind).toBe('unwritable');
    expect(storageFailureOf(nodeError('SQLITE_IOERR_SHMSIZE', 'disk I/O error'))?.kind).toBe('unwritable');
  });

  it('follows wrapped causes, and answers null for every other error', () => {
    const wrapped = new Error('saving the plan failed', { cause: nodeError('ENOSPC', 'no space left on device') });
    expect(storageFailureOf(wrapped)).toMatchObject({ kind: 'full', code: 'ENOSPC' });
    expect(storageFailureOf(nodeError('SQLITE_CONSTRAINT_FOREIGNKEY', 'FOREIGN KEY constraint failed'))).toBeNull();
    expect(storageFailureOf(nodeError('SQLITE_IOERR_READ', 'disk I/O error'))).toBeNull();
    expect(storageFailureOf(new Error('plain'))).toBeNull();
    expect(storageFailureOf('SQLITE_FULL')).toBeNull();
    expect(storageFailureOf({ code: 'SQLITE_FULL' })).toBeNull();
    expect(storageFailureOf(null)).toBeNull();
  });

  it('stops following causes after a few levels (a cycle ends)', () => {
    const cyclic: Error & { cause?: unknown } = new Error('a');
    cyclic.cause = cyclic;
    expect(storageFailureOf(cyclic)).toBeNull();
  });

  it('puts a refused write down to a full disk when the disk has next to no free space, whatever SQLite called it', () => {
    const shmError = nodeError('SQLITE_IOERR_SHMSIZE', 'disk I/O error');
    expect(storageFailureOn(shmError, '/data', () => 4096)?.kind).toBe('full');
    expect(storageFailureOn(shmError, '/data', () => 10 * 1024 * 1024 * 1024)?.kind).toBe('unwritable');
    expect(storageFailureOn(shmError, '/data', () => null)?.kind).toBe('unwritable');
    expect(storageFailureOn(new Error('other'), '/data', () => 0)).toBeNull();
    const error = StorageStartError.explain(shmError, dir) as Error;
    expect(error.message).toMatch(new RegExp(`^The disk holding ${dir} (is full|cannot be written)`));
  });

  it('says at start which disk is full', () => {
    const error = StorageStartError.explain(nodeError('SQLITE_FULL', 'database or disk is full'), '/var/lib/home-information');
    expect(error).toBeInstanceOf(StorageStartError);
    expect((error as Error).message).toMatch(/^The disk holding \/var\/lib\/home-information is full \(database or disk is full\)\./);
    const other = new Error('something else');
    expect(StorageStartError.explain(other, '/data')).toBe(other);
  });
});

describe('StorageHealth', () => {
  it('turns to "Storage is full: …" on a refused write and back to ok on the next write, announcing each change once', () => {
    const health = new StorageHealth('/data');
    let changes = 0;
    health.onChange(() => (changes += 1));
    expect(health.problem).toBeNull();

    expect(health.recordFailure(new Error('not storage'))).toBeNull();
    expect(health.problem).toBeNull();

    expect(health.recordFailure(nodeError('SQLITE_FULL', 'database or disk is full'))?.kind).toBe('full');
    health.recordFailure(nodeError('SQLITE_FULL', 'database or disk is full'));
    expect(health.problem).toMatch(/^Storage is full: .*database or disk is full.*\/data/);
    expect(changes).toBe(1);

    health.recordWrite();
    health.recordWrite();
    expect(health.problem).toBeNull();
    expect(changes).toBe(2);
  });
});

describe('the store on a full disk', () => {
  let dir: string;
  let store: Store;
  let cap: PageCap;
  beforeEach(() => {
    dir = makeTempDir('hi-storage-');
    store = openStore(path.join(dir, 'db.sqlite'));
    store.sqlite.exec('create table account (id integer primary key, balance integer not null); create table entry (id integer primary key, account_id integer not null, amount integer not null, note text not null)');
    store.sqlite.exec('create index entry_account on entry (account_id); insert into account (balance) values (100)');
    cap = new PageCap(store.sqlite);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insertEntry = (note: string) => store.sqlite.prepare('insert into entry (account_id, amount, note) values (1, 1, ?)').run(note);

  /** Two steps in one kysely transaction: the balance changes, then an entry needs a page that is not there. */
  const transfer = (note: string) =>
    store.db.transaction().execute(async (trx) => {
      await sql`update account set balance = balance - 1 where id = 1`.execute(trx);
      await sql`insert into entry (account_id, amount, note) values (1, -1, ${note})`.execute(trx);
    });
  const balance = () => (store.sqlite.prepare('select balance from account where id = 1').get() as { balance: number }).balance;

  it('fails a kysely transaction with the real SQLITE_FULL, not "cannot rollback", and keeps nothing of it', async () => {
    const note = 'n'.repeat(200);
    cap.fill();
    await writeUntilRefused(async () => tookWrite(() => insertEntry(note)));
    const entries = () => store.sqlite.prepare('select count(*) as n from entry').pluck().get() as number;
    const before = entries();

    // Regression: SQLite rolls the transaction back by itself on SQLITE_FULL; kysely's ROLLBACK then failed with
    // "cannot rollback - no transaction is active" and hid the real error.
    const failure = await transfer(note).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'SQLITE_FULL' });
    expect(storageFailureOf(failure)?.kind).toBe('full');
    expect(balance()).toBe(100);
    expect(entries()).toBe(before);
    expect(store.sqlite.inTransaction).toBe(false);
    expect(store.health.problem).toMatch(/^Storage is full: /);

    // The connection is usable, and the same transaction goes through once there is room.
    cap.free();
    await transfer(note);
    expect(balance()).toBe(99);
    expect(entries()).toBe(before + 1);
    expect(store.health.problem).toBeNull();
  });

  it('still rolls back a transaction that fails for another reason', async () => {
    const failure = await store.db
      .transaction()
      .execute(async (trx) => {
        await sql`update account set balance = 0 where id = 1`.execute(trx);
        await sql`insert into no_such_table values (1)`.execute(trx);
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(String(failure)).toContain('no such table');
    expect(balance()).toBe(100);
    expect(store.sqlite.inTransaction).toBe(false);
  });

  it('closes the database when `pragma optimize` fails on a full disk', async () => {
    const note = 'n'.repeat(200);
    // Queries that use the index make `optimize` want to ANALYZE the table, which needs a page.
    for (let i = 0; i < 2_000; i += 1) insertEntry(note);
    store.sqlite.prepare('select count(*) from entry where account_id = 1').get();
    cap.fill();
    await writeUntilRefused(async () => tookWrite(() => insertEntry(note)));
    expect(() => store.sqlite.pragma('optimize')).toThrow(/full/);

    // Regression: close() ran `pragma optimize` first and threw before the database was closed.
    await expect(store.close()).resolves.toBeUndefined();
    expect(store.sqlite.open).toBe(false);
    await expect(store.close()).resolves.toBeUndefined();
  });
});
