import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelKind } from '../../../../src-shared/enums';
import type { PairingInfo, RuntimeConfigEntry } from '../../../../src-shared/model/system';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { ADDRESS_WINDOW_MS, GLOBAL_WINDOW_MS, MAX_FAILURES_GLOBAL, MAX_FAILURES_PER_ADDRESS } from '../pairing-manager';

describe('PairingManager', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await createTestHub();
  });
  afterEach(async () => {
    await t.close();
  });

  const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('has a six-digit code after start', () => {
    expect(t.hub.pairing.currentCode()).toMatch(/^\d{6}$/);
  });

  it('refuses a wrong code', async () => {
    const code = t.hub.pairing.currentCode();
    expect(await t.hub.pairing.pair(wrongCode(code), '192.168.1.20', 'Tablet')).toEqual({ ok: false, reason: 'wrong_code' });
    expect(await t.hub.pairing.pair('', '192.168.1.20', 'Tablet')).toEqual({ ok: false, reason: 'wrong_code' });
    expect(await t.hub.pairing.pairedClientCount()).toBe(0);
  });

  it('pairs with the right code and recognises the token', async () => {
    const code = t.hub.pairing.currentCode();
    const result = await t.hub.pairing.pair(` ${code} `, '192.168.1.20', 'Tablet');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.token.length).toBeGreaterThanOrEqual(32);
    expect(await t.hub.pairing.clientIdFor(result.token, '192.168.1.20')).toEqual(expect.any(Number));
    expect(await t.hub.pairing.clientIdFor('not-a-token', '192.168.1.20')).toBeNull();
    expect(await t.hub.pairing.clientIdFor(`${result.token}x`, '192.168.1.20')).toBeNull();
    expect(await t.hub.pairing.pairedClientCount()).toBe(1);

    const second = await t.hub.pairing.pair(code, '192.168.1.21', 'Phone');
    expect(second.ok && second.token !== result.token).toBe(true);
    expect(await t.hub.pairing.pairedClientCount()).toBe(2);
  });

  it('stores only a hash of the token', async () => {
    const result = await t.hub.pairing.pair(t.hub.pairing.currentCode(), '192.168.1.20', 'Tablet');
    if (!result.ok) throw new Error('pairing failed');
    const rows = t.hub.store.sqlite.prepare('select * from paired_client').all() as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(result.token);
    expect(rows[0]).toMatchObject({
      token_hash: createHash('sha256').update(result.token).digest('hex'),
      remote_address: '192.168.1.20',
      user_agent: 'Tablet',
      created_at: t.clock.now(),
    });
  });

  it('records when a paired client was last seen', async () => {
    const result = await t.hub.pairing.pair(t.hub.pairing.currentCode(), '192.168.1.20', 'Tablet');
    if (!result.ok) throw new Error('pairing failed');
    t.clock.advance(90_000);
    // A fresh hub process has not seen the token yet, so its first check stamps it.
    await t.stop();
    const again = await createTestHub({ dataDir: t.dataDir, clock: t.clock });
    try {
      expect(await again.hub.pairing.clientIdFor(result.token, '192.168.1.20')).not.toBeNull();
      const row = again.hub.store.sqlite.prepare('select last_seen_at from paired_client').get() as { last_seen_at: number };
      expect(row.last_seen_at).toBe(t.clock.now());
    } finally {
      await again.stop();
    }
  });

  it('locks out an address after five wrong codes, but not other addresses', async () => {
    const code = t.hub.pairing.currentCode();
    for (let i = 0; i < 5; i += 1) {
      expect((await t.hub.pairing.pair(wrongCode(code), '10.0.0.9', 'Attacker')).ok).toBe(false);
    }
    expect(await t.hub.pairing.pair(code, '10.0.0.9', 'Attacker')).toMatchObject({ ok: false, reason: 'too_many_attempts' });
    expect((await t.hub.pairing.pair(code, '10.0.0.10', 'Tablet')).ok).toBe(true);
    expect(await t.hub.pairing.pairedClientCount()).toBe(1);
  });

  it('forgets earlier failures after a successful pairing', async () => {
    const code = t.hub.pairing.currentCode();
    for (let i = 0; i < 4; i += 1) await t.hub.pairing.pair(wrongCode(code), '10.0.0.9', 'Tablet');
    expect((await t.hub.pairing.pair(code, '10.0.0.9', 'Tablet')).ok).toBe(true);
    for (let i = 0; i < 4; i += 1) await t.hub.pairing.pair(wrongCode(code), '10.0.0.9', 'Tablet');
    expect((await t.hub.pairing.pair(code, '10.0.0.9', 'Tablet')).ok).toBe(true);
  });

  it('regenerate changes the code, and the old code stops working', async () => {
    const old = t.hub.pairing.currentCode();
    // Six random digits can repeat; a bounded number of tries makes a change certain in practice.
    let fresh = old;
    for (let i = 0; i < 10 && fresh === old; i += 1) fresh = t.hub.pairing.regenerate();
    expect(fresh).not.toBe(old);
    expect(t.hub.pairing.currentCode()).toBe(fresh);
    expect(await t.hub.pairing.pair(old, '10.0.0.2', 'Tablet')).toEqual({ ok: false, reason: 'wrong_code' });
    expect((await t.hub.pairing.pair(fresh, '10.0.0.2', 'Tablet')).ok).toBe(true);
  });
});

describe('PairingManager guess limits', () => {
  let t: TestHub;
  let changes: string[];
  beforeEach(async () => {
    t = await createTestHub();
    changes = [];
    t.hub.events.on('pairing.changed', ({ reason }) => changes.push(reason));
  });
  afterEach(async () => {
    await t.close();
  });

  const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const address = (i: number) => `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;

  it('200 addresses guessing cannot spend more than the global budget; the code rotates and pairing pauses', async () => {
    const original = t.hub.pairing.currentCode();
    const results: string[] = [];
    for (let i = 0; i < 200; i += 1) {
      for (let guess = 0; guess < 5; guess += 1) {
        const result = await t.hub.pairing.pair(wrongCode(t.hub.pairing.currentCode()), address(i), 'Attacker');
        results.push(result.ok ? 'ok' : result.reason);
      }
    }
    // Counted guesses are the ones checked against the code.
    expect(results.filter((r) => r === 'wrong_code')).toHaveLength(MAX_FAILURES_GLOBAL);
    expect(results.filter((r) => r === 'ok')).toHaveLength(0);
    expect(results.slice(MAX_FAILURES_GLOBAL).every((r) => r === 'paused' || r === 'too_many_attempts')).toBe(true);
    expect(changes).toContain('code_changed');
    // Even the right code waits until the window has passed.
    const rotated = t.hub.pairing.currentCode();
    const early = await t.hub.pairing.pair(rotated, '10.9.9.9', 'Tablet');
    expect(early).toMatchObject({ ok: false, reason: 'paused' });
    expect(!early.ok && early.retryAfterMs).toBeGreaterThan(0);
    expect(await t.hub.pairing.pairedClientCount()).toBe(0);

    t.clock.advance(GLOBAL_WINDOW_MS);
    if (rotated !== original) expect(await t.hub.pairing.pair(original, '10.9.9.9', 'Tablet')).toEqual({ ok: false, reason: 'wrong_code' });
    expect((await t.hub.pairing.pair(rotated, '10.9.9.8', 'Tablet')).ok).toBe(true);
  });

  it('wrong codes spread over more than the window do not pause pairing', async () => {
    const code = t.hub.pairing.currentCode();
    for (let i = 0; i < MAX_FAILURES_GLOBAL * 2; i += 1) {
      expect(await t.hub.pairing.pair(wrongCode(code), address(i), 'Tablet')).toEqual({ ok: false, reason: 'wrong_code' });
      t.clock.advance(Math.ceil(GLOBAL_WINDOW_MS / (MAX_FAILURES_GLOBAL - 1)));
    }
    expect(t.hub.pairing.currentCode()).toBe(code);
    expect((await t.hub.pairing.pair(code, '10.9.9.9', 'Tablet')).ok).toBe(true);
  });

  it('a locked-out address stays locked while many other addresses fail', async () => {
    const code = t.hub.pairing.currentCode();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i += 1) await t.hub.pairing.pair(wrongCode(code), '10.0.0.9', 'Attacker');
    // Many other addresses fail: spread out so the global limit does not step in, all within the lock-out.
    for (let i = 0; i < 1500; i += 1) await t.hub.pairing.pair(wrongCode(code), address(i), 'Other');
    expect(await t.hub.pairing.pair(code, '10.0.0.9', 'Attacker')).toMatchObject({ ok: false, reason: 'too_many_attempts' });
  });

  it('a locked-out address may try again once its window has passed', async () => {
    const code = t.hub.pairing.currentCode();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i += 1) await t.hub.pairing.pair(wrongCode(code), '10.0.0.9', 'Tablet');
    expect(await t.hub.pairing.pair(code, '10.0.0.9', 'Tablet')).toMatchObject({ ok: false, reason: 'too_many_attempts' });
    t.clock.advance(ADDRESS_WINDOW_MS);
    expect((await t.hub.pairing.pair(code, '10.0.0.9', 'Tablet')).ok).toBe(true);
  });
});

describe('paired panels', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await createTestHub();
  });
  afterEach(async () => {
    await t.close();
  });

  const pairTablet = async (address: string, userAgent = 'Tablet') => {
    const result = await t.hub.pairing.pair(t.hub.pairing.currentCode(), address, userAgent);
    if (!result.ok) throw new Error('pairing failed');
    const id = await t.hub.pairing.clientIdFor(result.token, address);
    if (id === null) throw new Error('token not recognised');
    return { token: result.token, id };
  };

  it('lists paired panels without token material, with first and last seen and the latest address', async () => {
    const first = t.clock.now();
    const { token, id } = await pairTablet('192.168.1.20', 'Kitchen tablet');
    t.clock.advance(5 * 60_000);
    await t.hub.pairing.clientIdFor(token, '192.168.1.44');
    const response = await t.invoke('system.panels.list', {});
    expect(response).toEqual({
      ok: true,
      value: [{ id, name: '', userAgent: 'Kitchen tablet', address: '192.168.1.44', firstSeenAt: first, lastSeenAt: t.clock.now(), connected: false }],
    });
    expect(JSON.stringify(response)).not.toContain(token);
  });

  it('a local panel renames and revokes; a paired panel may list but not change anything', async () => {
    const { token, id } = await pairTablet('192.168.1.20');
    const tablet = t.hub.panels.open(PanelKind.BROWSER, false, t.clock.now());
    expect((await t.invoke('system.panels.list', {}, tablet)).ok).toBe(true);
    const refusedRename = await t.invoke('system.panels.rename', { id, name: 'Mine now' }, tablet);
    expect(!refusedRename.ok && refusedRename.error.code).toBe('forbidden');
    const refusedRevoke = await t.invoke('system.panels.revoke', { id }, tablet);
    expect(!refusedRevoke.ok && refusedRevoke.error.code).toBe('forbidden');

    const changes: string[] = [];
    t.hub.events.on('pairing.changed', ({ reason }) => changes.push(reason));
    const renamed = await t.invoke('system.panels.rename', { id, name: '  Hall tablet  ' });
    expect(renamed).toMatchObject({ ok: true, value: { id, name: 'Hall tablet' } });
    expect(await t.invoke('system.panels.revoke', { id })).toEqual({ ok: true, value: { ok: true } });
    expect(changes).toEqual(['renamed', 'revoked']);
    expect(await t.hub.pairing.clientIdFor(token, '192.168.1.20')).toBeNull();
    expect(await t.invoke('system.panels.list', {})).toEqual({ ok: true, value: [] });

    const missing = await t.invoke('system.panels.revoke', { id });
    expect(!missing.ok && missing.error.code).toBe('not_found');
    const missingRename = await t.invoke('system.panels.rename', { id, name: 'x' });
    expect(!missingRename.ok && missingRename.error.code).toBe('not_found');
    const tooLong = await t.invoke('system.panels.rename', { id, name: 'x'.repeat(61) });
    expect(!tooLong.ok && tooLong.error.code).toBe('invalid_argument');
  });

  it('a revoke refuses the token at once, even right after it was checked', async () => {
    const { token, id } = await pairTablet('192.168.1.20');
    expect(await t.hub.pairing.clientIdFor(token, '192.168.1.20')).toBe(id);
    await t.hub.pairing.revoke(id);
    expect(await t.hub.pairing.clientIdFor(token, '192.168.1.20')).toBeNull();
  });

  it('revoking closes the client’s connections, and one that authenticated just before is refused', async () => {
    const { id } = await pairTablet('192.168.1.20');
    const closed: string[] = [];
    const release = t.hub.pairing.attachConnection(id, () => closed.push('a'));
    t.hub.pairing.attachConnection(id, () => closed.push('b'));
    expect((await t.hub.pairing.list())[0]?.connected).toBe(true);
    release?.();
    await t.hub.pairing.revoke(id);
    expect(closed).toEqual(['b']);
    expect(t.hub.pairing.attachConnection(id, () => closed.push('late'))).toBeNull();
  });

  it('migration 0005 gives paired clients a name column that defaults to empty', () => {
    const columns = t.hub.store.sqlite.prepare(`select name, type, "notnull", dflt_value from pragma_table_info('paired_client')`).all();
    expect(columns).toContainEqual({ name: 'name', type: 'TEXT', notnull: 1, dflt_value: "''" });
  });
});

describe('system handlers', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await createTestHub();
  });
  afterEach(async () => {
    await t.close();
  });

  it('system.pairing.get shows the code to a local panel only', async () => {
    t.hub.setPanelServerUrl('http://192.168.1.5:8411');
    const local = await t.invoke('system.pairing.get', {});
    expect(local).toEqual({
      ok: true,
      value: { code: t.hub.pairing.currentCode(), pairedClients: 0, panelServerUrl: 'http://192.168.1.5:8411' },
    });

    const tablet = t.hub.panels.open(PanelKind.BROWSER, false, t.clock.now());
    const remote = await t.invoke('system.pairing.get', {}, tablet);
    expect(remote.ok).toBe(true);
    if (remote.ok) expect(remote.value).toMatchObject({ code: null, pairedClients: 0 });
  });

  it('system.pairing.regenerate is for local panels only', async () => {
    const tablet = t.hub.panels.open(PanelKind.BROWSER, false, t.clock.now());
    const before = t.hub.pairing.currentCode();
    const refused = await t.invoke('system.pairing.regenerate', {}, tablet);
    expect(!refused.ok && refused.error.code).toBe('forbidden');
    expect(t.hub.pairing.currentCode()).toBe(before);

    const allowed = await t.invoke('system.pairing.regenerate', {});
    expect(allowed.ok).toBe(true);
    if (allowed.ok) expect((allowed.value as PairingInfo).code).toBe(t.hub.pairing.currentCode());
  });

  it('system.runtimeConfig.get lists how the hub was started and every setting', async () => {
    await t.hub.settings.update('console', 'timezone', 'Europe/Berlin');
    const response = await t.invoke('system.runtimeConfig.get', {});
    expect(response.ok).toBe(true);
    const entries = (response.ok ? response.value : []) as RuntimeConfigEntry[];
    const byKey = new Map(entries.map((e) => [e.key, e]));
    expect(byKey.get('dataDir')).toMatchObject({ value: t.dataDir, redacted: false });
    expect(byKey.get('version')?.value).toBe('test');
    expect(byKey.get('suppressMonitors')?.value).toBe('true');
    expect(byKey.get('console.timezone')).toEqual({ key: 'console.timezone', value: 'Europe/Berlin', source: 'setting', redacted: false });
    expect(entries.filter((e) => e.source === 'setting').length).toBeGreaterThanOrEqual(7);
  });

  it('system.monitors.get lists the system monitors as suppressed', async () => {
    const response = await t.invoke('system.monitors.get', {});
    expect(response.ok).toBe(true);
    const statuses = (response.ok ? response.value : []) as Array<{ name: string; health: string }>;
    expect(statuses.map((s) => s.name)).toEqual(expect.arrayContaining(['system.history_cleanup', 'system.orphan_file_cleanup', 'system.store_maintenance']));
    expect(statuses.every((s) => s.health === 'suppressed')).toBe(true);
  });

  it('hub.snapshot describes the calling panel', async () => {
    const response = await t.invoke('hub.snapshot', {});
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    expect(response.value).toMatchObject({ serverTime: t.clock.now(), version: 'test', panel: { panelId: t.panel.id, kind: 'test', isLocal: true } });
  });
});
