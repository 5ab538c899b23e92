// The home page (#dashboard): today and this month against the same period before, the last 30
// days, and the analyses. It refreshes itself every 10 seconds while it is open, so a call shows within seconds of its ingest.
//
// Today is compared with the same weekday last week up to the same hour (calls have a weekly
// rhythm, so yesterday would mislead on Mondays); this month so far with last month up to the same
// day and hour (SPEC §19), so a day under way is never set against a whole day. Today asks the
// compare API by hour and sums B's hours up to the current one; the month asks it by day (31 rows,
// not 744 hours every 10 s) and adds B's last day by hour up to the current one. A is everything
// so far. An
// account without calls yet says when its figures will appear (#dashboard-empty).
//
// The figures show as soon as the answers arrive; ECharts (the largest chunk, whose evaluation
// would hold up the main thread) is loaded after them and draws the chart when it is there. The refresh pauses while the tab is hidden and after
// 25 minutes without a key press or click, so an open dashboard does not keep the session alive
// for ever (one session per ID: a forgotten tab must not block the next login).
import { h, clear } from '../dom';
import { t, formatNumber, formatPercent } from '../i18n';
import { api } from '../api';
import { errorAlert, messageOf } from '../errors';
import type { Page, PageContext } from '../router';
import { appFrame } from '../layout';
import { currentMe, type Me } from '../session';
import type { Answer } from './view';
import { catalog } from './catalog';
import { trafficChart } from './traffic';
import type { Chart } from './chart';
import { formatAn } from '../format';
import { addDays, firstOfMonth, monthsBack, jstToday, jstHour, learnToday, dayLabel, dateLabel } from './dates';

const REFRESH_MS = 10_000;   // four rollup queries of well under a millisecond each
const IDLE_PAUSE_MS = 25 * 60_000;
const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'];
const chartModule = () => import('./chart');

const compareQuery = (from: string, to: string, bFrom: string, bTo: string, granularity: 'hour' | 'day') =>
  new URLSearchParams({ from, to, b_from: bFrom, b_to: bTo, granularity });

// A compare row (docs/api.md "compare"): t / t_b label A's and B's hour ("2026-11-20T14"), null
// on the side without a bucket; each figure is {a, b, diff, ratio}.
interface Fig { a: number | null; b: number | null }
interface Row { t: string | null; t_b: string | null; calls: Fig; completed: Fig }
interface Side { calls: number; completed: number }
const rowsOf = (answer: Answer) => (answer.series ?? []) as Row[];
const pad2 = (n: number) => String(n).padStart(2, '0');

// Last month up to `lmTo` at `hour` (null: the whole of lmTo): B's days before its last day from
// the comparison by day, and that last day by hour from `lastDay` (traffic of lmTo by hour).
function monthSideB(month: Answer, lastDay: Answer, lmTo: string, hour: number | null): Side {
  const days = rowsOf(month).filter((r) => r.t_b !== null && r.t_b < lmTo);
  const last = cutAt(lmTo, hour);
  const hours = ((lastDay.series ?? []) as { t: string; calls: number; completed: number }[]).filter((r) => r.t <= last);
  return {
    calls: days.reduce((n, r) => n + (r.calls.b ?? 0), 0) + hours.reduce((n, r) => n + r.calls, 0),
    completed: days.reduce((n, r) => n + (r.completed.b ?? 0), 0) + hours.reduce((n, r) => n + r.completed, 0),
  };
}

// All of A: nothing in it is later than now.
const sideA = (answer: Answer): Side => ({ calls: answer.totals.calls.a ?? 0, completed: answer.totals.completed.a ?? 0 });

// B summed over its hours up to `last` ("2026-10-20T14", inclusive).
function sideB(answer: Answer, last: string): Side {
  const upTo = rowsOf(answer).filter((r) => r.t_b !== null && r.t_b <= last);
  return {
    calls: upTo.reduce((n, r) => n + (r.calls.b ?? 0), 0),
    completed: upTo.reduce((n, r) => n + (r.completed.b ?? 0), 0),
  };
}

// The latest hour of A holding calls, or null (no call yet today).
function latestCallHour(answer: Answer): number | null {
  const hours = rowsOf(answer).filter((r) => r.t !== null && (r.calls.a ?? 0) > 0).map((r) => Number(r.t!.slice(11, 13)));
  return hours.length ? Math.max(...hours) : null;
}

// The server's current JST hour, or null when it cannot be told. The answers carry the server's
// date (the applied `to`) but not its time. When the browser's JST date is the same, the
// browser's hour is taken, raised to the latest hour already holding calls today (a call is never
// later than now, so a browser clock a little behind cannot cut B short of A). When the dates
// differ (a test clock, a browser clock far off) the browser's hour means nothing: the latest hour
// with calls today is taken (a lower bound of now), and without a call today the hour is unknown
// and B is taken to the end of its day (the note says "whole day").
function serverHour(today: string, day: Answer): number | null {
  const seen = latestCallHour(day);
  if (jstToday() !== today) return seen;
  return Math.max(jstHour(), seen ?? 0);
}

// The last hour of B counted: the same hour on B's day, its last hour when the hour is unknown.
const cutAt = (day: string, hour: number | null) => `${day}T${pad2(hour ?? 23)}`;
// "to 14:59" / "14時台まで" name the hour, whole.
const hourVars = (hour: number) => ({ hour, end: `${hour}:59` });

// The week note: last week's weekday, to the same hour or whole.
const weekNote = (lastWeek: string, hour: number | null) => (hour === null
  ? t('dash.vs_week_day', { date: dayLabel(lastWeek) })
  : t('dash.vs_week', { date: dayLabel(lastWeek), ...hourVars(hour) }));

// The month note: last month from the 1st to the same day, to the same hour or whole days.
const monthNote = (from: string, to: string, hour: number | null) => (hour === null
  ? t('dash.vs_month_days', { from: dayLabel(from), to: dayLabel(to) })
  : t('dash.vs_month', { from: dayLabel(from), to: dayLabel(to), ...hourVars(hour) }));

interface Stat { card: HTMLElement; value: HTMLElement; delta: HTMLElement; note: HTMLElement }

function statCard(id: string, label: string): Stat {
  const value = h('div', { class: 'value' }, '—');
  const delta = h('div', { class: 'delta' }, '');
  const note = h('div', { class: 'small muted' }, '');
  const card = h('div', { class: 'stat', id }, h('div', { class: 'label' }, label), value, delta, note);
  return { card, value, delta, note };
}

const rate = (completed: number, calls: number) => (calls > 0 ? Math.round((completed / calls) * 10000) / 10000 : null);

// data-value is A's figure and data-before B's (raw, for tests and assistive reading).
function setCount(s: Stat, now: number, before: number, note: string): void {
  s.card.setAttribute('data-value', String(now));
  s.card.setAttribute('data-before', String(before));
  s.value.textContent = formatNumber(now);
  const diff = now - before;
  s.delta.className = `delta ${diff > 0 ? 'up' : diff < 0 ? 'down' : 'same'}`;
  s.delta.setAttribute('data-change', String(diff));
  const pctText = before > 0 ? ` (${diff >= 0 ? '+' : ''}${((diff / before) * 100).toFixed(1)}%)` : '';
  s.delta.textContent = `${diff > 0 ? '▲ +' : diff < 0 ? '▼ ' : '± '}${formatNumber(diff)}${pctText}`;
  s.note.textContent = note;
}

function setRate(s: Stat, now: number | null, before: number | null, note: string): void {
  if (now === null) s.card.removeAttribute('data-value');
  else s.card.setAttribute('data-value', String(now));
  if (before === null) s.card.removeAttribute('data-before');
  else s.card.setAttribute('data-before', String(before));
  s.value.textContent = formatPercent(now);
  if (now === null || before === null) {
    s.delta.className = 'delta';
    s.delta.removeAttribute('data-change');
    s.delta.textContent = t('dash.no_prev');
  } else {
    const diff = Math.round((now - before) * 10000) / 10000;
    s.delta.className = `delta ${diff > 0 ? 'up' : diff < 0 ? 'down' : 'same'}`;
    s.delta.setAttribute('data-change', String(diff));
    s.delta.textContent = `${diff > 0 ? '▲ +' : diff < 0 ? '▼ ' : '± '}${(diff * 100).toFixed(1)}pt`;
  }
  s.note.textContent = note;
}

// The box of an account without calls yet: when figures come, the numbers counted (to check they
// are the right ones) and the day data is kept from. The feed's cadence is not stated anywhere,
// so it promises no number of minutes.
function emptyBox(me: Me | null): HTMLElement {
  return h('div', { id: 'dashboard-empty', class: 'alert info', role: 'status', hidden: true },
    h('h2', {}, t('dash.empty.title')),
    h('p', {}, t('dash.empty.body')),
    h('p', {}, t('dash.empty.ans')),
    h('ul', { class: 'plain-list', id: 'dashboard-empty-ans' }, ...(me?.ans ?? []).map((an) => h('li', { class: 'an', 'data-an': an }, formatAn(an)))),
    me?.registered ? h('p', {}, t('dash.empty.registered', { date: dateLabel(me.registered) })) : null);
}

export async function dashboardPage(_ctx: PageContext): Promise<Page> {
  const me = currentMe();
  const free = me?.plan !== 'standard';
  const title = t('dash.title');
  const todayCalls = statCard('stat-today-calls', t('dash.today_calls'));
  const todayRate = statCard('stat-today-completion', t('dash.today_completion'));
  const monthCalls = statCard('stat-month-calls', t('dash.month_calls'));
  const monthRate = statCard('stat-month-completion', t('dash.month_completion'));
  const updated = h('span', { id: 'last-updated' }, '');
  const autoNote = h('span', { id: 'auto-refresh' }, t('dash.auto'));
  const alerts = h('div', { class: 'alerts', 'aria-live': 'polite' });
  const empty = emptyBox(me);
  const chartEl = h('div', { id: 'dashboard-chart', class: 'chart chart-small', role: 'img', 'aria-label': t('dash.last30') });

  const links = h('ul', { class: 'analysis-links' }, ...catalog.map((v) => h('li', {},
    h('a', { href: v.path }, v.title()),
    v.plan === 'standard' && free ? h('span', { class: 'badge' }, t('nav.standard')) : null,
    h('div', { class: 'small muted' }, v.summary()))));

  const element = appFrame('/dashboard',
    h('div', { id: 'dashboard' },
      h('div', { class: 'page-head' }, h('h1', {}, title),
        h('p', { class: 'small muted' }, updated, ' ', autoNote)),
      alerts,
      empty,
      h('div', { class: 'grid stats' }, todayCalls.card, todayRate.card, monthCalls.card, monthRate.card),
      h('div', { class: 'card' }, h('h2', {}, t('dash.last30')), chartEl),
      h('div', { class: 'card' }, h('h2', {}, t('dash.analyses')), links)));

  let disposed = false;
  let busy = false;
  let live: { chart: Chart; dispose: () => void } | null = null;
  let everCalled: boolean | null = null;   // null until known

  // Whether the account has had a call: the last 3 months (`recent`, asked anyway) or else the
  // whole retention window by month (asked once: from then on a new call shows in `recent`).
  async function hasCalls(recent: Answer): Promise<boolean> {
    if (everCalled || recent.totals.calls > 0) return (everCalled = true);
    if (everCalled === null) {
      const year = await api<Answer>('GET', '/api/analytics/traffic?granularity=month');
      everCalled = year.totals.calls > 0;
    }
    return everCalled;
  }

  async function refresh(): Promise<void> {
    if (busy || disposed) return;
    busy = true;
    try {
      // The three questions at once, for the browser's JST today; asked again in the rare case
      // that the server's today differs (a test clock, a browser clock that is off).
      const ask = (today: string) => {
        const lastWeek = addDays(today, -7);
        const lmFrom = monthsBack(firstOfMonth(today), 1);
        const lmTo = monthsBack(today, 1);   // the same day, or last month's last when it has no such day
        const day = api<Answer>('GET', `/api/analytics/compare?${compareQuery(today, today, lastWeek, lastWeek, 'hour')}`);
        const month = api<Answer>('GET', `/api/analytics/compare?${compareQuery(firstOfMonth(today), today, lmFrom, lmTo, 'day')}`);
        const lastDay = api<Answer>('GET', `/api/analytics/traffic?${new URLSearchParams({ from: lmTo, to: lmTo, granularity: 'hour' })}`);
        for (const p of [day, month, lastDay]) p.catch(() => undefined);   // awaited below; a failure must not also surface as unhandled
        return { lastWeek, lmFrom, lmTo, day, month, lastDay };
      };
      let asked = ask(jstToday());
      const traffic = await api<Answer>('GET', '/api/analytics/traffic');
      const today = traffic.filters.to!;
      if (today !== jstToday()) {
        learnToday(today);
        await Promise.allSettled([asked.day, asked.month, asked.lastDay]);
        asked = ask(today);
      }
      const { lastWeek, lmFrom, lmTo } = asked;
      const [day, month, lastDay] = await Promise.all([asked.day, asked.month, asked.lastDay]);
      const called = await hasCalls(traffic);
      if (disposed) return;
      empty.hidden = called;

      const hour = serverHour(today, day);
      const weekA = sideA(day), weekB = sideB(day, cutAt(lastWeek, hour));
      setCount(todayCalls, weekA.calls, weekB.calls, weekNote(lastWeek, hour));
      setRate(todayRate, rate(weekA.completed, weekA.calls), rate(weekB.completed, weekB.calls), weekNote(lastWeek, hour));
      // Last month has no such day (the 31st against a 30-day month): all of it counts.
      const monthHour = lmTo.slice(8) === today.slice(8) ? hour : null;
      const monthA = sideA(month), monthB = monthSideB(month, lastDay, lmTo, monthHour);
      setCount(monthCalls, monthA.calls, monthB.calls, monthNote(lmFrom, lmTo, monthHour));
      setRate(monthRate, rate(monthA.completed, monthA.calls), rate(monthB.completed, monthB.calls), monthNote(lmFrom, lmTo, monthHour));

      clear(alerts);
      updated.textContent = t('dash.updated', { time: new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date()) });
      const option = trafficChart({ ...traffic, series: (traffic.series ?? []).slice(-30) });
      const { mountChart, updateChart } = await chartModule();
      if (disposed) return;
      if (!live) live = mountChart(chartEl, option);
      else updateChart(live.chart, option);
    } catch (e) {
      if (disposed) return;
      clear(alerts);
      alerts.appendChild(errorAlert(t('error.load', { message: messageOf(e) }), e));
    } finally {
      busy = false;
    }
  }

  let lastInput = Date.now();
  const away = () => document.hidden || Date.now() - lastInput > IDLE_PAUSE_MS;
  const showAuto = () => { autoNote.textContent = away() && !document.hidden ? t('dash.paused') : t('dash.auto'); };
  const onInput = () => {
    const wasAway = away();
    lastInput = Date.now();
    if (wasAway && !document.hidden) { showAuto(); void refresh(); }
  };
  const onVisibility = () => { showAuto(); if (!away()) void refresh(); };
  for (const ev of INPUT_EVENTS) window.addEventListener(ev, onInput, { passive: true });
  document.addEventListener('visibilitychange', onVisibility);
  const timer = window.setInterval(() => { showAuto(); if (!away()) void refresh(); }, REFRESH_MS);
  void refresh();   // the chart (and ECharts with it) comes after the figures, when the page is in the document
  return {
    title, element,
    dispose: () => {
      disposed = true;
      window.clearInterval(timer);
      for (const ev of INPUT_EVENTS) window.removeEventListener(ev, onInput);
      document.removeEventListener('visibilitychange', onVisibility);
      live?.dispose();
      live = null;
    },
  };
}
