// Password reissue (SPEC §4): /password/reset asks for ID and registered email (the answer is the
// same whether or not they match, so nobody can probe IDs); /password/reset/:token is the mailed
// link, valid 1 hour, where the new password is set.

import { route } from '../router';
import { h } from '../dom';
import { t, texts } from '../i18n';
import { api, ApiError } from '../api';
import { publicFrame } from '../layout';
import { FormController, alertBox, rules, all, pageState } from './forms';
import { expiredSection } from './confirm';
import { serverText } from '../errors';

texts({
  ja: {
    'reset.title': 'パスワードの再発行',
    'reset.lead': 'CX Support ID とご登録のメールアドレスを入力してください。パスワード再設定用のURLをメールでお送りします。',
    'reset.unlock': 'パスワードを再設定すると、IDのロックも解除されます。',
    'reset.email_hint': 'お申し込み時、または基本情報設定でご登録のメールアドレス',
    'reset.submit': '再設定用のメールを送信', 'reset.back': 'ログイン画面に戻る',
    'reset.requested.title': 'メールを確認してください',
    'reset.requested.text': '入力されたIDとメールアドレスがご登録内容と一致する場合、「パスワード再発行のご案内」をお送りしました。メールに記載のURLから、1時間以内に新しいパスワードを設定してください。',
    'reset.requested.missing': 'メールが届かない場合は、入力内容をご確認のうえ、もう一度お試しください。迷惑メールフォルダもご確認ください。',
    'reset.form.title': '新しいパスワードの設定',
    'reset.form.lead': '新しいパスワードを入力してください。',
    'reset.form.submit': 'パスワードを設定する',
    'reset.done.title': 'パスワードを再設定しました',
    'reset.done.text': '新しいパスワードでログインしてください。IDのロックは解除され、ログイン中のセッションがあった場合は終了しました。',
    'reset.done.login': 'ログイン画面へ',
    'reset.expired.title': 'URLの有効期限が切れているか、すでに使用済みです',
    'reset.expired.what': '再設定用のURLの有効期限はメールの送信から1時間で、1回だけ使えます。',
    'reset.again': 'パスワードの再発行をもう一度申し込む',
  },
  en: {
    'reset.title': 'Reissue your password',
    'reset.lead': 'Enter your CX Support ID and your registered email address. We will mail you a link to set a new password.',
    'reset.unlock': 'Setting a new password also unlocks a locked ID.',
    'reset.email_hint': 'The address given when you applied or later in Settings',
    'reset.submit': 'Send the reset mail', 'reset.back': 'Back to login',
    'reset.requested.title': 'Check your mail',
    'reset.requested.text': 'If the ID and the email address match our records, we have mailed you "Password reissue". Open the link in it within 1 hour to set a new password.',
    'reset.requested.missing': 'If no mail arrives, check what you entered and try again, and check your spam folder.',
    'reset.form.title': 'Set a new password',
    'reset.form.lead': 'Enter your new password.',
    'reset.form.submit': 'Set the password',
    'reset.done.title': 'Your password has been reset',
    'reset.done.text': 'Log in with your new password. The ID is unlocked, and a session that was still live has ended.',
    'reset.done.login': 'Go to the login page',
    'reset.expired.title': 'This link has expired or has been used',
    'reset.expired.what': 'A reset link is valid for 1 hour from sending and works once.',
    'reset.again': 'Request a password reissue again',
  },
});

const requestState = pageState<{ done: boolean }>(() => ({ done: false }));
const resetState = pageState<{ done: boolean }>(() => ({ done: false }));

route('/password/reset', async () => {
  const { state, dispose } = requestState.enter();
  const messages = h('div', { class: 'messages' });
  const main = h('div', {});

  const doneView = () => h('section', { id: 'reset-requested', class: 'card', 'aria-labelledby': 'reset-requested-title' },
    h('h2', { id: 'reset-requested-title', tabindex: '-1' }, t('reset.requested.title')),
    alertBox('info', {}, t('reset.requested.text')),
    h('p', { class: 'muted small' }, t('reset.requested.missing')),
    h('p', {}, h('a', { href: '/login' }, t('reset.back'))));

  if (state.done) {
    main.append(doneView());
  } else {
    const form = h('form', { id: 'reset-request-form', class: 'card' });
    const ctl = new FormController(form);
    const button = h('button', { type: 'submit' }, t('reset.submit'));
    form.append(ctl.summary,
      ctl.text({ name: 'id', label: t('af.id'), required: true, autocomplete: 'username', maxlength: 10, check: rules.required('id') }),
      ctl.text({ name: 'email', label: t('af.email'), type: 'email', required: true, autocomplete: 'email', hint: t('reset.email_hint'),
        check: all(rules.required('email'), rules.email()) }),
      h('div', { class: 'actions' }, button, h('a', { href: '/login' }, t('reset.back'))));
    ctl.onSubmit(button, messages, async () => {
      await api('POST', '/api/password/reset-request', { id: ctl.value('id').trim(), email: ctl.value('email').trim() });
      state.done = true;
      main.replaceChildren(doneView());
      (main.querySelector('#reset-requested-title') as HTMLElement).focus();
    });
    main.append(h('p', {}, t('reset.lead')), h('p', { class: 'muted small' }, t('reset.unlock')), form);
  }
  return { title: t('reset.title'), element: publicFrame(h('h1', {}, t('reset.title')), messages, main), dispose };
}, { session: false });

route('/password/reset/:token', async ({ params }) => {
  const { state, dispose } = resetState.enter();
  const messages = h('div', { class: 'messages' });
  const main = h('div', {});

  const doneView = () => h('section', { id: 'reset-done', class: 'card', 'aria-labelledby': 'reset-done-title' },
    h('h2', { id: 'reset-done-title', tabindex: '-1' }, t('reset.done.title')),
    alertBox('ok', {}, t('reset.done.text')),
    h('div', { class: 'actions' }, h('a', { href: '/login', class: 'button' }, t('reset.done.login'))));

  if (state.done) {
    main.append(doneView());
  } else {
    const form = h('form', { id: 'reset-form', class: 'card' });
    const ctl = new FormController(form);
    const button = h('button', { type: 'submit' }, t('reset.form.submit'));
    form.append(ctl.summary,
      h('p', {}, t('reset.form.lead')),
      ...ctl.newPassword(t('af.new_password'), t('af.new_password_confirm')),
      h('div', { class: 'actions' }, button));
    ctl.onSubmit(button, messages, async () => {
      await api('POST', '/api/password/reset', { token: params.token, password: ctl.value('password') });
      state.done = true;
      main.replaceChildren(doneView());
      (main.querySelector('#reset-done-title') as HTMLElement).focus();
    }, (error) => {
      if (!(error instanceof ApiError && error.status === 410)) return false;
      main.replaceChildren(expiredSection(serverText(error) ?? '', { href: '/password/reset', label: t('reset.again') },
        t('reset.expired.title'), t('reset.expired.what')));
      return true;
    });
    main.append(form);
  }
  return { title: t('reset.form.title'), element: publicFrame(h('h1', {}, t('reset.form.title')), messages, main), dispose };
}, { session: false });
