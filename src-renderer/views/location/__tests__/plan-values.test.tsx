// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { EntityStateView } from '../../../../src-shared/model/location';
import { describeState } from '../../../../src-shared/model/state-display';
import { formatStateValue } from '../../../components/format';
import { appStore } from '../../../store';
import { displayScaleFactor } from '../display-scale';
import { EntityShape, EntityValue } from '../EntityShape';
import { ICON_DISC_RADIUS, iconSize, MIN_ICON_DISC_PX, MIN_LABEL_PX, planSizing, valueBadge, type PlanSizing } from '../plan-items';

let nextId = 1;
function state(type: string, value: string | null, units: string | null = null, stale = false): EntityStateView {
  return { id: nextId++, type, name: type, value, units, controllable: false, choices: null, range: null, ts: value === null ? null : 1, stale, display: describeState(type, value, units) };
}

describe('values on the plan', () => {
  it('shortens what the detail panel shows, in the home’s units', () => {
    expect(valueBadge([state('temperature', '21.5', '°C')], 'metric')).toEqual({ text: '21.5°', battery: false, low: false });
    // The detail panel's text for the same value, so the two agree on the number.
    expect(formatStateValue('temperature', '21.5', '°C', 'imperial')).toBe('70.7 °F');
    expect(valueBadge([state('temperature', '21.5', '°C')], 'imperial')?.text).toBe('70.7°');
    expect(valueBadge([state('humidity', '48', '%')], 'metric')?.text).toBe('48%');
    expect(valueBadge([state('power', '742.5', 'W')], 'metric')?.text).toBe('742.5 W');
    expect(valueBadge([state('power', '112.3456', 'W')], 'metric')?.text).toBe('112.3 W');
    expect(valueBadge([state('illuminance', '310', 'lx')], 'metric')?.text).toBe('310 lx');
    expect(valueBadge([state('flow_rate', '3', 'a-long-unit')], 'metric')?.text).toBe('3');
  });

  it('shows a battery level with a battery, marked when low', () => {
    expect(valueBadge([state('battery', '87', '%')], 'metric')).toEqual({ text: '87%', battery: true, low: false });
    expect(valueBadge([state('battery', '12', '%')], 'metric')).toEqual({ text: '12%', battery: true, low: true });
  });

  it('shows a dash, never a number, for a value that is unknown, unavailable or not a number', () => {
    for (const value of ['', 'unknown', 'unavailable', 'Unavailable', 'warm']) {
      expect(valueBadge([state('temperature', value, '°C')], 'metric'), String(value)).toEqual({ text: '–', battery: false, low: false });
    }
  });

  it('takes the first numeric reading, and none for switches, counters and text', () => {
    expect(valueBadge([state('on_off', 'on'), state('power', '5', 'W')], 'metric')?.text).toBe('5 W');
    expect(valueBadge([state('temperature', '20', '°C'), state('target_temperature', '22', '°C')], 'metric')?.text).toBe('20°');
    expect(valueBadge([state('on_off', 'on')], 'metric')).toBeNull();
    expect(valueBadge([state('energy', '18234.56', 'kWh')], 'metric')).toBeNull();
    expect(valueBadge([state('discrete', '42')], 'metric')).toBeNull();
    expect(valueBadge(undefined, 'metric')).toBeNull();
    // Nothing reported yet, as for a device no integration feeds.
    expect(valueBadge([state('temperature', null, '°C')], 'metric')).toBeNull();
  });

  it('answers again for the same states in another unit system', () => {
    const states = [state('temperature', '20', '°C')];
    expect(valueBadge(states, 'metric')?.text).toBe('20°');
    expect(valueBadge(states, 'imperial')?.text).toBe('68.0°');
  });
});

describe('display scale', () => {
  it('keeps icons at 48 px and names at 16 px on a 1280×800 panel showing the whole plan, and more at larger scales', () => {
    // A 1200×800 plan fitted into the 1280×690 px left below the header.
    const plan = { x: 0, y: 0, width: 1200, height: 800 };
    const unitsPerPx = Math.max(1200 / 1280, 800 / 690);
    for (const scale of [1, 1.25, 1.5, 2]) {
      const sizing = planSizing(plan, unitsPerPx, scale);
      const discPx = (2 * ICON_DISC_RADIUS * iconSize(sizing, 0.6)) / unitsPerPx;
      expect(discPx).toBeGreaterThanOrEqual(MIN_ICON_DISC_PX * scale * 0.995);
      expect(sizing.font / unitsPerPx).toBeGreaterThanOrEqual(MIN_LABEL_PX * scale * 0.995);
    }
  });

  it('grows icons with the plan when zoomed in, past the minimum', () => {
    const plan = { x: 0, y: 0, width: 1200, height: 800 };
    const fitted = planSizing(plan, 1, 1);
    const zoomed = planSizing(plan, 0.125, 1);
    expect(iconSize(zoomed, 1)).toBe(iconSize(fitted, 1));
    expect(iconSize(zoomed, 1) / 0.125).toBeGreaterThan(iconSize(fitted, 1) / 1);
    expect(zoomed.minIcon).toBeLessThan(fitted.minIcon);
  });

  it('is automatic by the screen’s shorter side unless a size is chosen', () => {
    const auto = (width: number, height: number) => displayScaleFactor('auto', { width, height });
    expect([auto(1024, 600), auto(1280, 800), auto(800, 1280), auto(1920, 1080), auto(2560, 1440)]).toEqual([1, 1, 1, 1.25, 1.5]);
    expect(displayScaleFactor('percent_150', { width: 1024, height: 600 })).toBe(1.5);
    expect(displayScaleFactor('percent_200', { width: 1024, height: 600 })).toBe(2);
    expect(displayScaleFactor(undefined, { width: 1280, height: 800 })).toBe(1);
    expect(displayScaleFactor('huge', { width: 2560, height: 1440 })).toBe(1.5);
  });
});

describe('an entity on the plan', () => {
  const SIZING: PlanSizing = { unit: 36, minIcon: 32, font: 16 };
  const ICON = { kind: 'icon', x: 100, y: 100, scale: 1, rotate: 0 } as const;
  let root: HTMLElement | null = null;

  afterEach(async () => {
    if (root) await act(() => render(null, root!));
    root = null;
    appStore.setState({ entityStates: new Map() });
  });

  /** The entity's shape, as the plan's SVG holds it, and its value, as the layer above the canvas holds it. */
  async function draw(type: string, states: EntityStateView[], security = false): Promise<{ shape: Element; value: () => Element | null }> {
    appStore.setState({ entityStates: new Map([[7, states]]), alertedEntityIds: new Set() });
    root = document.createElement('div');
    document.body.appendChild(root);
    await act(() =>
      render(
        <>
          <svg>
            <EntityShape
              entity={{ id: 7, name: 'Hall', type, placement: ICON }}
              placement={ICON}
              sizing={SIZING}
              selected={false}
              label="below"
              unitSystem="metric"
              security={security}
            />
          </svg>
          <svg class="plan-values">
            <EntityValue entityId={7} placement={ICON} sizing={SIZING} security={security} unitSystem="metric" />
          </svg>
        </>,
        root!,
      ),
    );
    return { shape: root.querySelector('[data-entity-id="7"]')!, value: () => root!.querySelector('.plan-values [data-value-of="7"]') };
  }

  const countElements = (element: Element) => 1 + element.querySelectorAll('*').length;
  const valueText = (value: Element | null) => value?.querySelector('[data-testid="plan-value"]')?.textContent;

  it('draws a temperature sensor with its value, and redraws it when the value changes', async () => {
    const temperature = state('temperature', '21.5', '°C');
    const { shape, value } = await draw('temperature_sensor', [temperature]);
    expect(valueText(value())).toBe('21.5°');
    // Group, hit target, name, the value's hit area. The disc and glyph are painted on the plan's canvas, the value
    // above it: its group, pill and text.
    expect(countElements(shape)).toBe(4);
    expect(shape.querySelector('.badge-hit')).not.toBeNull();
    expect(countElements(value()!)).toBe(3);
    expect(value()!.getAttribute('transform')).toBe(shape.getAttribute('transform'));
    await act(() =>
      appStore.getState().applyStatusChanged({ states: [{ entityId: 7, stateId: temperature.id, value: '22.0', ts: 2, stale: false, display: describeState('temperature', '22.0', '°C') }] }),
    );
    expect(valueText(value())).toBe('22.0°');
  });

  it('adds no element for a value to a light', async () => {
    const { shape, value } = await draw('light', [state('on_off', 'on'), state('light_dimmer', '50', '%')]);
    expect(value()).toBeNull();
    expect(countElements(shape)).toBe(3);
  });

  it('draws a battery sensor from Home Assistant (an OTHER entity) as a battery with its level, not a question mark', async () => {
    const { shape, value } = await draw('other', [state('battery', '23', '%')]);
    expect(shape.getAttribute('data-glyph')).toBe('battery_storage');
    expect(value()!.querySelector('.value-badge-icon')?.getAttribute('href')).toBe('#plan-mark-battery');
    expect(valueText(value())).toBe('23%');
  });

  it('marks a stale value (its clock is painted on the canvas), not with a hatching, and keeps data-stale', async () => {
    const { shape, value } = await draw('temperature_sensor', [state('temperature', '21.5', '°C', true)]);
    expect(shape.getAttribute('data-stale')).toBe('true');
    expect(shape.classList.contains('stale')).toBe(true);
    expect(shape.getAttribute('aria-label')).toContain('last known value');
    expect(shape.querySelector('[fill^="url("]')).toBeNull();
    expect(valueText(value())).toBe('21.5°');
    expect(value()!.classList.contains('stale')).toBe(true);
  });

  it('fades the name and value of what is merely off on a security view, and only there', async () => {
    const off = [state('on_off', 'off'), state('power', '0', 'W')];
    const onSecurityView = await draw('switch', off, true);
    expect(onSecurityView.shape.classList.contains('recedes')).toBe(true);
    expect(onSecurityView.value()!.classList.contains('recedes')).toBe(true);
    await act(() => render(null, root!));
    const elsewhere = await draw('switch', off, false);
    expect(elsewhere.shape.classList.contains('recedes')).toBe(false);
    expect(elsewhere.value()!.classList.contains('recedes')).toBe(false);
    // A closed door is "ok": on a security view it stands out.
    expect((await draw('door', [state('open_close', 'closed')], true)).shape.classList.contains('recedes')).toBe(false);
  });

  it('shows a dash for an unavailable sensor', async () => {
    const { shape, value } = await draw('temperature_sensor', [state('temperature', 'unavailable', '°C')]);
    expect(valueText(value())).toBe('–');
    expect(shape.getAttribute('data-state')).toBe('unavailable');
  });
});
