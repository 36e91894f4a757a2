import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationHealth } from '../../../../src-shared/enums';
import type { EventPayload } from '../../../../src-shared/ipc/contract';
import { IpcError } from '../../../../src-shared/ipc/errors';
import type { IntegrationHealthView, IntegrationView } from '../../../../src-shared/model/integration';
import type { IntegrationGateway } from '../../../integrations/gateway';
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
  stateIdFor,
  syncInto,
  upstreamLight,
  upstreamThermostat,
  waitUntil,
  type EntityRow,
} from '../../../test-support/integration-fixtures';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';
import { IntegrationManager } from '../integration-manager';

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

/** Builds the manager the way hub.ts does, on the test hub's store, status pipeline, events and clock. */
function buildManager(t: TestHub, gateways: readonly IntegrationGateway[]): IntegrationManager {
  return new IntegrationManager(t.hub.store.db, gateways, new KeyFileCipher(path.join(t.dataDir, 'secret.key')), t.hub.statuses, t.hub.events, t.clock);
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

    it.each(['homeassistant.local:8123', 'ftp://homeassistant.local', 'http://', 'javascript:alert(1)', 'http://home assistant'])('refuses the address %s', async (url) => {
      const error = await ipcError(manager.configure(KEY, { fields: { url } }));
      expect(error.code.value).toBe('invalid_argument');
      expect(error.issues?.[0]?.path).toEqual(['fields', 'url']);
      expect(attributeRows()).toEqual([]);
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

    it('keeps the stored secret when an empty one is sent back', async () => {
      await manager.configure(KEY, { fields: { url: URL, token: TOKEN } });
      const stored = attributeRows().find((a) => a.attribute_key === 'token')!.value;
      const saved = await manager.configure(KEY, { fields: { url: 'https://ha.example.com', token: '' } });
      expect(saved.fields.find((f) => f.key === 'token')).toMatchObject({ value: null, hasValue: true });
      expect(attributeRows().find((a) => a.attribute_key === 'token')!.value).toBe(stored);
      await manager.test(KEY);
      expect(gateway.last('test')!.config).toMatchObject({ url: 'https://ha.example.com', token: TOKEN });
    });

    it('reconnects a running integration with the new settings', async () => {
      await configureAndEnable();
      await manager.configure(KEY, { fields: { url: 'https://ha.example.com' } });
      expect(gateway.calls.map((c) => c.kind).filter((k) => k === 'start' || k === 'stop')).toEqual(['start', 'stop', 'start']);
      expect(gateway.last('start')!.config).toMatchObject({ url: 'https://ha.example.com', token: TOKEN });
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
      const result = await manager.test(KEY, { url: 'https://other.example.com', token: '' });
      expect(result).toEqual({ ok: true, message: 'Connected to Fake Home.' });
      expect(gateway.last('test')!.config).toMatchObject({ url: 'https://other.example.com', token: TOKEN });
      expect((await view()).fields.find((f) => f.key === 'url')!.value).toBe(URL);

      await manager.test(KEY, { token: 'a-new-token' });
      expect(gateway.last('test')!.config).toMatchObject({ url: URL, token: 'a-new-token' });
    });

    it('reports the failure a person can act on', async () => {
      await manager.configure(KEY, { fields: { url: URL, token: TOKEN } });
      gateway.failTest = '401 Unauthorized: the access token was refused';
      expect(await manager.test(KEY)).toEqual({ ok: false, message: '401 Unauthorized: the access token was refused' });
      expect(gateway.running).toBe(false);
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

    it('OK clears stale and records the time; UNREACHABLE marks every state stale and tells the panels', async () => {
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
        expect(b).toMatchObject({ created: [], updated: 3 });
        expect(countRows(t, 'entity', { integration_name: KEY })).toBe(3);
      } finally {
        off();
        gate.open();
      }
    });

    it('answers conflict with the reason when upstream cannot be read, and changes nothing', async () => {
      await configureAndEnable();
      gateway.failFetch = 'connect ETIMEDOUT 192.168.1.20:8123';
      const error = await ipcError(manager.sync(KEY));
      expect(error.code.value).toBe('conflict');
      expect(error.message).toContain('connect ETIMEDOUT 192.168.1.20:8123');
      expect(countRows(t, 'entity', { integration_name: KEY })).toBe(0);
      expect(integrationRow().last_sync_at).toBeNull();
      expect((await ipcError(manager.upstream(KEY))).code.value).toBe('conflict');
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
      gateway.failControl = 'light.kitchen is unavailable';
      const error = await ipcError(manager.control(entityId(KITCHEN_LIGHT), stateIdFor(t, KITCHEN_LIGHT, 'on_off'), 'on'));
      expect(error.code.value).toBe('conflict');
      expect(error.message).toContain('light.kitchen is unavailable');
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

  it('entity.control answers conflict for an entity of an integration the hub does not run', async () => {
    await syncInto(t, 'retired_integration', smallHome());
    const light = entityFor(t, 'retired_integration', KITCHEN_LIGHT)!;
    const error = await callFails(t, 'entity.control', { entityId: light.id, stateId: stateIdFor(t, KITCHEN_LIGHT, 'on_off'), value: 'on' });
    // Regression (fixed): integration-manager.ts control() builds the message with requireGateway(), which throws not_found first.
    expect(error.code).toBe('conflict');
  });
});
