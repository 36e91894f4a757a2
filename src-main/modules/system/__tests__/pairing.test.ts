import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelKind } from '../../../../src-shared/enums';
import type { PairingInfo, RuntimeConfigEntry } from '../../../../src-shared/model/system';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';

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
    expect(await t.hub.pairing.isPaired(result.token)).toBe(true);
    expect(await t.hub.pairing.isPaired('not-a-token')).toBe(false);
    expect(await t.hub.pairing.isPaired(`${result.token}x`)).toBe(false);
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
      expect(await again.hub.pairing.isPaired(result.token)).toBe(true);
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
    expect(await t.hub.pairing.pair(code, '10.0.0.9', 'Attacker')).toEqual({ ok: false, reason: 'too_many_attempts' });
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
    expect(statuses.map((s) => s.name).sort()).toEqual(['system.history_cleanup', 'system.orphan_file_cleanup', 'system.store_maintenance']);
    expect(statuses.every((s) => s.health === 'suppressed')).toBe(true);
  });

  it('hub.snapshot describes the calling panel', async () => {
    const response = await t.invoke('hub.snapshot', {});
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    expect(response.value).toMatchObject({ serverTime: t.clock.now(), version: 'test', panel: { panelId: t.panel.id, kind: 'test', isLocal: true } });
  });
});
