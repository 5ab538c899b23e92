// Custom data over an analysis (SPEC §15, `custom=ID`): the answer's `custom` sets, already on the
// analysis's own buckets (null where a set has no point), drawn as dashed lines on extra right-hand
// axes (one per unit, labelled with it, offset beside any right axis the view has, such as the
// completion rate), named in the legend, added to the data table as one column per set, and carried
// into the PNG, PDF and PowerPoint downloads, which are made from the same chart option and table.
// Plain objects only: no ECharts import, so the catalogue stays out of the chart bundle.
import { t, lang } from '../i18n';
import type { CustomSeries } from '../custom';
import type { AnalysisView, Answer, Cell, PptxChartSpec, TableModel } from './view';
import { label } from './format';
import { C } from './palette';

// Colours and point shapes apart from the views' own (black first: no view uses it).
const COLORS = [C.black, C.vermillion, C.purple, C.sky, C.grey];
const SYMBOLS = ['diamond', 'triangle', 'rect', 'roundRect', 'pin'];
// The room one more right-hand axis takes (its labels and name).
const AXIS_STEP = 64;

// The sets of an answer that have a series (an analysis without buckets gives them none).
export function customOf(data: Answer): CustomSeries[] {
  const sets = Array.isArray(data.custom) ? (data.custom as CustomSeries[]) : [];
  return data.series?.length ? sets.filter((s) => Array.isArray(s.series) && s.series.length > 0) : [];
}

// "来店数（人）" / "Visitors (people)": the set's name with its unit, as legend, column and series.
export const customLabel = (set: { name: string; unit: string }) =>
  (set.unit ? (lang() === 'ja' ? `${set.name}（${set.unit}）` : `${set.name} (${set.unit})`) : set.name);

export const customColor = (i: number) => COLORS[i % COLORS.length];

// A set's values in the order of the analysis's buckets (its series' `t`; null on a comparison's
// rows of range B alone, which have no value).
function aligned(set: CustomSeries, buckets: (string | null)[]): (number | null)[] {
  const at = new Map(set.series.map((p) => [p.t, p.value]));
  return buckets.map((b) => (b === null ? null : at.get(b) ?? null));
}

// Custom values are the customer's own numbers: as many decimals as they have (up to 4).
export const customText = (v: number | null | undefined) =>
  (v === null || v === undefined ? '—' : v.toLocaleString(lang() === 'ja' ? 'ja-JP' : 'en-US', { maximumFractionDigits: 4 }));

export const hasCustomValues = (data: Answer) => customOf(data).some((s) => s.series.some((p) => p.value !== null));

type Axis = Record<string, unknown>;

// The view's chart option with one dashed line per set, each on the right-hand axis of its unit.
export function overlayChart(option: Record<string, unknown>, data: Answer): Record<string, unknown> {
  const sets = customOf(data);
  if (!sets.length) return option;
  const buckets = (data.series ?? []).map((b) => (b.t ?? null) as string | null);
  const yAxis: Axis[] = Array.isArray(option.yAxis) ? [...(option.yAxis as Axis[])] : option.yAxis ? [option.yAxis as Axis] : [];
  const rightBefore = yAxis.filter((a) => a.position === 'right').length;
  const axisOf = new Map<string, number>();
  const series = [...((option.series as unknown[]) ?? [])];
  sets.forEach((set, i) => {
    const color = customColor(i);
    const key = set.unit ? `unit:${set.unit}` : `set:${set.id}`;
    let index = axisOf.get(key);
    if (index === undefined) {
      index = yAxis.length;
      yAxis.push({
        type: 'value', name: set.unit || set.name, position: 'right', offset: (rightBefore + axisOf.size) * AXIS_STEP,
        splitLine: { show: false }, axisLine: { show: true, lineStyle: { color } }, axisTick: { show: true },
        axisLabel: { formatter: (v: number) => customText(v) },
      });
      axisOf.set(key, index);
    }
    series.push({
      name: customLabel(set), type: 'line', yAxisIndex: index, data: aligned(set, buckets),
      itemStyle: { color }, lineStyle: { width: 2, type: 'dashed' }, symbol: SYMBOLS[i % SYMBOLS.length],
      symbolSize: buckets.length > 200 ? 4 : 8, showSymbol: true, connectNulls: true, z: 5,
      tooltip: { valueFormatter: (v: unknown) => (typeof v === 'number' ? `${customText(v)}${set.unit ? ` ${set.unit}` : ''}` : '—') },
    });
  });
  const extra = rightBefore + axisOf.size - 1;   // right axes beyond the first need room of their own
  const grid = option.grid as Record<string, unknown> | undefined;
  const right = typeof grid?.right === 'number' ? grid.right : 56;
  return { ...option, yAxis, series, grid: { ...(grid ?? {}), right: right + Math.max(0, extra) * AXIS_STEP } };
}

// The view's table with one column per set (raw value in data-value, data-key "custom:<id>").
export function overlayTable(model: TableModel, data: Answer): TableModel {
  const sets = customOf(data);
  if (!sets.length) return model;
  const values = sets.map((s) => new Map(s.series.map((p) => [p.t, p.value])));
  const cell = (i: number, bucket: string): Cell => {
    const v = values[i].get(bucket) ?? null;
    return { text: customText(v), value: v, key: `custom:${sets[i].id}` };
  };
  return {
    ...model,
    head: [...model.head, ...sets.map(customLabel)],
    rows: model.rows.map((r) => ({ ...r, cells: [...r.cells, ...sets.map((_, i) => cell(i, r.t))] })),
    // A sum of the customer's numbers means nothing in general (a temperature, a price): no total.
    totals: model.totals ? [...model.totals, ...sets.map(() => label(''))] : null,
  };
}

// The PowerPoint chart: the sets as lines on the secondary axis when the view has none and they
// share a unit; otherwise null, and the slide shows the chart's picture (every axis drawn).
export function overlayPptx(spec: PptxChartSpec | null, data: Answer): PptxChartSpec | null {
  const sets = customOf(data);
  if (!spec || !sets.length) return spec;
  if (spec.parts.some((p) => p.secondary) || new Set(sets.map((s) => s.unit)).size > 1) return null;
  const buckets = (data.series ?? []).map((b) => (b.t ?? null) as string | null);
  // The view's own category labels (a comparison names B's bucket where A has none).
  const labels = spec.parts[0]?.series[0]?.labels ?? buckets.map((b) => b ?? '');
  return {
    ...spec,
    secondaryTitle: sets[0].unit || (sets.length === 1 ? sets[0].name : t('custom.axis')),
    parts: [...spec.parts, { type: 'line', secondary: true,
      series: sets.map((s, i) => ({ name: customLabel(s), labels, values: aligned(s, buckets), color: customColor(i) })) }],
  };
}

// What the page and the documents draw for a view: its own figures with the custom sets over them.
export const chartOf = (view: AnalysisView, data: Answer) => overlayChart(view.chartOption!(data), data);
export const tableOf = (view: AnalysisView, data: Answer) => overlayTable(view.table!(data), data);
export const docTableOf = (view: AnalysisView, data: Answer) => overlayTable((view.docTable ?? view.table!)(data), data);
export const pptxOf = (view: AnalysisView, data: Answer) => overlayPptx(view.pptxChart?.(data) ?? null, data);
