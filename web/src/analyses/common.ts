// Chart option pieces the views share (plain objects: no ECharts import here, so the catalogue
// stays out of the chart bundle).
import { t, formatNumber } from '../i18n';
import { axisLabel } from './format';

export const categoryAxis = (labels: string[]) => ({
  type: 'category', data: labels.map(axisLabel), axisTick: { alignWithLabel: true },
  axisLabel: { hideOverlap: true },
});

export const countAxis = (name: string) => ({
  type: 'value', name, minInterval: 1, axisLabel: { formatter: (v: number) => formatNumber(v) },
});

export const percentAxis = (name: string) => ({
  type: 'value', name, min: 0, max: 100, position: 'right', splitLine: { show: false },
  axisLabel: { formatter: '{value}%' },
});

// A zoom slider once there are more buckets than fit comfortably.
export const zoom = (n: number) => n > 62 ? [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }] : [];

export const grid = (n: number) => ({ left: 56, right: 56, top: 56, bottom: n > 62 ? 64 : 32, containLabel: true });

export const legend = () => ({ top: 4, type: 'scroll' });

export const countFormatter = (v: unknown) => (typeof v === 'number' ? formatNumber(v) : '—');
export const percentFormatter = (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—');

// A rate (fraction) as a percent for a chart (null stays a gap).
export const asPercent = (r: number | null | undefined) => (r === null || r === undefined ? null : Math.round(r * 10000) / 100);

export const figure = (key: string) => t(`fig.${key}`);

// The colour scale of a heat map (white → blue), drawn as a small bar the reader can compare with.
export const heatScale = (max: number, place: Record<string, unknown> = { left: 'center', bottom: 0 }, seriesIndex = 0) => ({
  type: 'continuous', min: 0, max: Math.max(1, max), seriesIndex, orient: 'horizontal', calculable: false,
  text: [formatNumber(Math.max(1, max)), '0'], textGap: 6,
  itemWidth: 12, itemHeight: 160, inRange: { color: ['#f4f8fc', '#9ecae1', '#0072B2', '#08306b'] },
  ...place,
});
