// The entry of /ops (ops.html, served by the admin listener; SPEC §17): the operators' live page,
// in English. Is there an operator session (the HttpOnly cookie)? GET /admin/stats says: 200 → the
// live view, 401 → the token form. A 401 later (session over) stops polling and shows the form
// again; logout does the same with its own notice.

import '../styles.css';
import './ops.css';
import { clear, h } from '../dom';
import { ops, whenUnauthorized, OpsError, describe } from './api';
import { liveView, type View } from './live';
import { loginView, type Notice } from './login';
import type { Stats } from './stats';

const root = document.getElementById('ops')!;
let current: View | null = null;
let showingLive = false;

function show(view: View, title: string, live: boolean): void {
  current?.dispose();
  clear(root);
  root.append(view.element);
  current = view;
  showingLive = live;
  document.title = `${title} · CX Support operations`;
  view.focus();
}

function showLogin(notice: Notice = null): void {
  show(loginView({ notice, onLoggedIn: (first) => showLive(first) }), 'Operator login', false);
}

function showLive(first?: Stats): void {
  show(liveView({ first, onLogout: () => showLogin('logged_out') }), 'Live figures', true);
}

whenUnauthorized(() => { if (showingLive) showLogin('expired'); });

async function start(): Promise<void> {
  try {
    showLive(await ops<Stats>('GET', '/admin/stats', undefined, { probe: true }));
  } catch (error) {
    if (error instanceof OpsError && error.status === 401) return showLogin();
    root.append(h('main', { class: 'public-main' },
      h('h1', {}, 'CX Support operations'),
      h('div', { class: 'alert error', id: 'start-failed', role: 'alert' },
        h('p', {}, `The figures could not be loaded: ${describe(error)}`), h('p', {}, 'Reload the page to try again.'))));
  }
}

void start();
