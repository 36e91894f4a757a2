import { ENTITY_STATE_VALUES } from '../../../src-shared/enums/entity';
import type { UnitSystem } from '../../../src-shared/model/home-config';
import type { EntityStateView } from '../../../src-shared/model/location';
import { convertTemperature } from '../../../src-shared/model/state-display';
import { formatStateValue, useUnitSystem } from '../../components/format';
import { LargeSlider } from './controls/LargeSlider';
import { LockControl } from './controls/LockControl';
import { Segments, type Segment } from './controls/Segments';
import { Switch } from './controls/Switch';
import { TemperatureStepper } from './controls/TemperatureStepper';

/** Ranges of the slider controls, in the units the hub takes: percent, kelvin. */
const SLIDERS: Partial<Record<string, { min: number; max: number; step: number; testId: string }>> = {
  light_dimmer: { min: 0, max: 100, step: 1, testId: 'control-dimmer' },
  cover_position: { min: 0, max: 100, step: 1, testId: 'control-cover' },
  light_color_temperature: { min: 2000, max: 6500, step: 100, testId: 'control-colortemp' },
};

/**
 * The targets a thermostat is stepped within, in the unit shown, when the device gives no limits of its own: Home
 * Assistant's defaults for a climate entity (7–35 °C, 45–95 °F). Whole degrees Fahrenheit, half degrees Celsius.
 */
const TARGET_RANGE = {
  fahrenheit: { min: 45, max: 95, step: 1 },
  celsius: { min: 7, max: 35, step: 0.5 },
} as const;

const isFahrenheit = (units: string | null): boolean => units === '°F' || units === '℉';

/**
 * The thermostat's own limits in the unit shown, kept inside them when converted (its step goes only while no
 * conversion changes the unit); its integration's defaults when it gives none.
 */
function targetRange(state: EntityStateView, shownUnits: string | null, unitSystem: UnitSystem): { min: number; max: number; step: number } {
  const fallback = isFahrenheit(shownUnits) ? TARGET_RANGE.fahrenheit : TARGET_RANGE.celsius;
  const own = state.range;
  if (!own) return fallback;
  if (shownUnits === state.units) return { min: own.min, max: own.max, step: own.step ?? fallback.step };
  const [min, max] = [own.min, own.max].map((end) => convertTemperature(end, state.units, unitSystem)?.value ?? end) as [number, number];
  return { min: Math.ceil(min * 10) / 10, max: Math.floor(max * 10) / 10, step: fallback.step };
}

/** A number as the hub takes it: a plain decimal string, no trailing zeros, no float noise. */
const decimal = (n: number): string => String(Math.round(n * 10) / 10);

/** How a value is sent: a value to show until the live state confirms it, or a command (stop) with nothing to show. */
export type SendKind = 'value' | 'command';

export interface StateControlProps {
  state: EntityStateView;
  /** The item's name, for questions such as "Unlock Front door?". */
  entityName: string;
  /** What the control shows: the requested value while one is pending, else the confirmed one. */
  shown: string | null;
  pending: boolean;
  /** Sends a normalised value. */
  onSend(value: string, kind?: SendKind): void;
}

const numberOf = (value: string | null): number | null => {
  const n = value === null || value.trim() === '' ? NaN : Number(value);
  return Number.isFinite(n) ? n : null;
};

function TargetTemperature({ state, shown, pending, onSend, unitSystem }: StateControlProps & { unitSystem: UnitSystem }) {
  // Stepped in the unit the panel shows; sent in the upstream's unit.
  const upstream = numberOf(shown);
  const converted = upstream === null ? null : convertTemperature(upstream, state.units, unitSystem);
  const shownUnits = converted?.units ?? (upstream === null ? (unitSystem === 'imperial' ? '°F' : '°C') : state.units);
  const range = targetRange(state, shownUnits, unitSystem);
  const upstreamSystem: UnitSystem = isFahrenheit(state.units) ? 'imperial' : 'metric';
  const toUpstream = (value: number) => convertTemperature(value, shownUnits, upstreamSystem)?.value ?? value;
  return (
    <TemperatureStepper
      label={state.name}
      value={converted?.value ?? upstream}
      step={range.step}
      min={range.min}
      max={range.max}
      pending={pending}
      testIdPrefix="control-temp"
      stateId={state.id}
      format={(value) => formatStateValue(state.type, String(value), shownUnits, unitSystem)}
      onCommit={(value) => onSend(decimal(toUpstream(value)))}
    />
  );
}

/** Open, stop and close: stop is a command, the other two the values the cover goes to. */
function CoverButtons({ state, shown, pending, onSend }: StateControlProps) {
  const segments: Segment[] = [
    { value: 'open', label: 'Open', testId: `control-open-${state.id}` },
    { value: 'stop', label: 'Stop', testId: `control-stop-${state.id}` },
    { value: 'closed', label: 'Close', testId: `control-close-${state.id}` },
  ];
  return <Segments label={state.name} segments={segments} current={shown} pending={pending} onChoose={(value) => onSend(value, value === 'stop' ? 'command' : 'value')} />;
}

/** One button per value the state may take: a thermostat's modes, a camera's function, a run state. */
function ChoiceButtons({ state, shown, pending, onSend, unitSystem, modes, testId }: StateControlProps & { unitSystem: UnitSystem; modes: readonly string[]; testId: string }) {
  const segment = (mode: string, disabled = false): Segment => ({
    value: mode,
    label: formatStateValue(state.type, mode, null, unitSystem),
    testId: `${testId}-${mode}`,
    disabled,
  });
  // A current mode not on offer stays visible rather than silently showing another as current.
  const unlisted = shown !== null && !modes.includes(shown) ? [segment(shown, true)] : [];
  return (
    <Segments
      label={state.name}
      testId={testId}
      segments={[...unlisted, ...modes.map((mode) => segment(mode))]}
      current={shown}
      pending={pending}
      onChoose={(mode) => onSend(mode)}
    />
  );
}

/** The control of one controllable state, sized for a finger; the caller shows the value and its pending mark. */
export function StateControl(props: StateControlProps) {
  const { state, shown, pending, onSend, entityName } = props;
  const unitSystem = useUnitSystem();
  const slider = SLIDERS[state.type];
  if (slider) {
    return (
      <LargeSlider
        label={state.name}
        min={slider.min}
        max={slider.max}
        step={slider.step}
        value={numberOf(shown)}
        pending={pending}
        testId={`${slider.testId}-${state.id}`}
        format={(value) => formatStateValue(state.type, String(value), state.units, unitSystem)}
        onCommit={(value) => onSend(decimal(value))}
      />
    );
  }
  switch (state.type) {
    case 'on_off':
      return <Switch label={`${entityName}: ${state.name}`} on={shown === 'on'} pending={pending} testId={`control-toggle-${state.id}`} onChange={(on) => onSend(on ? 'on' : 'off')} />;
    case 'target_temperature':
      return <TargetTemperature {...props} unitSystem={unitSystem} />;
    case 'hvac_mode':
      // Only the modes the device supports, when its integration says which.
      return <ChoiceButtons {...props} unitSystem={unitSystem} modes={state.choices ?? ENTITY_STATE_VALUES.hvac_mode} testId={`control-hvac-${state.id}`} />;
    case 'discrete':
      return state.choices && state.choices.length > 0 ? (
        <ChoiceButtons {...props} unitSystem={unitSystem} modes={state.choices} testId={`control-choice-${state.id}`} />
      ) : null;
    case 'open_close':
      return <CoverButtons {...props} />;
    case 'lock_state':
      return <LockControl entityName={entityName} stateId={state.id} current={shown} pending={pending} onChoose={(value) => onSend(value)} />;
    default:
      return null;
  }
}
