// トラフィック比較分析 (basic 03): range A against range B bucket by bucket (aligned by offset), or
// AN against AN. Bars of A's and B's calls side by side and the difference as a line; the table
// gives a, b, diff and ratio for every figure. Every bucket of both ranges has a row (SPEC §19):
// where the shorter range has none, its side is null — "—" in the table, a gap in the chart (no
// bar, the difference line broken) — and the totals are the sums of the rows on each side.
// `align=weekday` (the filter bar's checkbox, day buckets only) starts B on A's weekday.
import { t } from '../i18n';
import type { AnalysisView, Answer, Cell, TableModel } from './view';
import { num, pct, ratio, signed, points, label, axisLabel } from './format';
import { C } from './palette';
import { categoryAxis, countAxis, zoom, grid, legend, countFormatter, figure } from './common';

type Figure = 'calls' | 'completed' | 'incomplete' | 'talk_seconds' | 'completion_rate';
const FIGURES: Figure[] = ['calls', 'completed', 'incomplete', 'talk_seconds', 'completion_rate'];
// PDF and PowerPoint pages hold 10 columns at a readable size, not 22: calls and completion rate
// (the screen and the CSV keep every figure).
const DOC_FIGURES: Figure[] = ['calls', 'completion_rate'];

function cells(b: any, figures: Figure[]): Cell[] {
  const out: Cell[] = [];
  for (const f of figures) {
    const v = b[f] ?? {};
    if (f === 'completion_rate') {
      out.push(pct(v.a, `${f}_a`), pct(v.b, `${f}_b`), points(v.diff, `${f}_diff`), ratio(v.ratio, `${f}_ratio`));
    } else {
      out.push(num(v.a, `${f}_a`), num(v.b, `${f}_b`), signed(v.diff, `${f}_diff`), ratio(v.ratio, `${f}_ratio`));
    }
  }
  return out;
}

function table(data: Answer, figures: Figure[] = FIGURES): TableModel {
  const head = [figure('t'), figure('t_b')];
  for (const f of figures) head.push(`${figure(f)} ${t('fig.a')}`, `${figure(f)} ${t('fig.b')}`, `${figure(f)} ${t('fig.diff')}`, `${figure(f)} ${t('fig.ratio')}`);
  return {
    head,
    // A row of B alone (A shorter) has no A label: data-t="" and "—".
    rows: (data.series ?? []).map((b) => ({ t: b.t ?? '', cells: [label(b.t ?? '—'), label(b.t_b ?? '—'), ...cells(b, figures)] })),
    totals: data.totals ? [label(figure('total')), label(''), ...cells(data.totals, figures)] : null,
  };
}

const rangeName = (which: 'a' | 'b', data: Answer) => {
  const f = data.filters;
  const [from, to] = which === 'a' ? [f.from, f.to] : [f.b_from, f.b_to];
  return `${t(`fig.${which}`)} ${from ?? ''}〜${to ?? ''}`;
};

// The category of a row: A's bucket; where A has none, B's, marked "B" ("B 10/31").
const rowLabel = (b: any, short: boolean): string =>
  (b.t ?? (b.t_b ? `${t('fig.b')} ${short ? axisLabel(b.t_b) : b.t_b}` : ''));
// A figure of one side; null where that side has no bucket (a gap, not a zero).
const side = (b: any, key: 'a' | 'b' | 'diff'): number | null => b.calls?.[key] ?? null;

function chartOption(data: Answer): Record<string, unknown> {
  const s = data.series ?? [];
  return {
    legend: legend(), grid: grid(s.length), dataZoom: zoom(s.length),
    xAxis: categoryAxis(s.map((b) => rowLabel(b, true))),
    yAxis: [countAxis(figure('calls'))],
    series: [
      { name: rangeName('a', data), type: 'bar', data: s.map((b) => side(b, 'a')), itemStyle: { color: C.blue },
        tooltip: { valueFormatter: countFormatter }, barMaxWidth: 22 },
      { name: rangeName('b', data), type: 'bar', data: s.map((b) => side(b, 'b')), itemStyle: { color: C.orange },
        tooltip: { valueFormatter: countFormatter }, barMaxWidth: 22 },
      { name: t('fig.diff_line'), type: 'line', data: s.map((b) => side(b, 'diff')), itemStyle: { color: C.purple },
        lineStyle: { width: 2, type: 'dashed' }, symbolSize: 5, connectNulls: false, tooltip: { valueFormatter: countFormatter } },
    ],
  };
}

function pptxChart(data: Answer) {
  const s = data.series ?? [];
  const labels = s.map((b) => rowLabel(b, false));
  return {
    parts: [
      { type: 'bar' as const, series: [
        { name: rangeName('a', data), labels, values: s.map((b) => side(b, 'a')), color: C.blue },
        { name: rangeName('b', data), labels, values: s.map((b) => side(b, 'b')), color: C.orange }] },
      { type: 'line' as const, series: [
        { name: t('fig.diff_line'), labels, values: s.map((b) => side(b, 'diff')), color: C.purple }] },
    ],
  };
}

export const compare: AnalysisView = {
  name: 'compare', path: '/analytics/compare', api: 'compare', plan: 'free',
  title: () => t('view.compare'), summary: () => t('sum.compare'),
  filters: ['range', 'compare', 'an', 'weekday', 'hours', 'granularity', 'groups', 'dn', 'custom'], granularities: ['day', 'hour', 'month', 'minute'],
  defaultPreset: 'last_30',
  chartOption, table: (d) => table(d), docTable: (d) => table(d, DOC_FIGURES),
  isEmpty: (d) => !d.totals || !((d.totals.calls?.a ?? 0) > 0 || (d.totals.calls?.b ?? 0) > 0),
  pptxChart,
};
