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
// A number with a fixed count of decimals (erlangs, talk minutes, mean talk seconds).
export const decimal = (value: number | null | undefined, digits: number, key?: string): Cell =>
  ({ text: formatNumber(value ?? null, digits), value: value ?? null, key });
// A number shown as a text of our choosing (an hour "10時", a blocking "0.81%"), kept raw in data-value.
export const shown = (value: number | null | undefined, text: string, key?: string): Cell =>
  ({ text: value === null || value === undefined ? '—' : text, value: value ?? null, key });
// A blocking target as people say it: 0.01 → 1%, 0.005 → 0.5%.
export const gosText = (gos: number) => `${Number((gos * 100).toFixed(4))}%`;
// part / whole as a fraction rounded to 4 decimals (null when whole is 0), for 構成比 columns.
export const share = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10000) / 10000 : null);

// 秒 → "h:mm:ss" for tooltips and summaries.
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  return `${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

// A short bucket label for chart axes: 2026-11-01T09:05 → 09:05, 2026-11-01T09 → 11/01 09時,
// 2026-11-01 → 11/01, 2026-11 → 2026/11.
export function axisLabel(t: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(t)) return t.slice(11, 16);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(t)) return `${t.slice(5, 7)}/${t.slice(8, 10)} ${t.slice(11, 13)}${lang() === 'ja' ? '時' : 'h'}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return `${t.slice(5, 7)}/${t.slice(8, 10)}`;
  if (/^\d{4}-\d{2}$/.test(t)) return `${t.slice(0, 4)}/${t.slice(5, 7)}`;
  return t;
}

export { formatAn } from '../format';
