import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../database';

describe('the statement cache behind kysely', () => {
  const sqlite = new BetterSqlite3(':memory:');
  afterEach(() => sqlite.exec('drop table if exists t'));

  it('hands out the same prepared statement for the same SQL, and keeps at most its capacity', () => {
    const cached = withStatementCache(sqlite, 2);
    const first = cached.prepare('select 1 as one');
    expect(cached.prepare('select 1 as one')).toBe(first);
    cached.prepare('select 2 as two');
    // 'select 1' was used last but one: a third statement evicts 'select 2', the least recently used.
    cached.prepare('select 1 as one');
    cached.prepare('select 3 as three');
    expect(cached.prepare('select 1 as one')).toBe(first);
    const two = cached.prepare('select 2 as two');
    expect(cached.prepare('select 2 as two')).toBe(two);
  });

  it('never hands out a statement that is still being iterated', () => {
    sqlite.exec('create table t (n integer); insert into t values (1), (2), (3)');
    const cached = withStatementCache(sqlite);
    const sql = 'select n from t order by n';
    const iterating = cached.prepare(sql) as unknown as BetterSqlite3.Statement<[], { n: number }>;
    const rows = iterating.iterate();
    expect(rows.next().value).toEqual({ n: 1 });
    const other = cached.prepare(sql) as unknown as BetterSqlite3.Statement<[], { n: number }>;
    expect(other).not.toBe(iterating);
    expect(other.all().map((r) => r.n)).toEqual([1, 2, 3]);
    expect([...rows].map((r) => r.n)).toEqual([2, 3]);
    expect(cached.prepare(sql)).toBe(iterating);
  });

  it('still sees schema changes made after a statement was prepared', () => {
    sqlite.exec('create table t (n integer); insert into t values (1)');
    const cached = withStatementCache(sqlite);
    expect((cached.prepare('select * from t') as unknown as BetterSqlite3.Statement).all()).toEqual([{ n: 1 }]);
    sqlite.exec('alter table t add column m integer default 7');
    expect((cached.prepare('select * from t') as unknown as BetterSqlite3.Statement).all()).toEqual([{ n: 1, m: 7 }]);
  });
});
