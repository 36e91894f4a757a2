import { useEffect, useReducer, useState } from 'preact/hooks';
import { EntityType } from '../../../src-shared/enums/entity';
import { IntegrationHealth } from '../../../src-shared/enums';
import type { EntityDetail } from '../../../src-shared/model/home';
import { useBridge } from '../../bridge-context';
import { EntityIcon } from '../../components/entity-icons';
import { integrationHealthText } from '../../components/integration-health';
import { errorMessage, formatDateTime, formatStateValue, formatTime, useHomeTimezone, useUnitSystem } from '../../components/format';
import { SideSheet } from '../../components/SideSheet';
import { appStore, useAppState } from '../../store';
import { shareEqual } from '../../store/structural-share';
import { CameraStream } from '../camera/CameraStream';
import { RecordingsButton } from '../video/RecordingsButton';
import { AttributeList } from './AttributeList';
import { HistoryChartSection } from './HistoryChartSection';
import { StateRow } from './controls/StateRow';

/** "Last known value — Home Assistant: Unreachable since 14:05": a stale value never passes for a fresh one. */
export function StaleNote({ integrationKey }: { integrationKey: string }) {
  const health = useAppState((s) => s.integrationHealth[integrationKey]);
  const label = useAppState((s) => s.integrationLabels[integrationKey]) ?? 'The integration';
  const zone = useHomeTimezone();
  // Worded as the header and the Integrations card word it; before the first health event there is none to give.
  const text = health ? integrationHealthText(label, health, (ms) => formatTime(ms, zone)) : `${label}: ${IntegrationHealth.CONNECTING.label}`;
  return (
    <p class="stale-note" role="status" data-testid="detail-stale-note">
      Last known value — {text}
    </p>
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
      {detail.integration !== null && detail.states.some((s) => s.stale) && <StaleNote integrationKey={detail.integration.name} />}
      {detail.states.length === 0 ? (
        detail.integration !== null && <p class="muted">This item reports no states.</p>
      ) : (
        <ul class="state-list">
          {detail.states.map((state) => (
            <StateRow key={state.id} entity={detail} state={state} />
          ))}
        </ul>
      )}
    </section>
  );
}

function RecentHistory({ detail }: { detail: EntityDetail }) {
  const zone = useHomeTimezone();
  const unitSystem = useUnitSystem();
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
                <span class="state-value">{formatStateValue(state?.type ?? '', entry.value, state?.units ?? null, unitSystem)}</span>
                <span class="muted">{formatDateTime(entry.ts, zone)}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/**
 * Loads the entity's detail into the store, where status changes keep it current, whenever the plan changes or
 * `revision` moves; clears it (and its control errors) when the sheet closes. Answers the last load's error.
 */
function useDetailInStore(entityId: number, revision: number): string | null {
  const bridge = useBridge();
  const homeRevision = useAppState((s) => s.homeRevision);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    bridge.invoke('entity.detail.get', { entityId }).then(
      (next) => {
        if (!current) return;
        const { detail, setDetail } = appStore.getState();
        setDetail(shareEqual(detail?.id === entityId ? detail : null, next));
        setError(null);
      },
      (e: unknown) => current && setError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [bridge, entityId, homeRevision, revision]);
  useEffect(
    () => () => {
      const { setDetail, clearControlErrors } = appStore.getState();
      setDetail(null);
      clearControlErrors();
    },
    [entityId],
  );
  return error;
}

function EntityDetailSheet({ entityId, onClose }: { entityId: number; onClose(): void }) {
  // Bumped by every change made in the panel, so that what it shows is what the hub now holds.
  const [revision, changed] = useReducer((n: number, _: void) => n + 1, 0);
  const error = useDetailInStore(entityId, revision);
  const detail = useAppState((s) => (s.detail?.id === entityId ? s.detail : null));
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
          {type === EntityType.CAMERA && (
            <section class="detail-section" data-testid="detail-camera">
              <h3>Live</h3>
              <CameraStream entityId={detail.id} label={detail.name} />
              <RecordingsButton cameraEntityIds={[detail.id]} title={`Recordings of ${detail.name}`} />
            </section>
          )}
          <StatesSection detail={detail} />
          <section class="detail-section" data-testid="detail-attributes">
            <h3>Notes, documents and details</h3>
            <AttributeList owner={{ kind: 'entity', id: detail.id }} attributes={detail.attributes} onChanged={changed} />
          </section>
          {detail.integration === null && detail.recentHistory.length === 0 ? (
            <section class="detail-section" data-testid="detail-history">
              <h3>History</h3>
              <p class="muted">Not connected to an integration, so no history is recorded.</p>
            </section>
          ) : (
            <>
              <HistoryChartSection states={detail.states} />
              <RecentHistory detail={detail} />
            </>
          )}
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
