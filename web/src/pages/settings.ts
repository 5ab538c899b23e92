// /settings (基本情報設定, SPEC §4): the account at a glance, then two forms — contact data and
// auth method (PUT /api/me; a new email or auth method asks for the current password, SPEC §18),
// and the password (PUT /api/me with the current one). A child ID (SPEC §15) changes its own
// address, person and password here too; the department does not apply to it, and its plan is
// only shown (the main ID changes it).

import { route } from '../router';
import { h } from '../dom';
import { t, texts } from '../i18n';
import { api } from '../api';
import { appFrame } from '../layout';
import { currentMe, loadMe, setMe, isChild, loginAfterEnd, type Me } from '../session';
import { FormController, alertBox, show, rules, all, formatAn, formatDate, pageState, limits } from './forms';

texts({
  ja: {
    'settings.title': '基本情報設定',
    'settings.account': 'ご契約情報', 'settings.contact': '連絡先と認証方式', 'settings.password': 'パスワードの変更',
    'settings.registered': '登録日（データ開始日）', 'settings.ans': 'FD/ND番号', 'settings.plan_link': 'プランの確認・変更', 'settings.plan_link_child': 'プランの確認',
    'settings.role': 'ID の種類', 'settings.role.child': '子ID（メインIDが発行したID）',
    'settings.submit': '保存する', 'settings.password_submit': 'パスワードを変更する',
    'settings.saved': '基本情報を保存しました。', 'settings.password_saved': 'パスワードを変更しました。次回から新しいパスワードでログインしてください。',
    'settings.unchanged': '変更はありません。',
    'settings.cert_warning.title': '電子証明書によるログインは準備中です',
    'settings.cert_warning': '電子証明書によるログインは今後提供予定です。提供開始までは、認証方式を「電子証明書」に変更することはできません（保存してもお受けできません）。「ワンタイムパスワード」のままご利用ください。',
    'settings.email_hint': 'ワンタイムパスワードやご案内の送信先です。',
    'settings.current_hint': 'メールアドレスや認証方式を変更するには、現在のパスワードを入力してください。変更後、お知らせのメールをお送りします。',
    'settings.none': '—',
  },
  en: {
    'settings.title': 'Settings',
    'settings.account': 'Your contract', 'settings.contact': 'Contact and authentication', 'settings.password': 'Change your password',
    'settings.registered': 'Registered (data start)', 'settings.ans': 'FD/ND numbers', 'settings.plan_link': 'See or change the plan', 'settings.plan_link_child': 'See the plan',
    'settings.role': 'Kind of ID', 'settings.role.child': 'Child ID (issued by the main ID)',
    'settings.submit': 'Save', 'settings.password_submit': 'Change the password',
    'settings.saved': 'Your settings have been saved.', 'settings.password_saved': 'Your password has been changed. Use the new password from your next login.',
    'settings.unchanged': 'Nothing has changed.',
    'settings.cert_warning.title': 'Certificate login is still being prepared',
    'settings.cert_warning': 'Login with a client certificate is coming later. Until then the authentication method cannot be changed to "Client certificate" (saving it is refused); please keep "One-time password".',
    'settings.email_hint': 'One-time passwords and notices are sent here.',
    'settings.current_hint': 'To change the email address or the authentication method, enter your current password. A notice is mailed after the change.',
    'settings.none': '—',
  },
});

function accountCard(me: Me): HTMLElement {
  const none = t('settings.none');
  const rows: [string, Node | string][] = [
    [t('af.id'), me.id],
    ...(isChild(me) ? [[t('settings.role'), t('settings.role.child')] as [string, string]] : []),
    [t('af.opid'), me.opid],
    [t('af.plan'), h('span', {}, t(`aplan.${me.plan}`), ' ',
      h('a', { href: '/plan', class: 'small' }, t(isChild(me) ? 'settings.plan_link_child' : 'settings.plan_link')))],
    [t('af.contractor_name'), me.contractor_name || none],
    [t('af.industry'), me.industry || none], [t('af.phone'), me.phone || none],
    [t('settings.registered'), formatDate(me.registered)],
    [t('settings.ans'), h('ul', { class: 'plain-list' }, ...me.ans.map((an) => h('li', {}, formatAn(an))))],
  ];
  return h('section', { class: 'card', 'aria-labelledby': 'settings-account' },
    h('h2', { id: 'settings-account' }, t('settings.account')),
    h('dl', { class: 'summary', id: 'account-summary' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
}

// The /api/me answer of a PUT, with the session's token kept if the answer leaves it out. A
// child's role, AN groups and the ANs they allow stay those of GET /api/me: what it may see does
// not change with its contact data (and the PUT answer is not relied on to carry the cut list).
function remember(answer: Me, before: Me): Me {
  const next = { ...before, ...answer, csrf_token: answer.csrf_token || before.csrf_token };
  if (isChild(before)) Object.assign(next, { role: before.role, an_groups: before.an_groups, ans: before.ans });
  return next;
}

// What was typed in the contact form, kept across a language switch.
const settingsState = pageState<{ values: Record<string, string> }>(() => ({ values: {} }));

route('/settings', async () => {
  // Fresh from the server: this also finds a session that ended while the page was open.
  const me = await loadMe(true);
  if (!me) return loginAfterEnd('/settings');
  const { state, dispose } = settingsState.enter();
  const v = state.values;

  // Contact data and auth method.
  const messages = h('div', { class: 'messages', id: 'settings-messages' });
  const form = h('form', { id: 'settings-form', class: 'card', 'aria-labelledby': 'settings-contact' });
  const ctl = new FormController(form);
  const button = h('button', { type: 'submit' }, t('settings.submit'));
  const certWarning = h('div', { class: 'alert warn', id: 'certificate-warning', role: 'status' },
    h('p', {}, h('strong', {}, t('settings.cert_warning.title'))), h('p', {}, t('settings.cert_warning')));
  const updateAuth = () => certWarning.classList.toggle('hidden', ctl.value('auth_method') !== 'certificate');
  // The current password is asked for only while the email or the auth method differs from the stored one.
  const needsPassword = () => {
    const before = currentMe() ?? me;
    return ctl.value('email').trim() !== before.email || ctl.value('auth_method') !== before.auth_method;
  };
  const currentPassword = ctl.text({ name: 'current_password', label: t('af.current_password'), type: 'password', required: true,
    autocomplete: 'current-password', hint: t('settings.current_hint'), when: needsPassword, check: rules.required('current_password') });
  const updatePassword = () => currentPassword.classList.toggle('hidden', !needsPassword());
  form.append(
    h('h2', { id: 'settings-contact' }, t('settings.contact')),
    ctl.summary, messages,
    ctl.text({ name: 'email', label: t('af.email'), type: 'email', required: true, value: v.email ?? me.email, autocomplete: 'email',
      hint: t('settings.email_hint'), check: all(rules.required('email'), rules.email()) }),
    ctl.text({ name: 'person', label: t('af.person'), required: true, value: v.person ?? me.person, autocomplete: 'name',
      hint: t('signup.hint.person', { max: limits.text_max }), check: all(rules.required('person'), rules.noControl('person'), rules.maxLength('person')) }),
    ...(isChild(me) ? [] : [ctl.text({ name: 'department', label: t('af.department'), value: v.department ?? me.department, autocomplete: 'organization-title',
      hint: t('signup.hint.department', { max: limits.text_max }), check: all(rules.noControl('department'), rules.maxLength('department')) })]),
    ctl.radios({ name: 'auth_method', label: t('af.auth_method'), required: true, value: v.auth_method ?? me.auth_method, onchange: updateAuth,
      choices: [{ value: 'otp', label: t('aauth.otp') }, { value: 'certificate', label: t('aauth.certificate') }],
      check: rules.selected('auth_method') }),
    certWarning,
    currentPassword,
    h('div', { class: 'actions' }, button));
  updateAuth();
  updatePassword();
  form.addEventListener('input', updatePassword);
  form.addEventListener('change', updatePassword);
  ctl.keepTyped(state.values);
  ctl.onSubmit(button, messages, async () => {
    // Only what changed is sent.
    const before = currentMe() ?? me;
    const body: Record<string, string> = {};
    const email = ctl.value('email').trim(), person = ctl.value('person').trim(), department = ctl.value('department').trim();
    if (email !== before.email) body.email = email;
    if (person !== before.person) body.person = person;
    if (!isChild(before) && department !== before.department) body.department = department;
    if (ctl.value('auth_method') !== before.auth_method) body.auth_method = ctl.value('auth_method');
    const changed = Object.keys(body).length > 0;
    if (body.email !== undefined || body.auth_method !== undefined) body.current_password = ctl.value('current_password');
    if (changed) setMe(remember(await api<Me>('PUT', '/api/me', body), before));
    (ctl.control('current_password') as HTMLInputElement).value = '';
    updatePassword();
    ctl.clearErrors();
    show(messages, alertBox('ok', { id: 'settings-saved' }, changed ? t('settings.saved') : t('settings.unchanged')));
  });

  // Password.
  const pwMessages = h('div', { class: 'messages', id: 'password-messages' });
  const pwForm = h('form', { id: 'password-form', class: 'card', 'aria-labelledby': 'settings-password' });
  const pw = new FormController(pwForm, 'pw-');
  const pwButton = h('button', { type: 'submit' }, t('settings.password_submit'));
  pwForm.append(
    h('h2', { id: 'settings-password' }, t('settings.password')),
    pw.summary, pwMessages,
    pw.text({ name: 'current_password', label: t('af.current_password'), type: 'password', required: true, autocomplete: 'current-password',
      check: rules.required('current_password') }),
    ...pw.newPassword(t('af.new_password'), t('af.new_password_confirm')),
    h('div', { class: 'actions' }, pwButton));
  pw.onSubmit(pwButton, pwMessages, async () => {
    const before = currentMe() ?? me;
    setMe(remember(await api<Me>('PUT', '/api/me', { current_password: pw.value('current_password'), password: pw.value('password') }), before));
    pwForm.reset();
    pw.clearErrors();
    show(pwMessages, alertBox('ok', { id: 'password-saved' }, t('settings.password_saved')));
  });

  return {
    title: t('settings.title'),
    element: appFrame('/settings', h('h1', {}, t('settings.title')), accountCard(me), form, pwForm),
    dispose,
  };
}, { session: true });
