// JST calendar dates as YYYY-MM-DD strings, and the server's "today". The server may run on a
// shifted test clock, so "today" is learnt from its answers (the applied `to` of a request that
// did not give one is the server's JST today); before the first answer, the browser's JST date.
import { lang } from '../i18n';

const pad = (n: number) => String(n).padStart(2, '0');

export function jstToday(): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return parts;   // en-CA formats as YYYY-MM-DD
}

// The browser's JST hour (0–23). The answers carry the server's date but not its time, so this is
// only a guess at the server's hour: see the dashboard for when it is trusted.
export function jstHour(): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
}

let serverToday: string | null = null;
export const today = () => serverToday ?? jstToday();
export const learnToday = (date: string | undefined) => { if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) serverToday = date; };

const parse = (d: string) => { const [y, m, day] = d.split('-').map(Number); return { y, m, d: day }; };
const fmt = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function addDays(date: string, n: number): string {
  const { y, m, d } = parse(date);
  const x = new Date(Date.UTC(y, m - 1, d + n));
  return fmt(x.getUTCFullYear(), x.getUTCMonth() + 1, x.getUTCDate());
}

// The same day `n` calendar months earlier (day clamped to that month's length).
export function monthsBack(date: string, n: number): string {
  const { y, m, d } = parse(date);
  const total = y * 12 + (m - 1) - n;
  const ny = Math.floor(total / 12), nm = (total % 12) + 1;
  return fmt(ny, nm, Math.min(d, daysIn(ny, nm)));
}

// The days from `from` to `to`, both counted (JST calendar dates, as the server counts a range).
export function daysBetween(from: string, to: string): number {
  const day = (date: string) => { const { y, m, d } = parse(date); return Date.UTC(y, m - 1, d) / 86_400_000; };
  return day(to) - day(from) + 1;
}

export const firstOfMonth = (date: string) => `${date.slice(0, 7)}-01`;
export const lastOfMonth = (date: string) => { const { y, m } = parse(date); return fmt(y, m, daysIn(y, m)); };
export const weekdayOf = (date: string) => { const { y, m, d } = parse(date); return new Date(Date.UTC(y, m - 1, d)).getUTCDay(); };

export const PRESETS = ['this_month', 'last_month', 'last_7', 'last_30', 'last_3m', 'this_year', 'last_12m', 'last_24m'] as const;
export type Preset = typeof PRESETS[number];

export function presetRange(preset: string, now = today()): { from: string; to: string } | null {
  switch (preset) {
    case 'this_month': return { from: firstOfMonth(now), to: now };
    case 'last_month': { const prev = monthsBack(firstOfMonth(now), 1); return { from: prev, to: lastOfMonth(prev) }; }
    case 'last_7': return { from: addDays(now, -6), to: now };
    case 'last_30': return { from: addDays(now, -29), to: now };
    case 'last_3m': return { from: monthsBack(now, 3), to: now };
    case 'this_year': return { from: `${now.slice(0, 4)}-01-01`, to: now };
    case 'last_12m': return { from: monthsBack(firstOfMonth(now), 11), to: now };
    case 'last_24m': return { from: monthsBack(firstOfMonth(now), 23), to: now };
    default: return null;
  }
}

// Dates as people read them, in the page's language (spelt out here so that the words do not
// depend on the browser's locale data): 10月20日 / Oct 20, 2026年9月 / Sep 2026,
// 2026年11月20日 / Nov 20, 2026.
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function dayLabel(date: string): string {
  const { m, d } = parse(date);
  return lang() === 'ja' ? `${m}月${d}日` : `${MONTHS_EN[m - 1]} ${d}`;
}
export function monthLabel(date: string): string {
  const { y, m } = parse(date);
  return lang() === 'ja' ? `${y}年${m}月` : `${MONTHS_EN[m - 1]} ${y}`;
}
export function dateLabel(date: string): string {
  const { y } = parse(date);
  return lang() === 'ja' ? `${y}年${dayLabel(date)}` : `${dayLabel(date)}, ${y}`;
}
