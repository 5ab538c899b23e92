// The home page (#dashboard): today and this month against the same period before, the last 30
// days, and the analyses. It refreshes itself every 10 seconds while it is open, so a call shows within seconds of its ingest.
//
// Today is compared with the same weekday last week up to the same hour (calls have a weekly
// rhythm, so yesterday would mislead on Mondays); this month so far with the same days of last
// month. The figures come from the compare API, so they are exactly the server's.
//
// The figures show as soon as the answers arrive; ECharts (the largest chunk, whose evaluation
// would hold up the main thread) is loaded after them and draws the chart when it is there. The refresh pauses while the tab is hidden and after
// 25 minutes without a key press or click, so an open dashboard does not keep the session alive
// for ever (one session per ID: a forgotten tab must not block the next login).
import { h, clear } from '../dom';
import { t, formatNumber, formatPercent } from '../i18n';
import { api, ApiError } from '../api';
import type { Page, PageContext } from '../router';
import { appFrame } from '../layout';
import { currentMe } from '../session';
import type { Answer } from './view';
import { catalog } from './catalog';
import { trafficChart } from './traffic';
import type { Chart } from './chart';
import { addDays, firstOfMonth, monthsBack, lastOfMonth, jstToday, learnToday } from './dates';

const REFRESH_MS = 10_000;   // three rollup queries of well under a millisecond each
const IDLE_PAUSE_MS = 25 * 60_000;
const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'];
const chartModule = () => import('./chart');

const compareQuery = (from: string, to: string, bFrom: string, bTo: string, granularity = 'day') =>
  new URLSearchParams({ from, to, b_from: bFrom, b_to: bTo, granularity });

interface Stat { card: HTMLElement; value: HTMLElement; delta: HTMLElement; note: HTMLElement }

function statCard(id: string, label: string): Stat {
  const value = h('div', { class: 'value' }, '—');
  const delta = h('div', { class: 'delta' }, '');
  const note = h('div', { class: 'small muted' }, '');
  const card = h('div', { class: 'stat', id }, h('div', { class: 'label' }, label), value, delta, note);
  return { card, value, delta, note };
}

const rate = (completed: number, calls: number) => (calls > 0 ? Math.round((completed / calls) * 10000) / 10000 : null);

function setCount(s: Stat, now: number, before: number, note: string): void {
  s.card.setAttribute('data-value', String(now));
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
      h('div', { class: 'grid stats' }, todayCalls.card, todayRate.card, monthCalls.card, monthRate.card),
      h('div', { class: 'card' }, h('h2', {}, t('dash.last30')), chartEl),
      h('div', { class: 'card' }, h('h2', {}, t('dash.analyses')), links)));

  let disposed = false;
  let busy = false;
  let live: { chart: Chart; dispose: () => void } | null = null;

  async function refresh(): Promise<void> {
    if (busy || disposed) return;
    busy = true;
    try {
      // The three questions at once, for the browser's JST today; asked again in the rare case
      // that the server's today differs (a test clock, a browser clock that is off).
      const ask = (today: string) => {
        const lastWeek = addDays(today, -7);
        const lmFrom = monthsBack(firstOfMonth(today), 1);
        const lmTo = [monthsBack(today, 1), lastOfMonth(lmFrom)].sort()[0];
        const day = api<Answer>('GET', `/api/analytics/compare?${compareQuery(today, today, lastWeek, lastWeek, 'hour')}`);
        const month = api<Answer>('GET', `/api/analytics/compare?${compareQuery(firstOfMonth(today), today, lmFrom, lmTo)}`);
        day.catch(() => undefined);     // awaited below; a failure must not also surface as unhandled
        month.catch(() => undefined);
        return { lastWeek, lmFrom, lmTo, day, month };
      };
      let asked = ask(jstToday());
      const traffic = await api<Answer>('GET', '/api/analytics/traffic');
      const today = traffic.filters.to!;
      if (today !== jstToday()) {
        learnToday(today);
        await Promise.allSettled([asked.day, asked.month]);
        asked = ask(today);
      }
      const { lastWeek, lmFrom, lmTo } = asked;
      const [day, month] = await Promise.all([asked.day, asked.month]);
      if (disposed) return;
      // Last week up to the same time of day (the browser's JST clock): whole hours before the
      // current one, and the current hour's share by the minutes passed. The whole day when the
      // server's today is not the browser's, as on a shifted test clock.
      const wholeDay = jstToday() !== today;
      const [hour, minute] = !wholeDay
        ? new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date()).split(':').map(Number)
        : [23, 60];
      const share = (b: { t: string }) => { const hh = Number(String(b.t).slice(11, 13)); return hh < hour ? 1 : hh === hour ? minute / 60 : 0; };
      const wkCalls = Math.round((day.series ?? []).reduce((n, b) => n + share(b) * (b.calls?.b ?? 0), 0));
      const wkCompleted = Math.round((day.series ?? []).reduce((n, b) => n + share(b) * (b.completed?.b ?? 0), 0));
      const md = (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;
      const weekNote = wholeDay ? t('dash.vs_week_day', { date: md(lastWeek) }) : t('dash.vs_week', { date: md(lastWeek) });
      setCount(todayCalls, day.totals.calls.a, wkCalls, weekNote);
      setRate(todayRate, day.totals.completion_rate.a, rate(wkCompleted, wkCalls), weekNote);
      const monthNote = t('dash.vs_month', { from: md(lmFrom), to: md(lmTo) });
      setCount(monthCalls, month.totals.calls.a, month.totals.calls.b, monthNote);
      setRate(monthRate, month.totals.completion_rate.a, month.totals.completion_rate.b, monthNote);

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
      alerts.appendChild(h('div', { class: 'alert error', role: 'alert' },
        t('error.load', { message: e instanceof ApiError || e instanceof Error ? e.message : String(e) })));
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
