// 直近3ヶ月トラフィック (basic 01) and, with granularity=month, 年間トラフィック (basic 02):
// stacked bars of completed and incomplete calls, and the completion rate as a line on a percent axis.
import { t } from '../i18n';
import type { AnalysisView, Answer, TableModel } from './view';
import { num, pct, label } from './format';
import { C } from './palette';
import { categoryAxis, countAxis, percentAxis, zoom, grid, legend, countFormatter, percentFormatter, asPercent, figure } from './common';

const FIGURES = ['calls', 'completed', 'incomplete', 'completion_rate', 'talk_seconds'] as const;

export function trafficChart(data: Answer): Record<string, unknown> {
  const s = data.series ?? [];
  const labels = s.map((b) => b.t as string);
  return {
    legend: legend(), grid: grid(s.length), dataZoom: zoom(s.length),
    xAxis: categoryAxis(labels),
    yAxis: [countAxis(figure('calls')), percentAxis(figure('completion_rate'))],
    series: [
      { name: figure('completed'), type: 'bar', stack: 'calls', data: s.map((b) => b.completed), itemStyle: { color: C.blue },
        tooltip: { valueFormatter: countFormatter }, barMaxWidth: 28 },
      { name: figure('incomplete'), type: 'bar', stack: 'calls', data: s.map((b) => b.incomplete), itemStyle: { color: C.orange },
        tooltip: { valueFormatter: countFormatter }, barMaxWidth: 28 },
      { name: figure('completion_rate'), type: 'line', yAxisIndex: 1, data: s.map((b) => asPercent(b.completion_rate)),
        itemStyle: { color: C.green }, lineStyle: { width: 2 }, symbolSize: 5, connectNulls: false,
        tooltip: { valueFormatter: percentFormatter } },
    ],
  };
}

export function trafficTable(data: Answer): TableModel {
  const cells = (b: any) => [num(b.calls, 'calls'), num(b.completed, 'completed'), num(b.incomplete, 'incomplete'),
    pct(b.completion_rate, 'completion_rate'), num(b.talk_seconds, 'talk_seconds')];
  return {
    head: [figure('t'), ...FIGURES.map(figure)],
    rows: (data.series ?? []).map((b) => ({ t: b.t, cells: [label(b.t), ...cells(b)] })),
    totals: data.totals ? [label(figure('total')), ...cells(data.totals)] : null,
  };
}

export const noCalls = (data: Answer) => !data.totals || !(data.totals.calls > 0);

export function trafficPptx(data: Answer) {
  const s = data.series ?? [];
  const labels = s.map((b) => b.t as string);
  return {
    percentSecondary: true,
    parts: [
      { type: 'bar' as const, stacked: true, series: [
        { name: figure('completed'), labels, values: s.map((b) => b.completed), color: C.blue },
        { name: figure('incomplete'), labels, values: s.map((b) => b.incomplete), color: C.orange }] },
      { type: 'line' as const, secondary: true, series: [
        { name: `${figure('completion_rate')} (%)`, labels, values: s.map((b) => asPercent(b.completion_rate) ?? 0), color: C.green }] },
    ],
  };
}

export const traffic: AnalysisView = {
  name: 'traffic', path: '/analytics/traffic', api: 'traffic', plan: 'free',
  title: () => t('view.traffic'), summary: () => t('sum.traffic'),
  filters: ['range', 'an', 'weekday', 'hours', 'granularity', 'groups', 'dn', 'custom'], granularities: ['day', 'hour', 'minute'],
  defaultPreset: 'last_3m',
  chartOption: trafficChart, table: trafficTable, isEmpty: noCalls, pptxChart: trafficPptx,
};
