// ECharts for the /ops charts, tree-shaken to line charts (the library itself lands in the build's
// shared `echarts` chunk). Loaded only once the live view is shown, so the token form stays light.
// Tooltips are drawn on the canvas (`renderMode: 'richText'`): the HTML tooltip writes style
// attributes the CSP refuses. Colours: the Okabe–Ito palette of the customer charts.
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export type Chart = echarts.ECharts;

const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#6E6E6E'];

// A chart in `el` that follows the window's size; `dispose()` releases it and the listener.
export function mountChart(el: HTMLElement, option: Record<string, unknown>): { chart: Chart; dispose: () => void } {
  const chart = echarts.init(el, undefined, { renderer: 'canvas' });
  chart.setOption({
    color: COLOURS,
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    aria: { enabled: true },
    tooltip: { trigger: 'axis', renderMode: 'richText', confine: true },
    ...option,
  });
  const onResize = () => chart.resize();
  window.addEventListener('resize', onResize);
  return { chart, dispose: () => { window.removeEventListener('resize', onResize); chart.dispose(); } };
}
