// /settings (基本情報設定, SPEC §4): the account at a glance, then two forms — contact data and
// auth method (PUT /api/me; a new email or auth method asks for the current password, SPEC §18),
// and the password (PUT /api/me with the current one). A child ID (SPEC §15) changes its own
// address, person and password here too; the department does not apply to it, its plan is only
// shown (the main ID changes it), and it logs in with one-time passwords only.
//
// Client certificates (SPEC §5, §16): choosing "電子証明書" explains what a save does (the download
// account and password come by mail; import the certificate before logging out; the next login
// needs it; back to one-time passwords revokes every certificate). An account on the certificate
// method sees its certificates (GET /api/certificates) in #certificates, with the link to the
// download page /certsrv/.

import { route } from '../router';
import { h, clear } from '../dom';
import { t, texts } from '../i18n';
import { api } from '../api';
import { errorAlert, messageOf } from '../errors';
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
    // Choosing the certificate method (SPEC §16): what a save does and what comes after it.
    'settings.cert_explain.title': '電子証明書でのログインについて',
    'settings.cert_explain.mail': '保存すると、電子証明書ダウンロードページのダウンロードアカウントとダウンロードパスワードを、ご登録のメールアドレスにお送りします（件名「【CX Support】電子証明書ダウンロードのご案内」）。',
    'settings.cert_explain.import': 'ログアウトする前に、ダウンロードページでこのIDの電子証明書を取得し、お使いのブラウザ（またはパソコン）に取り込んでください。',
    'settings.cert_explain.login': '次回のログインから、IDとパスワードに加えて電子証明書が必要です（ワンタイムパスワードのメールは届かなくなります）。電子証明書を取り込んでいないブラウザではログインできません。',
    'settings.cert_explain.back': 'ワンタイムパスワードに戻すと、このIDの電子証明書はすべて失効します。',
    'settings.cert_revoke_warning': 'ワンタイムパスワードに戻すと、このIDの電子証明書はすべて失効し、ログインに使えなくなります。次回のログインからは、メールでお送りするワンタイムパスワードを入力してください。',
    'settings.cert_child': '子IDの認証方式はワンタイムパスワードのみです。',
    'settings.cert_mail_sent': '認証方式を電子証明書に変更しました。電子証明書ダウンロードページのダウンロードアカウントとダウンロードパスワードを {email} にメールでお送りしました。',
    'settings.cert_mail_next': 'ログアウトする前に、ダウンロードページで電子証明書を取得し、ブラウザに取り込んでください。次回のログインから電子証明書が必要です。',
    'settings.cert_revoked_done': '認証方式をワンタイムパスワードに変更しました。このIDの電子証明書はすべて失効しました。次回のログインからは、メールでお送りするワンタイムパスワードを入力してください。',
    // The certificates of an account on the certificate method.
    'settings.certs.title': '電子証明書',
    'settings.certs.lead': 'このIDの電子証明書です（新しい順）。ログインに使えるのは「有効」の証明書だけです。新しい証明書を取得すると、それまでの証明書は失効します。',
    'settings.certs.caption': '電子証明書の一覧（新しい順）',
    'settings.certs.serial': 'シリアル番号', 'settings.certs.not_after': '有効期限', 'settings.certs.state': '状態',
    'settings.certs.valid': '有効', 'settings.certs.revoked': '失効済み（{date}）', 'settings.certs.expired': '期限切れ',
    'settings.certs.current': 'ログインに使う証明書',
    'settings.certs.loading': '読み込み中…',
    'settings.certs.empty': '電子証明書はまだありません。メールでお知らせしたダウンロードアカウントとダウンロードパスワードで、ダウンロードページから取得してください。取得するまでは、ログアウトすると次回ログインできません。',
    'settings.certs.none_valid': '有効な電子証明書がありません。このままでは、ログアウトすると次回ログインできません。ダウンロードページで新しい証明書を取得し、ブラウザに取り込んでください。',
    'settings.certs.expiring': 'ログインに使う電子証明書は {date} に有効期限が切れます（{left}）。期限が切れるとログインできなくなります。それまでにダウンロードページで新しい証明書を取得し、ブラウザに取り込んでください。',
    'settings.certs.left': 'あと{n}日', 'settings.certs.left_one': 'あと1日',
    'settings.certs.link': '電子証明書ダウンロードページを開く',
    'settings.certs.link_hint': 'ダウンロードページでは、メールでお知らせしたダウンロードアカウントとダウンロードパスワードを入力します。お手元にない場合は、サポートセンターにお問い合わせください。新しいものをメールでお送りします。',
    'settings.certs.failed': '電子証明書の一覧を読み込めませんでした: {message}',
    'settings.certs.retry': 'もう一度読み込む',
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
    'settings.cert_explain.title': 'Logging in with a client certificate',
    'settings.cert_explain.mail': 'When you save, the download account and download password of the certificate download page are mailed to your registered address.',
    'settings.cert_explain.import': 'Before you log out, get this ID\'s certificate from the download page and import it into your browser (or computer).',
    'settings.cert_explain.login': 'From your next login, the certificate is needed besides the ID and password (no one-time password is mailed any more). A browser without the certificate cannot log in.',
    'settings.cert_explain.back': 'Switching back to one-time passwords revokes every certificate of this ID.',
    'settings.cert_revoke_warning': 'Switching back to one-time passwords revokes every certificate of this ID: none can be used to log in any more. From your next login, enter the one-time password we mail you.',
    'settings.cert_child': 'A child ID logs in with one-time passwords only.',
    'settings.cert_mail_sent': 'You now log in with a client certificate. The download account and download password of the certificate download page have been mailed to {email}.',
    'settings.cert_mail_next': 'Before you log out, get the certificate from the download page and import it into your browser. Your next login needs it.',
    'settings.cert_revoked_done': 'You now log in with one-time passwords. Every certificate of this ID has been revoked. From your next login, enter the one-time password we mail you.',
    'settings.certs.title': 'Client certificates',
    'settings.certs.lead': 'The certificates of this ID, newest first. Only a valid certificate logs in. Getting a new certificate revokes the earlier ones.',
    'settings.certs.caption': 'Client certificates, newest first',
    'settings.certs.serial': 'Serial number', 'settings.certs.not_after': 'Expires', 'settings.certs.state': 'State',
    'settings.certs.valid': 'Valid', 'settings.certs.revoked': 'Revoked ({date})', 'settings.certs.expired': 'Expired',
    'settings.certs.current': 'Used to log in',
    'settings.certs.loading': 'Loading…',
    'settings.certs.empty': 'There is no certificate yet. Get one from the download page with the download account and password we mailed you. Until you have, you cannot log in again once you log out.',
    'settings.certs.none_valid': 'There is no valid certificate. Once you log out you cannot log in again: get a new certificate from the download page and import it into your browser.',
    'settings.certs.expiring': 'The certificate you log in with expires on {date} ({left}). After that it cannot log in: before then, get a new certificate from the download page and import it into your browser.',
    'settings.certs.left': '{n} days left', 'settings.certs.left_one': '1 day left',
    'settings.certs.link': 'Open the certificate download page',
    'settings.certs.link_hint': 'The download page asks for the download account and download password we mailed you. If you no longer have them, contact the support centre: we mail you new ones.',
    'settings.certs.failed': 'The list of certificates could not be loaded: {message}',
    'settings.certs.retry': 'Load again',
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

// ---------------------------------------------------------------------------------------------
// Client certificates (SPEC §16)

// One certificate as GET /api/certificates lists it, newest first.
interface Certificate { serial: string; not_before?: string; not_after: string; revoked: string | null }
type CertificateState = 'valid' | 'revoked' | 'expired';

const DAY_MS = 24 * 60 * 60 * 1000;
// A certificate that logs in and expires within this many days is pointed out (the reminder mails
// of SPEC §5 come 30 and 7 days before).
const EXPIRING_DAYS = 30;

const JST_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

// An instant as its JST calendar date, written as the app writes dates (formatDate).
function jstDate(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const p = Object.fromEntries(JST_DAY.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return formatDate(`${p.year}-${p.month}-${p.day}`);
}

const stateOf = (c: Certificate, now: number): CertificateState =>
  c.revoked ? 'revoked' : Date.parse(c.not_after) > now ? 'valid' : 'expired';

// A link to the download page /certsrv/: no route of this app but a page of its own behind HTTP
// Basic auth, so target="_self" keeps the router's same-origin link handling away (as login.ts).
const certsrvLink = (id: string, label: string) => h('a', { href: '/certsrv/', id, target: '_self' }, label);

// The list: one tr.cert-row[data-serial][data-state] per certificate; the one that logs in (the
// newest valid one: a new certificate revokes the earlier ones) marked, with a note when it
// expires within EXPIRING_DAYS; a warning when none is valid.
function certificateList(list: Certificate[]): Node[] {
  if (!list.length) return [alertBox('warn', { id: 'certificates-empty' }, t('settings.certs.empty'))];
  const now = Date.now();
  const states = list.map((c) => stateOf(c, now));
  const current = states.indexOf('valid');
  const rows = list.map((c, i) => {
    const state = states[i];
    const isCurrent = i === current;
    const label = state === 'valid' ? t('settings.certs.valid')
      : state === 'revoked' ? t('settings.certs.revoked', { date: jstDate(c.revoked ?? '') }) : t('settings.certs.expired');
    return h('tr', { class: isCurrent ? 'cert-row marked' : 'cert-row', 'data-serial': c.serial, 'data-state': state,
      'data-current': isCurrent ? 'true' : null, 'aria-current': isCurrent ? 'true' : null },
      h('td', { class: 'cell-text cert-serial' }, h('code', {}, c.serial)),
      h('td', { class: 'cell-text cert-not-after', 'data-value': c.not_after }, h('time', { datetime: c.not_after }, jstDate(c.not_after))),
      h('td', { class: 'cell-text cert-state', 'data-value': state }, label,
        isCurrent ? [' ', h('span', { class: 'badge' }, t('settings.certs.current'))] : null));
  });
  const notes: Node[] = [];
  if (current < 0) {
    notes.push(alertBox('warn', { id: 'certificates-none-valid' }, t('settings.certs.none_valid')));
  } else {
    const notAfter = list[current].not_after;
    const left = Math.ceil((Date.parse(notAfter) - now) / DAY_MS);
    if (left <= EXPIRING_DAYS) {
      notes.push(alertBox('warn', { id: 'certificates-expiring', 'data-days': String(left) }, t('settings.certs.expiring', {
        date: jstDate(notAfter), left: left === 1 ? t('settings.certs.left_one') : t('settings.certs.left', { n: left }) })));
    }
  }
  const heads = ['settings.certs.serial', 'settings.certs.not_after', 'settings.certs.state'];
  return [...notes, h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table cert-table', id: 'certificates-table' },
      h('caption', { class: 'sr-only' }, t('settings.certs.caption')),
      h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col', class: 'head-text' }, t(k))))),
      h('tbody', {}, rows)))];
}

// The #certificates card of an account on the certificate method: the list (loaded by load(),
// again after a save that switched to the method), the link to the download page. A failed load
// is said in the page's language (errors.ts) with a button to try again.
function certificatesCard(gone: () => boolean): { element: HTMLElement; load: () => Promise<void> } {
  const body = h('div', { class: 'certificates-body' });
  const element = h('section', { class: 'card', id: 'certificates', 'aria-labelledby': 'certificates-title', 'aria-busy': 'false' },
    h('h2', { id: 'certificates-title' }, t('settings.certs.title')),
    h('p', { class: 'muted' }, t('settings.certs.lead')),
    body,
    h('p', {}, certsrvLink('certificates-certsrv-link', t('settings.certs.link'))),
    h('p', { class: 'hint' }, t('settings.certs.link_hint')));
  let seq = 0;
  const load = async (): Promise<void> => {
    const mine = ++seq;
    const current = () => !gone() && mine === seq;
    element.setAttribute('aria-busy', 'true');
    body.replaceChildren(h('p', { class: 'muted', id: 'certificates-loading' }, t('settings.certs.loading')));
    try {
      const answer = await api<{ certificates?: Certificate[] } | null>('GET', '/api/certificates');
      if (!current()) return;
      body.replaceChildren(...certificateList(Array.isArray(answer?.certificates) ? answer.certificates : []));
    } catch (error) {
      if (!current()) return;
      const retry = h('button', { type: 'button', class: 'secondary', id: 'certificates-retry' }, t('settings.certs.retry'));
      retry.addEventListener('click', () => void load());
      body.replaceChildren(errorAlert(t('settings.certs.failed', { message: messageOf(error) }), error, { id: 'certificates-error' }),
        h('div', { class: 'actions' }, retry));
    } finally {
      if (current()) element.setAttribute('aria-busy', 'false');
    }
  };
  return { element, load };
}

// What was typed in the contact form, kept across a language switch.
const settingsState = pageState<{ values: Record<string, string> }>(() => ({ values: {} }));

route('/settings', async () => {
  // Fresh from the server: this also finds a session that ended while the page was open.
  const me = await loadMe(true);
  if (!me) return loginAfterEnd('/settings');
  const { state, dispose } = settingsState.enter();
  const v = state.values;
  let disposed = false;
  const stored = () => currentMe() ?? me;

  // Contact data and auth method.
  const messages = h('div', { class: 'messages', id: 'settings-messages' });
  const form = h('form', { id: 'settings-form', class: 'card', 'aria-labelledby': 'settings-contact' });
  const ctl = new FormController(form);
  const button = h('button', { type: 'submit' }, t('settings.submit'));
  // What a switch of the auth method does (SPEC §16): to certificate, the mail, the import before
  // logging out and the next login; back to one-time passwords, the revocation.
  const certExplain = h('div', { class: 'alert info', id: 'certificate-explain', role: 'status', 'aria-labelledby': 'certificate-explain-title' },
    h('p', { id: 'certificate-explain-title' }, h('strong', {}, t('settings.cert_explain.title'))),
    h('ul', {}, ['mail', 'import', 'login', 'back'].map((k) => h('li', {}, t(`settings.cert_explain.${k}`)))));
  const revokeWarning = alertBox('warn', { id: 'certificate-revoke-warning' }, t('settings.cert_revoke_warning'));
  const updateAuth = () => {
    const chosen = ctl.value('auth_method'), now = stored().auth_method;
    certExplain.classList.toggle('hidden', chosen !== 'certificate' || now === 'certificate');
    revokeWarning.classList.toggle('hidden', chosen !== 'otp' || now !== 'certificate');
  };
  // The current password is asked for only while the email or the auth method differs from the stored one.
  const needsPassword = () => {
    const before = currentMe() ?? me;
    return ctl.value('email').trim() !== before.email || ctl.value('auth_method') !== before.auth_method;
  };
  const currentPassword = ctl.text({ name: 'current_password', label: t('af.current_password'), type: 'password', required: true,
    autocomplete: 'current-password', hint: t('settings.current_hint'), when: needsPassword, check: rules.required('current_password') });
  const updatePassword = () => currentPassword.classList.toggle('hidden', !needsPassword());
  // A child ID logs in with one-time passwords only (SPEC §15): its certificate choice is shown, disabled.
  const child = isChild(me);
  const authField = ctl.radios({ name: 'auth_method', label: t('af.auth_method'), required: true,
    value: child ? me.auth_method : v.auth_method ?? me.auth_method, onchange: updateAuth,
    choices: [{ value: 'otp', label: t('aauth.otp') },
      { value: 'certificate', label: t('aauth.certificate'), hint: child ? t('settings.cert_child') : undefined }],
    check: rules.selected('auth_method') });
  if (child) {
    const cert = authField.querySelector<HTMLInputElement>('input[value="certificate"]');
    if (cert && !cert.checked) { cert.disabled = true; cert.closest('label')?.classList.add('disabled-choice'); }
  }

  // The certificates of an account on the certificate method, below this form; shown, hidden and
  // loaded again as a save switches the method.
  const certSlot = h('div', { id: 'certificates-slot' });
  let certCard: ReturnType<typeof certificatesCard> | null = null;
  const syncCertificates = () => {
    if (isChild(stored()) || stored().auth_method !== 'certificate') { certCard = null; clear(certSlot); return; }
    certCard ??= certificatesCard(() => disposed);
    if (certCard.element.parentNode !== certSlot) certSlot.replaceChildren(certCard.element);
    void certCard.load();
  };
  form.append(
    h('h2', { id: 'settings-contact' }, t('settings.contact')),
    ctl.summary, messages,
    ctl.text({ name: 'email', label: t('af.email'), type: 'email', required: true, value: v.email ?? me.email, autocomplete: 'email',
      hint: t('settings.email_hint'), check: all(rules.required('email'), rules.email()) }),
    ctl.text({ name: 'person', label: t('af.person'), required: true, value: v.person ?? me.person, autocomplete: 'name',
      hint: t('signup.hint.person', { max: limits.text_max }), check: all(rules.required('person'), rules.noControl('person'), rules.maxLength('person')) }),
    ...(isChild(me) ? [] : [ctl.text({ name: 'department', label: t('af.department'), value: v.department ?? me.department, autocomplete: 'organization-title',
      hint: t('signup.hint.department', { max: limits.text_max }), check: all(rules.noControl('department'), rules.maxLength('department')) })]),
    authField,
    certExplain,
    revokeWarning,
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
    updateAuth();
    ctl.clearErrors();
    // A switch of the method (SPEC §16): to certificate, the mail and what to do before logging
    // out; to one-time passwords, the certificates revoked.
    const after = stored();
    const switched = body.auth_method !== undefined && after.auth_method === body.auth_method ? after.auth_method : null;
    show(messages,
      alertBox('ok', { id: 'settings-saved' }, changed ? t('settings.saved') : t('settings.unchanged')),
      switched === 'certificate' ? h('div', { class: 'alert info', id: 'settings-cert-mail', role: 'status' },
        h('p', {}, t('settings.cert_mail_sent', { email: after.email })),
        h('p', {}, t('settings.cert_mail_next'), ' ', certsrvLink('settings-certsrv-link', t('settings.certs.link')))) : null,
      switched === 'otp' ? alertBox('info', { id: 'settings-cert-revoked' }, t('settings.cert_revoked_done')) : null);
    if (switched) syncCertificates();
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

  syncCertificates();

  return {
    title: t('settings.title'),
    element: appFrame('/settings', h('h1', {}, t('settings.title')), accountCard(me), form, certSlot, pwForm),
    dispose: () => { disposed = true; dispose(); },
  };
}, { session: true });
