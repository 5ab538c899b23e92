// The two line charts of the live view: requests/s per listener and ingest rows/s per outcome over
// the last minutes, from the polls kept in memory (nothing is stored; a reload starts afresh).
// ECharts (line-chart.ts) is loaded only once the live view is shown.

import type { Chart } from './line-chart';
import { type Stats, listenerRate } from './stats';
import { jstTime } from './format';

export const HISTORY_MS = 5 * 60 * 1000;

interface Sample { t: number; requests: Record<string, number>; ingest: Record<string, number> }

const LISTENERS = ['customer', 'admin'];
const OUTCOMES = ['accepted', 'duplicates', 'unowned', 'too_old', 'rejected'];

export class History {
  samples: Sample[] = [];

  add(stats: Stats, at = Date.now()): void {
    const requests: Record<string, number> = {};
    for (const listener of new Set([...LISTENERS, ...stats.routes.map((r) => r.listener)])) requests[listener] = listenerRate(stats, listener);
    const ingest: Record<string, number> = {};
    for (const outcome of OUTCOMES) ingest[outcome] = 0;
    for (const row of stats.ingest) ingest[row.outcome] = row.rows_per_s;
    this.samples.push({ t: at, requests, ingest });
    while (this.samples.length && this.samples[0].t < at - HISTORY_MS) this.samples.shift();
  }

  series(part: 'requests' | 'ingest'): { name: string; data: [number, number][] }[] {
    const names = new Set<string>();
    for (const s of this.samples) for (const name of Object.keys(s[part])) names.add(name);
    return [...names].map((name) => ({ name, data: this.samples.map((s) => [s.t, s[part][name] ?? 0] as [number, number]) }));
  }
}

const option = (unit: string, series: { name: string; data: [number, number][] }[]) => ({
  animation: false,
  grid: { left: 56, right: 20, top: 36, bottom: 36 },
  legend: { top: 0, type: 'scroll' },
  // Times in JST like the rest of the page, whatever the browser's time zone.
  xAxis: { type: 'time', min: 'dataMin', max: 'dataMax',
    axisLabel: { hideOverlap: true, formatter: (v: number) => jstTime(new Date(v)).replace(' JST', '') } },
  yAxis: { type: 'value', minInterval: 0.01, axisLabel: { formatter: (v: number) => `${v}` } },
  // The unit in the tooltip and in the chart's accessible description.
  aria: { enabled: true, label: { description: `${unit} per ${unit === 'requests/s' ? 'listener' : 'ingest outcome'} over the last minutes` } },
  series: series.map((s) => ({ type: 'line', name: s.name, data: s.data, showSymbol: false, smooth: false,
    tooltip: { valueFormatter: (v: number) => `${v} ${unit}` } })),
});

export class LiveCharts {
  private charts: { chart: Chart; dispose: () => void; el: HTMLElement; part: 'requests' | 'ingest'; unit: string }[] = [];
  private disposed = false;
  private ready: Promise<void>;

  constructor(requestsEl: HTMLElement, ingestEl: HTMLElement, private history: History) {
    this.ready = import('./line-chart').then(({ mountChart }) => {
      if (this.disposed) return;
      for (const [el, part, unit] of [[requestsEl, 'requests', 'requests/s'], [ingestEl, 'ingest', 'rows/s']] as const) {
        const { chart, dispose } = mountChart(el, option(unit, history.series(part)));
        this.charts.push({ chart, dispose, el, part, unit });
        el.dataset.points = String(history.samples.length);
      }
    });
  }

  async update(): Promise<void> {
    await this.ready;
    for (const c of this.charts) {
      // The same shape as at mount: merged, so the shared options (palette, canvas tooltip) stay.
      c.chart.setOption(option(c.unit, this.history.series(c.part)));
      c.el.dataset.points = String(this.history.samples.length);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const c of this.charts) c.dispose();
    this.charts = [];
  }
}
