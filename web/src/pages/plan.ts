// /plan (SPEC §6): the current plan, the plans compared, and the change: free → standard with the
// billing AN and phone, standard → free only after ticking what will be deleted. After a change
// the page is built again from a fresh /api/me so the frame shows the new plan.
// ?need=standard: an analysis page sent the user here because the server said plan_required.
// A child ID (SPEC §15) sees the plan and the table, not the change: only the main ID changes it.

import { route, navigate } from '../router';
import { h } from '../dom';
import { t, texts } from '../i18n';
import { api, ApiError } from '../api';
import { appFrame } from '../layout';
import { loadMe, isChild, loginAfterEnd } from '../session';
import { FormController, withBusy, alertBox, show, rules, all, formatAn, pageState } from './forms';
import { planTable } from './plans';
import { problem } from './problem';

texts({
  ja: {
    'planpage.title': 'プラン', 'planpage.current': '現在のプラン', 'planpage.compare': 'プランの比較',
    'planpage.required': 'ご覧になろうとした機能は、スタンダードプランでご利用いただけます。下のフォームからスタンダードプランへ変更できます。',
    'planpage.billing': '請求先: {an} ／ {phone}',
    'planpage.upgrade.title': 'スタンダードプランへの変更',
    'planpage.upgrade.lead': 'いつでも変更でき、これまでのデータはすべて引き継がれます。詳細データは変更した時点から収集されます。',
    'planpage.upgrade.an_hint': 'ご契約のFD/ND番号からお選びください。',
    'planpage.upgrade.submit': 'スタンダードプランに変更する',
    'planpage.downgrade.title': 'フリープランへの変更',
    'planpage.downgrade.lead': 'フリープランに変更すると、次のデータと設定が削除され、元に戻すことはできません。',
    'planpage.downgrade.detailed': '詳細データ（すべて）', 'planpage.downgrade.custom': 'カスタムデータ（編集可能な独自データ、アップロードしたデータ）',
    'planpage.downgrade.groups': 'FD/ND番号グループ・着信先番号グループ', 'planpage.downgrade.children': '子ID（追加のログインID）',
    'planpage.downgrade.basic': '12か月を超える基本データ（当月を含む直近12か月分は残ります）',
    'planpage.downgrade.confirm': '上記のデータと設定が削除されることを確認しました',
    'planpage.downgrade.submit': 'フリープランに変更する',
    'planpage.changed.standard': 'スタンダードプランに変更しました。詳細データは本日から収集されます。',
    'planpage.changed.free': 'フリープランに変更しました。',
    'planpage.child': 'プランの変更は、メインIDのみが行えます。変更が必要な場合は、メインIDの管理者にご依頼ください。',
  },
  en: {
    'planpage.title': 'Plan', 'planpage.current': 'Current plan', 'planpage.compare': 'Plans compared',
    'planpage.required': 'The feature you opened is part of the standard plan. You can change to the standard plan with the form below.',
    'planpage.billing': 'Billing: {an} / {phone}',
    'planpage.upgrade.title': 'Change to the standard plan',
    'planpage.upgrade.lead': 'You can change at any time; all your data is kept. Detailed data is collected from the change on.',
    'planpage.upgrade.an_hint': 'One of the FD/ND numbers of your contract.',
    'planpage.upgrade.submit': 'Change to the standard plan',
    'planpage.downgrade.title': 'Change to the free plan',
    'planpage.downgrade.lead': 'Changing to the free plan deletes the following data and settings. This cannot be undone.',
    'planpage.downgrade.detailed': 'All detailed data', 'planpage.downgrade.custom': 'Custom data (your own editable and uploaded data)',
    'planpage.downgrade.groups': 'FD/ND number groups and destination number groups', 'planpage.downgrade.children': 'Child IDs (extra logins)',
    'planpage.downgrade.basic': 'Basic data older than 12 months (the latest 12 months, this month included, are kept)',
    'planpage.downgrade.confirm': 'I understand that the data and settings above will be deleted',
    'planpage.downgrade.submit': 'Change to the free plan',
    'planpage.changed.standard': 'Your plan is now the standard plan. Detailed data is collected from today.',
    'planpage.changed.free': 'Your plan is now the free plan.',
    'planpage.child': 'Only the main ID can change the plan. Please ask the administrator of the main ID if a change is needed.',
  },
});

// The plan a change just reached, shown once on the page built after it.
let justChanged: 'free' | 'standard' | null = null;

// What was typed in the upgrade form, kept across a language switch.
const planState = pageState<{ values: Record<string, string> }>(() => ({ values: {} }));

route('/plan', async ({ query }) => {
  // Fresh from the server: the plan may have changed, and the session may have ended.
  const me = await loadMe(true);
  if (!me) return loginAfterEnd('/plan');
  const { state, dispose } = planState.enter();
  const changed = justChanged;
  justChanged = null;
  const messages = h('div', { class: 'messages', id: 'plan-messages' });

  const afterChange = async (plan: 'free' | 'standard') => {
    // The change is made: a failure to read the account now is for the page built next to show.
    await loadMe(true).catch(() => null);
    justChanged = plan;
    navigate('/plan', { replace: true });
  };

  const current = h('section', { class: 'card', 'aria-labelledby': 'plan-current' },
    h('h2', { id: 'plan-current' }, t('planpage.current')),
    h('p', { class: 'current-plan-name', id: 'current-plan', 'data-plan': me.plan }, t(`aplan.${me.plan}`)),
    me.plan === 'standard' && me.billing_an
      ? h('p', { class: 'muted small' }, t('planpage.billing', { an: formatAn(me.billing_an), phone: me.billing_phone ?? '' })) : null);

  let change: HTMLElement;
  if (isChild(me)) {
    change = alertBox('info', { id: 'plan-child-note' }, t('planpage.child'));
  } else if (me.plan === 'free') {
    const form = h('form', { id: 'plan-upgrade-form', class: 'card', 'aria-labelledby': 'plan-upgrade-title' });
    const ctl = new FormController(form);
    const button = h('button', { type: 'submit' }, t('planpage.upgrade.submit'));
    form.append(
      h('h2', { id: 'plan-upgrade-title' }, t('planpage.upgrade.title')),
      h('p', {}, t('planpage.upgrade.lead')),
      ctl.summary,
      ctl.select({ name: 'billing_an', label: t('af.billing_an'), required: true, value: state.values.billing_an ?? me.ans[0] ?? '',
        hint: t('planpage.upgrade.an_hint'),
        choices: me.ans.map((an) => ({ value: an, label: formatAn(an) })), check: rules.selected('billing_an') }),
      ctl.text({ name: 'billing_phone', label: t('af.billing_phone'), type: 'tel', required: true, autocomplete: 'tel', value: state.values.billing_phone,
        hint: t('ahint.phone'), check: all(rules.required('billing_phone'), rules.phone('billing_phone')) }),
      h('div', { class: 'actions' }, button));
    ctl.keepTyped(state.values);
    ctl.onSubmit(button, messages, async () => {
      await api('POST', '/api/plan', { plan: 'standard', billing_an: ctl.value('billing_an'), billing_phone: ctl.value('billing_phone').trim() });
      await afterChange('standard');
    });
    change = form;
  } else {
    const box = h('input', { type: 'checkbox', id: 'plan-downgrade-confirm', name: 'confirm' });
    const button = h('button', { type: 'button', id: 'plan-downgrade-button', class: 'danger', disabled: true }, t('planpage.downgrade.submit'));
    box.addEventListener('change', () => { button.disabled = !box.checked; });
    button.addEventListener('click', () => {
      if (!box.checked) return;
      void withBusy(button, async () => {
        try {
          await api('POST', '/api/plan', { plan: 'free', confirm: true });
          await afterChange('free');
        } catch (error) {
          show(messages, error instanceof ApiError && error.status === 422 && error.errors.length
            ? alertBox('error', {}, ...error.errors.map((e) => h('p', {}, e.message))) : problem(error));
        }
      }).then(() => { button.disabled = !box.checked; });
    });
    change = h('section', { id: 'plan-downgrade', class: 'card danger-zone', 'aria-labelledby': 'plan-downgrade-title' },
      h('h2', { id: 'plan-downgrade-title' }, t('planpage.downgrade.title')),
      h('p', {}, t('planpage.downgrade.lead')),
      h('ul', { class: 'removed-list' },
        h('li', {}, t('planpage.downgrade.detailed')), h('li', {}, t('planpage.downgrade.custom')),
        h('li', {}, t('planpage.downgrade.groups')), h('li', {}, t('planpage.downgrade.children')),
        h('li', {}, t('planpage.downgrade.basic'))),
      h('div', { class: 'field checkbox-field' }, h('label', { for: box.id, class: 'checkbox-label' }, box, h('span', {}, t('planpage.downgrade.confirm')))),
      h('div', { class: 'actions' }, button));
  }

  const element = appFrame('/plan',
    h('h1', {}, t('planpage.title')),
    query.get('need') === 'standard' && me.plan === 'free' ? alertBox('info', { id: 'plan-required' }, t('planpage.required')) : '',
    changed ? alertBox('ok', { id: 'plan-changed' }, t(`planpage.changed.${changed}`)) : '',
    messages,
    current,
    h('section', { class: 'card', 'aria-labelledby': 'plan-compare' },
      h('h2', { id: 'plan-compare' }, t('planpage.compare')), planTable(me.plan)),
    change);
  return { title: t('planpage.title'), element, dispose };
}, { session: true });
