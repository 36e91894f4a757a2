// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENTITY_STATE_VALUES } from '../../../../src-shared/enums/entity';
import type { EntityStateView } from '../../../../src-shared/model/location';
import { appStore, type AppState } from '../../../store';
import { describeState } from '../../../../src-shared/model/state-display';
import { HOLD_DELAY_MS, MAX_REPEATS, REPEAT_MS, SETTLE_MS } from '../controls/TemperatureStepper';
import { StateControl, type SendKind } from '../StateControl';

function stateOf(type: string, value: string | null, extra: Partial<EntityStateView> = {}): EntityStateView {
  return {
    id: 7,
    type,
    name: 'State',
    value,
    units: null,
    controllable: true,
    choices: null,
    range: null,
    ts: 1,
    stale: false,
    display: describeState(type, value, extra.units ?? null),
    ...extra,
  };
}

let root: HTMLDivElement;
let sent: Array<[string, SendKind | undefined]>;

async function show(state: EntityStateView, shown = state.value, pending = false) {
  await act(() =>
    render(
      <StateControl
        state={state}
        entityName="Front door"
        shown={shown}
        pending={pending}
        onSend={(value, kind) => {
          sent.push([value, kind]);
        }}
      />,
      root,
    ),
  );
}

const byTestId = (testId: string) => {
  const element = root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  if (!element) throw new Error(`no element ${testId} in ${root.innerHTML}`);
  return element;
};

async function fire(element: Element, event: Event) {
  await act(() => {
    element.dispatchEvent(event);
  });
}

const pointer = (type: string) => new PointerEvent(type, { bubbles: true, button: 0, pointerId: 1, clientX: 0 });
const key = (type: 'keydown' | 'keyup', name: string) => new KeyboardEvent(type, { bubbles: true, key: name });

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  sent = [];
});
afterEach(async () => {
  await act(() => render(null, root));
  root.remove();
  vi.useRealTimers();
});

describe('the on/off switch', () => {
  it('is a switch a finger can hit, checked when on, and sends the other value on a tap', async () => {
    await show(stateOf('on_off', 'on'));
    const toggle = byTestId('control-toggle-7');
    expect(toggle.getAttribute('role')).toBe('switch');
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    expect(toggle.tagName).toBe('BUTTON');
    await fire(toggle, new MouseEvent('click', { bubbles: true }));
    expect(sent).toEqual([['off', undefined]]);
  });

  it('marks itself pending while the request is out', async () => {
    await show(stateOf('on_off', 'off'), 'on', true);
    expect(byTestId('control-toggle-7').getAttribute('aria-checked')).toBe('true');
    expect(byTestId('control-toggle-7').dataset.pending).toBe('true');
  });
});

describe('the large slider', () => {
  it('moves by keys with the value shown, and sends once when the key is let go', async () => {
    await show(stateOf('light_dimmer', '40', { units: '%' }));
    const slider = byTestId('control-dimmer-7');
    expect(slider.getAttribute('role')).toBe('slider');
    expect(slider.getAttribute('aria-valuenow')).toBe('40');
    for (let i = 0; i < 3; i++) await fire(slider, key('keydown', 'ArrowRight'));
    await fire(slider, key('keydown', 'PageUp'));
    expect(byTestId('control-dimmer-7-value').textContent).toBe('53%');
    expect(slider.getAttribute('aria-valuenow')).toBe('53');
    expect(sent).toEqual([]);
    await fire(slider, key('keyup', 'PageUp'));
    expect(sent).toEqual([['53', undefined]]);
  });

  it('stays within its range and sends nothing when the value did not change', async () => {
    await show(stateOf('cover_position', '100', { units: '%' }));
    const slider = byTestId('control-cover-7');
    await fire(slider, key('keydown', 'End'));
    await fire(slider, key('keyup', 'End'));
    await fire(slider, key('keydown', 'ArrowUp'));
    await fire(slider, key('keyup', 'ArrowUp'));
    expect(sent).toEqual([]);
    await fire(slider, key('keydown', 'Home'));
    await fire(slider, key('keyup', 'Home'));
    expect(sent).toEqual([['0', undefined]]);
  });

  it('sends nothing for a gesture the system took over', async () => {
    await show(stateOf('light_dimmer', '40', { units: '%' }));
    const slider = byTestId('control-dimmer-7');
    await fire(slider, pointer('pointerdown'));
    await fire(slider, pointer('pointercancel'));
    await fire(slider, pointer('pointerup'));
    expect(sent).toEqual([]);
  });
});

/** A thermostat that takes 16 to 26 °C in whole degrees. */
const DEVICE_LIMITS: Partial<EntityStateView> = { range: { min: 16, max: 26, step: 1 }, units: '°C' };

describe('the thermostat buttons', () => {
  const target = (value: string, units = '°C') => stateOf('target_temperature', value, { units });

  it('step half degrees Celsius, show the target at once and send one control after the person stops', async () => {
    vi.useFakeTimers();
    await show(target('21'));
    const up = byTestId('control-temp-up-7');
    for (let i = 0; i < 3; i++) {
      await fire(up, pointer('pointerdown'));
      await fire(up, pointer('pointerup'));
    }
    expect(byTestId('control-temp-target-7').textContent).toBe('22.5 °C');
    expect(sent).toEqual([]);
    await act(() => {
      vi.advanceTimersByTime(SETTLE_MS - 1);
    });
    expect(sent).toEqual([]);
    await act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(sent).toEqual([['22.5', undefined]]);
  });

  describe('on a panel set to imperial units', () => {
    let before: AppState['settingSections'];
    beforeEach(() => {
      before = appStore.getState().settingSections;
      appStore.setState({ settingSections: [{ subsystem: 'console', settings: [{ key: 'units', value: 'imperial' }] }] as unknown as AppState['settingSections'] });
    });
    afterEach(() => appStore.setState({ settingSections: before }));

    it('step whole degrees Fahrenheit', async () => {
      vi.useFakeTimers();
      await show(target('70', '°F'));
      const down = byTestId('control-temp-down-7');
      await fire(down, pointer('pointerdown'));
      await fire(down, pointer('pointerup'));
      await act(() => {
      vi.advanceTimersByTime(SETTLE_MS);
    });
      expect(sent).toEqual([['69', undefined]]);
    });

    it('keep to the device’s own limits converted to Fahrenheit', async () => {
      vi.useFakeTimers();
      await show(stateOf('target_temperature', '17', DEVICE_LIMITS));
      const down = byTestId('control-temp-down-7');
      await fire(down, pointer('pointerdown'));
      await act(() => {
        vi.advanceTimersByTime(HOLD_DELAY_MS + 10 * REPEAT_MS);
      });
      await fire(down, pointer('pointerup'));
      // Whole degrees Fahrenheit, and none below the device's 16 °C (60.8 °F).
      expect(byTestId('control-temp-target-7').textContent).toBe('61 °F');
      await act(() => {
        vi.advanceTimersByTime(SETTLE_MS);
      });
      expect(sent).toEqual([['16.1', undefined]]);
    });

    it('step a Celsius thermostat in the Fahrenheit shown, and send Celsius', async () => {
      vi.useFakeTimers();
      await show(target('21'));
      expect(byTestId('control-temp-target-7').textContent).toBe('69.8 °F');
      const up = byTestId('control-temp-up-7');
      await fire(up, pointer('pointerdown'));
      await fire(up, pointer('pointerup'));
      expect(byTestId('control-temp-target-7').textContent).toBe('71 °F');
      await act(() => {
      vi.advanceTimersByTime(SETTLE_MS);
    });
      expect(sent).toEqual([['21.7', undefined]]);
    });
  });

  it('repeat while held, at most a bounded number of steps, and send once on release', async () => {
    vi.useFakeTimers();
    await show(target('20'));
    const up = byTestId('control-temp-up-7');
    await fire(up, pointer('pointerdown'));
    await act(() => {
      vi.advanceTimersByTime(HOLD_DELAY_MS + 3 * REPEAT_MS);
    });
    // The press itself, then one step at the hold delay and one per repeat after it.
    expect(byTestId('control-temp-target-7').textContent).toBe('22.5 °C');
    // A finger that never lifts: the repeats end after MAX_REPEATS.
    await act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(byTestId('control-temp-target-7').textContent).toBe(`${20 + 0.5 * (1 + MAX_REPEATS)} °C`);
    expect(sent).toEqual([]);
    await fire(up, pointer('pointerup'));
    await act(() => {
      vi.advanceTimersByTime(SETTLE_MS);
    });
    expect(sent).toEqual([[String(20 + 0.5 * (1 + MAX_REPEATS)), undefined]]);
  });

  it('stop at the thermostat’s bounds', async () => {
    vi.useFakeTimers();
    await show(target('34.5'));
    const up = byTestId('control-temp-up-7');
    await fire(up, pointer('pointerdown'));
    await act(() => {
      vi.advanceTimersByTime(HOLD_DELAY_MS + 10 * REPEAT_MS);
    });
    await fire(up, pointer('pointerup'));
    await act(() => {
      vi.advanceTimersByTime(SETTLE_MS);
    });
    expect(sent).toEqual([['35', undefined]]);
  });

  it('stop at the device’s own limits when it has them, in its own step', async () => {
    vi.useFakeTimers();
    await show(stateOf('target_temperature', '24', DEVICE_LIMITS));
    const up = byTestId('control-temp-up-7');
    await fire(up, pointer('pointerdown'));
    await act(() => {
      vi.advanceTimersByTime(HOLD_DELAY_MS + 10 * REPEAT_MS);
    });
    await fire(up, pointer('pointerup'));
    await act(() => {
      vi.advanceTimersByTime(SETTLE_MS);
    });
    expect(sent).toEqual([['26', undefined]]);
  });

  it('are off while the target is unknown', async () => {
    await show(target(''), null);
    expect(byTestId('control-temp-up-7').hasAttribute('disabled')).toBe(true);
    expect(byTestId('control-temp-target-7').textContent).toBe('—');
  });
});

describe('the HVAC mode buttons', () => {
  const hvacMode = (value: string | null, choices: string[] | null) => stateOf('hvac_mode', value, { choices });
  const buttons = () => [...byTestId('control-hvac-7').querySelectorAll('button')].map((b) => [b.dataset.value, b.disabled, b.getAttribute('aria-pressed')]);

  it('offer only the modes the device supports, the current one pressed', async () => {
    await show(hvacMode('heat', ['off', 'heat']));
    expect(buttons()).toEqual([
      ['off', false, 'false'],
      ['heat', false, 'true'],
    ]);
    await fire(byTestId('control-hvac-7-off'), new MouseEvent('click', { bubbles: true }));
    expect(sent).toEqual([['off', undefined]]);
  });

  it('offer every mode when the integration does not say', async () => {
    await show(hvacMode('heat', null));
    expect(buttons().map(([value]) => value)).toEqual([...ENTITY_STATE_VALUES.hvac_mode]);
  });

  it('keep a current mode that is not on offer visible, but not selectable', async () => {
    await show(hvacMode('cool', ['off', 'heat']));
    expect(buttons()).toEqual([
      ['cool', true, 'true'],
      ['off', false, 'false'],
      ['heat', false, 'false'],
    ]);
  });
});

describe('a state with a list of choices', () => {
  it("offers one button per choice (a camera's function) and sends the one chosen", async () => {
    await show(stateOf('discrete', 'Modect', { choices: ['None', 'Monitor', 'Modect'] }));
    expect([...byTestId('control-choice-7').querySelectorAll('button')].map((b) => [b.dataset.value, b.getAttribute('aria-pressed')])).toEqual([
      ['None', 'false'],
      ['Monitor', 'false'],
      ['Modect', 'true'],
    ]);
    await fire(byTestId('control-choice-7-None'), new MouseEvent('click', { bubbles: true }));
    expect(sent).toEqual([['None', undefined]]);
  });

  it('offers no control without choices', async () => {
    await show(stateOf('discrete', 'something'));
    expect(root.querySelector('button')).toBeNull();
  });
});

describe('the cover buttons', () => {
  it('open and close as values, stop as a command', async () => {
    await show(stateOf('open_close', 'open'));
    for (const testId of ['control-close-7', 'control-stop-7', 'control-open-7']) await fire(byTestId(testId), new MouseEvent('click', { bubbles: true }));
    expect(sent).toEqual([
      ['closed', 'value'],
      ['stop', 'command'],
      ['open', 'value'],
    ]);
  });
});

describe('the lock', () => {
  it('locks at once', async () => {
    await show(stateOf('lock_state', 'unlocked'));
    await fire(byTestId('control-lock-7'), new MouseEvent('click', { bubbles: true }));
    expect(sent).toEqual([['locked', undefined]]);
  });

  it('asks before unlocking: Cancel sends nothing, Confirm unlocks', async () => {
    await show(stateOf('lock_state', 'locked'));
    await fire(byTestId('control-unlock-7'), new MouseEvent('click', { bubbles: true }));
    const question = byTestId('control-unlock-question-7');
    expect(question.textContent).toContain('Unlock Front door?');
    expect(document.activeElement).toBe(byTestId('control-unlock-cancel-7'));
    await fire(byTestId('control-unlock-cancel-7'), new MouseEvent('click', { bubbles: true }));
    expect(sent).toEqual([]);
    expect(root.querySelector('[data-testid="control-unlock-question-7"]')).toBeNull();

    await fire(byTestId('control-unlock-7'), new MouseEvent('click', { bubbles: true }));
    await fire(byTestId('control-unlock-confirm-7'), new MouseEvent('click', { bubbles: true }));
    expect(sent).toEqual([['unlocked', undefined]]);
  });

  it('Esc takes the question back', async () => {
    await show(stateOf('lock_state', 'locked'));
    await fire(byTestId('control-unlock-7'), new MouseEvent('click', { bubbles: true }));
    await fire(byTestId('control-unlock-cancel-7'), key('keydown', 'Escape'));
    expect(root.querySelector('[data-testid="control-unlock-question-7"]')).toBeNull();
    expect(sent).toEqual([]);
  });
});
