import { useState } from 'preact/hooks';
import { ENTITY_STATE_VALUES } from '../../../src-shared/enums/entity';
import type { EntityStateView } from '../../../src-shared/model/location';
import { formatStateValue, useUnitSystem } from '../../components/format';

/** Ranges of the slider controls, in the units the hub takes: percent, kelvin. */
const SLIDERS: Partial<Record<string, { min: number; max: number; step: number; testId: string }>> = {
  light_dimmer: { min: 0, max: 100, step: 1, testId: 'control-dimmer' },
  cover_position: { min: 0, max: 100, step: 1, testId: 'control-cover' },
  light_color_temperature: { min: 2000, max: 6500, step: 100, testId: 'control-colortemp' },
};

/** The two-button controls: the button of the current value shows pressed. */
const SEGMENTS: Partial<Record<string, readonly { value: string; label: string; testId: string }[]>> = {
  lock_state: [
    { value: 'locked', label: 'Lock', testId: 'control-lock' },
    { value: 'unlocked', label: 'Unlock', testId: 'control-unlock' },
  ],
  open_close: [
    { value: 'open', label: 'Open', testId: 'control-open' },
    { value: 'closed', label: 'Close', testId: 'control-close' },
  ],
};

/** Whole degrees Fahrenheit, half degrees Celsius. */
const temperatureStep = (units: string | null): number => (units?.toUpperCase().includes('F') ? 1 : 0.5);

/** A number as the hub takes it: a plain decimal string, no trailing zeros, no float noise. */
const decimal = (n: number): string => String(Math.round(n * 10) / 10);

export interface StateControlProps {
  state: EntityStateView;
  /** What the control shows: the requested value while one is pending, else the confirmed one. */
  shown: string | null;
  pending: boolean;
  /** Sends a normalised value. */
  onSend(value: string): void;
}

function Slider({ state, shown, pending, onSend, range }: StateControlProps & { range: NonNullable<(typeof SLIDERS)[string]> }) {
  // While a finger drags, the thumb follows it; the value goes out on release (the change event).
  const [dragging, setDragging] = useState<number | null>(null);
  const unitSystem = useUnitSystem();
  const numeric = Number(shown);
  const value = dragging ?? (shown !== null && Number.isFinite(numeric) ? numeric : range.min);
  const valueOf = (e: Event) => Number((e.currentTarget as HTMLInputElement).value);
  return (
    <>
      <input
        type="range"
        min={range.min}
        max={range.max}
        step={range.step}
        value={value}
        aria-label={state.name}
        data-testid={`${range.testId}-${state.id}`}
        data-pending={pending ? 'true' : undefined}
        onInput={(e) => setDragging(valueOf(e))}
        onChange={(e) => {
          setDragging(null);
          onSend(decimal(valueOf(e)));
        }}
      />
      <output class="control-readout">{formatStateValue(state.type, dragging === null ? shown : decimal(dragging), state.units, unitSystem)}</output>
    </>
  );
}

/** The control of one controllable state; the caller shows the value and its pending mark. */
export function StateControl(props: StateControlProps) {
  const { state, shown, pending, onSend } = props;
  const unitSystem = useUnitSystem();
  const pendingAttr = pending ? 'true' : undefined;
  const slider = SLIDERS[state.type];
  if (slider) return <Slider {...props} range={slider} />;
  const segments = SEGMENTS[state.type];
  if (segments) {
    return (
      <div class="segmented" role="group" aria-label={state.name}>
        {segments.map(({ value, label, testId }) => (
          <button
            key={value}
            type="button"
            class={shown === value ? 'segment active' : 'segment'}
            aria-pressed={shown === value}
            data-testid={`${testId}-${state.id}`}
            data-pending={pendingAttr}
            onClick={() => onSend(value)}
          >
            {label}
          </button>
        ))}
      </div>
    );
  }

  switch (state.type) {
    case 'on_off':
      return (
        <input
          type="checkbox"
          role="switch"
          class="switch"
          checked={shown === 'on'}
          aria-label={state.name}
          data-testid={`control-toggle-${state.id}`}
          data-pending={pendingAttr}
          onChange={(e) => onSend((e.currentTarget as HTMLInputElement).checked ? 'on' : 'off')}
        />
      );
    case 'target_temperature': {
      const current = Number(shown);
      const known = shown !== null && Number.isFinite(current);
      const step = temperatureStep(state.units);
      return (
        <div class="stepper" role="group" aria-label={state.name}>
          <button
            type="button"
            class="secondary"
            aria-label={`Lower ${state.name}`}
            disabled={!known}
            data-testid={`control-temp-down-${state.id}`}
            data-pending={pendingAttr}
            onClick={() => onSend(decimal(current - step))}
          >
            −
          </button>
          <output class="control-readout">{formatStateValue(state.type, shown, state.units, unitSystem)}</output>
          <button
            type="button"
            class="secondary"
            aria-label={`Raise ${state.name}`}
            disabled={!known}
            data-testid={`control-temp-up-${state.id}`}
            data-pending={pendingAttr}
            onClick={() => onSend(decimal(current + step))}
          >
            +
          </button>
        </div>
      );
    }
    case 'hvac_mode': {
      // Only the modes the device supports, when its integration says which.
      const modes: readonly string[] = state.choices ?? ENTITY_STATE_VALUES.hvac_mode;
      return (
        <select
          value={shown ?? ''}
          aria-label={state.name}
          data-testid={`control-hvac-${state.id}`}
          data-pending={pendingAttr}
          onChange={(e) => onSend((e.currentTarget as HTMLSelectElement).value)}
        >
          {/* A mode not on offer (or none yet) stays visible rather than silently showing another. */}
          {(shown === null || !modes.includes(shown)) && (
            <option value={shown ?? ''} disabled>
              {formatStateValue(state.type, shown, null, unitSystem)}
            </option>
          )}
          {modes.map((mode) => (
            <option key={mode} value={mode}>
              {formatStateValue(state.type, mode, null, unitSystem)}
            </option>
          ))}
        </select>
      );
    }
    default:
      return null;
  }
}
