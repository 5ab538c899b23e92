// /login: ID and password, then the one-time password mailed to the account, on the same page.
// The ticket of the second step lives in this module's memory only (a language switch re-renders
// the page and keeps the step); it is dropped on success, on "start over" and after 10 minutes.
// An ID on the certificate method (SPEC §16) has no second step: the client certificate its
// browser presented in the TLS handshake is the second factor, and POST /api/login answers the
// session at once ({csrf_token, id}, as POST /api/login/otp does). A missing, another ID's, revoked
// or expired certificate is a 401 certificate_* explained in #error-certificate[data-code], with
// the way to the download page /certsrv/ (outside this app: a full navigation, see certsrvLink).

import { route, navigate } from '../router';
import { h } from '../dom';
import { t, texts } from '../i18n';
import { api, ApiError, setCsrfToken } from '../api';
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
    'login.take_over.what': 'ここでログインを続けることもできます。ログインが済んだ時点で（ワンタイムパスワードをお使いの場合は、その認証が済んだ時点で）、別の場所のセッションは終了し、ご登録のメールアドレスにお知らせが届きます。',
    'login.otp.take_over': '認証が済むと、別の場所でログイン中のセッションは終了します。',
    'login.replaced': 'このIDで別のブラウザまたは端末からログインがあったため、この画面のセッションは終了しました。心当たりがない場合は、パスワードを再発行してください。',
    'login.err.locked.title': 'このIDはロックされています',
    'login.err.locked.what': 'パスワードを再発行すると、すぐにロックが解除されます。',
    'login.err.locked.link': 'パスワードを再発行する',
    'login.err.certificate_required.title': 'ブラウザから電子証明書が送られませんでした',
    'login.err.certificate_mismatch.title': 'このIDの電子証明書ではありません',
    'login.err.certificate_revoked.title': '電子証明書が失効しています',
    'login.err.certificate_expired.title': '電子証明書の有効期限が切れています',
    'login.err.certificate.download': '証明書の取得・再発行と、ブラウザへの取り込み方法は、{link}をご覧ください。このページを開くには、メールでお知らせしたダウンロードアカウントとダウンロードパスワードが必要です。',
    'login.err.certificate.link': '電子証明書ダウンロードページ',
    'login.err.certificate.restart': 'ブラウザは、一度選んだ証明書（「証明書を送らない」を選んだ場合も）を、ブラウザを閉じるまで覚えています。証明書を取り込んだあとや選び直すときは、ブラウザのウィンドウをすべて閉じてから開き直し、もう一度ログインしてください。',
    'login.cert.title': '電子証明書でログインする方へ',
    'login.cert.what': 'あらかじめ電子証明書をブラウザに取り込んでおいてください。このサイトを開いたときなどに、ブラウザが使う証明書を尋ねてきたら、「CX Support」の証明書を選んでください。',
    'login.cert.download': '電子証明書ダウンロードページ',
    'login.cert.import': '証明書の取り込み方法',
    'login.cert.credentials': 'ダウンロードページを開くには、メールでお知らせしたダウンロードアカウントとダウンロードパスワードが必要です。',
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
    'login.take_over.what': 'You can also log in here: when the login completes (with a one-time password: once it is verified), the other session ends and a notice is mailed to your registered address.',
    'login.otp.take_over': 'Once verified, the session that is logged in elsewhere ends.',
    'login.replaced': 'This ID logged in on another browser or device, so this session has ended. If you do not recognise this, reissue your password.',
    'login.err.locked.title': 'This ID is locked',
    'login.err.locked.what': 'Reissuing your password unlocks the ID at once.',
    'login.err.locked.link': 'Reissue your password',
    'login.err.certificate_required.title': 'The browser sent no client certificate',
    'login.err.certificate_mismatch.title': 'The certificate is not this ID\'s',
    'login.err.certificate_revoked.title': 'The certificate has been revoked',
    'login.err.certificate_expired.title': 'The certificate has expired',
    'login.err.certificate.download': 'Get or renew the certificate, and see how to import it into the browser, on the {link} (in Japanese). The page asks for the download account and download password from your mail.',
    'login.err.certificate.link': 'certificate download page',
    'login.err.certificate.restart': 'A browser remembers the certificate chosen (also a choice to send none) until it is restarted. After importing a certificate, or to choose another, close every window of the browser, open it again and log in again.',
    'login.cert.title': 'Logging in with a client certificate?',
    'login.cert.what': 'Import the certificate into the browser first. When the browser asks which certificate to use (when you open this site, for example), choose the CX Support one.',
    'login.cert.download': 'Certificate download page (in Japanese)',
    'login.cert.import': 'How to import the certificate',
    'login.cert.credentials': 'The download page asks for the download account and download password from your mail.',
  },
});

interface Pending { ticket: string; id: string; at: number; takeOver: boolean }
// POST /api/login: the ticket of the one-time password step, or (an ID on the certificate method
// whose browser presented its certificate) the session itself, as POST /api/login/otp answers it.
interface LoginAnswer { second_factor?: string; ticket?: string; csrf_token?: string; id?: string }
interface SessionAnswer { csrf_token?: string; id?: string }
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

// The certificate codes of POST /api/login (SPEC §16), each explained in #error-certificate.
const CERTIFICATE_CODES = new Set(['certificate_required', 'certificate_mismatch', 'certificate_revoked', 'certificate_expired']);

// A link to the certificate download page /certsrv/ (or a place on it). That page is no route of
// this app but a page of its own behind HTTP Basic auth: target="_self" keeps the router's
// same-origin link handling away, so the browser loads it (and asks for the download account).
const certsrvLink = (href: string, id: string, label: string) => h('a', { href, id, target: '_self' }, label);

// A text with a {link} in it, as text nodes around the link element.
const withLink = (text: string, link: HTMLElement): (Node | string)[] => {
  const at = text.indexOf('{link}');
  return at < 0 ? [text, ' ', link] : [text.slice(0, at), link, text.slice(at + '{link}'.length)];
};

// The explanation of a certificate_* refusal: the server's message (what happened, what to do),
// the way to the download page, and why a browser restart is needed (it keeps its choice).
const certificateBox = (error: ApiError): HTMLElement =>
  h('section', { class: `alert ${error.code === 'certificate_required' ? 'warn' : 'error'}`, id: 'error-certificate',
    'data-code': error.code, role: 'alert', 'aria-labelledby': 'error-certificate-title' },
    h('h2', { id: 'error-certificate-title' }, t(`login.err.${error.code}.title`)),
    h('p', { class: 'error-message' }, messageOf(error)),
    h('p', {}, ...withLink(t('login.err.certificate.download'),
      certsrvLink('/certsrv/', 'error-certificate-download', t('login.err.certificate.link')))),
    h('p', { class: 'hint' }, t('login.err.certificate.restart')));

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
    if (CERTIFICATE_CODES.has(error.code)) return certificateBox(error);
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
          const answer = await api<LoginAnswer | null>('POST', '/api/login', body);
          if (typeof answer?.ticket === 'string' && answer.ticket !== '') {
            state.pending = { ticket: answer.ticket, id, at: Date.now(), takeOver: take };
            otpStep();
          } else {
            // A certificate login (SPEC §16): the session has started, as after a passed code.
            await finish(answer);
          }
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
      h('section', { class: 'login-certificate small', id: 'login-certificate', 'aria-labelledby': 'login-certificate-title' },
        h('h2', { id: 'login-certificate-title', class: 'small' }, t('login.cert.title')),
        h('p', {}, t('login.cert.what')),
        h('p', {}, certsrvLink('/certsrv/', 'login-certsrv-link', t('login.cert.download')), ' / ',
          certsrvLink('/certsrv/#import-card', 'login-import-help-link', t('login.cert.import'))),
        h('p', { class: 'hint' }, t('login.cert.credentials'))),
      h('p', { class: 'login-signup' }, t('login.signup_lead'), ' ', h('a', { href: '/signup', class: 'button secondary' }, t('login.signup'))));
  };

  // The session has started (a passed one-time password, or a certificate login): the same set-up
  // and the same way on for both. A failure to read the session now is the next page's to show
  // (its guard asks again), not a failed login (the code or the password is used up).
  const finish = async (answer: SessionAnswer | null) => {
    state.pending = null;
    if (typeof answer?.csrf_token === 'string' && answer.csrf_token !== '') setCsrfToken(answer.csrf_token);
    await loadMe(true).catch(() => null);
    navigate(next);
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
          const answer = await api<SessionAnswer | null>('POST', '/api/login/otp', { ticket: p.ticket, code: ctl.value('code').trim() });
          await finish(answer);
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
