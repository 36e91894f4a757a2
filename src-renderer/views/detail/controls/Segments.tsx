import '../controls.css';

export interface Segment {
  value: string;
  label: string;
  testId: string;
  /** Shown but not offered: a current value the device does not list as a choice. */
  disabled?: boolean;
}

export interface SegmentsProps {
  label: string;
  segments: readonly Segment[];
  /** The value whose button shows pressed, if any. */
  current: string | null;
  pending: boolean;
  testId?: string;
  onChoose(value: string): void;
}

/** A row of large buttons, one per choice; the current one shows pressed. */
export function Segments({ label, segments, current, pending, testId, onChoose }: SegmentsProps) {
  return (
    <div class="control-segments" role="group" aria-label={label} data-testid={testId} data-pending={pending ? 'true' : undefined}>
      {segments.map((segment) => (
        <button
          key={segment.value}
          type="button"
          class="control-button"
          aria-pressed={current === segment.value}
          disabled={segment.disabled}
          data-testid={segment.testId}
          data-value={segment.value}
          onClick={() => onChoose(segment.value)}
        >
          {segment.label}
        </button>
      ))}
    </div>
  );
}
