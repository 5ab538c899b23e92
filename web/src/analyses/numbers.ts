// 番号別詳細 (detailed 04): one row per AN — calls, completed, completion rate, talk seconds, mean
// talk time (over completed calls) and the busiest hour — in a table sorted by a click on any
// column heading, and the calls of each number as bars with the completion rate as a line.
import { t } from '../i18n';
import type { AnalysisView, Answer, Cell, TableModel } from './view';
import { num, pct, label, decimal, shown, formatAn } from './format';
import { C } from './palette';
import { countAxis, percentAxis, legend, countFormatter, percentFormatter, asPercent, figure } from './common';

interface NumberRow {
  an: string; calls: number; completed: number; completion_rate: number | null; talk_seconds: number;
  mean_talk_seconds: number | null; busiest_hour: number | null;
}

const rowsOf = (data: Answer) => (data.rows as NumberRow[] | undefined) ?? [];

function chartOption(data: Answer): Record<string, unknown> {
  const rows = rowsOf(data);
  return {
    legend: legend(),
    grid: { left: 56, right: 56, top: 56, bottom: 32, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => formatAn(r.an)), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
    yAxis: [countAxis(figure('calls')), percentAxis(figure('completion_rate'))],
    series: [
      { name: figure('calls'), type: 'bar', data: rows.map((r) => r.calls), itemStyle: { color: C.sky },
        tooltip: { valueFormatter: countFormatter }, barMaxWidth: 36 },
      { name: figure('completed'), type: 'bar', data: rows.map((r) => r.completed), itemStyle: { color: C.blue },
        tooltip: { valueFormatter: countFormatter }, barMaxWidth: 36 },
      { name: figure('completion_rate'), type: 'line', yAxisIndex: 1, data: rows.map((r) => asPercent(r.completion_rate)),
        itemStyle: { color: C.green }, lineStyle: { width: 2 }, symbolSize: 7, connectNulls: false, tooltip: { valueFormatter: percentFormatter } },
    ],
  };
}

const figures = (r: Omit<NumberRow, 'an'>): Cell[] => [
  num(r.calls, 'calls'), num(r.completed, 'completed'), pct(r.completion_rate, 'completion_rate'), num(r.talk_seconds, 'talk_seconds'),
  decimal(r.mean_talk_seconds, 1, 'mean_talk_seconds'),
  shown(r.busiest_hour, t('hour_band', { h: r.busiest_hour ?? 0 }), 'busiest_hour'),
];

function table(data: Answer): TableModel {
  return {
    head: [figure('an'), figure('calls'), figure('completed'), figure('completion_rate'), figure('talk_seconds'), figure('mean_talk_seconds'), figure('busiest_hour')],
    rows: rowsOf(data).map((r) => ({ t: r.an, cells: [label(formatAn(r.an)), ...figures(r)] })),
    totals: data.totals ? [label(figure('total')), ...figures(data.totals)] : null,
    sortable: true,
  };
}

function pptxChart(data: Answer) {
  const rows = rowsOf(data);
  const labels = rows.map((r) => formatAn(r.an));
  return { parts: [{ type: 'bar' as const, series: [
    { name: figure('calls'), labels, values: rows.map((r) => r.calls), color: C.sky },
    { name: figure('completed'), labels, values: rows.map((r) => r.completed), color: C.blue }] }] };
}

export const numbers: AnalysisView = {
  name: 'numbers', path: '/analytics/numbers', api: 'numbers', plan: 'standard',
  title: () => t('view.numbers'), summary: () => t('sum.numbers'),
  filters: ['range', 'an', 'weekday', 'hours', 'groups', 'dn'], granularities: [],
  defaultPreset: 'detailed',
  chartOption, table, pptxChart,
  isEmpty: (d) => !(d.totals?.calls > 0),
};
