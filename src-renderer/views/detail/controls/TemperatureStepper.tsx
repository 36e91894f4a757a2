import { useEffect, useRef, useState } from 'preact/hooks';
import '../controls.css';
import { snapToStep } from './LargeSlider';

/** A held button starts repeating after this long, then steps once per REPEAT_MS. */
export const HOLD_DELAY_MS = 450;
export const REPEAT_MS = 150;
/** One held press moves at most this many steps: a stuck finger (or a stuck touch screen) cannot run away. */
export const MAX_REPEATS = 20;
/** The target is sent this long after the last press ends, so that five taps send one control, not five. */
export const SETTLE_MS = 1_000;

export interface TemperatureStepperProps {
  label: string;
  /** The confirmed (or pending) target; null when none is known, which disables the buttons. */
  value: number | null;
  step: number;
  min: number;
  max: number;
  pending: boolean;
  testIdPrefix: string;
  stateId: number;
  format(value: number): string;
  onCommit(value: number): void;
}

/**
 * Thermostat down/up buttons: each press moves the target shown at once; holding a button repeats (bounded);
 * one control goes out once the person has stopped pressing.
 */
export function TemperatureStepper({ label, value, step, min, max, pending, testIdPrefix, stateId, format, onCommit }: TemperatureStepperProps) {
  const [draft, setDraft] = useState<number | null>(null);
  // The latest draft for timers, which outlive the render that set them.
  const draftRef = useRef<number | null>(null);
  const repeatTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const settleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const commitRef = useRef(onCommit);
  commitRef.current = onCommit;
  const confirmedRef = useRef(value);
  confirmedRef.current = value;

  const shown = draft ?? value;
  const known = shown !== null;

  const setTarget = (next: number | null) => {
    draftRef.current = next;
    setDraft(next);
  };
  const send = () => {
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    settleTimer.current = null;
    const target = draftRef.current;
    setTarget(null);
    if (target !== null && target !== confirmedRef.current) commitRef.current(target);
  };
  const stopRepeat = () => {
    if (repeatTimer.current !== null) clearTimeout(repeatTimer.current);
    repeatTimer.current = null;
  };
  /** Moves the target one step; answers whether it moved (it stops at the bounds). */
  const nudge = (direction: 1 | -1): boolean => {
    const from = draftRef.current ?? confirmedRef.current;
    if (from === null) return false;
    const next = snapToStep(from + direction * step, min, max, step);
    if (next === from) return false;
    setTarget(next);
    return true;
  };
  const press = (direction: 1 | -1) => {
    stopRepeat();
    if (settleTimer.current !== null) clearTimeout(settleTimer.current);
    settleTimer.current = null;
    if (!nudge(direction)) return;
    let repeats = 0;
    const repeat = () => {
      repeats += 1;
      const moved = nudge(direction);
      repeatTimer.current = moved && repeats < MAX_REPEATS ? setTimeout(repeat, REPEAT_MS) : null;
    };
    repeatTimer.current = setTimeout(repeat, HOLD_DELAY_MS);
  };
  const release = () => {
    stopRepeat();
    if (draftRef.current !== null && settleTimer.current === null) settleTimer.current = setTimeout(send, SETTLE_MS);
  };

  // A sheet closed before the settle time still sends what was chosen.
  useEffect(
    () => () => {
      stopRepeat();
      if (settleTimer.current !== null) send();
    },
    [],
  );

  const button = (direction: 1 | -1, text: string, name: string) => (
    <button
      type="button"
      class="secondary control-button control-step"
      aria-label={`${name} ${label}`}
      disabled={!known}
      data-testid={`${testIdPrefix}-${direction > 0 ? 'up' : 'down'}-${stateId}`}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        press(direction);
      }}
      onPointerUp={release}
      onPointerCancel={release}
      onClick={(e) => {
        // Enter or Space (detail 0): a pointer press already stepped on pointerdown.
        if (e.detail !== 0) return;
        press(direction);
        release();
      }}
    >
      {text}
    </button>
  );

  return (
    <div class="control-row" role="group" aria-label={label} data-pending={pending || draft !== null ? 'true' : undefined}>
      {button(-1, '−', 'Lower')}
      <output class="control-value" data-testid={`${testIdPrefix}-target-${stateId}`} aria-live="polite">
        {known ? format(shown) : '—'}
      </output>
      {button(1, '+', 'Raise')}
    </div>
  );
}
