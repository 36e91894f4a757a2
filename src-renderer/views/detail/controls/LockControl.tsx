import { useEffect, useRef, useState } from 'preact/hooks';
import '../controls.css';
import { Segments } from './Segments';

export interface LockControlProps {
  /** The item's name, as the question says it: "Unlock Front door?". */
  entityName: string;
  stateId: number;
  /** locked, unlocked or jammed; null when unknown. */
  current: string | null;
  pending: boolean;
  onChoose(value: 'locked' | 'unlocked'): void;
}

/** Lock at once; unlock only after a second, deliberate tap on Confirm. */
export function LockControl({ entityName, stateId, current, pending, onChoose }: LockControlProps) {
  const [asking, setAsking] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  // The safe answer takes the focus, so that a stray Enter does not unlock.
  useEffect(() => {
    if (asking) cancel.current?.focus();
  }, [asking]);

  if (asking) {
    const question = `Unlock ${entityName}?`;
    return (
      <div
        class="control-confirm"
        role="alertdialog"
        aria-label={question}
        data-testid={`control-unlock-question-${stateId}`}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setAsking(false);
        }}
      >
        <p>{question}</p>
        <button
          type="button"
          class="danger control-button"
          data-testid={`control-unlock-confirm-${stateId}`}
          onClick={() => {
            setAsking(false);
            onChoose('unlocked');
          }}
        >
          Confirm
        </button>
        <button ref={cancel} type="button" class="secondary control-button" data-testid={`control-unlock-cancel-${stateId}`} onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <Segments
      label={entityName}
      current={current}
      pending={pending}
      segments={[
        { value: 'locked', label: 'Lock', testId: `control-lock-${stateId}` },
        { value: 'unlocked', label: 'Unlock', testId: `control-unlock-${stateId}` },
      ]}
      onChoose={(value) => {
        if (value === 'locked') onChoose('locked');
        else if (current !== 'unlocked') setAsking(true);
      }}
    />
  );
}
