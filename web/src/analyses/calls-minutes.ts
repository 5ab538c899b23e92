// 呼数・分単位 (detailed 05): calls and talk minutes per bucket — one minute (a one-day range only),
// one hour, or one day. Without a choice the server picks hours up to 7 days and days beyond
// ('auto'). Calls as bars, talk minutes as a line on a second axis.
import { t, formatNumber } from '../i18n';
import type { AnalysisView, Answer, Cell, TableModel } from './view';
import { num, decimal, label } from './format';
import { C } from './palette';
import { categoryAxis, countAxis, zoom, grid, legend, countFormatter, figure } from './common';

const minutesFormatter = (v: unknown) => (typeof v === 'number' ? formatNumber(v, 2) : '—');

function chartOption(data: Answer): Record<string, unknown> {
  const s = data.series ?? [];
  return {
    legend: legend(), grid: grid(s.length), dataZoom: zoom(s.length),
    xAxis: categoryAxis(s.map((b) => b.t as string)),
    yAxis: [countAxis(figure('calls')), { type: 'value', name: figure('talk_minutes'), position: 'right', splitLine: { show: false },
      axisLabel: { formatter: (v: number) => formatNumber(v) } }],
    series: [
      { name: figure('calls'), type: 'bar', data: s.map((b) => b.calls), itemStyle: { color: C.blue },
        tooltip: { valueFormatter: countFormatter }, barMaxWidth: 28 },
      { name: figure('talk_minutes'), type: 'line', yAxisIndex: 1, data: s.map((b) => b.talk_minutes), itemStyle: { color: C.orange },
        lineStyle: { width: 2 }, symbolSize: s.length > 200 ? 0 : 4, tooltip: { valueFormatter: minutesFormatter } },
    ],
  };
}

const cells = (b: any): Cell[] => [num(b.calls, 'calls'), num(b.completed, 'completed'), num(b.talk_seconds, 'talk_seconds'),
  decimal(b.talk_minutes, 2, 'talk_minutes')];

function table(data: Answer): TableModel {
  return {
    head: [figure('t'), figure('calls'), figure('completed'), figure('talk_seconds'), figure('talk_minutes')],
    rows: (data.series ?? []).map((b) => ({ t: b.t, cells: [label(b.t), ...cells(b)] })),
    totals: data.totals ? [label(figure('total')), ...cells(data.totals)] : null,
  };
}

function pptxChart(data: Answer) {
  const s = data.series ?? [];
  const labels = s.map((b) => b.t as string);
  return { parts: [{ type: 'bar' as const, series: [{ name: figure('calls'), labels, values: s.map((b) => b.calls), color: C.blue }] }] };
}

export const callsMinutes: AnalysisView = {
  name: 'calls-minutes', path: '/analytics/calls-minutes', api: 'calls-minutes', plan: 'standard',
  title: () => t('view.calls-minutes'), summary: () => t('sum.calls-minutes'),
  filters: ['range', 'an', 'weekday', 'hours', 'granularity', 'groups', 'dn', 'custom'], granularities: ['auto', 'minute', 'hour', 'day'],
  defaultPreset: 'detailed',
  chartOption, table, pptxChart,
  isEmpty: (d) => !(d.totals?.calls > 0),
};
