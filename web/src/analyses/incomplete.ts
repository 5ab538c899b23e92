// 不完了理由詳細 (basic 04): incomplete calls per reason, stacked per bucket, with per-reason totals.
import { t } from '../i18n';
import type { AnalysisView, Answer, TableModel } from './view';
import { num, label } from './format';
import { REASONS } from './palette';
import { categoryAxis, countAxis, zoom, grid, legend, countFormatter, figure } from './common';

const reason = (key: string) => t(`reason.${key}`);

function chartOption(data: Answer): Record<string, unknown> {
  const s = data.series ?? [];
  const totals = data.totals ?? {};
  return {
    legend: { ...legend(), formatter: (name: string) => {
      const r = REASONS.find((x) => reason(x.key) === name);
      return r ? `${name} ${countFormatter(totals[r.key] ?? 0)}` : name;
    } },
    grid: grid(s.length), dataZoom: zoom(s.length),
    xAxis: categoryAxis(s.map((b) => b.t)),
    yAxis: [countAxis(figure('incomplete'))],
    series: REASONS.map((r) => ({
      name: reason(r.key), type: 'bar', stack: 'reasons', data: s.map((b) => b[r.key] ?? 0), itemStyle: { color: r.color },
      tooltip: { valueFormatter: countFormatter }, barMaxWidth: 28,
    })),
  };
}

function table(data: Answer): TableModel {
  const cells = (b: any) => [...REASONS.map((r) => num(b[r.key], r.key)), num(b.incomplete, 'incomplete')];
  return {
    head: [figure('t'), ...REASONS.map((r) => reason(r.key)), figure('incomplete')],
    rows: (data.series ?? []).map((b) => ({ t: b.t, cells: [label(b.t), ...cells(b)] })),
    totals: data.totals ? [label(figure('total')), ...cells(data.totals)] : null,
  };
}

function pptxChart(data: Answer) {
  const s = data.series ?? [];
  const labels = s.map((b) => b.t as string);
  return { parts: [{ type: 'bar' as const, stacked: true,
    series: REASONS.map((r) => ({ name: reason(r.key), labels, values: s.map((b) => b[r.key] ?? 0), color: r.color })) }] };
}

export const incomplete: AnalysisView = {
  name: 'incomplete', path: '/analytics/incomplete', api: 'incomplete', plan: 'free',
  title: () => t('view.incomplete'), summary: () => t('sum.incomplete'),
  filters: ['range', 'an', 'weekday', 'hours', 'granularity', 'groups', 'dn', 'custom'], granularities: ['day', 'hour', 'month', 'minute'],
  defaultPreset: 'last_3m',
  chartOption, table, isEmpty: (d) => !d.totals || !(d.totals.incomplete > 0), pptxChart,
  emptyTitle: () => t('empty.title_incomplete'),
};
