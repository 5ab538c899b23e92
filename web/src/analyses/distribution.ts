// 通話時間帯他分布 (detailed 08): when calls come and how long they last — a weekday × hour heat map
// of calls (left), the talk-time histogram of completed calls (top right) and calls per time band
// (bottom right). The main table is the heat map (a row per weekday, a column per hour); the
// talk-time and time-band tables follow it. PowerPoint gets the three panels as one picture.
import { t, formatNumber } from '../i18n';
import type { AnalysisView, Answer, Cell, Headline, TableModel } from './view';
import { num, pct, label, share } from './format';
import { C } from './palette';
import { countAxis, countFormatter, heatScale, figure } from './common';

interface HeatCell { weekday: string; hour: number; calls: number }
interface Bucket { calls: number; bucket?: string; band?: string }

// The API's weekday names, Monday first (as the heat map reads).
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const heatOf = (data: Answer) => (data.heatmap as HeatCell[] | undefined) ?? [];
const talkOf = (data: Answer) => (data.talk_time as Bucket[] | undefined) ?? [];
const bandsOf = (data: Answer) => (data.bands as Bucket[] | undefined) ?? [];
const talkLabel = (bucket: string) => t(`talk.${bucket}`);
const bandLabel = (band: string) => { const [a, b] = band.split('-'); return t('band', { a, b }); };

// calls[weekday index][hour]
function grid7x24(data: Answer): number[][] {
  const out = WEEKDAYS.map(() => HOURS.map(() => 0));
  for (const c of heatOf(data)) {
    const d = WEEKDAYS.indexOf(c.weekday);
    if (d >= 0 && c.hour >= 0 && c.hour < 24) out[d][c.hour] = c.calls;
  }
  return out;
}

function chartOption(data: Answer): Record<string, unknown> {
  const heat = heatOf(data);
  const max = heat.reduce((m, c) => Math.max(m, c.calls), 0);
  const talk = talkOf(data), bands = bandsOf(data);
  const panelTitle = (text: string, left: string, top: string | number) => ({ text, left, top, textStyle: { fontSize: 13, fontWeight: 600 } });
  return {
    title: [panelTitle(t('dist.heat_title'), '2%', 0), panelTitle(t('dist.talk_title'), '64%', 0), panelTitle(t('dist.bands_title'), '64%', '51%')],
    grid: [
      { left: '2%', width: '58%', top: 32, bottom: 56, containLabel: true },
      { left: '64%', right: '2%', top: 32, height: '30%', containLabel: true },
      { left: '64%', right: '2%', top: '59%', bottom: 8, containLabel: true },
    ],
    tooltip: { trigger: 'item' },
    xAxis: [
      { type: 'category', gridIndex: 0, data: HOURS.map(String), splitArea: { show: true }, name: t('dist.hour_axis'), nameLocation: 'middle', nameGap: 22,
        axisLabel: { interval: 1, fontSize: 10 } },
      { type: 'category', gridIndex: 1, data: talk.map((b) => talkLabel(b.bucket ?? '')), axisLabel: { interval: 0, fontSize: 9, rotate: 20 } },
      { type: 'category', gridIndex: 2, data: bands.map((b) => bandLabel(b.band ?? '')), axisLabel: { interval: 0, fontSize: 9 } },
    ],
    yAxis: [
      { type: 'category', gridIndex: 0, inverse: true, data: WEEKDAYS.map((w) => t(`wd.${w}`)), splitArea: { show: true } },
      { ...countAxis(''), gridIndex: 1 },
      { ...countAxis(''), gridIndex: 2 },
    ],
    visualMap: heatScale(max, { left: '20%', bottom: 0, itemHeight: 140 }),
    series: [
      { name: figure('calls'), type: 'heatmap', xAxisIndex: 0, yAxisIndex: 0,
        data: heat.map((c) => [c.hour, WEEKDAYS.indexOf(c.weekday), c.calls]),
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        tooltip: { formatter: (p: { value: number[] }) => `${t(`wd.${WEEKDAYS[p.value[1]]}`)} ${t('hour', { h: p.value[0] })}: ${countFormatter(p.value[2])}` } },
      { name: figure('completed'), type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: talk.map((b) => b.calls), itemStyle: { color: C.green },
        barMaxWidth: 28, tooltip: { formatter: (p: { name: string; value: number }) => `${p.name}: ${countFormatter(p.value)}` } },
      { name: figure('calls'), type: 'bar', xAxisIndex: 2, yAxisIndex: 2, data: bands.map((b) => b.calls), itemStyle: { color: C.orange },
        barMaxWidth: 28, tooltip: { formatter: (p: { name: string; value: number }) => `${p.name}: ${countFormatter(p.value)}` } },
    ],
  };
}

// The heat map as a table: rows mon..sun (data-t = the API's weekday), 24 hour columns and the total.
function table(data: Answer): TableModel {
  const calls = grid7x24(data);
  const hourTotals = HOURS.map((h) => calls.reduce((n, row) => n + row[h], 0));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    head: [figure('weekday'), ...HOURS.map((h) => String(h)), figure('total')],
    rows: WEEKDAYS.map((w, d) => ({ t: w, cells: [label(t(`wd.${w}`)), ...calls[d].map((v, h) => num(v, `h${h}`)), num(sum(calls[d]), 'calls')] })),
    totals: [label(figure('total')), ...hourTotals.map((v, h) => num(v, `h${h}`)), num(sum(hourTotals), 'calls')],
  };
}

function bucketTable(rows: Bucket[], whole: number, text: (b: Bucket) => string, key: (b: Bucket) => string, head: string): TableModel {
  const cells = (b: Bucket): Cell[] => [label(text(b)), num(b.calls, 'calls'), pct(share(b.calls, whole), 'share')];
  return {
    head: [head, figure('calls'), figure('share')],
    rows: rows.map((b) => ({ t: key(b), cells: cells(b) })),
    totals: [label(figure('total')), num(rows.reduce((n, b) => n + b.calls, 0), 'calls'), pct(whole > 0 ? 1 : null, 'share')],
  };
}

function extraTables(data: Answer) {
  const totals = data.totals ?? {};
  return [
    { id: 'talk-time-table', title: t('dist.talk_title'),
      model: bucketTable(talkOf(data), totals.completed ?? 0, (b) => talkLabel(b.bucket ?? ''), (b) => b.bucket ?? '', figure('talk_time')) },
    { id: 'bands-table', title: t('dist.bands_title'),
      model: bucketTable(bandsOf(data), totals.calls ?? 0, (b) => bandLabel(b.band ?? ''), (b) => b.band ?? '', figure('band')) },
  ];
}

// The busiest weekday and hour, and the most common talk time, in words.
function headline(data: Answer): Headline | null {
  const top = heatOf(data).reduce<HeatCell | null>((best, c) => (!best || c.calls > best.calls ? c : best), null);
  if (!top || top.calls === 0) return null;
  const talk = talkOf(data).reduce<Bucket | null>((best, b) => (!best || b.calls > best.calls ? b : best), null);
  const when = `${t(`wd.${top.weekday}`)} ${t('hour_band', { h: top.hour })}`;
  return {
    text: talk && talk.calls > 0
      ? t('dist.headline', { when, n: formatNumber(top.calls), talk: talkLabel(talk.bucket ?? '') })
      : t('dist.headline_short', { when, n: formatNumber(top.calls) }),
    data: { 'peak-weekday': top.weekday, 'peak-hour': String(top.hour) },
  };
}

export const distribution: AnalysisView = {
  name: 'distribution', path: '/analytics/distribution', api: 'distribution', plan: 'standard',
  title: () => t('view.distribution'), summary: () => t('sum.distribution'),
  filters: ['range', 'an', 'weekday', 'hours', 'groups', 'dn'], granularities: [],
  defaultPreset: 'detailed', tallChart: true,
  chartOption, table, extraTables, headline,
  isEmpty: (d) => !(d.totals?.calls > 0),
};
