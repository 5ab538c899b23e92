// 発信地域別 × 着信地域別 (detailed 03): calls for each pair of calling and receiving prefecture, as a
// heat map (origins down the side, destinations along the top, only prefectures that had calls)
// and as a table of the non-zero pairs, largest first.
import { t } from '../i18n';
import type { AnalysisView, Answer, TableModel } from './view';
import { num, pct, label, share } from './format';
import { countFormatter, heatScale, figure } from './common';

interface OdCell { origin: string; destination: string; calls: number }

const cellsOf = (data: Answer) => (data.cells as OdCell[] | undefined) ?? [];
const namesOf = (data: Answer) => (data.names as Record<string, string> | undefined) ?? {};
const nameOf = (data: Answer, code: string) => namesOf(data)[code] ?? code;

// Prefecture codes on an axis, by calls (largest first), so the busy corner is top left.
function axisCodes(cells: OdCell[], key: 'origin' | 'destination'): string[] {
  const sums = new Map<string, number>();
  for (const c of cells) sums.set(c[key], (sums.get(c[key]) ?? 0) + c.calls);
  return [...sums.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code]) => code);
}

function chartOption(data: Answer): Record<string, unknown> {
  const cells = cellsOf(data);
  const origins = axisCodes(cells, 'origin');
  const dests = axisCodes(cells, 'destination');
  const max = cells.reduce((m, c) => Math.max(m, c.calls), 0);
  return {
    grid: { left: 16, right: 24, top: 40, bottom: 64, containLabel: true },
    tooltip: { trigger: 'item', formatter: (p: { value: [number, number, number] }) =>
      `${nameOf(data, origins[p.value[1]])} → ${nameOf(data, dests[p.value[0]])}: ${countFormatter(p.value[2])}` },
    xAxis: { type: 'category', name: figure('destination'), nameLocation: 'middle', nameGap: 28, position: 'top',
      data: dests.map((c) => nameOf(data, c)), splitArea: { show: true }, axisLabel: { interval: 0, rotate: dests.length > 8 ? 45 : 0, fontSize: 11 } },
    yAxis: { type: 'category', name: figure('origin'), inverse: true, data: origins.map((c) => nameOf(data, c)), splitArea: { show: true },
      axisLabel: { interval: 0, fontSize: origins.length > 30 ? 9 : 11 } },
    visualMap: heatScale(max),
    series: [{
      name: figure('calls'), type: 'heatmap',
      data: cells.map((c) => [dests.indexOf(c.destination), origins.indexOf(c.origin), c.calls]),
      // Figures in the cells while they fit.
      label: { show: origins.length * dests.length <= 400, fontSize: 10, formatter: (p: { value: number[] }) => countFormatter(p.value[2]) },
      itemStyle: { borderColor: '#fff', borderWidth: 1 },
      emphasis: { itemStyle: { borderColor: '#1D2733', borderWidth: 1 } },
    }],
  };
}

function table(data: Answer): TableModel {
  const total = data.totals?.calls ?? 0;
  return {
    head: [figure('origin'), figure('destination'), figure('calls'), figure('share')],
    rows: cellsOf(data).map((c) => ({ t: `${c.origin}-${c.destination}`, cells: [label(nameOf(data, c.origin)), label(nameOf(data, c.destination)),
      num(c.calls, 'calls'), pct(share(c.calls, total), 'share')] })),
    totals: data.totals ? [label(figure('total')), label(''), num(total, 'calls'), pct(total > 0 ? 1 : null, 'share')] : null,
    sortable: true,
  };
}

export const originDestination: AnalysisView = {
  name: 'origin-destination', path: '/analytics/origin-destination', api: 'origin-destination', plan: 'standard',
  title: () => t('view.origin-destination'), summary: () => t('sum.origin-destination'),
  filters: ['range', 'an', 'weekday', 'hours', 'groups', 'dn'], granularities: [],
  defaultPreset: 'detailed', tallChart: true,
  chartOption, table,
  isEmpty: (d) => !(d.totals?.calls > 0),
};
