import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelKind } from '../../../src-shared/enums';
import { requestNames, requests } from '../../../src-shared/ipc/contract';
import { IpcError, ipcErrorSchema, type IpcResponse } from '../../../src-shared/ipc/errors';
import { StorageHealth } from '../../store/storage-errors';
import { createTestHub, type TestHub } from '../../test-support/test-hub';
import { PanelSessionManager } from '../panel-sessions';
import { Router, type HandlerMap } from '../router';

function expectError(response: IpcResponse, code: string) {
  expect(response.ok).toBe(false);
  if (response.ok) throw new Error('expected an error');
  expect(ipcErrorSchema.safeParse(response.error).success).toBe(true);
  expect(response.error.code).toBe(code);
  return response.error;
}

describe('Router through a hub', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await createTestHub();
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers a valid call with its value', async () => {
    const response = await t.invoke('settings.sections.get', {});
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    expect(requests['settings.sections.get'].result.safeParse(response.value).success).toBe(true);
    expect((response.value as Array<{ subsystem: string }>).map((s) => s.subsystem)).toContain('console');
  });

  it('treats a missing argument as an empty object', async () => {
    const response = await t.invoke('settings.sections.get', undefined);
    expect(response.ok).toBe(true);
  });

  it('rejects a value of the wrong type with invalid_argument and an issue path', async () => {
    const error = expectError(await t.invoke('settings.update', { subsystem: 'console', key: 'timezone', value: { zone: 'UTC' } }), 'invalid_argument');
    expect(error.issues?.length).toBeGreaterThan(0);
    expect(error.issues?.some((i) => i.path[0] === 'value')).toBe(true);
  });

  it('rejects a missing key with invalid_argument naming the key', async () => {
    const error = expectError(await t.invoke('settings.update', { subsystem: 'console', value: 'UTC' }), 'invalid_argument');
    expect(error.issues?.map((i) => i.path)).toContainEqual(['key']);
  });

  it('rejects unknown properties of a strict argument', async () => {
    const error = expectError(await t.invoke('settings.sections.get', { extra: 1 }), 'invalid_argument');
    expect(error.issues?.length).toBeGreaterThan(0);
  });

  it('rejects a non-object argument', async () => {
    expectError(await t.invoke('settings.history.restore', 'seven'), 'invalid_argument');
    expectError(await t.invoke('settings.history.restore', { historyId: -1 }), 'invalid_argument');
  });

  it('answers not_found for an unknown channel', async () => {
    const error = expectError(await t.invoke('nope.nope', {}), 'not_found');
    expect(error.message).toMatch(/^Unknown channel/);
    // Names inherited from Object.prototype are not channels either.
    expectError(await t.invoke('toString', {}), 'not_found');
    expectError(await t.invoke('__proto__', {}), 'not_found');
  });

  it('passes a handler’s IpcError through with its code', async () => {
    const error = expectError(await t.invoke('settings.update', { subsystem: 'console', key: 'nope', value: 1 }), 'not_found');
    expect(error.message).toContain('nope');
  });

  it('has a handler for every request of the contract', async () => {
    const handlers = (t.hub.router as unknown as { handlers: Record<string, unknown> }).handlers;
    for (const name of requestNames) {
      expect(typeof handlers[name], name).toBe('function');
      const response = await t.invoke(name, {});
      if (!response.ok) {
        expect(response.error.message, name).not.toMatch(/^Unknown channel/);
        // {} is a valid or an invalid argument, never a crash.
        expect(response.error.code, `${name}: ${response.error.message}`).not.toBe('internal');
      } else {
        expect(requests[name].result.safeParse(response.value).success, name).toBe(true);
      }
    }
  });
});

describe('Router on its own', () => {
  const panel = new PanelSessionManager().open(PanelKind.TEST, true, 0);
  const ctx = { panel };

  const routerWith = (handlers: Partial<HandlerMap>, validateResults = true) =>
    new Router(handlers as HandlerMap, { validateResults, muteHighFrequencyLogging: true, storage: new StorageHealth('/data') });

  it('answers internal, without the error’s message or stack, when a handler throws a plain Error', async () => {
    const router = routerWith({
      'settings.sections.get': () => {
        throw new Error('secret detail from /home/user/.config');
      },
    });
    const response = await router.dispatch('settings.sections.get', {}, ctx);
    const error = expectError(response, 'internal');
    const text = JSON.stringify(response);
    expect(text).not.toContain('secret detail');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
    expect(text).not.toContain('stack');
    expect(Object.keys(error).sort()).toEqual(['code', 'message']);
  });

  it('answers storage_full, in plain words, for a write the disk refused, and records it in storage health', async () => {
    const storage = new StorageHealth('/data');
    const router = new Router(
      {
        'settings.sections.get': () => {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      } as Partial<HandlerMap> as HandlerMap,
      { validateResults: true, muteHighFrequencyLogging: true, storage },
    );
    const error = expectError(await router.dispatch('settings.sections.get', {}, ctx), 'storage_full');
    expect(error.message).toMatch(/disk is full/);
    expect(error.message).not.toMatch(/ENOSPC/);
    expect(storage.problem).toMatch(/^Storage is full: /);
  });

  it('answers internal when a handler rejects with a non-Error', async () => {
    const router = routerWith({ 'settings.sections.get': () => Promise.reject('just a string') });
    expectError(await router.dispatch('settings.sections.get', {}, ctx), 'internal');
  });

  it('answers the IpcError a handler throws, with its issues', async () => {
    const router = routerWith({
      'settings.sections.get': () => {
        throw IpcError.invalidArgument('bad', [{ path: ['value'], message: 'no' }]);
      },
    });
    const error = expectError(await router.dispatch('settings.sections.get', {}, ctx), 'invalid_argument');
    expect(error.issues).toEqual([{ path: ['value'], message: 'no' }]);
  });

  it('answers internal for a result of the wrong shape when results are validated', async () => {
    const wrong = () => [{ subsystem: 42 }] as never;
    const response = await routerWith({ 'settings.sections.get': wrong }, true).dispatch('settings.sections.get', {}, ctx);
    expectError(response, 'internal');
  });

  it('passes a result of the wrong shape through when results are not validated', async () => {
    const wrong = () => [{ subsystem: 42 }] as never;
    const response = await routerWith({ 'settings.sections.get': wrong }, false).dispatch('settings.sections.get', {}, ctx);
    expect(response).toEqual({ ok: true, value: [{ subsystem: 42 }] });
  });

  it('never runs the handler when the argument is invalid', async () => {
    let calls = 0;
    const router = routerWith({
      'settings.defaults.restore': () => {
        calls += 1;
        return { subsystem: 'x', label: 'X', description: '', settings: [] };
      },
    });
    expectError(await router.dispatch('settings.defaults.restore', { subsystem: '' }, ctx), 'invalid_argument');
    expect(calls).toBe(0);
    const response = await router.dispatch('settings.defaults.restore', { subsystem: 'x' }, ctx);
    expect(response.ok).toBe(true);
    expect(calls).toBe(1);
  });

  it('hands the handler the parsed argument and the panel context', async () => {
    let seen: unknown[] = [];
    const router = routerWith({
      'settings.history.get': (arg, handlerCtx) => {
        seen = [arg, handlerCtx.panel.id];
        return [];
      },
    });
    await router.dispatch('settings.history.get', { subsystem: 'console', key: 'timezone' }, ctx);
    expect(seen).toEqual([{ subsystem: 'console', key: 'timezone' }, panel.id]);
  });
});
