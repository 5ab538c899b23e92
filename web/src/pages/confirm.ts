// /signup/confirm/:token: the link of mail (1/3). Shows the application (never a password) with
// one button; pressing it registers the application and issues the CX Support ID.

import { route } from '../router';
import { h } from '../dom';
import { t, texts } from '../i18n';
import { api, ApiError } from '../api';
import { publicFrame } from '../layout';
import { withBusy, alertBox, serverMessage, show, formatAn, formatDateTime, pageState } from './forms';
import { problem } from './problem';
import { messageOf, serverText } from '../errors';

texts({
  ja: {
    'confirm.title': 'お申し込み内容の確認',
    'confirm.lead': '以下の内容でよろしければ「本登録する」を押してください。ご登録のメールアドレスにご案内をお送りします。',
    'confirm.expires': 'このURLの有効期限: {time}',
    'confirm.button': '本登録する',
    'confirm.fix': '内容に誤りがある場合は、このまま本登録せず、有効期限が過ぎてからもう一度お申し込みください。',
    'confirm.done.title': '本登録が完了しました',
    'confirm.done.id': 'あなたの CX Support ID',
    'confirm.done.mails': '「本登録受付のお知らせ (2/3)」と「ご利用開始のお知らせ (3/3)」を、ご登録のメールアドレスにお送りしました。(3/3) にもIDとログインURLが記載されています。',
    'confirm.done.keep': 'このIDはログインに使います。大切に保管してください。',
    'confirm.done.login': 'ログイン画面へ',
    'confirm.already.title': 'このお申し込みは本登録済みです',
    'confirm.already.text': 'このお申し込みはすでに本登録済みです。ご登録のメールアドレスに届いた「ご利用開始のお知らせ (3/3)」に記載のIDでログインしてください。',
    'confirm.expired.title': 'URLの有効期限が切れています',
    'confirm.expired.what': '本登録用のURLの有効期限は、お申し込みから24時間です。期限を過ぎたお申し込みは無効になり、同じOPIDでもう一度お申し込みいただけます。',
    'confirm.invalid.title': 'URLが正しくありません',
    'confirm.invalid.what': 'メールに記載のURLを、途中で切れていないかご確認のうえ、もう一度開いてください。',
    'confirm.apply_again': 'もう一度お申し込みする',
    'confirm.none': '—', 'confirm.no_sales_code': 'なし',
  },
  en: {
    'confirm.title': 'Check your application',
    'confirm.lead': 'If everything below is right, press "Register". We will send you the next mails.',
    'confirm.expires': 'This link is valid until {time}',
    'confirm.button': 'Register',
    'confirm.fix': 'If something is wrong, do not register: wait until the link has expired and apply again.',
    'confirm.done.title': 'Registration complete',
    'confirm.done.id': 'Your CX Support ID',
    'confirm.done.mails': 'We have mailed "Main registration accepted (2/3)" and "Ready to use (3/3)" to your registered address. Mail (3/3) also holds your ID and the login URL.',
    'confirm.done.keep': 'You log in with this ID. Please keep it safe.',
    'confirm.done.login': 'Go to the login page',
    'confirm.already.title': 'This application is already registered',
    'confirm.already.text': 'This application has already been registered. Log in with the ID in the mail "Ready to use (3/3)" sent to your registered address.',
    'confirm.expired.title': 'This link has expired',
    'confirm.expired.what': 'The registration link is valid for 24 hours from the application. After that the application lapses, and you can apply again with the same OPID.',
    'confirm.invalid.title': 'This link is not valid',
    'confirm.invalid.what': 'Check that the link from the mail was opened whole (not cut off) and try again.',
    'confirm.apply_again': 'Apply again',
    'confirm.none': '—', 'confirm.no_sales_code': 'None',
  },
});

interface Application {
  contractor_name: string; industry: string; phone: string; department: string; person: string; email: string;
  opid: string; an: string; dn: string; plan: string; billing_an: string; billing_phone: string;
  auth_method: string; has_sales_code: boolean; sales_code: string;
}
interface Summary { application: Application; expires: string; status: 'provisional' | 'confirmed' }

const confirmState = pageState<{ issued: string | null }>(() => ({ issued: null }));

export function expiredSection(message: string, again: { href: string; label: string }, title = t('confirm.expired.title'), what = t('confirm.expired.what')): HTMLElement {
  return h('section', { id: 'link-expired', class: 'alert warn', role: 'alert', 'aria-labelledby': 'link-expired-title' },
    h('h2', { id: 'link-expired-title' }, title),
    message ? h('p', {}, message) : null,
    h('p', {}, what),
    h('p', {}, h('a', { href: again.href, class: 'button' }, again.label)));
}

function alreadyConfirmed(message: string): HTMLElement {
  return h('section', { id: 'already-confirmed', class: 'alert info', role: 'status', 'aria-labelledby': 'already-confirmed-title' },
    h('h2', { id: 'already-confirmed-title' }, t('confirm.already.title')),
    h('p', {}, message),
    h('p', {}, h('a', { href: '/login', class: 'button' }, t('confirm.done.login'))));
}

function summaryList(a: Application): HTMLElement {
  const none = t('confirm.none');
  const rows: [string, string][] = [
    [t('af.contractor_name'), a.contractor_name], [t('af.industry'), a.industry], [t('af.phone'), a.phone],
    [t('af.department'), a.department || none], [t('af.person'), a.person], [t('af.email'), a.email],
    [t('af.opid'), a.opid], [t('af.an'), formatAn(a.an)], [t('af.dn'), a.dn],
    [t('af.plan'), a.plan === 'standard' || a.plan === 'free' ? t(`aplan.${a.plan}`) : a.plan],
  ];
  if (a.plan === 'standard') rows.push([t('af.billing_an'), formatAn(a.billing_an)], [t('af.billing_phone'), a.billing_phone]);
  rows.push([t('af.auth_method'), a.auth_method === 'otp' || a.auth_method === 'certificate' ? t(`aauth.${a.auth_method}`) : a.auth_method],
    [t('af.sales_code'), a.has_sales_code ? a.sales_code : t('confirm.no_sales_code')]);
  return h('dl', { class: 'summary', id: 'application-summary' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

route('/signup/confirm/:token', async ({ params }) => {
  const { state, dispose } = confirmState.enter();
  const token = params.token;
  const content = h('div', {});
  const frame = (...children: (Node | string)[]) => ({
    title: t('confirm.title'), dispose,
    element: publicFrame(h('h1', {}, t('confirm.title')), ...children),
  });

  const doneView = (id: string) => h('section', { id: 'confirm-done', class: 'card', 'aria-labelledby': 'confirm-done-title' },
    h('h2', { id: 'confirm-done-title', tabindex: '-1' }, t('confirm.done.title')),
    h('p', { class: 'label' }, t('confirm.done.id')),
    h('p', { class: 'issued-id', id: 'issued-id' }, id),
    h('p', {}, t('confirm.done.keep')),
    alertBox('ok', {}, t('confirm.done.mails')),
    h('div', { class: 'actions' }, h('a', { href: '/login', class: 'button' }, t('confirm.done.login'))));

  if (state.issued) return frame(doneView(state.issued));

  const errorView = (error: unknown): HTMLElement => {
    if (error instanceof ApiError) {
      // The server's words when they are in the page's language; the sections say the rest.
      if (error.status === 410) return expiredSection(messageOf(error), { href: '/signup', label: t('confirm.apply_again') });
      if (error.status === 404) {
        return h('section', { id: 'link-invalid', class: 'alert error', role: 'alert', 'aria-labelledby': 'link-invalid-title' },
          h('h2', { id: 'link-invalid-title' }, t('confirm.invalid.title')),
          h('p', {}, messageOf(error)), h('p', {}, t('confirm.invalid.what')),
          h('p', {}, h('a', { href: '/signup' }, t('confirm.apply_again'))));
      }
      if (error.status === 409) return alreadyConfirmed(serverText(error) ?? t('confirm.already.text'));
      if (error.status === 429) return alertBox('error', {}, serverMessage(error));
    }
    return problem(error);
  };

  let summary: Summary;
  try {
    summary = await api<Summary>('GET', `/api/signup/${encodeURIComponent(token)}`);
  } catch (error) {
    return frame(errorView(error));
  }

  const messages = h('div', { class: 'messages' });
  const card = h('section', { class: 'card', 'aria-label': t('confirm.title') }, summaryList(summary.application));
  if (summary.status === 'confirmed') {
    content.append(alreadyConfirmed(t('confirm.already.text')), card);
    return frame(content);
  }

  const button = h('button', { type: 'button', id: 'confirm-button' }, t('confirm.button'));
  button.addEventListener('click', () => void withBusy(button, async () => {
    show(messages);
    try {
      const answer = await api<{ id: string }>('POST', `/api/signup/${encodeURIComponent(token)}/confirm`);
      state.issued = answer.id;
      content.replaceChildren(doneView(answer.id));
      (content.querySelector('#confirm-done-title') as HTMLElement).focus();
    } catch (error) {
      const view = errorView(error);
      if (error instanceof ApiError && [404, 409, 410].includes(error.status)) content.replaceChildren(view);
      else show(messages, view);
    }
  }));

  content.append(
    h('p', {}, t('confirm.lead')),
    card,
    h('p', { class: 'expires', id: 'confirm-expires' }, t('confirm.expires', { time: formatDateTime(summary.expires) })),
    messages,
    h('div', { class: 'actions' }, button),
    h('p', { class: 'hint' }, t('confirm.fix')));
  return frame(content);
}, { session: false });
