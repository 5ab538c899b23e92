// What 発信地域別 (origin) and 着信地域別 (destination) share: the prefectures ranked by calls, as
// horizontal bars (completed and not completed stacked, the largest on top) and a table with the
// completion rate and each prefecture's share of the calls. Prefecture names come from the server
// in the page's language (Accept-Language). A map of Japan is left out on purpose: no well-kept
// npm package ships prefecture GeoJSON for ECharts (docs/web.md).
import { t } from '../i18n';
import type { AnalysisView, Answer, TableModel } from './view';
import { num, pct, label, share } from './format';
import { C } from './palette';
import { countAxis, legend, countFormatter, figure } from './common';

interface RegionRow { pref: string; name: string; calls: number; completed: number }

const rowsOf = (data: Answer) => (data.rows as RegionRow[] | undefined) ?? [];
const rate = (completed: number, calls: number) => share(completed, calls);

function chartOption(data: Answer): Record<string, unknown> {
  const rows = rowsOf(data);
  return {
    legend: legend(),
    grid: { left: 16, right: 40, top: 48, bottom: 24, containLabel: true },
    xAxis: countAxis(figure('calls')),
    // The ranking reads from the top: the category axis is inverted.
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisTick: { show: false },
      axisLabel: { interval: 0, fontSize: rows.length > 30 ? 9 : 12 } },
    series: [
      { name: figure('completed'), type: 'bar', stack: 'calls', data: rows.map((r) => r.completed), itemStyle: { color: C.blue },
        tooltip: { valueFormatter: countFormatter }, barMaxWidth: 22 },
      { name: figure('not_completed'), type: 'bar', stack: 'calls', data: rows.map((r) => r.calls - r.completed), itemStyle: { color: C.orange },
        tooltip: { valueFormatter: countFormatter }, barMaxWidth: 22 },
    ],
  };
}

function table(data: Answer): TableModel {
  const total = data.totals?.calls ?? 0;
  return {
    head: [figure('rank'), figure('pref'), figure('calls'), figure('completed'), figure('completion_rate'), figure('share')],
    rows: rowsOf(data).map((r, i) => ({ t: r.pref, cells: [label(String(i + 1)), label(r.name), num(r.calls, 'calls'), num(r.completed, 'completed'),
      pct(rate(r.completed, r.calls), 'completion_rate'), pct(share(r.calls, total), 'share')] })),
    totals: data.totals ? [label(figure('total')), label(''), num(data.totals.calls, 'calls'), num(data.totals.completed, 'completed'),
      pct(rate(data.totals.completed, data.totals.calls), 'completion_rate'), pct(total > 0 ? 1 : null, 'share')] : null,
    sortable: true,
  };
}

function pptxChart(data: Answer) {
  const rows = rowsOf(data);
  const labels = rows.map((r) => r.name);
  return { parts: [{ type: 'bar' as const, stacked: true, series: [
    { name: figure('completed'), labels, values: rows.map((r) => r.completed), color: C.blue },
    { name: figure('not_completed'), labels, values: rows.map((r) => r.calls - r.completed), color: C.orange }] }] };
}

export function regionView(name: 'origin' | 'destination'): AnalysisView {
  return {
    name, path: `/analytics/${name}`, api: name, plan: 'standard',
    title: () => t(`view.${name}`), summary: () => t(`sum.${name}`),
    filters: ['range', 'an', 'weekday', 'hours', 'groups', 'dn'], granularities: [],
    defaultPreset: 'detailed', tallChart: true,
    chartOption, table, pptxChart,
    isEmpty: (d) => !(d.totals?.calls > 0),
  };
}
