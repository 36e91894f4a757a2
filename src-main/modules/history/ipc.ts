import type { HandlerMap } from '../../ipc/router';
import type { HistorySeriesHelper } from './history-series-helper';

export function historyHandlers(series: HistorySeriesHelper): HandlerMap<'entity.history.series'> {
  return {
    'entity.history.series': (arg) => series.series(arg),
  };
}
