import { useReducer } from 'preact/hooks';
import { ENTITY_STATE_VALUES, EntityStateType, EntityType, styleTokenFor } from '../../../src-shared/enums/entity';
import type { EntityDetail } from '../../../src-shared/model/home';
import type { EntityStateView } from '../../../src-shared/model/location';
import { EntityIcon } from '../../components/entity-icons';
import { SideSheet } from '../../components/SideSheet';
import { useHubQuery } from '../../components/use-hub-query';
import { useAppState } from '../../store';
import { AttributeList } from './AttributeList';
import { formatStateValue, useWhenFormatter } from './format';

/** Ranges of the slider-like controls; the rest are toggles or choices. */
const RANGES: Partial<Record<string, { min: number; max: number; step: number }>> = {
  light_dimmer: { min: 0, max: 100, step: 1 },
  cover_position: { min: 0, max: 100, step: 1 },
  light_color_temperature: { min: 2000, max: 6500, step: 100 },
  target_temperature: { min: 5, max: 95, step: 0.5 },
};
/** The value a toggle shows as checked. */
const TOGGLE_ON: Partial<Record<string, string>> = { on_off: 'on', lock_state: 'locked' };

/**
 * The control a controllable state will have. Shown, disabled, until `entity.control` exists: the panel does not
 * pretend it can switch anything yet.
 */
function StateControl({ state }: { state: EntityStateView }) {
  const range = RANGES[state.type];
  const toggleOn = TOGGLE_ON[state.type];
  const testId = `state-control-${state.id}`;
  let control;
  if (toggleOn) {
    control = <input type="checkbox" role="switch" class="switch" checked={state.value === toggleOn} disabled aria-label={state.name} data-testid={testId} />;
  } else if (range) {
    const value = Number(state.value);
    control = (
      <input type="range" {...range} value={Number.isFinite(value) ? value : range.min} disabled aria-label={state.name} data-testid={testId} />
    );
  } else {
    const choices: readonly string[] = state.type === 'hvac_mode' ? ENTITY_STATE_VALUES.hvac_mode : [];
    control = (
      <select value={state.value ?? ''} disabled aria-label={state.name} data-testid={testId}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {formatStateValue(state.type, choice, null)}
          </option>
        ))}
      </select>
    );
  }
  return (
    <div class="state-control">
      {control}
      <span class="muted">Controls arrive with integrations</span>
    </div>
  );
}

function StatesSection({ detail }: { detail: EntityDetail }) {
  return (
    <section class="detail-section" data-testid="detail-states">
      <h3>State</h3>
      {detail.integration === null && (
        <p class="muted" data-testid="detail-not-integrated">
          Not connected to an integration — no live state
        </p>
      )}
      {detail.states.length === 0 ? (
        detail.integration !== null && <p class="muted">This item reports no states.</p>
      ) : (
        <ul class="state-list">
          {detail.states.map((state) => (
            <li key={state.id} class="state-row" data-testid={`detail-state-${state.id}`} data-state={styleTokenFor(state.type, state.value)}>
              <div class="state-line">
                <span class="state-name" title={EntityStateType.fromNameSafe(state.type).description}>
                  {state.name}
                </span>
                <span class="state-value">{formatStateValue(state.type, state.value, state.units)}</span>
              </div>
              {state.controllable && <StateControl state={state} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RecentHistory({ detail }: { detail: EntityDetail }) {
  const formatWhen = useWhenFormatter();
  const stateById = new Map(detail.states.map((s) => [s.id, s]));
  return (
    <section class="detail-section" data-testid="detail-history">
      <h3>Recent history</h3>
      {detail.recentHistory.length === 0 ? (
        <p class="muted">No changes recorded yet.</p>
      ) : (
        <ol class="recent-history">
          {detail.recentHistory.map((entry, index) => {
            const state = stateById.get(entry.stateId);
            return (
              <li key={`${entry.stateId}-${entry.ts}-${index}`} data-testid="detail-history-entry">
                <span class="state-name">{entry.stateName}</span>
                <span class="state-value">{formatStateValue(state?.type ?? '', entry.value, state?.units ?? null)}</span>
                <span class="muted">{formatWhen(entry.ts)}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function EntityDetailSheet({ entityId, onClose }: { entityId: number; onClose(): void }) {
  const homeRevision = useAppState((s) => s.homeRevision);
  // Bumped by every change made in the panel, so that what it shows is what the hub now holds.
  const [revision, changed] = useReducer((n: number, _: void) => n + 1, 0);
  const { data: detail, error } = useHubQuery('entity.detail.get', { entityId }, `${homeRevision}.${revision}`);
  const type = detail ? EntityType.fromNameSafe(detail.type) : null;

  return (
    <SideSheet
      testId="detail-panel"
      closeTestId="detail-close"
      label="Details"
      onClose={onClose}
      header={
        detail &&
        type && (
          <>
            <EntityIcon type={detail.type} size={40} />
            <div class="side-sheet-heading">
              <h2 data-testid="detail-name">{detail.name}</h2>
              <span class="muted" data-testid="detail-type">
                {type.label}
              </span>
            </div>
          </>
        )
      }
    >
      {error && (
        <div class="field-error" role="alert" data-testid="detail-error">
          <p>{error}</p>
          <button type="button" class="secondary" onClick={() => changed()}>
            Try again
          </button>
        </div>
      )}
      {!detail && !error && <p class="muted">Loading…</p>}
      {detail && (
        <>
          <StatesSection detail={detail} />
          <section class="detail-section" data-testid="detail-attributes">
            <h3>Notes, documents and details</h3>
            <AttributeList owner={{ kind: 'entity', id: detail.id }} attributes={detail.attributes} onChanged={changed} />
          </section>
          <RecentHistory detail={detail} />
        </>
      )}
    </SideSheet>
  );
}

/** The side sheet of the selected entity: its states, attributes and recent history. Renders nothing otherwise. */
export function DetailPanel() {
  const selection = useAppState((s) => s.selection);
  const select = useAppState((s) => s.select);
  if (selection?.kind !== 'entity') return null;
  // Keyed by entity: another selection starts from a fresh sheet rather than showing the last one's data.
  return <EntityDetailSheet key={selection.id} entityId={selection.id} onClose={() => select(null)} />;
}
