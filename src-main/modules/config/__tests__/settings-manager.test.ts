import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events as eventSchemas, type EventPayload } from '../../../../src-shared/ipc/contract';
import { IpcError } from '../../../../src-shared/ipc/errors';
import type { SettingHistoryEntry, SettingSection, SettingView } from '../../../../src-shared/model/settings';
import { EventBus } from '../../../ipc/event-bus';
import { openStore, type Store } from '../../../store/database';
import type { Database } from '../../../store/schema';
import { migrateToLatest } from '../../../store/migrations';
import { KeyFileCipher } from '../../../store/secret-cipher';
import { createTestHub, makeTempDir, TEST_SYSTEM_TIMEZONE, TestClock, type TestHub } from '../../../test-support/test-hub';
import { consoleSettings } from '../../console/settings';
import { settingsRegistry } from '../../settings-registry';
import { pruneHistory } from '../models';
import { declareSettings, type SettingsDeclaration } from '../setting-declaration';
import { SettingsManager } from '../settings-manager';

const SRC_MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function settingsFiles(): string[] {
  const files: string[] = [];
  for (const parent of ['modules', 'integrations']) {
    const dir = path.join(SRC_MAIN, parent);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name, 'settings.ts');
      if (entry.isDirectory() && existsSync(file)) files.push(file);
    }
  }
  return files;
}

const isDeclaration = (value: unknown): value is SettingsDeclaration =>
  typeof value === 'object' && value !== null && 'subsystem' in value && 'settings' in value;

async function expectIpcError(promise: Promise<unknown>, code: string): Promise<IpcError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IpcError);
  expect((error as IpcError).code.value).toBe(code);
  return error as IpcError;
}

const find = (sections: SettingSection[], subsystem: string, key: string): SettingView => {
  const view = sections.find((s) => s.subsystem === subsystem)?.settings.find((s) => s.key === key);
  if (!view) throw new Error(`no ${subsystem}.${key}`);
  return view;
};

describe('settings discovery', () => {
  it('registers every settings.ts declaration', async () => {
    const files = settingsFiles();
    expect(files.map((f) => path.relative(SRC_MAIN, f))).toContain(path.join('modules', 'console', 'settings.ts'));
    let declarations = 0;
    for (const file of files) {
      const exported = (await import(file)) as Record<string, unknown>;
      const found = Object.entries(exported).filter(([, value]) => isDeclaration(value));
      expect(found.length, `${path.relative(SRC_MAIN, file)} exports a settings declaration`).toBeGreaterThan(0);
      for (const [name, declaration] of found) {
        declarations += 1;
        expect(settingsRegistry, `${path.relative(SRC_MAIN, file)}: ${name} is missing from settings-registry.ts`).toContain(declaration);
      }
    }
    expect(settingsRegistry).toHaveLength(declarations);
  });

  it('has one subsystem per declaration', () => {
    const subsystems = settingsRegistry.map((d) => d.subsystem);
    expect(new Set(subsystems).size).toBe(subsystems.length);
  });

  it('refuses a declaration with a duplicate key or an invalid default', () => {
    const base = { key: 'a', label: 'A', description: 'a', type: 'integer', defaultValue: 1 } as const;
    expect(() => declareSettings({ subsystem: 'x', label: 'X', description: 'x', settings: [base, base] })).toThrow(/declared twice/);
    expect(() =>
      declareSettings({ subsystem: 'x', label: 'X', description: 'x', settings: [{ ...base, defaultValue: 5, max: 3 }] }),
    ).toThrow(/Default of x.a is invalid/);
  });
});

describe('SettingsManager through a hub', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await createTestHub();
  });
  afterEach(async () => {
    await t.close();
  });

  const update = (key: string, value: unknown) => t.invoke('settings.update', { subsystem: 'console', key, value });
  const valueOf = async (key: string): Promise<SettingView> => {
    const response = await t.invoke('settings.sections.get', {});
    if (!response.ok) throw new Error(response.error.message);
    return find(response.value as SettingSection[], 'console', key);
  };

  it('writes every declared default on first start', async () => {
    const sections = t.hub.settings.sections();
    expect(sections.map((s) => s.subsystem)).toEqual(settingsRegistry.map((d) => d.subsystem));
    for (const declaration of settingsRegistry) {
      for (const descriptor of declaration.settings) {
        const view = find(sections, declaration.subsystem, descriptor.key);
        expect(view.isDefault, `${declaration.subsystem}.${descriptor.key}`).toBe(true);
        // The home zone defaults to the hub's machine zone, which the test hub fixes.
        const expected = declaration === consoleSettings && descriptor.key === 'timezone' ? TEST_SYSTEM_TIMEZONE : descriptor.defaultValue;
        if (descriptor.type !== 'secret') expect(view.value).toBe(expected);
      }
    }
    expect(t.hub.settings.value(consoleSettings, 'timezone')).toBe('America/Chicago');
    expect(t.hub.settings.value(consoleSettings, 'latitude')).toBe(30.27);
    expect(t.hub.settings.value(consoleSettings, 'units')).toBe('metric');
    expect(t.hub.settings.value(consoleSettings, 'sleep_overlay_opacity')).toBe(0.9);
    const rows = t.hub.store.sqlite.prepare('select count(*) as n from subsystem_attribute').get() as { n: number };
    expect(rows.n).toBe(settingsRegistry.reduce((n, d) => n + d.settings.length, 0));
  });

  it('updates a value, answers its view and stamps it with the clock', async () => {
    t.clock.advance(5_000);
    const response = await update('timezone', ' Europe/Berlin ');
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    const view = response.value as SettingView;
    expect(view).toMatchObject({ subsystem: 'console', key: 'timezone', value: 'Europe/Berlin', isDefault: false, hasValue: true });
    expect(view.updatedAt).toBe(t.clock.now());
    expect(t.hub.settings.value(consoleSettings, 'timezone')).toBe('Europe/Berlin');
    expect((await valueOf('timezone')).value).toBe('Europe/Berlin');
  });

  it('converts typed input: a number string to a number', async () => {
    const response = await update('sleep_overlay_opacity', '0.5');
    expect(response.ok).toBe(true);
    expect(t.hub.settings.value(consoleSettings, 'sleep_overlay_opacity')).toBe(0.5);
  });

  it('keeps a changed value across a restart and does not overwrite it with the default', async () => {
    expect((await update('timezone', 'Europe/Berlin')).ok).toBe(true);
    expect((await update('latitude', 52.52)).ok).toBe(true);
    await t.stop();

    const again = await createTestHub({ dataDir: t.dataDir });
    try {
      expect(again.hub.settings.value(consoleSettings, 'timezone')).toBe('Europe/Berlin');
      expect(again.hub.settings.value(consoleSettings, 'latitude')).toBe(52.52);
      // Untouched settings keep their defaults; history survives too.
      expect(again.hub.settings.value(consoleSettings, 'theme')).toBe('light');
      const history = await again.hub.settings.history('console', 'timezone');
      expect(history.map((h) => h.value)).toEqual(['America/Chicago']);
      const attributes = again.hub.store.sqlite
        .prepare(`select count(*) as n from subsystem_attribute join subsystem on subsystem.id = subsystem_id where subsystem_key = 'console'`)
        .get() as { n: number };
      expect(attributes.n).toBe(consoleSettings.settings.length);
    } finally {
      await again.stop();
    }
  });

  it('only reads at a start that finds every setting in place', async () => {
    // A second Kysely over the hub's connection that records each statement (never destroyed: it would close it).
    const statements: string[] = [];
    const recording = new Kysely<Database>({ dialect: new SqliteDialect({ database: t.hub.store.sqlite }), log: (event) => void statements.push(event.query.sql) });
    const settings = new SettingsManager(recording, settingsRegistry, new KeyFileCipher(path.join(t.dataDir, 'secret.key')), new EventBus(), t.clock);
    await settings.start();
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((sql) => !/^select /i.test(sql))).toEqual([]);
    expect(settings.value(consoleSettings, 'timezone')).toBe('America/Chicago');
  });

  it('writes the default of a setting that a newer version declares, keeping the values already there', async () => {
    expect((await update('timezone', 'Europe/Berlin')).ok).toBe(true);
    t.hub.store.sqlite.prepare(`delete from subsystem_attribute where setting_key = 'latitude'`).run();
    await t.stop();
    const again = await createTestHub({ dataDir: t.dataDir });
    try {
      expect(again.hub.settings.value(consoleSettings, 'latitude')).toBe(30.27);
      expect(again.hub.settings.value(consoleSettings, 'timezone')).toBe('Europe/Berlin');
    } finally {
      await again.stop();
    }
  });

  it('refuses an invalid value with invalid_argument and keeps the stored one', async () => {
    const error = await expectIpcError(t.hub.settings.update('console', 'latitude', 91), 'invalid_argument');
    expect(error.issues?.[0]?.path).toEqual(['value']);
    expect(t.hub.settings.value(consoleSettings, 'latitude')).toBe(30.27);

    const response = await update('timezone', 'Mars/Base');
    expect(response.ok).toBe(false);
    if (!response.ok) expect(response.error.code).toBe('invalid_argument');
    expect(t.hub.settings.value(consoleSettings, 'timezone')).toBe('America/Chicago');
    expect(await t.hub.settings.history('console', 'timezone')).toEqual([]);
    const stored = t.hub.store.sqlite
      .prepare(`select value from subsystem_attribute where setting_key = 'timezone'`)
      .get() as { value: string };
    expect(stored.value).toBe('America/Chicago');
  });

  it('records earlier values newest first and restores one, which is itself recorded', async () => {
    const changes = ['Europe/Berlin', 'Asia/Tokyo', 'UTC'];
    for (const zone of changes) {
      t.clock.advance(1_000);
      expect((await update('timezone', zone)).ok).toBe(true);
    }
    const historyResponse = await t.invoke('settings.history.get', { subsystem: 'console', key: 'timezone' });
    expect(historyResponse.ok).toBe(true);
    const history = (historyResponse.ok ? historyResponse.value : []) as SettingHistoryEntry[];
    expect(history.map((h) => h.value)).toEqual(['Asia/Tokyo', 'Europe/Berlin', 'America/Chicago']);
    const times = history.map((h) => h.changedAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBe(t.clock.now());

    t.clock.advance(1_000);
    const berlin = history.find((h) => h.value === 'Europe/Berlin')!;
    const restored = await t.invoke('settings.history.restore', { historyId: berlin.id });
    expect(restored.ok).toBe(true);
    if (restored.ok) expect((restored.value as SettingView).value).toBe('Europe/Berlin');
    expect(t.hub.settings.value(consoleSettings, 'timezone')).toBe('Europe/Berlin');

    const after = await t.hub.settings.history('console', 'timezone');
    expect(after.map((h) => h.value)).toEqual(['UTC', 'Asia/Tokyo', 'Europe/Berlin', 'America/Chicago']);
    expect(after[0]!.changedAt).toBe(t.clock.now());
  });

  it('orders history entries written at the same instant by insertion', async () => {
    for (const zone of ['Europe/Berlin', 'Asia/Tokyo', 'UTC']) await t.hub.settings.update('console', 'timezone', zone);
    const history = await t.hub.settings.history('console', 'timezone');
    expect(history.map((h) => h.value)).toEqual(['Asia/Tokyo', 'Europe/Berlin', 'America/Chicago']);
  });

  it('answers not_found for an unknown history entry', async () => {
    await expectIpcError(t.hub.settings.restoreHistory(123_456), 'not_found');
    const response = await t.invoke('settings.history.restore', { historyId: 123_456 });
    expect(!response.ok && response.error.code).toBe('not_found');
  });

  it('restores a subsystem’s defaults and announces the changed settings in one event', async () => {
    await t.hub.settings.update('console', 'timezone', 'Europe/Berlin');
    await t.hub.settings.update('console', 'theme', 'dark');
    const events: Array<EventPayload<'settings.changed'>> = [];
    const off = t.hub.events.on('settings.changed', (payload) => events.push(payload));

    const response = await t.invoke('settings.defaults.restore', { subsystem: 'console' });
    off();
    expect(response.ok).toBe(true);
    const section = (response.ok ? response.value : null) as SettingSection;
    expect(section.subsystem).toBe('console');
    expect(section.settings.every((s) => s.isDefault)).toBe(true);
    expect(find([section], 'console', 'timezone').value).toBe('America/Chicago');

    expect(events).toHaveLength(1);
    expect(events[0]!.settings.map((s) => s.key).sort()).toEqual(['theme', 'timezone']);
    expect(events[0]!.settings.every((s) => s.isDefault)).toBe(true);
    expect(t.hub.settings.value(consoleSettings, 'theme')).toBe('light');
  });

  it('restoring defaults that are already in place writes and announces nothing', async () => {
    let events = 0;
    const off = t.hub.events.on('settings.changed', () => (events += 1));
    await t.hub.settings.restoreDefaults('console');
    off();
    expect(events).toBe(0);
    const history = t.hub.store.sqlite.prepare('select count(*) as n from subsystem_attribute_history').get() as { n: number };
    expect(history.n).toBe(0);
  });

  it('writes no history and emits nothing for an update to the same value', async () => {
    let events = 0;
    const off = t.hub.events.on('settings.changed', () => (events += 1));
    const before = await valueOf('timezone');
    t.clock.advance(60_000);
    const response = await update('timezone', 'America/Chicago');
    // An equivalent input (same value once parsed) is no change either.
    await update('sleep_overlay_opacity', '0.90');
    await update('units', ' METRIC ');
    off();
    expect(response.ok).toBe(true);
    expect(events).toBe(0);
    expect(await t.hub.settings.history('console', 'timezone')).toEqual([]);
    expect(await t.hub.settings.history('console', 'sleep_overlay_opacity')).toEqual([]);
    expect((await valueOf('timezone')).updatedAt).toBe(before.updatedAt);
  });

  it('answers not_found for an unknown subsystem or key', async () => {
    await expectIpcError(t.hub.settings.update('nope', 'timezone', 'UTC'), 'not_found');
    await expectIpcError(t.hub.settings.update('console', 'nope', 'UTC'), 'not_found');
    await expectIpcError(t.hub.settings.history('console', 'nope'), 'not_found');
    await expectIpcError(t.hub.settings.restoreDefaults('nope'), 'not_found');
    const response = await t.invoke('settings.defaults.restore', { subsystem: 'nope' });
    expect(!response.ok && response.error.code).toBe('not_found');
  });

  it('announces each change with the new view', async () => {
    const events: Array<EventPayload<'settings.changed'>> = [];
    const off = t.hub.events.on('settings.changed', (payload) => events.push(payload));
    t.clock.advance(2_000);
    await update('theme', 'dark');
    await update('longitude', '-1.5');
    off();
    expect(events).toHaveLength(2);
    expect(events[0]!.settings).toHaveLength(1);
    expect(events[0]!.settings[0]).toMatchObject({ subsystem: 'console', key: 'theme', value: 'dark', isDefault: false, updatedAt: t.clock.now() });
    expect(events[1]!.settings[0]).toMatchObject({ key: 'longitude', value: -1.5 });
    for (const event of events) expect(eventSchemas['settings.changed'].safeParse(event).success).toBe(true);
    // The event view is the same as what sections() answers.
    expect(events[0]!.settings[0]).toEqual(await valueOf('theme'));
  });

  it('serialises concurrent updates: each is recorded and the last one wins', async () => {
    const zones = ['Europe/Berlin', 'Asia/Tokyo', 'UTC', 'Europe/Paris'];
    await Promise.all(zones.map((zone) => t.hub.settings.update('console', 'timezone', zone)));
    expect(t.hub.settings.value(consoleSettings, 'timezone')).toBe('Europe/Paris');
    const history = await t.hub.settings.history('console', 'timezone');
    expect(history.map((h) => h.value)).toEqual(['UTC', 'Asia/Tokyo', 'Europe/Berlin', 'America/Chicago']);
  });
});

describe('SettingsManager on its own store', () => {
  const declaration = declareSettings({
    subsystem: 'test_integration',
    label: 'Test integration',
    description: 'A declaration with a secret.',
    settings: [
      { key: 'api_token', label: 'API token', description: 'A token.', type: 'secret', defaultValue: '' },
      { key: 'poll_seconds', label: 'Poll', description: 'How often.', type: 'integer', defaultValue: 30, min: 5, max: 600 },
    ],
  });

  let dir: string;
  let store: Store;
  let events: EventBus;
  let clock: TestClock;
  let manager: SettingsManager;

  const open = async () => {
    store = openStore(path.join(dir, 'db.sqlite'));
    await migrateToLatest(store.db);
    events = new EventBus();
    manager = new SettingsManager(store.db, [declaration], new KeyFileCipher(path.join(dir, 'secret.key')), events, clock);
    await manager.start();
  };

  beforeEach(async () => {
    dir = makeTempDir('hi-settings-');
    clock = new TestClock();
    await open();
  });
  afterEach(async () => {
    manager.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const secretView = () => find(manager.sections(), 'test_integration', 'api_token');
  const rawSecret = () =>
    (store.sqlite.prepare(`select value from subsystem_attribute where setting_key = 'api_token'`).get() as { value: string }).value;

  it('starts with an unset secret', () => {
    expect(secretView()).toMatchObject({ value: null, defaultValue: null, hasValue: false, isDefault: true });
    expect(manager.value(declaration, 'api_token')).toBe('');
    expect(rawSecret()).toBe('');
  });

  it('stores a secret encrypted and never shows it', async () => {
    const seen: SettingView[] = [];
    events.on('settings.changed', (p) => seen.push(...p.settings));
    const view = await manager.update('test_integration', 'api_token', 'tok-PLAINTEXT-123');
    expect(view).toMatchObject({ value: null, defaultValue: null, hasValue: true, isDefault: false });
    expect(secretView()).toMatchObject({ value: null, hasValue: true });
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toContain('PLAINTEXT');
    expect(JSON.stringify(manager.sections())).not.toContain('PLAINTEXT');

    const raw = rawSecret();
    expect(raw).not.toContain('PLAINTEXT');
    expect(raw.length).toBeGreaterThan(0);
    expect(manager.value(declaration, 'api_token')).toBe('tok-PLAINTEXT-123');
  });

  it('keeps a secret out of history but can restore it', async () => {
    await manager.update('test_integration', 'api_token', 'first-PLAINTEXT');
    clock.advance(1_000);
    await manager.update('test_integration', 'api_token', 'second-PLAINTEXT');
    const history = await manager.history('test_integration', 'api_token');
    expect(history).toHaveLength(2);
    expect(history.every((h) => h.value === null)).toBe(true);
    const rawHistory = store.sqlite.prepare('select value from subsystem_attribute_history').all() as Array<{ value: string }>;
    expect(JSON.stringify(rawHistory)).not.toContain('PLAINTEXT');

    await manager.restoreHistory(history[0]!.id);
    expect(manager.value(declaration, 'api_token')).toBe('first-PLAINTEXT');
  });

  it('does not re-record an unchanged secret', async () => {
    await manager.update('test_integration', 'api_token', 'same');
    await manager.update('test_integration', 'api_token', 'same');
    expect(await manager.history('test_integration', 'api_token')).toHaveLength(1);
  });

  it('clears a secret with an empty value and with restoreDefaults', async () => {
    await manager.update('test_integration', 'api_token', 'abc');
    await manager.update('test_integration', 'api_token', '');
    expect(secretView()).toMatchObject({ hasValue: false, isDefault: true });
    await manager.update('test_integration', 'api_token', 'def');
    await manager.restoreDefaults('test_integration');
    expect(secretView().hasValue).toBe(false);
    expect(manager.value(declaration, 'api_token')).toBe('');
  });

  it('reads a secret back after a restart with the same key file', async () => {
    await manager.update('test_integration', 'api_token', 'persisted');
    manager.stop();
    await store.close();
    await open();
    expect(manager.value(declaration, 'api_token')).toBe('persisted');
    expect(secretView().hasValue).toBe(true);
  });

  it('lets the user re-enter a secret after the key was lost', async () => {
    await manager.update('test_integration', 'api_token', 'old-token');
    manager.stop();
    await store.close();
    // A restored backup without its key file, or a changed OS keychain: the stored ciphertext cannot be read.
    rmSync(path.join(dir, 'secret.key'));
    await open();
    expect(secretView().hasValue).toBe(true);
    const view = await manager.update('test_integration', 'api_token', 'new-token');
    expect(view.hasValue).toBe(true);
    expect(manager.value(declaration, 'api_token')).toBe('new-token');
  });

  it('refuses to restore an earlier value that no longer validates', async () => {
    const attribute = store.sqlite.prepare(`select id from subsystem_attribute where setting_key = 'poll_seconds'`).get() as { id: number };
    const inserted = store.sqlite
      .prepare('insert into subsystem_attribute_history (attribute_id, value, changed_at) values (?, ?, ?)')
      .run(attribute.id, '2', clock.now());
    await expectIpcError(manager.restoreHistory(Number(inserted.lastInsertRowid)), 'conflict');
    expect(manager.value(declaration, 'poll_seconds')).toBe(30);
  });

  it('pruneHistory keeps the newest N entries of each setting', async () => {
    for (let i = 1; i <= 6; i += 1) {
      clock.advance(1_000);
      await manager.update('test_integration', 'poll_seconds', 10 * i);
    }
    for (let i = 1; i <= 2; i += 1) {
      clock.advance(1_000);
      await manager.update('test_integration', 'api_token', `t${i}`);
    }
    const pollBefore = await manager.history('test_integration', 'poll_seconds');
    expect(pollBefore.map((h) => h.value)).toEqual([50, 40, 30, 20, 10, 30]);

    const removed = await pruneHistory(store.db, 3);
    expect(removed).toBe(3);
    const pollAfter = await manager.history('test_integration', 'poll_seconds');
    expect(pollAfter).toEqual(pollBefore.slice(0, 3));
    // The other setting had fewer than 3 entries: untouched.
    expect(await manager.history('test_integration', 'api_token')).toHaveLength(2);
    expect(await pruneHistory(store.db, 3)).toBe(0);
  });

  it('pruneHistory breaks ties on the same instant by id', async () => {
    for (let i = 1; i <= 4; i += 1) await manager.update('test_integration', 'poll_seconds', 100 + i);
    const before = await manager.history('test_integration', 'poll_seconds');
    expect(await pruneHistory(store.db, 2)).toBe(2);
    expect(await manager.history('test_integration', 'poll_seconds')).toEqual(before.slice(0, 2));
  });

  it('reads a stored value that no longer validates as the default', async () => {
    store.sqlite.prepare(`update subsystem_attribute set value = '9999' where setting_key = 'poll_seconds'`).run();
    manager.stop();
    await store.close();
    await open();
    expect(manager.value(declaration, 'poll_seconds')).toBe(30);
  });
});
