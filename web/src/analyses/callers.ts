// コール人数構成 (detailed 06): how many people called (withheld numbers excluded) and how often —
// a histogram of callers by their number of calls in the range (1, 2, 3, 4–5, 6–9, 10+) — and
// how many of them are new (their first call in the detailed data falls in the range) or
// returning. The table lists the same figures under the CSV's names.
import { t, formatNumber } from '../i18n';
import type { AnalysisView, Answer, Headline, TableModel } from './view';
import { num, pct, label, share } from './format';
import { C } from './palette';
import { countAxis, countFormatter, figure } from './common';

export const REPEAT_BUCKETS = ['1', '2', '3', '4-5', '6-9', '10+'];

const repeatLabel = (bucket: string) => t(`repeat.${bucket}`);
const repeatOf = (data: Answer) => (data.repeat as Record<string, number> | undefined) ?? {};
const n = (data: Answer, key: string) => (typeof data[key] === 'number' ? data[key] as number : 0);

function chartOption(data: Answer): Record<string, unknown> {
  const repeat = repeatOf(data);
  const panelTitle = (text: string, left: string) => ({ text, left, top: 0, textStyle: { fontSize: 13, fontWeight: 600 } });
  return {
    title: [panelTitle(t('callers.repeat_title'), '3%'), panelTitle(t('callers.new_title'), '68%')],
    grid: [{ left: '3%', width: '58%', top: 40, bottom: 24, containLabel: true }, { left: '68%', right: '3%', top: 40, bottom: 24, containLabel: true }],
    xAxis: [
      { type: 'category', gridIndex: 0, data: REPEAT_BUCKETS.map(repeatLabel), axisLabel: { interval: 0 } },
      { type: 'category', gridIndex: 1, data: [figure('new_callers'), figure('returning_callers')], axisLabel: { interval: 0 } },
    ],
    yAxis: [{ ...countAxis(figure('callers')), gridIndex: 0 }, { ...countAxis(figure('callers')), gridIndex: 1 }],
    series: [
      { name: figure('callers'), type: 'bar', xAxisIndex: 0, yAxisIndex: 0, data: REPEAT_BUCKETS.map((b) => repeat[b] ?? 0),
        itemStyle: { color: C.blue }, barMaxWidth: 48, label: { show: true, position: 'top', formatter: (p: { value: number }) => countFormatter(p.value) },
        tooltip: { valueFormatter: countFormatter } },
      { name: figure('callers'), type: 'bar', xAxisIndex: 1, yAxisIndex: 1,
        data: [{ value: n(data, 'new_callers'), itemStyle: { color: C.green } }, { value: n(data, 'returning_callers'), itemStyle: { color: C.orange } }],
        barMaxWidth: 48, label: { show: true, position: 'top', formatter: (p: { value: number }) => countFormatter(p.value) },
        tooltip: { valueFormatter: countFormatter } },
    ],
  };
}

// Rows keyed by the CSV's figure names (distinct_callers, …, repeat_1, …).
function table(data: Answer): TableModel {
  const distinct = n(data, 'distinct_callers');
  const repeat = repeatOf(data);
  const row = (key: string, text: string, value: number, part: number | null) =>
    ({ t: key, cells: [label(text), num(value, key), pct(part, `${key}_share`)] });
  return {
    head: [figure('item'), figure('count'), figure('share_of_callers')],
    rows: [
      row('distinct_callers', figure('distinct_callers'), distinct, distinct > 0 ? 1 : null),
      row('new_callers', figure('new_callers'), n(data, 'new_callers'), share(n(data, 'new_callers'), distinct)),
      row('returning_callers', figure('returning_callers'), n(data, 'returning_callers'), share(n(data, 'returning_callers'), distinct)),
      row('withheld_calls', figure('withheld_calls'), n(data, 'withheld_calls'), null),
      ...REPEAT_BUCKETS.map((b) => row(`repeat_${b}`, t('callers.repeat_row', { bucket: repeatLabel(b) }), repeat[b] ?? 0, share(repeat[b] ?? 0, distinct))),
    ],
    totals: null,
  };
}

function headline(data: Answer): Headline | null {
  const distinct = n(data, 'distinct_callers');
  if (distinct === 0 && n(data, 'withheld_calls') === 0) return null;
  return {
    text: t('callers.headline', { n: formatNumber(distinct), new: formatNumber(n(data, 'new_callers')),
      returning: formatNumber(n(data, 'returning_callers')), withheld: formatNumber(n(data, 'withheld_calls')) }),
    data: { 'distinct-callers': String(distinct) },
  };
}

function pptxChart(data: Answer) {
  const repeat = repeatOf(data);
  return { parts: [{ type: 'bar' as const, series: [
    { name: figure('callers'), labels: REPEAT_BUCKETS.map(repeatLabel), values: REPEAT_BUCKETS.map((b) => repeat[b] ?? 0), color: C.blue }] }] };
}

export const callers: AnalysisView = {
  name: 'callers', path: '/analytics/callers', api: 'callers', plan: 'standard',
  title: () => t('view.callers'), summary: () => t('sum.callers'),
  filters: ['range', 'an', 'weekday', 'hours', 'groups', 'dn'], granularities: [],
  defaultPreset: 'detailed',
  chartOption, table, headline, pptxChart,
  isEmpty: (d) => n(d, 'distinct_callers') === 0 && n(d, 'withheld_calls') === 0,
};
