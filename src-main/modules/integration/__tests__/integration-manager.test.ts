import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IntegrationHealth } from '../../../../src-shared/enums';
import type { EventPayload } from '../../../../src-shared/ipc/contract';
import { IpcError } from '../../../../src-shared/ipc/errors';
import type { IntegrationHealthView, IntegrationView } from '../../../../src-shared/model/integration';
import { GatewayError, type IntegrationGateway } from '../../../integrations/gateway';
import { KeyFileCipher } from '../../../store/secret-cipher';
import { call, callFails, countRows, rows } from '../../../test-support/home-helpers';
import {
  entityFor,
  FakeGateway,
  FRONT_DOOR,
  Gate,
  KITCHEN_LIGHT,
  LIVING_TEMPERATURE,
  settle,
  smallHome,
  startRecordingServer,
  stateIdFor,
  syncInto,
  upstreamDoor,
  upstreamLight,
  upstreamThermostat,
  waitUntil,
  type EntityRow,
  type RecordingServer,
} from '../../../test-support/integration-fixtures';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { IntegrationManager, nothingChosenMessage, STALE_GRACE_MS } from '../integration-manager';

const KEY = 'hass';
const URL = 'http://homeassistant.local:8123';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.long-lived-token-0123456789';

/** The IpcError a call rejects with; fails the test when it resolves or throws something else. */
async function ipcError(promise: Promise<unknown>): Promise<IpcError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IpcError) return error;
    throw error;
  }
  throw new Error('expected an IpcError, but the call succeeded');
}

/** Runs `action` with stderr muted: for calls that log an error on purpose. */
async function quietly<T>(action: () => Promise<T>): Promise<T> {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await action();
  } finally {
    stderr.mockRestore();
  }
}

/** Builds the manager the way hub.ts does, on the test hub's store, status pipeline, events and clock. */
function buildManager(t: TestHub, gateways: readonly IntegrationGateway[]): IntegrationManager {
  return new IntegrationManager(t.hub.store.db, gateways, new KeyFileCipher(path.join(t.dataDir, 'secret.key')), t.hub.statuses, t.hub.events, t.clock, t.scheduler);
}

describe('IntegrationManager', () => {
  let t: TestHub;
  let gateway: FakeGateway;
  let manager: IntegrationManager;
  let health: IntegrationHealthView[];
  let statusChanges: Array<EventPayload<'status.changed'>>;
  let homeChanges: string[];

  const listen = () => {
    health = [];
    statusChanges = [];
    homeChanges = [];
    t.hub.events.onAny((name, payload) => {
      if (name === 'integration.health' && (payload as IntegrationHealthView).key === KEY) health.push(payload as IntegrationHealthView);
      if (name === 'status.changed') statusChanges.push(payload as EventPayload<'status.changed'>);
      if (name === 'home.changed') homeChanges.push((payload as EventPayload<'home.changed'>).reason);
    });
  };

  beforeEach(async () => {
    t = await createTestHub();
    listen();
    gateway = new FakeGateway();
    manager = buildManager(t, [gateway]);
    await manager.start();
  });
  afterEach(async () => {
    await manager.stop();
    await t.close();
  });

  const view = async (key = KEY): Promise<IntegrationView> => (await manager.list()).find((v) => v.key === key)!;
  const integrationRow = () => rows<{ id: number; is_enabled: number; is_paused: number; last_sync_at: number | null }>(t, 'integration', { integration_key: KEY })[0]!;
  const attributeRows = () => rows<{ attribute_key: string; value: string; is_secret: number }>(t, 'integration_attribute', { integration_id: integrationRow().id });
  const healthNow = () => manager.healthViews().find((h) => h.key === KEY)!;
  const latest = (upstreamId: string, stateKey: string) => t.hub.statuses.latest(stateIdFor(t, upstreamId, stateKey));
  const entityId = (upstreamId: string) => entityFor(t, KEY, upstreamId)!.id;

  async function configureAndEnable(importDomains = ['light', 'binary_sensor', 'sensor']): Promise<void> {
    await manager.configure(KEY, { fields: { url: URL, token: TOKEN }, importDomains });
    await manager.enable(KEY);
  }

  /** Stops the manager and the hub, then starts both again on the same data dir with a fresh gateway. */
  async function restart(): Promise<void> {
    await manager.stop();
    await t.stop();
    t = await createTestHub({ dataDir: t.dataDir, clock: t.clock });
    listen();
    gateway = new FakeGateway();
    manager = buildManager(t, [gateway]);
    await manager.start();
  }

  async function enableAndSync(): Promise<void> {
    await configureAndEnable();
    await manager.sync(KEY);
  }

  describe('start', () => {
    it('creates one integration row per gateway, once, and starts none while disabled', async () => {
      const other = new FakeGateway('zm', 'Fake Cameras');
      const second = buildManager(t, [gateway, other]);
      await second.start();
      await buildManager(t, [gateway, other]).start();
      expect(rows<{ integration_key: string; is_enabled: number }>(t, 'integration').filter((r) => r.integration_key === KEY || r.integration_key === 'zm').map((r) => [r.integration_key, r.is_enabled])).toEqual([
        [KEY, 0],
        ['zm', 0],
      ]);
      expect(gateway.count('start')).toBe(0);
      expect(other.count('start')).toBe(0);
      expect(second.healthViews()).toEqual([
        { key: KEY, health: 'disabled', lastSuccessAt: null, message: null },
        { key: 'zm', health: 'disabled', lastSuccessAt: null, message: null },
      ]);
      expect((await second.list()).map((v) => [v.key, v.label, v.enabled, v.paused])).toEqual([
        [KEY, 'Fake Home', false, false],
        ['zm', 'Fake Cameras', false, false],
      ]);
    });

    it('starts an enabled integration on a restart, with its states stale until it reports OK', async () => {
      await enableAndSync();
      gateway.reportHealth(IntegrationHealth.OK);
      await restart();
      expect(gateway.count('start')).toBe(1);
      expect(gateway.last('start')!.config).toMatchObject({ url: URL, token: TOKEN });
      expect(healthNow().health).toBe('connecting');
      expect(latest(KITCHEN_LIGHT, 'on_off')).toMatchObject({ value: 'on', stale: true });
      gateway.reportHealth(IntegrationHealth.OK);
      expect(latest(KITCHEN_LIGHT, 'on_off')).toMatchObject({ value: 'on', stale: false });
    });

    it('keeps a paused integration stopped on a restart, its states stale', async () => {
      await enableAndSync();
      gateway.reportHealth(IntegrationHealth.OK);
      await manager.pause(KEY, true);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(true);
      await restart();
      expect(gateway.count('start')).toBe(0);
      expect(healthNow().health).toBe('paused');
      expect(latest(KITCHEN_LIGHT, 'on_off')?.value).toBe('on');
      // Regression (fixed): nothing marks the states stale after a restart unless the gateway starts (integration-manager.ts start()).
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(true);
    });
  });

  describe('configure', () => {
    it('refuses an unknown setting and stores nothing', async () => {
      const error = await ipcError(manager.configure(KEY, { fields: { url: URL, password: 'hunter2' } }));
      expect(error.code.value).toBe('invalid_argument');
      expect(error.message).toMatch(/password/);
      expect(error.issues).toEqual([{ path: ['fields', 'password'], message: 'Unknown.' }]);
      expect(attributeRows()).toEqual([]);
    });

    it.each(['ftp://homeassistant.local', 'http://', 'javascript:alert(1)', 'http://home assistant', 'not an address', ':8123'])('refuses the address %s, saying how to write one', async (url) => {
      const error = await ipcError(manager.configure(KEY, { fields: { url } }));
      expect(error.code.value).toBe('invalid_argument');
      expect(error.issues?.[0]?.path).toEqual(['fields', 'url']);
      expect(error.message).toMatch(/^Server address: ".*" (is not an address\. Write it as host:port, e\.g\. 192\.168\.1\.20:8123|starts with ftp:\/\/; the address must be http:\/\/ or https:\/\/)/);
      expect(error.message).not.toMatch(/Invalid URL/);
      expect(attributeRows()).toEqual([]);
    });

    it.each([
      ['192.168.1.20:8123', 'http://192.168.1.20:8123'],
      ['homeassistant.local:8123', 'http://homeassistant.local:8123'],
      [' homeassistant.local ', 'http://homeassistant.local'],
      ['HTTPS://ha.example.com', 'HTTPS://ha.example.com'],
    ])('takes the address %s without a scheme as %s', async (typed, stored) => {
      // Regression: an address typed as a person writes it was refused.
      expect((await manager.configure(KEY, { fields: { url: typed } })).fields.find((f) => f.key === 'url')).toMatchObject({ value: stored, hasValue: true });
      await manager.configure(KEY, { fields: { token: TOKEN } });
      expect(await manager.test(KEY, { url: typed })).toEqual({ ok: true, message: 'Connected to Fake Home.' });
      expect(gateway.last('test')!.config).toMatchObject({ url: stored, token: TOKEN });
    });

    it('accepts http and https addresses, trimmed, and an empty one', async () => {
      expect((await manager.configure(KEY, { fields: { url: '  https://ha.example.com:8443/  ' } })).fields.find((f) => f.key === 'url')).toMatchObject({ value: 'https://ha.example.com:8443/', hasValue: true });
      expect((await manager.configure(KEY, { fields: { url: '' } })).fields.find((f) => f.key === 'url')).toMatchObject({ value: '', hasValue: false });
    });

    it('stores secrets encrypted and never shows them', async () => {
      const saved = await manager.configure(KEY, { fields: { url: URL, token: TOKEN, site: ' Home ' }, importDomains: ['light', 'light', 'sensor'], importEntities: [FRONT_DOOR] });
      expect(saved.fields.map((f) => [f.key, f.value, f.hasValue])).toEqual([
        ['url', URL, true],
        ['token', null, true],
        ['site', 'Home', true],
      ]);
      expect(saved).toMatchObject({ importDomains: ['light', 'sensor'], importEntities: [FRONT_DOOR] });

      const token = attributeRows().find((a) => a.attribute_key === 'token')!;
      expect(token.is_secret).toBe(1);
      expect(token.value).not.toContain(TOKEN);
      expect(token.value).not.toContain('long-lived');
      expect(t.hub.store.sqlite.prepare(`select count(*) as n from integration_attribute where value like '%long-lived-token%'`).get()).toEqual({ n: 0 });
      // No view of the integration, however reached, carries the secret.
      expect(JSON.stringify(await manager.list())).not.toContain('long-lived-token');
      // The gateway gets it decrypted.
      await manager.test(KEY);
      expect(gateway.last('test')!.config).toMatchObject({ url: URL, token: TOKEN, site: 'Home' });
    });

    it('keeps the stored secret when an empty one is sent back for the same address', async () => {
      await manager.configure(KEY, { fields: { url: URL, token: TOKEN } });
      const stored = attributeRows().find((a) => a.attribute_key === 'token')!.value;
      const saved = await manager.configure(KEY, { fields: { url: `${URL}/`, token: '', site: 'Home' } });
      expect(saved.fields.find((f) => f.key === 'token')).toMatchObject({ value: null, hasValue: true });
      expect(attributeRows().find((a) => a.attribute_key === 'token')!.value).toBe(stored);
      await manager.test(KEY);
      expect(gateway.last('test')!.config).toMatchObject({ url: `${URL}/`, token: TOKEN });
    });

    it('reconnects a running integration with the new settings', async () => {
      await configureAndEnable();
      await manager.configure(KEY, { fields: { url: 'https://ha.example.com', token: 'a-new-token' } });
      expect(gateway.calls.map((c) => c.kind).filter((k) => k === 'start' || k === 'stop')).toEqual(['start', 'stop', 'start']);
      expect(gateway.last('start')!.config).toMatchObject({ url: 'https://ha.example.com', token: 'a-new-token' });
    });

    it('answers not_found for an integration it does not have', async () => {
      expect((await ipcError(manager.configure('zwave', { fields: {} }))).code.value).toBe('not_found');
      expect((await ipcError(manager.enable('zwave'))).code.value).toBe('not_found');
      expect((await ipcError(manager.sync('zwave'))).code.value).toBe('not_found');
    });
  });

  describe('test', () => {
    it('tests the stored settings merged with the given ones, without saving them', async () => {
      await manager.configure(KEY, { fields: { url: URL, token: TOKEN } });
      const result = await manager.test(KEY, { url: 'https://other.example.com', token: 'another-token', site: '' });
      expect(result).toEqual({ ok: true, message: 'Connected to Fake Home.' });
      expect(gateway.last('test')!.config).toMatchObject({ url: 'https://other.example.com', token: 'another-token' });
      expect((await view()).fields.find((f) => f.key === 'url')!.value).toBe(URL);

      await manager.test(KEY, { token: 'a-new-token' });
      expect(gateway.last('test')!.config).toMatchObject({ url: URL, token: 'a-new-token' });
      await manager.test(KEY, { url: `${URL}/api/`, token: '' });
      expect(gateway.last('test')!.config).toMatchObject({ url: `${URL}/api/`, token: TOKEN });
    });

    it('reports the failure a person can act on', async () => {
      await manager.configure(KEY, { fields: { url: URL, token: TOKEN } });
      gateway.failTest = new GatewayError('auth', 'Fake Home refused the token. Create a new one and enter it again.');
      expect(await manager.test(KEY)).toEqual({ ok: false, message: 'Fake Home refused the token. Create a new one and enter it again.' });
      expect(gateway.running).toBe(false);
    });

    it('reports a gateway\u2019s unexpected error in general words, its detail only in the log', async () => {
      await manager.configure(KEY, { fields: { url: URL, token: TOKEN } });
      gateway.failTest = new TypeError("Cannot read properties of undefined (reading 'state')");
      const result = await quietly(() => manager.test(KEY));
      expect(result).toEqual({ ok: false, message: "The test of Fake Home failed unexpectedly; the details are in the hub's log." });
    });

    it('refuses a setting the gateway does not have, and an address that is not http(s)', async () => {
      expect((await ipcError(manager.test(KEY, { password: 'x' }))).issues).toEqual([{ path: ['fields', 'password'], message: 'Unknown.' }]);
      expect((await ipcError(manager.test(KEY, { url: 'file:///etc/passwd' }))).code.value).toBe('invalid_argument');
      expect(gateway.count('test')).toBe(0);
    });
  });

  describe('enable', () => {
    it('refuses while a required setting is empty', async () => {
      await manager.configure(KEY, { fields: { url: URL } });
      const error = await ipcError(manager.enable(KEY));
      expect(error.code.value).toBe('invalid_argument');
      expect(error.message).toMatch(/Access token/);
      expect(error.message).not.toMatch(/Site name/);
      expect(gateway.count('start')).toBe(0);
      expect(integrationRow().is_enabled).toBe(0);
    });

    it('starts the gateway with the decrypted settings, once', async () => {
      await manager.configure(KEY, { fields: { url: URL, token: TOKEN } });
      const enabled = await manager.enable(KEY);
      expect(enabled).toMatchObject({ enabled: true, paused: false, health: { key: KEY, health: 'connecting' } });
      expect(integrationRow()).toMatchObject({ is_enabled: 1, is_paused: 0 });
      expect(gateway.count('start')).toBe(1);
      expect(gateway.last('start')!.config).toMatchObject({ url: URL, token: TOKEN });
      expect(health.at(-1)).toMatchObject({ health: 'connecting' });
      await manager.enable(KEY);
      expect(gateway.count('start')).toBe(1);
    });
  });

  describe('health', () => {
    beforeEach(async () => {
      await enableAndSync();
      t.hub.coalescer.flush();
    });

    it('OK clears stale and records the time; UNREACHABLE past the grace period marks every state stale and tells the panels', async () => {
      gateway.reportHealth(IntegrationHealth.OK);
      const okAt = t.clock.now();
      expect(healthNow()).toEqual({ key: KEY, health: 'ok', lastSuccessAt: okAt, message: null });
      expect(health.at(-1)).toEqual({ key: KEY, health: 'ok', lastSuccessAt: okAt, message: null });
      expect(latest(KITCHEN_LIGHT, 'on_off')).toMatchObject({ value: 'on', stale: false });
      t.hub.coalescer.flush();
      statusChanges.length = 0;
      const events = health.length;

      t.clock.advance(30_000);
      gateway.reportHealth(IntegrationHealth.UNREACHABLE, 'connect ECONNREFUSED');
      // It was good until it was lost: "unreachable since" reads the moment it left OK.
      const lostAt = t.clock.now();
      expect(lostAt).toBeGreaterThan(okAt);
      expect(health.slice(events)).toEqual([{ key: KEY, health: 'unreachable', lastSuccessAt: lostAt, message: 'connect ECONNREFUSED' }]);
      expect(latest(KITCHEN_LIGHT, 'on_off')).toMatchObject({ value: 'on', stale: false });
      t.scheduler.runUntil(lostAt + STALE_GRACE_MS);
      expect(latest(KITCHEN_LIGHT, 'on_off')).toMatchObject({ value: 'on', stale: true });
      expect(latest(LIVING_TEMPERATURE, 'value')).toMatchObject({ value: '21.5', stale: true });
      t.hub.coalescer.flush();
      const deltas = statusChanges.flatMap((c) => c.states);
      expect(deltas).toHaveLength(4);
      expect(deltas.every((d) => d.stale)).toBe(true);

      // The same again is not news.
      gateway.reportHealth(IntegrationHealth.UNREACHABLE, 'connect ECONNREFUSED');
      expect(health.slice(events)).toHaveLength(1);

      t.clock.advance(30_000);
      gateway.reportHealth(IntegrationHealth.OK);
      expect(healthNow()).toEqual({ key: KEY, health: 'ok', lastSuccessAt: t.clock.now(), message: null });
      expect(latest(KITCHEN_LIGHT, 'on_off')).toMatchObject({ stale: false });
      expect(health.at(-1)).toMatchObject({ health: 'ok', lastSuccessAt: t.clock.now() });
    });

    it('takes live values and snapshots while running', async () => {
      gateway.reportHealth(IntegrationHealth.OK);
      gateway.reportValues([{ upstreamId: KITCHEN_LIGHT, values: [{ key: 'on_off', value: 'off' }, { key: 'brightness', value: '0' }], ts: t.clock.now() + 5 }]);
      expect(latest(KITCHEN_LIGHT, 'on_off')).toMatchObject({ value: 'off', ts: t.clock.now() + 5 });
      gateway.context.onSnapshot([upstreamLight(KITCHEN_LIGHT, 'Kitchen light', { brightness: 30 })]);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.value).toBe('on');
      expect(latest(KITCHEN_LIGHT, 'brightness')?.value).toBe('30');
    });
  });

  describe('pause', () => {
    it('stops the gateway, marks the states stale, and resumes with a fresh start', async () => {
      await enableAndSync();
      gateway.reportHealth(IntegrationHealth.OK);
      const stopped = gateway.context;

      const paused = await manager.pause(KEY, true);
      expect(paused).toMatchObject({ enabled: true, paused: true, health: { health: 'paused' } });
      expect(integrationRow().is_paused).toBe(1);
      expect(gateway.count('stop')).toBe(1);
      expect(gateway.running).toBe(false);
      expect(latest(KITCHEN_LIGHT, 'on_off')).toMatchObject({ value: 'on', stale: true });

      // A late callback of the stopped run changes nothing.
      stopped.onValues([{ upstreamId: KITCHEN_LIGHT, values: [{ key: 'on_off', value: 'off' }], ts: t.clock.now() }]);
      stopped.onHealth(IntegrationHealth.OK, null);
      expect(latest(KITCHEN_LIGHT, 'on_off')).toMatchObject({ value: 'on', stale: true });
      expect(healthNow().health).toBe('paused');

      const resumed = await manager.pause(KEY, false);
      expect(resumed).toMatchObject({ enabled: true, paused: false, health: { health: 'connecting' } });
      expect(gateway.count('start')).toBe(2);
      expect(gateway.context).not.toBe(stopped);
      gateway.reportHealth(IntegrationHealth.OK);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(false);
    });

    it('refuses to pause an integration that is not enabled', async () => {
      const error = await ipcError(manager.pause(KEY, true));
      expect(error.code.value).toBe('conflict');
      expect(gateway.count('stop')).toBe(0);
    });
  });

  describe('disable', () => {
    it('with keepItems detaches the imported entities and stops the gateway', async () => {
      await enableAndSync();
      const ids = [KITCHEN_LIGHT, FRONT_DOOR, LIVING_TEMPERATURE].map(entityId);
      const disabled = await manager.disable(KEY, true);
      expect(disabled).toMatchObject({ enabled: false, paused: false, health: { health: 'disabled' } });
      expect(gateway.count('stop')).toBe(1);
      expect(integrationRow().is_enabled).toBe(0);
      expect(homeChanges).toContain(`${KEY} disabled`);
      const stored = rows<EntityRow>(t, 'entity').filter((e) => ids.includes(e.id));
      expect(stored).toHaveLength(3);
      expect(stored.every((e) => e.integration_name === null && e.previous_integration_name === KEY && e.is_disabled === 1)).toBe(true);
      // Detached sensors take no values.
      expect(t.hub.statuses.ingest(KEY, [{ upstreamId: KITCHEN_LIGHT, values: [{ key: 'on_off', value: 'off' }], ts: 1 }])).toBe(0);

      // Enabled and synced again, the same entities come back.
      await manager.enable(KEY);
      const report = await manager.sync(KEY);
      expect(report.reconnected.map((r) => r.entityId).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
      expect(report.created).toEqual([]);
    });

    it('with keepItems shows the kept entities\u2019 last values as stale', async () => {
      await enableAndSync();
      gateway.reportHealth(IntegrationHealth.OK);
      await manager.disable(KEY, true);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.value).toBe('on');
      // Regression (fixed): disable() never calls statuses.setStale(key, true) (pause() does), so the last values read as live.
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(true);
    });

    it('without keepItems deletes the imported entities', async () => {
      await enableAndSync();
      await syncInto(t, 'zm', [upstreamLight('light.garage', 'Garage light')]);
      await manager.disable(KEY, false);
      expect(rows<EntityRow>(t, 'entity').map((e) => e.integration_name)).toEqual(['zm']);
      expect(countRows(t, 'sensor', { integration_name: KEY })).toBe(0);
      expect(gateway.running).toBe(false);
      expect(healthNow().health).toBe('disabled');
    });
  });

  describe('sync', () => {
    it('refuses while the integration is not enabled', async () => {
      await manager.configure(KEY, { fields: { url: URL, token: TOKEN } });
      const error = await ipcError(manager.sync(KEY));
      expect(error.code.value).toBe('conflict');
      expect(gateway.count('fetch:begin')).toBe(0);
    });

    it('says that nothing is chosen yet, pointing to the choice, instead of reporting "0 created"', async () => {
      await manager.configure(KEY, { fields: { url: URL, token: TOKEN } });
      await manager.enable(KEY);
      // Regression: the sync ran and answered an empty report with no hint.
      const error = await ipcError(manager.sync(KEY));
      expect(error.code.value).toBe('conflict');
      expect(error.message).toBe(nothingChosenMessage('Fake Home'));
      expect(error.message).toMatch(/Choose what to import/);
      expect(gateway.count('fetch:begin')).toBe(0);
      expect(integrationRow().last_sync_at).toBeNull();
    });

    it('imports what the allowlist picks, records the time and takes the upstream values', async () => {
      await configureAndEnable(['light']);
      t.clock.advance(1_000);
      const report = await manager.sync(KEY);
      expect(report.created.map((c) => c.name)).toEqual(['Kitchen light']);
      expect(report.unplaced.map((u) => u.name)).toEqual(['Kitchen light']);
      expect(integrationRow().last_sync_at).toBe(t.clock.now());
      expect((await view()).lastSyncAt).toBe(t.clock.now());
      expect(homeChanges).toContain(`${KEY} synced`);
      expect(gateway.last('fetch:begin')!.config).toMatchObject({ url: URL, token: TOKEN });
      expect(latest(KITCHEN_LIGHT, 'brightness')).toMatchObject({ value: '80', ts: t.clock.now() });
      expect(await manager.upstream(KEY)).toEqual([
        { upstreamId: KITCHEN_LIGHT, domain: 'light', name: 'Kitchen light', entityType: 'light', imported: true },
        { upstreamId: FRONT_DOOR, domain: 'binary_sensor', name: 'Front door', entityType: 'door', imported: false },
        { upstreamId: LIVING_TEMPERATURE, domain: 'sensor', name: 'Living room temperature', entityType: 'temperature_sensor', imported: false },
      ]);
    });

    it('reloads the links, so live values of newly imported devices count', async () => {
      await configureAndEnable(['light']);
      await manager.sync(KEY);
      const door = { upstreamId: FRONT_DOOR, values: [{ key: 'open_close', value: 'open' }], ts: t.clock.now() + 1 };
      gateway.reportValues([door]);
      expect(entityFor(t, KEY, FRONT_DOOR)).toBeUndefined();

      await manager.configure(KEY, { importEntities: [FRONT_DOOR] });
      await manager.sync(KEY);
      expect(latest(FRONT_DOOR, 'open_close')?.value).toBe('closed');
      gateway.reportValues([{ ...door, ts: t.clock.now() + 2 }]);
      expect(latest(FRONT_DOOR, 'open_close')).toMatchObject({ value: 'open', ts: t.clock.now() + 2 });
    });

    it('runs one sync at a time', async () => {
      await configureAndEnable();
      const gate = new Gate();
      gateway.fetchGate = gate;
      const fetchesWhenSynced: number[] = [];
      const off = t.hub.events.on('home.changed', ({ reason }) => {
        if (reason === `${KEY} synced`) fetchesWhenSynced.push(gateway.count('fetch:begin'));
      });
      try {
        const first = manager.sync(KEY);
        const second = manager.sync(KEY);
        await waitUntil(() => gateway.count('fetch:begin') === 1, 'the first fetch');
        await settle(50);
        expect(gateway.count('fetch:begin')).toBe(1);
        gate.open();
        const [a, b] = await Promise.all([first, second]);
        // The second fetched only after the first had written and announced its result.
        expect(fetchesWhenSynced).toEqual([1, 2]);
        expect(gateway.calls.filter((c) => c.kind.startsWith('fetch')).map((c) => c.kind)).toEqual(['fetch:begin', 'fetch:end', 'fetch:begin', 'fetch:end']);
        expect(a.created).toHaveLength(3);
        expect(b).toMatchObject({ created: [], updated: 0 });
        expect(countRows(t, 'entity', { integration_name: KEY })).toBe(3);
      } finally {
        off();
        gate.open();
      }
    });

    it('answers with the reason when upstream cannot be read, and changes nothing', async () => {
      await configureAndEnable();
      gateway.failFetch = new GatewayError('unreachable', 'connect ETIMEDOUT 192.168.1.20:8123');
      const error = await ipcError(manager.sync(KEY));
      expect(error.code.value).toBe('unavailable');
      expect(error.message).toBe('Could not read from Fake Home: connect ETIMEDOUT 192.168.1.20:8123');
      expect(countRows(t, 'entity', { integration_name: KEY })).toBe(0);
      expect(integrationRow().last_sync_at).toBeNull();
      expect((await ipcError(manager.upstream(KEY))).code.value).toBe('unavailable');
      // A failed sync does not block the next one.
      gateway.failFetch = null;
      expect((await manager.sync(KEY)).created).toHaveLength(3);
    });
  });

  describe('control', () => {
    beforeEach(async () => {
      await enableAndSync();
      gateway.reportHealth(IntegrationHealth.OK);
    });

    it('routes to the gateway with the upstream id, domain and state key', async () => {
      await manager.control(entityId(KITCHEN_LIGHT), stateIdFor(t, KITCHEN_LIGHT, 'brightness'), '40');
      expect(gateway.last('control')).toEqual({
        kind: 'control',
        config: expect.objectContaining({ url: URL, token: TOKEN }),
        target: { upstreamId: KITCHEN_LIGHT, domain: 'light' },
        stateKey: 'brightness',
        value: '40',
      });
      await manager.control(entityId(KITCHEN_LIGHT), stateIdFor(t, KITCHEN_LIGHT, 'on_off'), 'off');
      expect(gateway.last('control')).toMatchObject({ stateKey: 'on_off', value: 'off' });
    });

    it('answers not_found for an unknown state, a state without controller or another entity\u2019s state', async () => {
      const light = entityId(KITCHEN_LIGHT);
      expect((await ipcError(manager.control(light, 99_999, 'on'))).code.value).toBe('not_found');
      expect((await ipcError(manager.control(entityId(FRONT_DOOR), stateIdFor(t, FRONT_DOOR, 'open_close'), 'open'))).code.value).toBe('not_found');
      expect((await ipcError(manager.control(entityId(FRONT_DOOR), stateIdFor(t, KITCHEN_LIGHT, 'on_off'), 'on'))).code.value).toBe('not_found');
      expect(gateway.count('control')).toBe(0);
    });

    it('answers conflict with the gateway\u2019s reason when upstream refuses', async () => {
      gateway.failControl = new GatewayError('refused', 'light.kitchen is unavailable.');
      const error = await ipcError(manager.control(entityId(KITCHEN_LIGHT), stateIdFor(t, KITCHEN_LIGHT, 'on_off'), 'on'));
      expect(error.code.value).toBe('conflict');
      expect(error.message).toBe('Fake Home refused: light.kitchen is unavailable.');
      expect(error.upstream).toEqual({ kind: 'refused', integration: 'Fake Home', reason: 'light.kitchen is unavailable.' });
    });

    it('refuses a value outside the state\u2019s choices without calling the gateway', async () => {
      gateway.upstream = [upstreamThermostat('climate.hall', 'Hallway', ['off', 'heat'])];
      await configureAndEnable(['climate']);
      await manager.sync(KEY);
      const thermostat = entityId('climate.hall');
      const mode = stateIdFor(t, 'climate.hall', 'hvac_mode');

      const error = await ipcError(manager.control(thermostat, mode, 'cool'));
      expect(error.code.value).toBe('invalid_argument');
      expect(error.message).toContain('off, heat');
      expect(gateway.count('control')).toBe(0);

      await manager.control(thermostat, mode, 'heat');
      expect(gateway.last('control')).toMatchObject({ stateKey: 'hvac_mode', value: 'heat' });
      // A state without choices takes any value of its type.
      await manager.control(thermostat, stateIdFor(t, 'climate.hall', 'target_temperature'), '22.5');
      expect(gateway.last('control')).toMatchObject({ stateKey: 'target_temperature', value: '22.5' });
    });

    it('refuses a target outside the device’s own limits without calling the gateway, and shows the limits', async () => {
      gateway.upstream = [upstreamThermostat('climate.bedroom', 'Bedroom', ['off', 'cool'], { min: 16, max: 30, step: 1 })];
      await configureAndEnable(['climate']);
      await manager.sync(KEY);
      const thermostat = entityId('climate.bedroom');
      const target = stateIdFor(t, 'climate.bedroom', 'target_temperature');
      expect((await call(t, 'entity.detail.get', { entityId: thermostat })).states.find((s) => s.id === target)?.range).toEqual({ min: 16, max: 30, step: 1 });

      for (const value of ['31', '15.5', 'warm']) {
        const error = await ipcError(manager.control(thermostat, target, value));
        expect(error.code.value).toBe('invalid_argument');
        expect(error.message).toContain('16 to 30');
      }
      expect(gateway.count('control')).toBe(0);
      await manager.control(thermostat, target, '30');
      expect(gateway.last('control')).toMatchObject({ stateKey: 'target_temperature', value: '30' });
    });

    it('answers not_found for an archived entity', async () => {
      await t.hub.entities.archive(entityId(KITCHEN_LIGHT));
      const error = await ipcError(manager.control(entityId(KITCHEN_LIGHT), stateIdFor(t, KITCHEN_LIGHT, 'on_off'), 'on'));
      expect(error.code.value).toBe('not_found');
      expect(gateway.count('control')).toBe(0);
    });

    it('answers conflict when the gateway is not running, or the entity was detached', async () => {
      const light = entityId(KITCHEN_LIGHT);
      const onOff = stateIdFor(t, KITCHEN_LIGHT, 'on_off');
      await manager.pause(KEY, true);
      const paused = await ipcError(manager.control(light, onOff, 'on'));
      expect(paused.code.value).toBe('conflict');
      expect(paused.message).toMatch(/not running/);

      await manager.disable(KEY, true);
      const detached = await ipcError(manager.control(light, onOff, 'on'));
      expect(detached.code.value).toBe('conflict');
      expect(gateway.count('control')).toBe(0);
    });
  });

  describe('a saved secret is bound to its address', () => {
    let home: RecordingServer;
    let elsewhere: RecordingServer;
    const REENTER = 'Enter the access token again: a saved access token is only sent to the address it was saved with.';
    const bearers = (server: RecordingServer) => server.requests.map((r) => r.authorization);

    beforeEach(async () => {
      home = await startRecordingServer();
      elsewhere = await startRecordingServer();
      gateway.reachServer = true;
      await manager.configure(KEY, { fields: { url: home.url, token: TOKEN } });
    });
    afterEach(async () => {
      await Promise.all([home.close(), elsewhere.close()]);
    });

    it('test with only a new address answers that the token is needed, and contacts nobody', async () => {
      // Regression: the stored token went, as a bearer token, to whatever address the call named.
      expect(await manager.test(KEY, { url: elsewhere.url })).toEqual({ ok: false, message: REENTER });
      expect(await manager.test(KEY, { url: `${elsewhere.url}/api/`, token: '' })).toEqual({ ok: false, message: REENTER });
      expect(elsewhere.requests).toEqual([]);
      expect(home.requests).toEqual([]);
      expect(gateway.count('test')).toBe(0);
    });

    it('configure with only a new address is refused on the token field, and the old address keeps it', async () => {
      const error = await ipcError(manager.configure(KEY, { fields: { url: elsewhere.url } }));
      expect(error.code.value).toBe('invalid_argument');
      expect(error.message).toBe(REENTER);
      expect(error.issues).toEqual([{ path: ['fields', 'token'], message: 'Enter it again for the new address.' }]);
      expect((await view()).fields.find((f) => f.key === 'url')!.value).toBe(home.url);

      // Whatever runs next uses the stored address, which is still the one the token belongs to.
      await manager.configure(KEY, { importDomains: ['light'] });
      await manager.enable(KEY);
      await manager.sync(KEY);
      await manager.test(KEY);
      expect(elsewhere.requests).toEqual([]);
      expect(bearers(home)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
      expect(gateway.last('start')!.config).toMatchObject({ url: home.url, token: TOKEN });
    });

    it('takes a new address together with the token entered again, and binds the token to it', async () => {
      expect(await manager.test(KEY, { url: elsewhere.url, token: 'the-new-servers-token' })).toEqual({ ok: true, message: 'Connected to Fake Home.' });
      expect(bearers(elsewhere)).toEqual(['Bearer the-new-servers-token']);

      await manager.configure(KEY, { fields: { url: elsewhere.url, token: 'the-new-servers-token' } });
      expect(await manager.test(KEY)).toMatchObject({ ok: true });
      expect(bearers(elsewhere)).toEqual(['Bearer the-new-servers-token', 'Bearer the-new-servers-token']);
      // Now bound to the new address: the old one does not get it either.
      expect(await manager.test(KEY, { url: home.url })).toEqual({ ok: false, message: REENTER });
      expect((await ipcError(manager.configure(KEY, { fields: { url: home.url } }))).code.value).toBe('invalid_argument');
      expect(home.requests).toEqual([]);
    });

    it('treats a trailing slash, a path or the default port as the same address', async () => {
      await manager.configure(KEY, { fields: { url: `${home.url}/` } });
      expect(await manager.test(KEY, { url: `${home.url}/api/` })).toMatchObject({ ok: true });
      expect(bearers(home)).toEqual([`Bearer ${TOKEN}`]);

      gateway.reachServer = false;
      await manager.configure(KEY, { fields: { url: 'http://HA.example.com', token: TOKEN } });
      await manager.configure(KEY, { fields: { url: 'http://ha.example.com:80/' } });
      expect(await manager.test(KEY)).toMatchObject({ ok: true });
      expect(gateway.last('test')!.config).toMatchObject({ url: 'http://ha.example.com:80/', token: TOKEN });
      // Another scheme or port is another address.
      expect(await manager.test(KEY, { url: 'https://ha.example.com' })).toEqual({ ok: false, message: REENTER });
      expect(await manager.test(KEY, { url: 'http://ha.example.com:8123' })).toEqual({ ok: false, message: REENTER });
    });

    it('binds a token saved before bindings existed to the address stored now', async () => {
      // As an older version stored it: the encrypted token and no binding row.
      t.hub.store.sqlite.prepare("delete from integration_attribute where attribute_key like '%.bound_to'").run();
      expect(attributeRows().map((a) => a.attribute_key).sort()).toEqual(['token', 'url']);

      expect(await manager.test(KEY, { url: elsewhere.url })).toEqual({ ok: false, message: REENTER });
      expect((await ipcError(manager.configure(KEY, { fields: { url: elsewhere.url } }))).code.value).toBe('invalid_argument');
      expect(await manager.test(KEY)).toMatchObject({ ok: true });
      expect(elsewhere.requests).toEqual([]);
      expect(bearers(home)).toEqual([`Bearer ${TOKEN}`]);
    });

    it('never hands the gateway a stored token whose binding names another address', async () => {
      // However the rows came to disagree (a restored backup, a hand edit), the token stays home.
      t.hub.store.sqlite.prepare("update integration_attribute set value = ? where attribute_key = 'token.bound_to'").run(JSON.stringify({ url: 'http://192.0.2.1' }));
      expect(await manager.test(KEY)).toEqual({ ok: false, message: REENTER });
      const refused = await quietly(() => ipcError(manager.enable(KEY)));
      expect(refused.message).toBe('Fill in Access token first.');
      expect(gateway.count('start')).toBe(0);
      expect(home.requests).toEqual([]);
    });
  });

  describe('a sync never deletes on the strength of what it could not read', () => {
    const lights = (count: number) => Array.from({ length: count }, (_, i) => upstreamLight(`light.l${i}`, `Light ${i}`));
    const attachedCount = () => countRows(t, 'entity', { integration_name: KEY });

    it('keeps items whose upstream entries could not be read, even all of them', async () => {
      await enableAndSync();
      gateway.upstream = [];
      gateway.unreadable = [KITCHEN_LIGHT, FRONT_DOOR, LIVING_TEMPERATURE].map((upstreamId) => ({ upstreamId, reason: 'state is not a string' }));
      // Regression: every entry malformed, the sync succeeded and deleted the whole home with its history.
      const report = await manager.sync(KEY, { confirmRemovals: true });
      expect(report).toMatchObject({ removed: [], detached: [], pendingRemovals: [], unreadable: 3, importedBefore: 3 });
      expect(attachedCount()).toBe(3);
    });

    it('removes and disconnects nothing when an unreadable entry has no id', async () => {
      await enableAndSync();
      await call(t, 'edit.begin', {});
      const floor = await call(t, 'location.create', { name: 'Ground floor' });
      await call(t, 'entity.place', { entityId: entityId(FRONT_DOOR), locationId: floor.id, placement: { kind: 'icon', x: 10, y: 10, scale: 1, rotate: 0 } });
      gateway.upstream = [upstreamLight(KITCHEN_LIGHT, 'Kitchen light')];
      gateway.unreadable = [{ upstreamId: null, reason: 'not an object' }];
      const report = await manager.sync(KEY, { confirmRemovals: true });
      expect(report).toMatchObject({ updated: 0, removed: [], detached: [], pendingRemovals: [], unreadable: 1 });
      expect(attachedCount()).toBe(3);
    });

    it('asks before acting on an empty list while items were imported', async () => {
      await enableAndSync();
      gateway.upstream = [];
      const report = await manager.sync(KEY);
      expect(report).toMatchObject({ removed: [], detached: [], importedBefore: 3, unreadable: 0 });
      expect(report.pendingRemovals.map((p) => p.name).sort()).toEqual(['Front door', 'Kitchen light', 'Living room temperature']);
      expect(attachedCount()).toBe(3);

      const confirmed = await manager.sync(KEY, { confirmRemovals: true });
      expect(confirmed.removed.sort()).toEqual(['Front door', 'Kitchen light', 'Living room temperature']);
      expect(confirmed.pendingRemovals).toEqual([]);
      expect(attachedCount()).toBe(0);
    });

    it('asks before removing more than a quarter of the items (and more than two)', async () => {
      gateway.upstream = lights(40);
      await enableAndSync();
      gateway.upstream = lights(3);
      const report = await manager.sync(KEY);
      expect(report).toMatchObject({ removed: [], detached: [], updated: 0, importedBefore: 40 });
      expect(report.pendingRemovals).toHaveLength(37);
      expect(attachedCount()).toBe(40);

      const confirmed = await manager.sync(KEY, { confirmRemovals: true });
      expect(confirmed.removed).toHaveLength(37);
      expect(attachedCount()).toBe(3);
    });

    it('removes a few vanished items without asking', async () => {
      gateway.upstream = lights(10);
      await enableAndSync();
      gateway.upstream = lights(8);
      expect(await manager.sync(KEY)).toMatchObject({ removed: ['Light 8', 'Light 9'], pendingRemovals: [] });
      // Three of eight is more than two and more than a quarter.
      gateway.upstream = lights(5);
      const report = await manager.sync(KEY);
      expect(report.pendingRemovals.map((p) => p.name)).toEqual(['Light 5', 'Light 6', 'Light 7']);
      expect(report.removed).toEqual([]);
    });

    it('removes items the user stopped importing without asking: they are still listed', async () => {
      gateway.upstream = [...lights(5), upstreamDoor(FRONT_DOOR, 'Front door')];
      await configureAndEnable(['light', 'binary_sensor']);
      await manager.sync(KEY);
      await manager.configure(KEY, { importDomains: ['binary_sensor'] });
      const report = await manager.sync(KEY);
      expect(report.removed).toHaveLength(5);
      expect(report.pendingRemovals).toEqual([]);
    });

    it('integration.sync takes a boolean confirmRemovals', async () => {
      expect((await callFails(t, 'integration.sync', { key: 'home_assistant', confirmRemovals: 'yes' })).code).toBe('invalid_argument');
      // Accepted, then refused because that integration is not enabled.
      expect((await callFails(t, 'integration.sync', { key: 'home_assistant', confirmRemovals: true })).code).toBe('conflict');
    });
  });

  describe('typed errors from the gateway', () => {
    const KINDS = [
      ['unreachable', 'unavailable'],
      ['auth', 'forbidden'],
      ['refused', 'conflict'],
      ['protocol', 'unavailable'],
    ] as const;

    beforeEach(async () => {
      await enableAndSync();
      gateway.reportHealth(IntegrationHealth.OK);
    });

    it.each(KINDS)('%s failing to read upstream answers %s and changes nothing', async (failure, code) => {
      gateway.failFetch = new GatewayError(failure, 'The server said no.');
      gateway.upstream = [];
      for (const error of [await ipcError(manager.sync(KEY)), await ipcError(manager.upstream(KEY))]) {
        expect(error.code.value).toBe(code);
        expect(error.message).toBe('Could not read from Fake Home: The server said no.');
      }
      expect(countRows(t, 'entity', { integration_name: KEY })).toBe(3);
    });

    it.each(KINDS)('%s failing a control answers %s in plain words', async (failure, code) => {
      gateway.failControl = new GatewayError(failure, 'The server said no.');
      const error = await ipcError(manager.control(entityId(KITCHEN_LIGHT), stateIdFor(t, KITCHEN_LIGHT, 'on_off'), 'off'));
      expect(error.code.value).toBe(code);
      expect(error.message).toBe(
        {
          unreachable: 'Fake Home is unreachable; Kitchen light was not changed.',
          auth: 'Sign-in to Fake Home failed; Kitchen light was not changed.',
          refused: 'Fake Home refused: The server said no.',
          protocol: 'Fake Home answered something this app cannot read; Kitchen light was not changed.',
        }[failure],
      );
      expect(error.upstream).toEqual({ kind: failure, integration: 'Fake Home', reason: failure === 'refused' ? 'The server said no.' : null });
    });

    it('any other error of a gateway answers internal with a general message, its detail only in the log', async () => {
      const bug = new TypeError("Cannot read properties of undefined (reading 'entity_id')");
      gateway.failFetch = bug;
      gateway.failControl = bug;
      const fetch = await quietly(() => ipcError(manager.sync(KEY)));
      expect(fetch.code.value).toBe('internal');
      expect(fetch.message).toBe("Could not read from Fake Home; the details are in the hub's log.");
      const control = await quietly(() => ipcError(manager.control(entityId(KITCHEN_LIGHT), stateIdFor(t, KITCHEN_LIGHT, 'on_off'), 'off')));
      expect(control.code.value).toBe('internal');
      expect(control.message).not.toContain('entity_id');
    });
  });

  describe('staleness follows reachability', () => {
    beforeEach(async () => {
      await enableAndSync();
      gateway.reportHealth(IntegrationHealth.OK);
    });

    it('DEGRADED keeps values live; CONNECTING and UNREACHABLE mark them stale after the grace period, AUTH_FAILED at once', async () => {
      // Regression: anything but OK marked the states stale, though a degraded server still sends values.
      gateway.reportHealth(IntegrationHealth.DEGRADED, 'some service calls fail');
      expect(healthNow().health).toBe('degraded');
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(false);
      for (const health of [IntegrationHealth.CONNECTING, IntegrationHealth.UNREACHABLE]) {
        gateway.reportHealth(IntegrationHealth.OK);
        gateway.reportHealth(health);
        const lostAt = t.clock.now();
        expect(healthNow().health).toBe(health.value);
        t.scheduler.runUntil(lostAt + STALE_GRACE_MS - 1);
        expect(latest(KITCHEN_LIGHT, 'on_off')?.stale, health.value).toBe(false);
        t.scheduler.runUntil(lostAt + STALE_GRACE_MS);
        expect(latest(KITCHEN_LIGHT, 'on_off')?.stale, health.value).toBe(true);
      }
      gateway.reportHealth(IntegrationHealth.OK);
      gateway.reportHealth(IntegrationHealth.AUTH_FAILED);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(true);
      gateway.reportHealth(IntegrationHealth.DEGRADED);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(false);
    });

    it('a drop that is over within the grace period never marks the states stale, though health records it', async () => {
      t.hub.coalescer.flush();
      statusChanges.length = 0;
      const events = health.length;
      // Regression: every dropped connection flashed the panel stale until the reconnect.
      gateway.reportHealth(IntegrationHealth.UNREACHABLE, 'the connection was cut off');
      expect(health.slice(events).map((h) => h.health)).toEqual(['unreachable']);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(false);
      t.scheduler.runUntil(t.clock.now() + STALE_GRACE_MS / 2);
      gateway.reportHealth(IntegrationHealth.OK);
      t.scheduler.runUntil(t.clock.now() + 3 * STALE_GRACE_MS);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(false);
      t.hub.coalescer.flush();
      expect(statusChanges.flatMap((c) => c.states).filter((d) => d.stale)).toEqual([]);
    });

    it('a drop before the first connection, a pause or a stop marks the states stale at once', async () => {
      await manager.pause(KEY, true);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(true);
      await manager.pause(KEY, false);
      gateway.reportHealth(IntegrationHealth.UNREACHABLE, 'connect ECONNREFUSED');
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(true);
      gateway.reportHealth(IntegrationHealth.OK);
      gateway.reportHealth(IntegrationHealth.UNREACHABLE, 'the connection was cut off');
      await manager.pause(KEY, true);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(true);
      // The grace period of the stopped connection ends without touching the resumed one.
      await manager.pause(KEY, false);
      gateway.reportHealth(IntegrationHealth.OK);
      t.scheduler.runUntil(t.clock.now() + 2 * STALE_GRACE_MS);
      expect(latest(KITCHEN_LIGHT, 'on_off')?.stale).toBe(false);
    });
  });
});

describe('integration IPC through a hub', () => {
  let t: TestHub;

  beforeEach(async () => {
    t = await createTestHub();
  });
  afterEach(async () => {
    await t.close();
  });

  it('integration.list answers valid views with no secret values, whatever the registry holds', async () => {
    // validateResults is on: a view that does not match the contract fails the call.
    const views = await call(t, 'integration.list', {});
    for (const v of views) {
      expect(v.health.key).toBe(v.key);
      for (const field of v.fields) if (field.type === 'secret') expect(field.value).toBeNull();
    }
    expect(t.hub.integrations.healthViews().map((h) => h.key)).toEqual(views.map((v) => v.key));
    expect((await callFails(t, 'integration.list', { extra: 1 })).code).toBe('invalid_argument');
  });

  it('refuses integration calls for an integration the hub does not have', async () => {
    expect((await callFails(t, 'integration.sync', { key: 'no_such_integration' })).code).toBe('not_found');
    expect((await callFails(t, 'integration.configure', { key: 'no_such_integration', fields: {} })).code).toBe('not_found');
    expect((await callFails(t, 'integration.enable', { key: '' })).code).toBe('invalid_argument');
  });

  it('entity.control refuses bad arguments, unknown entities and states that cannot be controlled', async () => {
    expect((await callFails(t, 'entity.control', { entityId: 1, value: 'on' })).code).toBe('invalid_argument');
    expect((await callFails(t, 'entity.control', { entityId: 1, stateId: 1, value: 'x'.repeat(101) })).code).toBe('invalid_argument');
    expect((await callFails(t, 'entity.control', { entityId: 9_999, stateId: 9_999, value: 'on' })).code).toBe('not_found');

    // A hand-made light has states but no controller.
    await call(t, 'edit.begin', {});
    const home = await call(t, 'location.create', { name: 'Home' });
    const lamp = await call(t, 'entity.create', { name: 'Desk lamp', type: 'light', locationViewId: home.views[0]!.id });
    await call(t, 'edit.end', {});
    const lampState = rows<{ id: number }>(t, 'entity_state', { entity_id: lamp.id })[0]!.id;
    const error = await callFails(t, 'entity.control', { entityId: lamp.id, stateId: lampState, value: 'on' });
    expect(error.code).toBe('not_found');
  });

  it('integration.test and configure never send the saved Home Assistant token to a new address', async () => {
    const elsewhere = await startRecordingServer();
    try {
      await call(t, 'integration.configure', { key: 'home_assistant', fields: { url: 'http://homeassistant.local:8123', token: TOKEN } });
      // Regression: any paired panel could have the hub send the token, as a bearer token, wherever it liked.
      expect(await call(t, 'integration.test', { key: 'home_assistant', fields: { url: elsewhere.url } })).toEqual({
        ok: false,
        message: 'Enter the long-lived access token again: a saved long-lived access token is only sent to the address it was saved with.',
      });
      const refused = await callFails(t, 'integration.configure', { key: 'home_assistant', fields: { url: elsewhere.url, token: '' } });
      expect(refused.code).toBe('invalid_argument');
      expect(refused.issues).toEqual([{ path: ['fields', 'token'], message: 'Enter it again for the new address.' }]);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('entity.control answers conflict for an entity of an integration the hub does not run', async () => {
    await syncInto(t, 'retired_integration', smallHome());
    const light = entityFor(t, 'retired_integration', KITCHEN_LIGHT)!;
    const error = await callFails(t, 'entity.control', { entityId: light.id, stateId: stateIdFor(t, KITCHEN_LIGHT, 'on_off'), value: 'on' });
    // Regression (fixed): integration-manager.ts control() builds the message with requireGateway(), which throws not_found first.
    expect(error.code).toBe('conflict');
  });
});
