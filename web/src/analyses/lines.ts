// 同時適正回線数 (detailed 07): per hour the peak of simultaneous completed calls (bars, the busy
// hour marked), the offered traffic in erlangs (a line), and in words the smallest number of lines
// whose Erlang B blocking meets the target (`gos`, chosen in the filter bar; a new choice asks the
// server again). Under the hourly table, the Erlang B table around the recommendation.
import { t, formatNumber } from '../i18n';
import type { AnalysisView, Answer, Headline, TableModel } from './view';
import { num, decimal, label, shown, axisLabel, gosText } from './format';
import { C } from './palette';
import { categoryAxis, countAxis, zoom, grid, legend, countFormatter, figure } from './common';

interface ErlangRow { lines: number; blocking: number }

const gosOf = (data: Answer) => (typeof data.gos === 'number' ? data.gos : data.filters.gos ?? 0.01);
const busyHour = (data: Answer) => (typeof data.busy_hour === 'string' ? data.busy_hour : null);
const erlangText = (v: unknown) => (typeof v === 'number' ? formatNumber(v, 2) : '—');
// Blocking as a percent with enough digits to compare with a 0.1 % target.
const blockingText = (b: number) => `${formatNumber(b * 100, 4)}%`;

function chartOption(data: Answer): Record<string, unknown> {
  const s = data.series ?? [];
  const busy = busyHour(data);
  return {
    legend: legend(), grid: grid(s.length), dataZoom: zoom(s.length),
    xAxis: categoryAxis(s.map((b) => b.t as string)),
    yAxis: [countAxis(figure('peak')), { type: 'value', name: figure('erlangs'), position: 'right', splitLine: { show: false },
      axisLabel: { formatter: (v: number) => formatNumber(v, 1) } }],
    series: [
      { name: figure('peak'), type: 'bar', barMaxWidth: 28, tooltip: { valueFormatter: countFormatter },
        data: s.map((b) => (b.t === busy ? { value: b.peak, itemStyle: { color: C.vermillion } } : b.peak)), itemStyle: { color: C.blue },
        // The busy hour: a red bar and a labelled line.
        markLine: busy ? { symbol: 'none', silent: true, lineStyle: { color: C.vermillion, type: 'dashed' },
          label: { formatter: t('lines.busy_mark'), color: C.vermillion }, data: [{ xAxis: s.findIndex((b) => b.t === busy) }] } : undefined },
      { name: figure('erlangs'), type: 'line', yAxisIndex: 1, data: s.map((b) => b.erlangs), itemStyle: { color: C.green },
        lineStyle: { width: 1.5 }, symbolSize: s.length > 200 ? 0 : 4, tooltip: { valueFormatter: erlangText } },
    ],
  };
}

function table(data: Answer): TableModel {
  const busy = busyHour(data);
  return {
    head: [figure('t'), figure('peak'), figure('erlangs')],
    rows: (data.series ?? []).map((b) => ({ t: b.t, mark: b.t === busy, cells: [label(b.t === busy ? `${b.t} ★` : b.t), num(b.peak, 'peak'), decimal(b.erlangs, 4, 'erlangs')] })),
    totals: null,
  };
}

// The Erlang B table: N lines, blocking B(N, A), and whether it meets the target.
function erlangTable(data: Answer): TableModel {
  const gos = gosOf(data);
  const recommended = data.recommended_lines;
  return {
    head: [figure('lines'), figure('blocking'), t('lines.meets', { gos: gosText(gos) })],
    rows: ((data.table as ErlangRow[] | undefined) ?? []).map((r) => ({
      t: String(r.lines), mark: r.lines === recommended,
      cells: [shown(r.lines, r.lines === recommended ? `${r.lines} ★` : String(r.lines), 'lines'), shown(r.blocking, blockingText(r.blocking), 'blocking'),
        label(r.blocking <= gos ? t('lines.yes') : t('lines.no'))],
    })),
    totals: null,
  };
}

function headline(data: Answer): Headline | null {
  const busy = busyHour(data);
  if (!busy || typeof data.recommended_lines !== 'number') return null;
  return {
    text: t('lines.headline', { n: data.recommended_lines, gos: gosText(gosOf(data)), hour: axisLabel(busy), erlangs: erlangText(data.erlangs) }),
    data: { 'recommended-lines': String(data.recommended_lines), gos: String(gosOf(data)), 'busy-hour': busy },
  };
}

function pptxChart(data: Answer) {
  const s = data.series ?? [];
  return { parts: [{ type: 'bar' as const, series: [
    { name: figure('peak'), labels: s.map((b) => b.t as string), values: s.map((b) => b.peak), color: C.blue }] }] };
}

export const lines: AnalysisView = {
  name: 'lines', path: '/analytics/lines', api: 'lines', plan: 'standard',
  title: () => t('view.lines'), summary: () => t('sum.lines'),
  filters: ['range', 'gos', 'an', 'weekday', 'hours', 'groups', 'dn', 'custom'], granularities: [],
  defaultPreset: 'detailed',
  chartOption, table, headline, pptxChart,
  extraTables: (d) => [{ id: 'erlang-table', title: t('lines.table_title', { erlangs: erlangText(d.erlangs) }), model: erlangTable(d) }],
  isEmpty: (d) => busyHour(d) === null,
  emptyTitle: () => t('empty.title_lines'),   // incomplete calls occupy no line
};
