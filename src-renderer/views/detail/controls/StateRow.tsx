import { EntityStateType, styleTokenFor } from '../../../../src-shared/enums/entity';
import type { EntityStateView } from '../../../../src-shared/model/location';
import { useBridge } from '../../../bridge-context';
import { formatStateValue, useUnitSystem } from '../../../components/format';
import { appStore, useAppState } from '../../../store';
import '../controls.css';
import { StateControl, type SendKind } from '../StateControl';
import { controlFailureText } from './control-error';

/** The item a state belongs to, as the controls and their messages name it. */
export interface ControlledEntity {
  id: number;
  name: string;
  type: string;
}

/**
 * Sends controls optimistically: the requested value shows (marked pending) at once, the live state confirms it,
 * and it goes back to the confirmed value if the hub refuses it or nothing confirms it in time. A command (a cover's
 * stop) has no value to show, so only its failure is kept.
 */
export function useStateControl(entity: ControlledEntity, state: EntityStateView) {
  const bridge = useBridge();
  const control = useAppState((s) => s.controls[state.id]);
  const shown = control?.requested ?? state.value;
  const onSend = async (value: string, kind: SendKind = 'value') => {
    if (kind === 'value' && value === shown) return;
    const seq = kind === 'value' ? appStore.getState().beginControl(state.id, value, Date.now()) : null;
    try {
      await bridge.invoke('entity.control', { entityId: entity.id, stateId: state.id, value });
    } catch (error) {
      const store = appStore.getState();
      // A command showed nothing to undo; a request for the value already shown carries its reason.
      store.controlFailed(state.id, seq ?? store.beginControl(state.id, shown ?? '', Date.now()), controlFailureText(error, entity.type));
    }
  };
  return { shown, pending: control?.requested != null, error: control?.error ?? null, onSend };
}

/** One state of the detail panel: its name, its value (pending until confirmed), its control and any failure. */
export function StateRow({ entity, state }: { entity: ControlledEntity; state: EntityStateView }) {
  const { shown, pending, error, onSend } = useStateControl(entity, state);
  const unitSystem = useUnitSystem();
  return (
    <li
      class={`state-row${state.stale ? ' stale' : ''}`}
      data-testid={`detail-state-${state.id}`}
      data-state={styleTokenFor(state.type, shown)}
      data-stale={state.stale ? 'true' : undefined}
      data-pending={pending ? 'true' : undefined}
    >
      <div class="state-line">
        <span class="state-name" title={EntityStateType.fromNameSafe(state.type).description}>
          {state.name}
        </span>
        <span class="state-value" data-testid={`detail-state-value-${state.id}`}>
          {formatStateValue(state.type, shown, state.units, unitSystem)}
          {pending && <span class="pending-mark"> · sending…</span>}
        </span>
      </div>
      {state.controllable && (
        <div class="state-control" data-testid={`control-${state.id}`} data-pending={pending ? 'true' : undefined}>
          <StateControl state={state} entityName={entity.name} shown={shown} pending={pending} onSend={(value, kind) => void onSend(value, kind)} />
        </div>
      )}
      {error && (
        <p class="control-error" role="alert" data-testid={`control-error-${state.id}`}>
          {error}
        </p>
      )}
    </li>
  );
}
