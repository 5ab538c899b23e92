// The account's custom data sets (独自データ, SPEC §15, standard plan): GET /api/custom, shared by
// the custom-data page and the analysis filter bar. The last list fetched is kept in memory, so the
// picker and the applied-filters line can name a set by its ID without asking again.

import { api } from './api';

// One set as listed: its number of points and its first and last point's time (null: no points).
export interface CustomSummary { id: string; name: string; unit: string; points: number; first: string | null; last: string | null }
export interface CustomPoint { t: string; value: number }
// One set with its points (GET /api/custom/{id}, and the answer of POST and PUT).
export interface CustomSet { id: string; name: string; unit: string; points: CustomPoint[] }
// One set in an analysis answer (`custom=ID`): its values on the analysis's own buckets.
export interface CustomSeries { id: string; name: string; unit: string; series: { t: string; value: number | null }[] }

let known: CustomSummary[] | null = null;

// The account's sets, sorted by name (the server's order).
export async function listCustom(): Promise<CustomSummary[]> {
  const answer = await api<{ sets: CustomSummary[] }>('GET', '/api/custom');
  known = answer.sets;
  return answer.sets;
}

// The sets of the last list fetched (null: never fetched, or not allowed on this plan).
export const knownCustom = (): CustomSummary[] | null => known;

// A set's ID is 16 lower-case hex characters (docs/api.md "Custom data").
export const isCustomId = (id: string) => /^[0-9a-f]{16}$/.test(id);

// The kind of a point's time: a month 2026-11, a day 2026-11-01 or an hour 2026-11-01T09 (JST);
// null when it is none of them or no such date or hour.
export type TimeKind = 'month' | 'day' | 'hour';
export function timeKind(t: string): TimeKind | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2})(?:T(\d{2}))?)?$/.exec(t);
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (mo < 1 || mo > 12) return null;
  if (m[3] === undefined) return 'month';
  const d = Number(m[3]);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  if (m[4] === undefined) return 'day';
  return Number(m[4]) <= 23 ? 'hour' : null;
}

// A value as typed: a finite decimal number (digit-group commas allowed); null otherwise.
export function parseValue(text: string): number | null {
  const s = text.trim().replace(/,/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

// The analysis page that shows a set best: months on the annual traffic, hours and days on the
// recent traffic (hour buckets for an hourly set).
export function analysisLinkFor(set: { id: string; first: string | null }): string {
  const kind = set.first ? timeKind(set.first) : null;
  if (kind === 'month') return `/analytics/annual?custom=${set.id}`;
  if (kind === 'hour') return `/analytics/traffic?granularity=hour&preset=last_7&custom=${set.id}`;
  return `/analytics/traffic?custom=${set.id}`;
}

// Limits of SPEC §15 (the server checks them; the page names them in hints).
export const CUSTOM_LIMITS = { sets: 50, points: 20000, nameMax: 50, unitMax: 20, uploadBytes: 5 * 1024 * 1024 };
