import '../controls.css';

export interface SwitchProps {
  label: string;
  on: boolean;
  pending: boolean;
  testId: string;
  onChange(on: boolean): void;
}

/** An on/off switch as large as a finger: a button with role="switch", so it reads as one and toggles on tap or key. */
export function Switch({ label, on, pending, testId, onChange }: SwitchProps) {
  return (
    <button
      type="button"
      role="switch"
      class="control-switch"
      aria-checked={on}
      aria-label={label}
      aria-busy={pending}
      data-testid={testId}
      data-pending={pending ? 'true' : undefined}
      onClick={() => onChange(!on)}
    />
  );
}
