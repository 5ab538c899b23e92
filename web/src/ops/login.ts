// The token form of /ops: the operator token is sent once to POST /admin/login, which answers with
// the session cookie of the admin listener (HttpOnly: this code never sees it). The token is read
// from the field for that one request and the field is emptied; it is never kept in memory, in
// web storage or in the URL.

import { h } from '../dom';
import { ops, OpsError, describe } from './api';
import type { View } from './live';
import type { Stats } from './stats';

export type Notice = 'expired' | 'logged_out' | null;

export function loginView({ notice, onLoggedIn }: { notice: Notice; onLoggedIn: (first: Stats | undefined) => void }): View {
  const token = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', required: true, 'aria-describedby': 'token-hint token-error' });
  const error = h('p', { class: 'field-error', id: 'token-error' });
  const button = h('button', { type: 'submit' }, 'Log in');
  const form = h('form', { id: 'login-form', novalidate: true, 'aria-labelledby': 'login-title' },
    h('div', { class: 'field' },
      h('label', { for: 'token' }, 'Operator token'),
      token,
      h('p', { class: 'hint', id: 'token-hint' },
        'The token in admin.token of the server\'s data folder. It is traded for a session cookie of this listener (30 minutes idle, 12 hours at most) and not kept by the browser.'),
      error),
    h('div', { class: 'actions' }, button));
  const title = h('h1', { id: 'login-title', tabindex: -1 }, 'Operator login');
  const messages = h('div', { class: 'messages', id: 'login-messages' },
    notice === 'expired' ? h('div', { class: 'alert info', id: 'notice-expired', role: 'status' },
      'Your operator session has ended. Enter the token again to see the live figures.') : null,
    notice === 'logged_out' ? h('div', { class: 'alert ok', id: 'notice-logged-out', role: 'status' }, 'You are logged out.') : null);

  let disposed = false;
  const fail = (text: string) => {
    error.textContent = text;
    token.setAttribute('aria-invalid', 'true');
    token.focus();
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = token.value;
    token.value = '';
    error.textContent = '';
    token.removeAttribute('aria-invalid');
    messages.replaceChildren();
    if (!value.trim()) return fail('Enter the operator token.');
    button.disabled = true;
    void (async () => {
      try {
        await ops('POST', '/admin/login', { token: value.trim() }, { probe: true });
        // The first figures at once, so the live view opens filled.
        const first = await ops<Stats>('GET', '/admin/stats', undefined, { probe: true }).catch(() => undefined);
        if (!disposed) onLoggedIn(first);
      } catch (err) {
        if (disposed) return;
        if (err instanceof OpsError && err.status === 401) fail('That is not the operator token.');
        else fail(`The login failed: ${describe(err)}`);
      } finally {
        button.disabled = false;
      }
    })();
  });

  const element = h('div', { class: 'frame ops-frame' },
    h('header', { class: 'topbar' }, h('span', { class: 'brand' }, 'CX Support · Operations')),
    h('main', { class: 'public-main', id: 'login' },
      title, messages,
      h('section', { class: 'card' },
        h('p', {}, 'The live figures of this server: actors, accounts, requests, ingest, mails, storage; the account list with search and plan changes.'),
        form)),
    h('footer', { class: 'footer' }, 'Admin listener · CX Support'));
  return {
    element,
    focus: () => token.focus(),
    dispose: () => { disposed = true; },
  };
}
