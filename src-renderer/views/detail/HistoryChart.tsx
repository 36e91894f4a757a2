import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './history-chart.css';
import { styleTokenFor } from '../../../src-shared/enums/entity';
import type { HistorySeries, StateRun } from '../../../src-shared/model/history';

export const CHART_HEIGHT = 220;
const AXIS_FONT = '16px system-ui, sans-serif';
const LABEL_FONT = '600 15px system-ui, sans-serif';

interface Palette {
  text: string;
  muted: string;
  border: string;
  accent: string;
  state(token: string): string;
  ink(token: string): string;
}

/** The theme's colours, read from its CSS variables at the moment the chart is drawn. */
function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#1d2430'),
    muted: read('--muted', '#5b6575'),
    border: read('--border', '#d5dbe4'),
    accent: read('--accent', '#1f6feb'),
    state: (token) => read(`--state-${token}`, '#8fa3b8'),
    ink: (token) => read(`--state-${token}-ink`, '#ffffff'),
  };
}

/** A theme colour made see-through, for the band between lowest and highest. */
function translucent(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  return hex ? `rgba(${parseInt(hex[1]!, 16)}, ${parseInt(hex[2]!, 16)}, ${parseInt(hex[3]!, 16)}, ${alpha})` : color;
}

function timeAxis(palette: Palette): uPlot.Axis {
  return { stroke: palette.text, font: AXIS_FONT, size: 44, grid: { stroke: palette.border, width: 1 }, ticks: { stroke: palette.border, width: 1 } };
}

function numericOptions(series: Extract<HistorySeries, { kind: 'numeric' }>, width: number, timeZone: string | undefined, palette: Palette): uPlot.Options {
  const unit = series.units ? ` ${series.units}` : '';
  return {
    width,
    height: CHART_HEIGHT,
    ms: 1,
    ...(timeZone ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts), timeZone) } : {}),
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: true, range: [series.from, series.to] } },
    series: [
      {},
      { label: 'Lowest', stroke: palette.muted, width: 1 },
      { label: 'Highest', stroke: palette.muted, width: 1 },
      { label: 'Average', stroke: palette.accent, width: 2.5, points: { size: 8, fill: palette.accent, stroke: palette.accent, filter: shortStretchPoints } },
    ],
    bands: [{ series: [2, 1], fill: translucent(palette.accent, 0.2) }],
    axes: [
      timeAxis(palette),
      {
        stroke: palette.text,
        font: AXIS_FONT,
        size: 64,
        grid: { stroke: palette.border, width: 1 },
        ticks: { stroke: palette.border, width: 1 },
        values: (_u, splits) => splits.map((v) => `${Number(v.toFixed(2))}${unit}`),
      },
    ],
  };
}

/** Stretches of values this short between gaps would be a speck of line: they show as dots too. */
const SHORT_STRETCH = 4;

/** Buckets in a short stretch between gaps (a lone value, the first minutes of history) still show, as dots. */
function shortStretchPoints(u: uPlot, seriesIdx: number, show: boolean): number[] | null {
  if (show) return null;
  const values = u.data[seriesIdx]!;
  const points: number[] = [];
  let stretchStart = -1;
  for (let i = 0; i <= values.length; i++) {
    const present = i < values.length && values[i] != null;
    if (present && stretchStart < 0) stretchStart = i;
    if (!present && stretchStart >= 0) {
      if (i - stretchStart < SHORT_STRETCH) for (let j = stretchStart; j < i; j++) points.push(j);
      stretchStart = -1;
    }
  }
  return points.length > 0 ? points : null;
}

function numericData(series: Extract<HistorySeries, { kind: 'numeric' }>): uPlot.AlignedData {
  return [series.buckets.map((b) => b.t), series.buckets.map((b) => b.min), series.buckets.map((b) => b.max), series.buckets.map((b) => b.avg)];
}

/** Runs drawn as coloured bars under the time axis; a folded (mixed) stretch is striped, no value is left bare. */
function drawRuns(u: uPlot, runs: readonly StateRun[], stateType: string, palette: Palette): void {
  const { ctx } = u;
  const { top, height } = u.bbox;
  ctx.save();
  ctx.font = LABEL_FONT.replace(/\d+px/, (px) => `${Math.round(parseInt(px, 10) * devicePixelRatio)}px`);
  ctx.textBaseline = 'middle';
  for (const run of runs) {
    if (run.value === null) continue;
    const x0 = u.valToPos(run.from, 'x', true);
    const x1 = u.valToPos(run.to, 'x', true);
    const token = styleTokenFor(stateType, run.value);
    ctx.fillStyle = palette.state(token);
    ctx.globalAlpha = run.mixed ? 0.55 : 1;
    ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
    ctx.globalAlpha = 1;
    const label = run.mixed ? `${run.value} …` : run.value;
    if (ctx.measureText(label).width + 12 < x1 - x0) {
      ctx.fillStyle = palette.ink(token);
      ctx.fillText(label, x0 + 6, top + height / 2);
    }
  }
  ctx.restore();
}

function timelineOptions(series: Extract<HistorySeries, { kind: 'enumerated' }>, stateType: string, width: number, timeZone: string | undefined, palette: Palette): uPlot.Options {
  return {
    width,
    height: 120,
    ms: 1,
    ...(timeZone ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts), timeZone) } : {}),
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: true, range: [series.from, series.to] }, y: { range: [0, 1] } },
    series: [{}, { show: false }],
    axes: [timeAxis(palette), { show: false }],
    hooks: { draw: [(u) => drawRuns(u, series.runs, stateType, palette)] },
  };
}

/**
 * One uPlot chart of a state's history, sized to its container. The chart, its ResizeObserver and its theme observer
 * exist while this is mounted and are destroyed with it.
 */
export default function HistoryChart({ series, stateType, timeZone }: { series: HistorySeries; stateType: string; timeZone: string | undefined }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let chart: uPlot | null = null;
    const build = () => {
      chart?.destroy();
      const palette = readPalette();
      const width = Math.max(120, element.clientWidth);
      chart =
        series.kind === 'numeric'
          ? new uPlot(numericOptions(series, width, timeZone, palette), numericData(series), element)
          : new uPlot(timelineOptions(series, stateType, width, timeZone, palette), [[series.from, series.to], [null, null]], element);
    };
    build();
    const resize = new ResizeObserver(() => {
      const width = Math.max(120, element.clientWidth);
      if (chart && chart.width !== width) chart.setSize({ width, height: chart.height });
    });
    resize.observe(element);
    // The theme is an attribute of <html>: a switch redraws in the new colours.
    const theme = new MutationObserver(build);
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      theme.disconnect();
      resize.disconnect();
      chart?.destroy();
      chart = null;
    };
  }, [series, stateType, timeZone]);
  return <div class="history-chart" ref={host} data-testid="history-chart" data-kind={series.kind} data-from={series.from} />;
}
