// ECharts, tree-shaken: the core, bar and line charts, the components the views use, and the
// canvas renderer (the heat maps and panels of the detailed analyses: chart-detailed.ts). Tooltips use renderMode 'richText' (drawn on the canvas): the HTML tooltip
// builds markup with style attributes, which the CSP (style-src 'self') refuses.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { C } from './palette';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

// Parts only the analysis pages and documents need (the zoom slider, the detailed analyses' heat
// maps); the dashboard does without them, so they live in modules of their own.
export function useParts(parts: Parameters<typeof echarts.use>[0]): void { echarts.use(parts); }

export type Chart = echarts.ECharts;

// Options every chart shares, merged under the view's own option.
function base(option: Record<string, unknown>, animate: boolean): Record<string, unknown> {
  return {
    animation: animate,
    color: [C.blue, C.orange, C.green, C.purple, C.sky, C.vermillion, C.grey],
    textStyle: { fontFamily: '"Hiragino Sans", "Noto Sans JP", IPAPGothic, IPAGothic, Meiryo, sans-serif' },
    aria: { enabled: true },
    ...option,
    tooltip: { trigger: 'axis', renderMode: 'richText', confine: true, ...(option.tooltip as object | undefined) },
  };
}

// A chart in `el` that follows the window's size; `dispose()` releases it and the listener.
export function mountChart(el: HTMLElement, option: Record<string, unknown>): { chart: Chart; dispose: () => void } {
  const chart = echarts.init(el, undefined, { renderer: 'canvas' });
  chart.setOption(base(option, true));
  const onResize = () => chart.resize();
  window.addEventListener('resize', onResize);
  return { chart, dispose: () => { window.removeEventListener('resize', onResize); chart.dispose(); } };
}

// A new option for a mounted chart (new filters, a refresh), with the shared options again: a bare
// `setOption(option, true)` would drop them (palette, font, and the canvas tooltip, whose HTML
// fallback writes style attributes the CSP refuses).
export function updateChart(chart: Chart, option: Record<string, unknown>): void {
  chart.setOption(base(option, true), true);
}

// A chart drawn off-screen at a fixed size (report and documents): its PNG as a data URL.
export async function renderImage(option: Record<string, unknown>, width = 1100, height = 480): Promise<string> {
  const holder = document.createElement('div');
  holder.className = 'offscreen-chart';
  document.body.appendChild(holder);
  try {
    const chart = echarts.init(holder, undefined, { renderer: 'canvas', width, height });
    chart.setOption(base({ ...option, dataZoom: [] }, false));
    const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    chart.dispose();
    return url;
  } finally {
    holder.remove();
  }
}

// The PNG of a chart on the page (without its zoom slider).
export function chartImage(chart: Chart): string {
  return chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff', excludeComponents: ['dataZoom'] });
}
