// /signup: the application form (SPEC §3, §14). One input per key of POST /api/signup, named as
// the key; the server's rules are checked while typing and on leaving a field; the server's 422
// errors appear at their fields and in a summary. On 202 the form gives way to #signup-done.
// What was typed (never the passwords) survives a language switch, in memory only.

import { route, navigate } from '../router';
import { h } from '../dom';
import { t, texts } from '../i18n';
import { api } from '../api';
import { publicFrame } from '../layout';
import { FormController, alertBox, rules, all, pageState, limits, industries, anFormatsText } from './forms';
import { planTable } from './plans';

texts({
  ja: {
    'signup.title': 'お申し込み',
    'signup.lead': 'CX Support のご利用お申し込みフォームです。送信すると、ご入力のメールアドレスに「仮登録のお知らせ (1/3)」をお送りします。メールに記載のURLから本登録をお済ませください。',
    'signup.required_note': '* は必須項目です。',
    'signup.contractor': '契約者情報', 'signup.numbers': 'ご契約の番号', 'signup.plan': 'ご利用プラン',
    'signup.login': 'ログインの設定', 'signup.sales': '営業コード',
    'signup.hint.contractor_name': '{max}文字以内。FD/ND番号の登録名義と異なっていてもかまいません。',
    'signup.hint.department': '任意。{max}文字以内。', 'signup.hint.person': '{max}文字以内。',
    'signup.hint.email': 'お申し込みやログインのご案内（ワンタイムパスワードなど）をお送りします。',
    'signup.hint.opid': '半角英数字{max}文字以内。親OPIDを入力してください（子OPIDではお申し込みいただけません）。',
    'signup.hint.an': 'OPIDに登録されているFD/ND番号を1つ。{formats}（ハイフン可）。例: 0120-123-456',
    'signup.hint.dn': 'OPIDのFD/ND番号に登録されている着信先番号を1つ（ハイフン可）。例: 03-1234-5678',
    'signup.hint.billing_an': 'ご請求の対象とする、OPIDに登録されているFD/ND番号（ハイフン可）。',
    'signup.hint.auth_method': 'ログイン時の2段階目の認証方法です。',
    'signup.hint.sales_code': '半角英数字{n}文字。営業担当者からお知らせしたコードです。',
    'signup.plan.free_hint': '基本データ・保存期間12か月',
    'signup.plan.standard_hint': '詳細データ・グループ・カスタムデータ・子ID・保存期間24か月',
    'signup.billing_note': 'スタンダードプランでは、請求用のFD/ND番号と電話番号が必要です。',
    'signup.cert_warning': '電子証明書を選ぶと、「ご利用開始のお知らせ (3/3)」メールで電子証明書ダウンロードページのアカウントとパスワードをお知らせします。ログインの前に、そのページで証明書を取得してブラウザに取り込んでください。基本情報設定で後から変更することもできます。',
    'signup.submit': '申し込む（仮登録）', 'signup.have_id': 'すでにIDをお持ちの方は', 'signup.login_link': 'ログイン',
    'signup.done.title': '仮登録メールを送信しました',
    'signup.done.sent': '「仮登録のお知らせ (1/3)」を {email} にお送りしました。',
    'signup.done.next': 'メールに記載のURLを開き、お申し込み内容をご確認のうえ「本登録する」を押してください。URLの有効期限は、メールの送信から24時間です。',
    'signup.done.expire': '24時間を過ぎるとURLは無効になります。その場合は、お手数ですがもう一度お申し込みください。',
    'signup.done.missing': 'メールが届かない場合は、迷惑メールフォルダもご確認ください。',
    'signup.done.again': '別のお申し込みをする',
  },
  en: {
    'signup.title': 'Apply for CX Support',
    'signup.lead': 'Apply for CX Support here. When you send the form, we mail "Provisional registration (1/3)" to the address you entered. Open the link in that mail to complete the registration.',
    'signup.required_note': '* marks required fields.',
    'signup.contractor': 'Contractor', 'signup.numbers': 'Your numbers', 'signup.plan': 'Your plan',
    'signup.login': 'Login settings', 'signup.sales': 'Sales code',
    'signup.hint.contractor_name': 'Up to {max} characters. It need not match the name the number is registered under.',
    'signup.hint.department': 'Optional. Up to {max} characters.', 'signup.hint.person': 'Up to {max} characters.',
    'signup.hint.email': 'We send the application mails and login notices (one-time passwords) here.',
    'signup.hint.opid': 'Up to {max} half-width letters and digits. Enter the parent OPID (a child OPID cannot apply).',
    'signup.hint.an': 'One FD/ND number registered to the OPID: {formats} (hyphens allowed), e.g. 0120-123-456',
    'signup.hint.dn': 'One destination number registered to an FD/ND number of the OPID (hyphens allowed), e.g. 03-1234-5678',
    'signup.hint.billing_an': 'The FD/ND number of the OPID the bill is for (hyphens allowed).',
    'signup.hint.auth_method': 'The second step of every login.',
    'signup.hint.sales_code': '{n} half-width letters and digits, as given by your sales contact.',
    'signup.plan.free_hint': 'Basic data, kept 12 months',
    'signup.plan.standard_hint': 'Detailed data, groups, custom data, child IDs, kept 24 months',
    'signup.billing_note': 'The standard plan needs a billing FD/ND number and a billing phone number.',
    'signup.cert_warning': 'With a client certificate, the mail "Ready to use (3/3)" gives you the account and password of the certificate download page. Before you log in, get the certificate there and import it into your browser. You can change the method later in Settings.',
    'signup.submit': 'Apply (provisional registration)', 'signup.have_id': 'Already have an ID?', 'signup.login_link': 'Log in',
    'signup.done.title': 'We have sent the provisional registration mail',
    'signup.done.sent': 'We have mailed "Provisional registration (1/3)" to {email}.',
    'signup.done.next': 'Open the link in the mail, check your application and press "Register". The link is valid for 24 hours from sending.',
    'signup.done.expire': 'After 24 hours the link no longer works; please apply again in that case.',
    'signup.done.missing': 'If the mail does not arrive, please check your spam folder.',
    'signup.done.again': 'Start another application',
  },
});

const signupState = pageState<{ values: Record<string, string>; done: string | null }>(() => ({ values: {}, done: null }));

route('/signup', async () => {
  const { state, dispose } = signupState.enter();
  const v = state.values;
  const messages = h('div', { class: 'messages' });
  const main = h('div', {});

  const doneView = (email: string) => h('section', { id: 'signup-done', class: 'card', 'aria-labelledby': 'signup-done-title' },
    h('h2', { id: 'signup-done-title', tabindex: '-1' }, t('signup.done.title')),
    alertBox('ok', {}, t('signup.done.sent', { email })),
    h('p', {}, t('signup.done.next')),
    h('p', {}, t('signup.done.expire')),
    h('p', { class: 'muted small' }, t('signup.done.missing')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => { state.done = null; state.values = {}; navigate('/signup'); } }, t('signup.done.again'))));

  if (state.done) {
    main.append(doneView(state.done));
  } else {
    const form = h('form', { id: 'signup-form' });
    const ctl = new FormController(form);
    const L = (name: string) => t(`af.${name}`);
    const req = (name: 'contractor_name' | 'person') => all(rules.required(name), rules.noControl(name), rules.maxLength(name));
    const maxText = { max: limits.text_max };
    const isStandard = () => ctl.value('plan') === 'standard';
    const hasSales = () => ctl.value('has_sales_code') === 'true';

    const billing = h('div', { id: 'billing-fields', class: 'conditional' },
      h('p', { class: 'hint' }, t('signup.billing_note')),
      ctl.text({ name: 'billing_an', label: L('billing_an'), required: true, value: v.billing_an, inputmode: 'tel', autocomplete: 'off',
        hint: t('signup.hint.billing_an'), when: isStandard, check: all(rules.required('billing_an'), rules.an('billing_an')) }),
      ctl.text({ name: 'billing_phone', label: L('billing_phone'), type: 'tel', required: true, value: v.billing_phone, autocomplete: 'tel',
        hint: t('ahint.phone'), when: isStandard, check: all(rules.required('billing_phone'), rules.phone('billing_phone')) }));
    const certWarning = alertBox('info', { id: 'certificate-warning' }, t('signup.cert_warning'));

    const updatePlan = () => {
      billing.classList.toggle('hidden', !isStandard());
      if (!isStandard()) { ctl.setError('billing_an', null); ctl.setError('billing_phone', null); }
    };
    const updateAuth = () => certWarning.classList.toggle('hidden', ctl.value('auth_method') !== 'certificate');
    const updateSales = () => {
      const input = ctl.control('sales_code') as HTMLInputElement;
      input.disabled = !hasSales();
      if (!hasSales()) ctl.setError('sales_code', null);
    };

    form.append(
      ctl.summary,
      h('section', { class: 'card', 'aria-labelledby': 'signup-contractor' },
        h('h2', { id: 'signup-contractor' }, t('signup.contractor')),
        ctl.text({ name: 'contractor_name', label: L('contractor_name'), required: true, value: v.contractor_name, autocomplete: 'organization',
          hint: t('signup.hint.contractor_name', maxText), check: req('contractor_name') }),
        ctl.select({ name: 'industry', label: L('industry'), required: true, value: v.industry ?? '', placeholder: t('aform.select'),
          choices: industries.map((i) => ({ value: i, label: i })), check: rules.selected('industry') }),
        ctl.text({ name: 'phone', label: L('phone'), type: 'tel', required: true, value: v.phone, autocomplete: 'tel',
          hint: t('ahint.phone'), check: all(rules.required('phone'), rules.phone('phone')) }),
        ctl.text({ name: 'department', label: L('department'), value: v.department, autocomplete: 'organization-title',
          hint: t('signup.hint.department', maxText), check: all(rules.noControl('department'), rules.maxLength('department')) }),
        ctl.text({ name: 'person', label: L('person'), required: true, value: v.person, autocomplete: 'name',
          hint: t('signup.hint.person', maxText), check: req('person') }),
        ctl.text({ name: 'email', label: L('email'), type: 'email', required: true, value: v.email, autocomplete: 'email',
          hint: t('signup.hint.email'), check: all(rules.required('email'), rules.email()) })),
      h('section', { class: 'card', 'aria-labelledby': 'signup-numbers' },
        h('h2', { id: 'signup-numbers' }, t('signup.numbers')),
        ctl.text({ name: 'opid', label: L('opid'), required: true, value: v.opid, maxlength: limits.opid.max,
          hint: t('signup.hint.opid', { max: limits.opid.max }), check: all(rules.required('opid'), rules.opid()) }),
        ctl.text({ name: 'an', label: L('an'), required: true, value: v.an, inputmode: 'tel',
          hint: t('signup.hint.an', { formats: anFormatsText() }), check: all(rules.required('an'), rules.an('an')) }),
        ctl.text({ name: 'dn', label: L('dn'), required: true, value: v.dn, inputmode: 'tel',
          hint: t('signup.hint.dn'), check: all(rules.required('dn'), rules.phone('dn')) })),
      h('section', { class: 'card', 'aria-labelledby': 'signup-plan' },
        h('h2', { id: 'signup-plan' }, t('signup.plan')),
        ctl.radios({ name: 'plan', label: L('plan'), required: true, value: v.plan, onchange: updatePlan,
          choices: [{ value: 'free', label: t('aplan.free'), hint: t('signup.plan.free_hint') },
            { value: 'standard', label: t('aplan.standard'), hint: t('signup.plan.standard_hint') }],
          check: rules.selected('plan') }),
        h('details', { class: 'plan-compare' }, h('summary', {}, t('plantable.caption')), planTable()),
        billing),
      h('section', { class: 'card', 'aria-labelledby': 'signup-login' },
        h('h2', { id: 'signup-login' }, t('signup.login')),
        ...ctl.newPassword(L('password'), L('password_confirm')),
        ctl.radios({ name: 'auth_method', label: L('auth_method'), required: true, value: v.auth_method, onchange: updateAuth,
          hint: t('signup.hint.auth_method'),
          choices: [{ value: 'otp', label: t('aauth.otp') }, { value: 'certificate', label: t('aauth.certificate') }],
          check: rules.selected('auth_method') }),
        certWarning),
      h('section', { class: 'card', 'aria-labelledby': 'signup-sales' },
        h('h2', { id: 'signup-sales' }, t('signup.sales')),
        ctl.checkbox({ name: 'has_sales_code', label: L('has_sales_code'), checked: v.has_sales_code === 'true', onchange: updateSales }),
        ctl.text({ name: 'sales_code', label: L('sales_code'), required: true, value: v.sales_code, maxlength: limits.sales_code_length, when: hasSales,
          hint: t('signup.hint.sales_code', { n: limits.sales_code_length }), check: all(rules.required('sales_code'), rules.salesCode()) })));
    const button = h('button', { type: 'submit' }, t('signup.submit'));
    form.append(h('div', { class: 'actions' }, button));
    updatePlan(); updateAuth(); updateSales();


    ctl.keepTyped(state.values);   // for a re-render in the other language

    ctl.onSubmit(button, messages, async () => {
      const text = (name: string) => ctl.value(name).trim();
      const body: Record<string, unknown> = {
        contractor_name: text('contractor_name'), industry: ctl.value('industry'), phone: text('phone'),
        department: text('department'), person: text('person'), email: text('email'), opid: text('opid'),
        an: text('an'), dn: text('dn'), plan: ctl.value('plan'), password: ctl.value('password'),
        auth_method: ctl.value('auth_method'), has_sales_code: hasSales(),
      };
      if (isStandard()) { body.billing_an = text('billing_an'); body.billing_phone = text('billing_phone'); }
      if (hasSales()) body.sales_code = text('sales_code');
      await api('POST', '/api/signup', body);
      state.done = text('email');
      state.values = {};
      main.replaceChildren(doneView(state.done));
      (main.querySelector('#signup-done-title') as HTMLElement).focus();
    });

    main.append(form,
      h('p', { class: 'muted' }, t('signup.have_id'), ' ', h('a', { href: '/login' }, t('signup.login_link'))));
  }

  const element = publicFrame(
    h('h1', {}, t('signup.title')),
    h('p', {}, t('signup.lead')),
    state.done ? '' : h('p', { class: 'muted small' }, t('signup.required_note')),
    messages,
    main);
  return { title: t('signup.title'), element, dispose };
}, { session: false });
