import { useRef, useState } from 'preact/hooks';
import '../controls.css';

export interface LargeSliderProps {
  label: string;
  min: number;
  max: number;
  step: number;
  /** The confirmed (or pending) value; null when none is known yet. */
  value: number | null;
  pending: boolean;
  testId: string;
  format(value: number): string;
  /** Called once per gesture: when the finger lifts or the key is let go, never while it moves. */
  onCommit(value: number): void;
}

/** Keys that move the slider, with how many steps each moves it; Home and End go to the ends. */
const KEY_STEPS: Readonly<Record<string, number>> = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };

export function snapToStep(raw: number, min: number, max: number, step: number): number {
  const snapped = min + Math.round((raw - min) / step) * step;
  // Rounded to the step's decimals, so that 0.1 steps do not show float noise.
  const decimals = (String(step).split('.')[1] ?? '').length;
  return Number(Math.min(max, Math.max(min, snapped)).toFixed(decimals));
}

/**
 * A slider a finger can hold: the whole 48 px track takes the touch, the value shows while dragging, and the
 * value is sent once, on release. Keys move it by a step (Page keys by ten) and send when the key is let go.
 */
export function LargeSlider({ label, min, max, step, value, pending, testId, format, onCommit }: LargeSliderProps) {
  const track = useRef<HTMLDivElement>(null);
  // What the finger or the keys have chosen and not yet sent.
  const [draft, setDraft] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const shown = draft ?? value ?? min;
  const fraction = max > min ? (shown - min) / (max - min) : 0;

  const valueAt = (clientX: number): number => {
    const rect = track.current?.getBoundingClientRect();
    if (!rect || rect.width <= 0) return shown;
    return snapToStep(min + ((clientX - rect.left) / rect.width) * (max - min), min, max, step);
  };
  const commit = () => {
    if (draft !== null && draft !== value) onCommit(draft);
    setDraft(null);
  };

  return (
    <>
    <div
      ref={track}
      class="control-slider"
      role="slider"
      tabIndex={0}
      aria-label={label}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={shown}
      aria-valuetext={format(shown)}
      aria-busy={pending}
      data-testid={testId}
      data-pending={pending ? 'true' : undefined}
      data-dragging={dragging ? 'true' : undefined}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        setDragging(true);
        setDraft(valueAt(e.clientX));
      }}
      onPointerMove={(e) => {
        if (dragging) setDraft(valueAt(e.clientX));
      }}
      onPointerUp={() => {
        if (!dragging) return;
        setDragging(false);
        commit();
      }}
      onPointerCancel={() => {
        // The system took the gesture (a scroll, a palm): nothing was chosen.
        setDragging(false);
        setDraft(null);
      }}
      onKeyDown={(e) => {
        const steps = KEY_STEPS[e.key];
        const next = e.key === 'Home' ? min : e.key === 'End' ? max : steps === undefined ? null : snapToStep(shown + steps * step, min, max, step);
        if (next === null) return;
        e.preventDefault();
        setDraft(next);
      }}
      onKeyUp={(e) => {
        if (e.key in KEY_STEPS || e.key === 'Home' || e.key === 'End') commit();
      }}
      onBlur={() => {
        if (!dragging) commit();
      }}
    >
      <div class="control-slider-fill" style={{ width: `calc(20px + (100% - 40px) * ${fraction})` }} />
      <div class="control-slider-thumb" style={{ left: `calc(20px + (100% - 40px) * ${fraction})` }} />
    </div>
    {/* Follows the finger while it drags; screen readers hear aria-valuetext instead. */}
    <output class="control-value" aria-hidden="true" data-testid={`${testId}-value`}>
      {format(shown)}
    </output>
    </>
  );
}
