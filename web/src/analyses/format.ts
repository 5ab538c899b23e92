// Table cells and chart labels shared by the views: every numeric cell carries the API's raw value
// (data-value) beside its formatted text; null stays null (no data-value attribute).
import { formatNumber, formatPercent, lang } from '../i18n';
import type { Cell } from './view';

export const num = (value: number | null | undefined, key?: string): Cell =>
  ({ text: formatNumber(value ?? null), value: value ?? null, key });
export const pct = (value: number | null | undefined, key?: string): Cell =>
  ({ text: formatPercent(value ?? null), value: value ?? null, key });
export const ratio = (value: number | null | undefined, key?: string): Cell =>
  ({ text: value === null || value === undefined ? '—' : `${formatNumber(value, 2)}${lang() === 'ja' ? '倍' : '×'}`, value: value ?? null, key });
export const signed = (value: number | null | undefined, key?: string): Cell =>
  ({ text: value === null || value === undefined ? '—' : `${value > 0 ? '+' : ''}${formatNumber(value)}`, value: value ?? null, key });
// A difference of two rates, in percentage points.
export const points = (value: number | null | undefined, key?: string): Cell =>
  ({ text: value === null || value === undefined ? '—' : `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)}pt`, value: value ?? null, key });
export const label = (text: string): Cell => ({ text });

// 秒 → "h:mm:ss" for tooltips and summaries.
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  return `${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

// A short bucket label for chart axes: 2026-11-01T09 → 11/01 09時, 2026-11-01 → 11/01, 2026-11 → 2026/11.
export function axisLabel(t: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(t)) return `${t.slice(5, 7)}/${t.slice(8, 10)} ${t.slice(11, 13)}${lang() === 'ja' ? '時' : 'h'}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return `${t.slice(5, 7)}/${t.slice(8, 10)}`;
  if (/^\d{4}-\d{2}$/.test(t)) return `${t.slice(0, 4)}/${t.slice(5, 7)}`;
  return t;
}

export { formatAn } from '../format';
