// /login: ID and password, then the one-time password mailed to the account, on the same page.
// The ticket of the second step lives in this module's memory only (a language switch re-renders
// the page and keeps the step); it is dropped on success, on "start over" and after 10 minutes.

import { route, navigate } from '../router';
import { h } from '../dom';
import { t, texts } from '../i18n';
import { api, ApiError } from '../api';
import { loadMe } from '../session';
import { publicFrame } from '../layout';
import { FormController, withBusy, alertBox, serverMessage, show, rules, all, pageState } from './forms';
import { problem } from './problem';
import { messageOf } from '../errors';

texts({
  ja: {
    'login.title': 'ログイン', 'login.lead': 'CX Support ID とパスワードを入力してください。',
    'login.submit': 'ログイン', 'login.forgot': 'パスワードをお忘れの方', 'login.signup': '新規お申し込み',
    'login.signup_lead': 'はじめてご利用の方は',
    'login.id_hint': '半角英数字10文字（ご利用開始のお知らせ (3/3) に記載）',
    'login.expired': 'セッションの有効期限が切れました。最後の操作から30分間操作がなかったため、自動的にログアウトしました。もう一度ログインしてください。',
    'login.logged_out': 'ログアウトしました。ご利用ありがとうございました。',
    'login.otp.title': 'ワンタイムパスワードの入力',
    'login.otp.sent': 'ご登録のメールアドレスにワンタイムパスワード（半角数字6桁）をお送りしました。有効期限は10分です。',
    'login.otp.for': 'ログインするID: {id}',
    'login.otp.hint': 'メール「ワンタイムパスワードのお知らせ」に記載の6桁の数字',
    'login.otp.submit': '認証する', 'login.otp.restart': '最初からやり直す',
    'login.otp.resend': 'メールが届かない場合や有効期限が切れた場合は、最初からやり直すと新しいワンタイムパスワードをお送りします。',
    'login.err.session_active.title': 'このIDは別の場所でログイン中です',
    'login.err.session_active.what': '別のブラウザや端末でログインしている場合は、そちらでログアウトしてから、もう一度ログインしてください。ログアウトせずに画面を閉じた場合は、最後の操作から30分後に自動的にログアウトされ、再びログインできるようになります。',
    'login.err.session_active.unknown': '心当たりがない場合は、パスワードを再発行してください。再発行すると、ログイン中のセッションも終了します。',
    'login.take_over': 'ここでログインする（別の場所のセッションは終了します）',
    'login.take_over.what': 'ここでログインを続けることもできます。ワンタイムパスワードの認証が済んだ時点で、別の場所のセッションは終了し、ご登録のメールアドレスにお知らせが届きます。',
    'login.otp.take_over': '認証が済むと、別の場所でログイン中のセッションは終了します。',
    'login.replaced': 'このIDで別のブラウザまたは端末からログインがあったため、この画面のセッションは終了しました。心当たりがない場合は、パスワードを再発行してください。',
    'login.err.locked.title': 'このIDはロックされています',
    'login.err.locked.what': 'パスワードを再発行すると、すぐにロックが解除されます。',
    'login.err.locked.link': 'パスワードを再発行する',
    'login.err.certificate.title': '電子証明書でのログインはまだご利用いただけません',
    'login.err.certificate.what': 'このIDは認証方式が「電子証明書」に設定されています。この画面からの電子証明書によるログインは、現在準備中です。提供開始までお待ちいただくか、サポート窓口にお問い合わせください。',
  },
  en: {
    'login.title': 'Log in', 'login.lead': 'Enter your CX Support ID and password.',
    'login.submit': 'Log in', 'login.forgot': 'Forgot your password?', 'login.signup': 'Apply for CX Support',
    'login.signup_lead': 'New to CX Support?',
    'login.id_hint': '10 half-width letters and digits (in the mail "ready to use" (3/3))',
    'login.expired': 'Your session has ended: there was no activity for 30 minutes, so you were logged out automatically. Please log in again.',
    'login.logged_out': 'You have logged out. Thank you for using CX Support.',
    'login.otp.title': 'Enter the one-time password',
    'login.otp.sent': 'We have mailed a one-time password (6 digits) to your registered email address. It is valid for 10 minutes.',
    'login.otp.for': 'Logging in as: {id}',
    'login.otp.hint': 'The 6 digits in the mail "One-time password"',
    'login.otp.submit': 'Verify', 'login.otp.restart': 'Start over',
    'login.otp.resend': 'If the mail does not arrive or the code has expired, start over to get a new one-time password.',
    'login.err.session_active.title': 'This ID is logged in elsewhere',
    'login.err.session_active.what': 'If you are logged in on another browser or device, log out there and then log in again. If a window was closed without logging out, the session is released 30 minutes after its last request, and you can log in again.',
    'login.err.session_active.unknown': 'If you do not recognise this, reissue your password: a reissue also ends the live session.',
    'login.take_over': 'Log in here (the other session ends)',
    'login.take_over.what': 'You can also log in here: once the one-time password is verified, the other session ends and a notice is mailed to your registered address.',
    'login.otp.take_over': 'Once verified, the session that is logged in elsewhere ends.',
    'login.replaced': 'This ID logged in on another browser or device, so this session has ended. If you do not recognise this, reissue your password.',
    'login.err.locked.title': 'This ID is locked',
    'login.err.locked.what': 'Reissuing your password unlocks the ID at once.',
    'login.err.locked.link': 'Reissue your password',
    'login.err.certificate.title': 'Certificate login is not available yet',
    'login.err.certificate.what': 'This ID is set to log in with a client certificate. Certificate login from this page is still being prepared. Please wait until it is available, or contact support.',
  },
});

interface Pending { ticket: string; id: string; at: number; takeOver: boolean }
const loginState = pageState<{ pending: Pending | null }>(() => ({ pending: null }));
const TEN_MINUTES = 10 * 60 * 1000;

// Only a path of this site: "/x", never "//host" or "/\host" (nor "/\t/host", which the URL parser
// reads as "//host"): the URL the browser would make of it must stay on this origin.
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/')) return '/dashboard';
  let url: URL;
  try { url = new URL(next, location.origin); } catch { return '/dashboard'; }
  if (url.origin !== location.origin) return '/dashboard';
  const path = url.pathname + url.search + url.hash;
  if (/^\/(login|signup|password\/reset)(\/|\?|#|$)/.test(path)) return '/dashboard';
  return path;
}

route('/login', async ({ query }) => {
  const { state, dispose } = loginState.enter();
  if (state.pending && Date.now() - state.pending.at > TEN_MINUTES) state.pending = null;
  const messages = h('div', { class: 'messages', id: 'login-messages' });
  const body = h('div', {});
  const next = safeNext(query.get('next'));

  const reason = query.get('reason');
  const banner = reason === 'expired' ? alertBox('info', { id: 'notice-expired' }, t('login.expired'))
    : reason === 'replaced' ? alertBox('warn', { id: 'notice-replaced' }, t('login.replaced'))
    : reason === 'logged_out' ? alertBox('ok', { id: 'notice-logged-out' }, t('login.logged_out')) : null;

  // SPEC §19: after a 409 the password step offers to take the other session over.
  let takeOver: (() => void) | null = null;
  let submitPassword: ((take: boolean) => void) | null = null;

  const errorFor = (error: unknown): HTMLElement => {
    if (!(error instanceof ApiError)) return problem(error);
    switch (error.code) {
      case 'session_active':
        return h('section', { class: 'alert warn', id: 'error-session-active', role: 'alert', 'aria-labelledby': 'error-session-active-title' },
          h('h2', { id: 'error-session-active-title' }, t('login.err.session_active.title')),
          h('p', {}, messageOf(error)),
          h('p', {}, t('login.err.session_active.what')),
          h('p', {}, t('login.err.session_active.unknown'), ' ', h('a', { href: '/password/reset' }, t('login.forgot'))),
          ...(takeOver ? [h('p', {}, t('login.take_over.what')),
            h('div', { class: 'actions' }, h('button', { type: 'button', id: 'take-over', onclick: takeOver }, t('login.take_over')))] : []));
      case 'locked':
        return h('section', { class: 'alert error', id: 'error-locked', role: 'alert', 'aria-labelledby': 'error-locked-title' },
          h('h2', { id: 'error-locked-title' }, t('login.err.locked.title')),
          h('p', {}, messageOf(error)),
          h('p', {}, t('login.err.locked.what'), ' ', h('a', { href: '/password/reset' }, t('login.err.locked.link'))));
      case 'certificate_required':
        return h('section', { class: 'alert warn', id: 'error-certificate', role: 'alert', 'aria-labelledby': 'error-certificate-title' },
          h('h2', { id: 'error-certificate-title' }, t('login.err.certificate.title')),
          h('p', {}, messageOf(error)),
          h('p', {}, t('login.err.certificate.what')));
      case 'invalid_credentials': case 'invalid_code': case 'ticket_expired': case 'rate_limited':
        return alertBox('error', { 'data-code': error.code }, serverMessage(error));
      default:
        return error.status >= 500 || error.status === 0 ? problem(error) : alertBox('error', { 'data-code': error.code }, serverMessage(error));
    }
  };

  const passwordStep = () => {
    const form = h('form', { id: 'login-form', class: 'card' });
    const ctl = new FormController(form);
    const button = h('button', { type: 'submit' }, t('login.submit'));
    form.append(ctl.summary,
      ctl.text({ name: 'id', label: t('af.id'), required: true, autocomplete: 'username', hint: t('login.id_hint'),
        maxlength: 10, check: rules.required('id') }),
      ctl.text({ name: 'password', label: t('af.password'), type: 'password', required: true, autocomplete: 'current-password',
        check: rules.required('password') }),
      h('div', { class: 'actions' }, button, h('a', { href: '/password/reset' }, t('login.forgot'))));
    const submit = (take: boolean) => {
      if (!ctl.validateAll()) return;
      void withBusy(button, async () => {
        show(messages);
        const id = ctl.value('id').trim();
        try {
          const body = take ? { id, password: ctl.value('password'), take_over: true } : { id, password: ctl.value('password') };
          const answer = await api<{ second_factor: string; ticket: string }>('POST', '/api/login', body);
          state.pending = { ticket: answer.ticket, id, at: Date.now(), takeOver: take };
          otpStep();
        } catch (error) {
          // The password stays for a take-over right after a 409; any other answer clears it.
          const active = error instanceof ApiError && error.code === 'session_active';
          takeOver = active ? () => submit(true) : null;
          show(messages, errorFor(error));
          takeOver = null;
          if (!active) (ctl.control('password') as HTMLInputElement).value = '';
          if (error instanceof ApiError && error.code === 'invalid_credentials') ctl.control('password')?.focus();
          if (active) (messages.querySelector('#take-over') as HTMLButtonElement | null)?.focus();
        }
      });
    };
    form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(false); });
    submitPassword = submit;
    body.replaceChildren(h('p', { class: 'muted' }, t('login.lead')), form,
      h('p', { class: 'login-signup' }, t('login.signup_lead'), ' ', h('a', { href: '/signup', class: 'button secondary' }, t('login.signup'))));
  };

  const otpStep = () => {
    const p = state.pending!;
    const form = h('form', { id: 'otp-form', class: 'card' });
    const ctl = new FormController(form);
    const button = h('button', { type: 'submit' }, t('login.otp.submit'));
    const restart = h('button', { type: 'button', class: 'secondary', onclick: () => { state.pending = null; show(messages); passwordStep(); focusFirst(); } }, t('login.otp.restart'));
    form.append(
      h('h2', {}, t('login.otp.title')),
      alertBox('info', { id: 'otp-sent' }, t('login.otp.sent')),
      h('p', { class: 'muted small' }, t('login.otp.for', { id: p.id })),
      p.takeOver ? alertBox('warn', { id: 'otp-take-over' }, t('login.otp.take_over')) : '',
      ctl.summary,
      ctl.text({ name: 'code', label: t('af.code'), required: true, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6,
        hint: t('login.otp.hint'),
        check: all(rules.required('code'), (v) => (/^\d{6}$/.test(v.trim()) ? null : t('arule.code'))) }),
      h('div', { class: 'actions' }, button, restart),
      h('p', { class: 'hint' }, t('login.otp.resend')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!ctl.validateAll()) return;
      void withBusy(button, async () => {
        show(messages);
        try {
          await api('POST', '/api/login/otp', { ticket: p.ticket, code: ctl.value('code').trim() });
          state.pending = null;
          // The session has started: a failure to read it now is the next page's to show (its
          // guard asks again), not a failed login (the code is used up).
          await loadMe(true).catch(() => null);
          navigate(next);
        } catch (error) {
          const active = error instanceof ApiError && error.code === 'session_active';
          // Another session started meanwhile: back to the password, with the offer to take it over.
          takeOver = active ? () => submitPassword?.(true) : null;
          show(messages, errorFor(error));
          takeOver = null;
          if (error instanceof ApiError && error.code === 'ticket_expired') {
            state.pending = null;
            passwordStep();
            focusFirst();
          } else if (active) {
            state.pending = null;
            passwordStep();
            const idField = body.querySelector<HTMLInputElement>('#login-form [name="id"]');
            if (idField) idField.value = p.id;
            body.querySelector<HTMLInputElement>('#login-form [name="password"]')?.focus();
          } else {
            (ctl.control('code') as HTMLInputElement).select();
            ctl.control('code')?.focus();
          }
        }
      });
    });
    body.replaceChildren(form);
    ctl.control('code')?.focus();
  };

  const focusFirst = () => (body.querySelector('input') as HTMLInputElement | null)?.focus();

  if (state.pending) otpStep(); else passwordStep();

  const element = publicFrame(
    h('h1', {}, t('login.title')),
    banner ?? '',
    messages,
    body);
  return { title: t('login.title'), element, dispose };
}, { session: false });
