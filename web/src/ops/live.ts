// The live view of /ops (SPEC §17): GET /admin/stats every 2 s while the tab is visible (a hidden
// tab asks nothing and catches up as soon as it is shown again), headline figures, two line charts
// of the last minutes kept in memory, the tables of the answer, the account list (with the support
// actions in an account's card), the cancelling of a pending sign-up, and logout.
// A 401 ends it (api.ts `whenUnauthorized`): polling stops and the token form comes back.

import { h } from '../dom';
import { ops, describe, OpsError } from './api';
import { type Stats, normalise, listenerRate, ingestRate, sum } from './stats';
import { History, LiveCharts, HISTORY_MS } from './charts';
import { LiveTable } from './table';
import { Lookup } from './lookup';
import { signupCancel } from './signup-cancel';
import { count, rate, bytes, ms, jstTime } from './format';

export const POLL_MS = 2000;

// Runs `tick` every POLL_MS (start to start) while the page is visible; never two at once.
class Poller {
  private timer: number | null = null;
  private running = false;
  private inFlight = false;
  private lastStart = 0;

  constructor(private tick: () => Promise<void>) {}

  start(): void {
    this.running = true;
    document.addEventListener('visibilitychange', this.onVisibility);
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  private schedule(delay: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.running || document.hidden) return;
    this.timer = window.setTimeout(this.run, delay);
  }

  private run = async () => {
    this.timer = null;
    if (!this.running || document.hidden || this.inFlight) return;
    this.lastStart = Date.now();
    this.inFlight = true;
    try {
      await this.tick();
    } finally {
      this.inFlight = false;
    }
    this.schedule(Math.max(0, this.lastStart + POLL_MS - Date.now()));
  };

  private onVisibility = () => {
    if (document.hidden) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
    } else if (!this.inFlight) {
      this.schedule(0);
    }
  };
}

function stat(id: string, label: string) {
  const value = h('div', { class: 'value', id, 'aria-live': 'off' }, '—');
  const note = h('div', { class: 'delta same', id: `${id}-note` });
  return { element: h('div', { class: 'stat' }, h('div', { class: 'label' }, label), value, note), value, note };
}

const section = (id: string, title: string, ...children: (Node | string)[]) =>
  h('section', { class: 'card ops-card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children);
const wide = (el: HTMLElement) => { el.classList.add('ops-wide'); return el; };

export interface View { element: HTMLElement; focus(): void; dispose(): void }

export function liveView({ first, onLogout }: { first?: Stats; onLogout: () => void }): View {
  const history = new History();
  const status = h('p', { id: 'live-status', class: 'muted small' }, 'Loading the figures…');
  const problem = h('div', { class: 'messages', id: 'live-problem' });
  const title = h('h1', { id: 'live-title', tabindex: -1 }, 'Live figures');

  const stats = {
    live: stat('stat-accounts-live', 'Accounts live'),
    passivated: stat('stat-accounts-passivated', 'Accounts passivated'),
    sessions: stat('stat-sessions', 'Customer sessions'),
    queue: stat('stat-mail-queue', 'Mail queue'),
    ingest: stat('stat-ingest-rows', 'Ingest rows/s'),
    requests: stat('stat-requests', 'Requests/s'),
  };

  const requestsChart = h('div', { class: 'chart chart-small', id: 'chart-requests' });
  const ingestChart = h('div', { class: 'chart chart-small', id: 'chart-ingest' });
  const charts = new LiveCharts(requestsChart, ingestChart, history);
  const lookup = new Lookup();
  const pendingSignup = signupCancel();

  type Busy = Stats['busiest'][number];
  const busiest = new LiveTable<Busy>('busiest', 'The busiest accounts in the window', [
    { key: 'id', label: 'Account', text: true, value: (r) => r.id,
      show: (r) => h('a', { href: '#lookup-card', class: 'account-link', 'data-id': r.id, title: `Open ${r.id} under Accounts`,
        onclick: ((e: Event) => { e.preventDefault(); void lookup.fill(r.id); }) as EventListener }, r.id) },
    { key: 'requests_per_s', label: 'Requests/s', value: (r) => r.requests_per_s, show: (r) => rate(r.requests_per_s) },
    { key: 'rows_per_s', label: 'Rows/s', value: (r) => r.rows_per_s, show: (r) => rate(r.rows_per_s) },
    { key: 'requests', label: 'Requests', value: (r) => r.requests, show: (r) => count(r.requests) },
    { key: 'rows', label: 'Rows', value: (r) => r.rows, show: (r) => count(r.rows) },
  ], (r) => r.id, 'No account was busy in the window.');

  type Route = Stats['routes'][number];
  const p99 = (r: Route) => (r.p99_ms !== null ? ms(r.p99_ms) : r.p99_over_ms !== undefined ? `> ${ms(r.p99_over_ms)}` : '—');
  const routes = new LiveTable<Route>('routes', 'Requests per route', [
    { key: 'listener', label: 'Listener', text: true, value: (r) => r.listener },
    { key: 'route', label: 'Route', text: true, value: (r) => r.route },
    { key: 'requests_per_s', label: 'Requests/s', value: (r) => r.requests_per_s, show: (r) => rate(r.requests_per_s) },
    { key: 'p99_ms', label: 'p99', value: (r) => r.p99_ms, show: p99 },
    { key: 'requests', label: 'Requests', value: (r) => r.requests, show: (r) => count(r.requests) },
  ], (r) => `${r.listener} ${r.route}`, 'No requests yet.');

  type Actor = Stats['actors'][number];
  const actors = new LiveTable<Actor>('actors', 'Actors per kind', [
    { key: 'kind', label: 'Kind', text: true, value: (r) => r.kind },
    { key: 'live', label: 'Live', value: (r) => r.live, show: (r) => count(r.live) },
    { key: 'mailbox_depth', label: 'Mailbox', value: (r) => r.mailbox_depth, show: (r) => count(r.mailbox_depth) },
    { key: 'messages_per_s', label: 'Messages/s', value: (r) => r.messages_per_s, show: (r) => rate(r.messages_per_s) },
    { key: 'restarts', label: 'Restarts', value: (r) => r.restarts, show: (r) => count(r.restarts) },
  ], (r) => r.kind, 'No actors.');

  type Outcome = Stats['ingest'][number];
  const ingest = new LiveTable<Outcome>('ingest', 'Ingest per outcome', [
    { key: 'outcome', label: 'Outcome', text: true, value: (r) => r.outcome },
    { key: 'rows_per_s', label: 'Rows/s', value: (r) => r.rows_per_s, show: (r) => rate(r.rows_per_s) },
    { key: 'rows', label: 'Rows', value: (r) => r.rows, show: (r) => count(r.rows) },
  ], (r) => r.outcome, 'No rows ingested yet.');

  type MailState = Stats['mails']['states'][number];
  const mailQueue = h('p', { class: 'small', id: 'mail-queue' });
  const mails = new LiveTable<MailState>('mails', 'Mails by state', [
    { key: 'state', label: 'State', text: true, value: (r) => r.state },
    { key: 'per_s', label: 'Per s', value: (r) => r.per_s, show: (r) => rate(r.per_s) },
    { key: 'total', label: 'Total', value: (r) => r.total, show: (r) => count(r.total) },
  ], (r) => r.state, 'No mails yet.');

  type Cf = Stats['storage'][number];
  const storageTotal = h('p', { class: 'small', id: 'storage-total' });
  const storage = new LiveTable<Cf>('storage', 'Storage per column family', [
    { key: 'cf', label: 'Column family', text: true, value: (r) => r.cf },
    { key: 'bytes', label: 'Size', value: (r) => r.bytes, show: (r) => bytes(r.bytes) },
  ], (r) => r.cf, 'No storage figures.');

  type Conn = Stats['connections'][number];
  const connections = new LiveTable<Conn>('connections', 'Open connections per listener', [
    { key: 'listener', label: 'Listener', text: true, value: (r) => r.listener },
    { key: 'open', label: 'Open', value: (r) => r.open, show: (r) => count(r.open) },
  ], (r) => r.listener, 'No connections.');

  type Failure = Stats['failures'][number];
  const failures = new LiveTable<Failure>('failures', 'Errors answered since the start', [
    { key: 'code', label: 'Code', text: true, value: (r) => r.code },
    { key: 'per_s', label: 'Per s', value: (r) => r.per_s, show: (r) => rate(r.per_s) },
    { key: 'total', label: 'Total', value: (r) => r.total, show: (r) => count(r.total) },
  ], (r) => r.code, 'No errors answered since the start.');

  const logout = h('button', { type: 'button', id: 'logout', class: 'link-button' }, 'Log out');
  const main = h('main', { id: 'live', class: 'ops-main', 'data-polls': 0 },
    h('div', { class: 'page-head' }, title, status),
    problem,
    h('section', { class: 'grid stats ops-stats', id: 'headline', 'aria-label': 'Headline figures' },
      Object.values(stats).map((s) => s.element)),
    h('div', { class: 'ops-charts' },
      section('requests-card', 'Requests per second', requestsChart),
      section('ingest-card', 'Ingest rows per second', ingestChart)),
    section('busiest-card', 'Busiest accounts', h('p', { class: 'muted small' }, 'Accounts with requests or stored rows in the window; an ID opens its card under Accounts.'), busiest.element),
    lookup.element,
    section('signup-cancel-card', 'Pending sign-up', pendingSignup.element),
    h('div', { class: 'ops-tables' },
      wide(section('routes-card', 'Routes', routes.element)),
      section('actors-card', 'Actors', actors.element),
      section('ingest-table-card', 'Ingest', ingest.element),
      section('mails-card', 'Mails', mailQueue, mails.element),
      section('storage-card', 'Storage', storageTotal, storage.element),
      section('connections-card', 'Connections', connections.element),
      section('failures-card', 'Failures', failures.element)));
  const element = h('div', { class: 'frame ops-frame' },
    h('a', { href: '#live-title', class: 'skip-link' }, 'Skip to the figures'),
    h('header', { class: 'topbar' },
      h('span', { class: 'brand' }, 'CX Support · Operations'),
      h('div', { class: 'topbar-end' }, h('span', { class: 'who' }, 'Operator'), logout)),
    main);

  let polls = 0;
  let disposed = false;

  const render = (s: Stats) => {
    const set = (x: { value: HTMLElement }, raw: number, text: string) => { x.value.dataset.value = String(raw); x.value.textContent = text; };
    set(stats.live, s.accounts.live, count(s.accounts.live));
    set(stats.passivated, s.accounts.passivated, count(s.accounts.passivated));
    set(stats.sessions, s.sessions, count(s.sessions));
    set(stats.queue, s.mails.queue, count(s.mails.queue));
    const ingestPerS = ingestRate(s);
    set(stats.ingest, ingestPerS, rate(ingestPerS));
    const accepted = s.ingest.find((r) => r.outcome === 'accepted');
    stats.ingest.note.textContent = accepted ? `accepted ${rate(accepted.rows_per_s)}/s` : '';
    const customer = listenerRate(s, 'customer');
    const admin = listenerRate(s, 'admin');
    set(stats.requests, sum([customer, admin]), rate(sum([customer, admin])));
    stats.requests.note.textContent = `customer ${rate(customer)} · admin ${rate(admin)}`;
    stats.sessions.note.textContent = '';
    stats.queue.note.textContent = 'waiting to be sent';

    busiest.update(s.busiest);
    routes.update(s.routes);
    actors.update(s.actors);
    ingest.update(s.ingest);
    mails.update(s.mails.states);
    mailQueue.textContent = `${count(s.mails.queue)} waiting in the queue.`;
    storage.update(s.storage);
    const total = sum(s.storage.map((r) => r.bytes));
    storageTotal.textContent = `${bytes(total)} in all.`;
    storageTotal.dataset.value = String(total);
    connections.update(s.connections);
    failures.update(s.failures);

    const now = new Date();
    status.textContent = `Updated ${jstTime(now)} · rates over the last ${s.window_s.toFixed(1)} s · charts: the last ${HISTORY_MS / 60000} minutes · refreshed every ${POLL_MS / 1000} s while this tab is visible`;
    polls += 1;
    main.dataset.polls = String(polls);
    main.dataset.updated = String(now.getTime());
  };

  const accept = (raw: Partial<Stats> | null) => {
    const s = normalise(raw);
    history.add(s);
    render(s);
    void charts.update();
  };

  const poller = new Poller(async () => {
    try {
      const answer = await ops<Partial<Stats>>('GET', '/admin/stats');
      if (disposed) return;
      problem.replaceChildren();
      accept(answer);
    } catch (error) {
      if (disposed || (error instanceof OpsError && error.status === 401)) return;
      problem.replaceChildren(h('div', { class: 'alert warn', id: 'live-refresh-failed', role: 'status' },
        `The last refresh failed (${describe(error)}); trying again every ${POLL_MS / 1000} s.`));
    }
  });

  logout.addEventListener('click', () => {
    logout.disabled = true;
    poller.stop();
    void ops('POST', '/admin/logout', {}, { probe: true }).catch(() => undefined).then(() => { if (!disposed) onLogout(); });
  });

  if (first) accept(first);
  // The account list shows its first page as soon as the console opens.
  void lookup.search('');
  // The first poll comes one period after the answer the login page already had.
  if (first) window.setTimeout(() => { if (!disposed) poller.start(); }, POLL_MS); else poller.start();

  return {
    element,
    focus: () => title.focus(),
    dispose: () => {
      disposed = true;
      poller.stop();
      charts.dispose();
      lookup.dispose();
      pendingSignup.dispose();
    },
  };
}
