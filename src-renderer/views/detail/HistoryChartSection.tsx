import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EntityStateView } from '../../../src-shared/model/location';
import { HistoryRange, historyKindOf, MAX_HISTORY_BUCKETS, MIN_HISTORY_BUCKETS, type HistoryRangeValue, type HistorySeries } from '../../../src-shared/model/history';
import { knownTimezone, useHomeTimezone } from '../../components/format';
import { useHubQuery } from '../../components/use-hub-query';
import './history-section.css';

type ChartProps = { series: HistorySeries; stateType: string; timeZone: string | undefined };

/** The uPlot chart, loaded on first use so that it stays out of the first-load bundle. */
let chartModule: Promise<ComponentType<ChartProps>> | null = null;
function loadChart(): Promise<ComponentType<ChartProps>> {
  chartModule ??= import('./HistoryChart').then((m) => m.default);
  // A failed load (the hub restarted mid-way) may be tried again on the next open.
  chartModule.catch(() => (chartModule = null));
  return chartModule;
}

function useChartComponent(): { Chart: ComponentType<ChartProps> | null; error: boolean } {
  const [Chart, setChart] = useState<ComponentType<ChartProps> | null>(null);
  const [error, setError] = useState(false);
  useEffect(() => {
    let current = true;
    loadChart().then(
      (component) => current && setChart(() => component),
      () => current && setError(true),
    );
    return () => {
      current = false;
    };
  }, []);
  return { Chart, error };
}

function hasHistory(series: HistorySeries): boolean {
  return series.kind === 'numeric' ? series.buckets.some((b) => b.avg !== null) : series.runs.some((r) => r.value !== null);
}

/** About one bucket per pixel of the chart's width, within what the hub answers. */
function bucketsFor(width: number): number {
  return Math.min(MAX_HISTORY_BUCKETS, Math.max(MIN_HISTORY_BUCKETS, Math.round(width)));
}

function StateChart({ state, range, width }: { state: EntityStateView; range: HistoryRangeValue; width: number }) {
  const timeZone = knownTimezone(useHomeTimezone());
  // Asked again when the state's value changes, at most once a minute: a busy sensor does not refetch every second.
  const changedMinute = state.ts === null ? null : Math.floor(state.ts / 60_000);
  const { data, error } = useHubQuery('entity.history.series', { stateId: state.id, range, buckets: bucketsFor(width) }, changedMinute);
  const { Chart, error: loadFailed } = useChartComponent();
  const fresh = data && data.stateId === state.id ? data : null;
  if (error) {
    return (
      <p class="field-error" role="alert" data-testid="history-chart-error">
        The history could not be loaded: {error}
      </p>
    );
  }
  if (loadFailed) {
    return (
      <p class="field-error" role="alert" data-testid="history-chart-error">
        The chart could not be loaded. Close this panel and open it again.
      </p>
    );
  }
  if (!fresh || !Chart) {
    return (
      <p class="muted history-chart-placeholder" data-testid="history-chart-loading">
        Loading the history…
      </p>
    );
  }
  if (!hasHistory(fresh)) {
    return (
      <p class="muted history-chart-placeholder" data-testid="history-chart-empty">
        No history in this range.
      </p>
    );
  }
  return <Chart series={fresh} stateType={state.type} timeZone={timeZone} />;
}

/**
 * Charts of the item's states over 1 h to 30 d: numbers as a line with its low–high band, named values as a
 * timeline. One chart at a time.
 */
export function HistoryChartSection({ states }: { states: readonly EntityStateView[] }) {
  const chartable = states.filter((s) => historyKindOf(s.type) !== null);
  const [range, setRange] = useState<HistoryRangeValue>(HistoryRange.DAY.value);
  const [chosenStateId, setChosenStateId] = useState<number | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = body.current;
    if (!element) return;
    setWidth(element.clientWidth);
  }, [chartable.length > 0]);
  if (chartable.length === 0) return null;
  const state = chartable.find((s) => s.id === chosenStateId) ?? chartable[0]!;
  return (
    <section class="detail-section history-section" data-testid="detail-history-chart">
      <h3>History</h3>
      {chartable.length > 1 && (
        <div class="segmented history-states" role="group" aria-label="State to chart">
          {chartable.map((s) => (
            <button
              key={s.id}
              type="button"
              class={s.id === state.id ? 'segment active' : 'segment'}
              aria-pressed={s.id === state.id}
              data-testid={`history-state-${s.id}`}
              onClick={() => setChosenStateId(s.id)}
            >
              {s.name}
            </button>
          ))}
        </div>
      )}
      <div class="segmented history-ranges" role="group" aria-label="Time range">
        {HistoryRange.members.map((member) => (
          <button
            key={member.value}
            type="button"
            class={member.value === range ? 'segment active' : 'segment'}
            aria-pressed={member.value === range}
            data-testid={`history-range-${member.value}`}
            onClick={() => setRange(member.value)}
          >
            {member.label}
          </button>
        ))}
      </div>
      <div class="history-chart-body" ref={body} data-range={range} data-state-id={state.id}>
        {width > 0 && <StateChart key={state.id} state={state} range={range} width={width} />}
      </div>
    </section>
  );
}
