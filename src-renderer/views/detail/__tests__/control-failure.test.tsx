// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionState } from '../../../../src-shared/enums';
import { IpcError, type IpcErrorData } from '../../../../src-shared/ipc/errors';
import type { EntityStateView } from '../../../../src-shared/model/location';
import { describeState } from '../../../../src-shared/model/state-display';
import type { Bridge } from '../../../bridge';
import { BridgeContext } from '../../../bridge-context';
import { appStore } from '../../../store';
import { controlFailureText, entityNoun } from '../controls/control-error';
import { StateRow } from '../controls/StateRow';

/** What the hub sends when Home Assistant went away mid-call: the message is the hub's, the words the panel's. */
const UNREACHABLE: IpcErrorData = {
  code: 'unavailable',
  message: 'Home Assistant is unreachable; Kitchen Ceiling was not changed.',
  upstream: { kind: 'unreachable', integration: 'Home Assistant', reason: null },
};

describe('a failed control in plain words', () => {
  it('names the upstream and the kind of item, from the error kind', () => {
    const error = (data: Partial<IpcErrorData>) => IpcError.fromData({ code: 'unavailable', message: 'fetch failed: UND_ERR_SOCKET other side closed', ...data });
    expect(controlFailureText(error({ upstream: UNREACHABLE.upstream }), 'light')).toBe('Home Assistant is unreachable; the light was not changed.');
    expect(controlFailureText(error({ code: 'forbidden', upstream: { kind: 'auth', integration: 'Home Assistant', reason: null } }), 'lock')).toBe(
      'Sign-in to Home Assistant failed; the lock was not changed.',
    );
    expect(controlFailureText(error({ code: 'conflict', upstream: { kind: 'refused', integration: 'Home Assistant', reason: 'Temperature 99 is not valid' } }), 'thermostat')).toBe(
      'Home Assistant refused: Temperature 99 is not valid',
    );
    expect(controlFailureText(error({ code: 'conflict', upstream: { kind: 'refused', integration: 'Home Assistant', reason: null } }), 'garage_door')).toBe(
      'Home Assistant refused to change the garage door.',
    );
    expect(controlFailureText(error({ upstream: { kind: 'protocol', integration: 'Home Assistant', reason: null } }), 'light')).toMatch(/^Home Assistant answered something/);
    // The panel's own link to the hub: the transport's words are not shown either.
    expect(controlFailureText(error({}), 'light')).toBe('The hub cannot be reached; the light was not changed.');
  });

  it('keeps the capitals of a kind that starts with an acronym', () => {
    expect(entityNoun('light')).toBe('the light');
    expect(entityNoun('ev_charger')).toMatch(/^the EV/);
  });
});

describe('a state row whose control fails', () => {
  let root: HTMLDivElement;
  let answer: (error: IpcError) => void;
  const bridge: Bridge = {
    invoke: () =>
      new Promise((_, reject) => {
        answer = reject;
      }),
    on: () => () => undefined,
    connectionState: () => ConnectionState.CONNECTED,
    onConnectionChange: () => () => undefined,
  };
  const light: EntityStateView = {
    id: 41,
    type: 'on_off',
    name: 'On / off',
    value: 'on',
    units: null,
    controllable: true,
    choices: null,
    range: null,
    ts: 1,
    stale: false,
    display: describeState('on_off', 'on', null),
  };

  beforeEach(async () => {
    root = document.createElement('div');
    document.body.append(root);
    await act(() =>
      render(
        <BridgeContext.Provider value={bridge}>
          <ul>
            <StateRow entity={{ id: 4, name: 'Kitchen Ceiling', type: 'light' }} state={light} />
          </ul>
        </BridgeContext.Provider>,
        root,
      ),
    );
  });
  afterEach(async () => {
    await act(() => render(null, root));
    root.remove();
    appStore.getState().clearControlErrors();
  });

  it('shows the request as pending, then goes back to the confirmed value with the reason in plain words', async () => {
    const toggle = root.querySelector<HTMLElement>('[data-testid="control-toggle-41"]')!;
    await act(() => {
      toggle.click();
    });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect(root.querySelector('[data-testid="detail-state-41"]')?.getAttribute('data-pending')).toBe('true');

    await act(async () => {
      answer(IpcError.fromData(UNREACHABLE));
      await Promise.resolve();
    });
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    expect(root.querySelector('[data-testid="detail-state-41"]')?.hasAttribute('data-pending')).toBe(false);
    expect(root.querySelector('[data-testid="control-error-41"]')?.textContent).toBe('Home Assistant is unreachable; the light was not changed.');
  });
});
