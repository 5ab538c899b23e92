// /users (SPEC §15 "Child IDs", standard plan): the main ID's child IDs (子ID) — extra logins of
// the same account for colleagues, who read its analyses, groups, custom data and plan but change
// none of them, optionally limited to the ANs of some AN groups. Listed with their ID, person,
// address, auth method, the AN groups they are limited to (by name; a group deleted since is named
// as such), whether they are disabled, and their creation day; created (the password by the
// account's rule, sent by no mail: the main ID hands it over), edited (person, address, AN groups),
// disabled and enabled again (disabling ends the child's session at once), deleted after a
// confirmation. The server's 422 errors show at their fields and in a summary that takes focus.
// A free account sees what child IDs are and the way to the standard plan, and a child ID an
// explanation, both without a request. What was typed in an open editor (never a password)
// survives a language switch, in memory only. Loaded only when opened.

import { h, clear, uid } from '../dom';
import { t, texts, lang } from '../i18n';
import { api, ApiError, type FieldError } from '../api';
import type { Page } from '../router';
import { appFrame } from '../layout';
import { currentMe, isChild } from '../session';
import { listGroups, type Group } from '../groups';
import { FormController, alertBox, show, message, withBusy, pageState, rules, all, limits, formatDate } from './forms';
import { problem } from './problem';

texts({
  ja: {
    'users.title': '子ID',
    'users.lead': '子IDは、この契約の分析をほかの方にも見ていただくための追加のログインIDです。子IDでは、分析・グループ・独自データ・プランを閲覧できますが、変更はできません。FD/ND番号グループを指定すると、そのグループの番号の分析だけを閲覧できるようにできます。',
    'users.list.title': '発行済みの子ID',
    'users.none': 'まだ子IDはありません。',
    'users.count': '{n}件',
    'users.disable_note': '利用停止にすると、その子IDはログイン中でもすぐにログアウトされ、利用を再開するまでログインできません。',
    'users.status.active': '利用中', 'users.status.disabled': '利用停止中',
    'users.col.email': 'メールアドレス', 'users.col.auth': '認証方式', 'users.col.groups': '閲覧できる範囲', 'users.col.created': '作成日',
    'users.all_ans': 'すべてのFD/ND番号', 'users.deleted_group': '削除されたグループ（{id}）',
    'users.edit': '編集', 'users.disable': '利用停止', 'users.enable': '利用再開', 'users.delete': '削除',
    'users.edit_label': '{id}（{person}）を編集', 'users.disable_label': '{id}（{person}）を利用停止',
    'users.enable_label': '{id}（{person}）の利用を再開', 'users.delete_label': '{id}（{person}）を削除',
    'users.disable_confirm': '{id}（{person}）を利用停止にしますか？この子IDがログイン中の場合は、すぐにログアウトされます。利用を再開するまでログインできません。',
    'users.disable_yes': '利用停止にする',
    'users.delete_confirm': '{id}（{person}）を削除しますか？この子IDがログイン中の場合は、すぐにログアウトされます。元に戻すことはできません。',
    'users.delete_yes': '削除する', 'users.cancel': 'キャンセル',
    'users.disabled_done': '{id}（{person}）を利用停止にしました。ログイン中だった場合も、すでにログアウトされています。',
    'users.enabled_done': '{id}（{person}）の利用を再開しました。これまでのパスワードでログインできます。',
    'users.deleted': '子ID {id}（{person}）を削除しました。',
    'users.gone': 'この子IDはすでに削除されています。一覧を更新しました。',
    'users.new': '子IDを作成',
    'users.create_title': '子IDの作成', 'users.edit_title': '{id}（{person}）の編集',
    'users.person_hint': '子IDを使う方のお名前です（{max}文字まで）。',
    'users.email_hint': 'ご利用開始のお知らせと、ログインのワンタイムパスワードの送信先です。',
    'users.password_hand_over': 'このパスワードはメールでは送られません。作成したあと、メインIDの管理者からご本人に直接お伝えください。',
    'users.cert_child': '子IDの認証方式はワンタイムパスワードのみです。',
    'users.auth_fixed': '認証方式: {method}',
    'users.groups': '閲覧できるFD/ND番号グループ',
    'users.groups_hint': '選んだグループのFD/ND番号の分析だけを閲覧できます。何も選ばないと、すべてのFD/ND番号を閲覧できます。',
    'users.groups_none': 'FD/ND番号グループはまだありません。閲覧できる番号を限るには、先に',
    'users.groups_none_link': 'グループ', 'users.groups_none_end': 'を作成してください。限らない場合は、このまま作成できます。',
    'users.groups_count': '{n}番号',
    'users.groups_deleted': '削除されたグループが指定されています（{ids}）。そのグループでは何も表示されません。グループの選択を変えて保存すると、この指定は外れます。',
    'users.create': '作成する', 'users.save': '保存する',
    'users.created': '子ID {id}（{person}）を作成しました。',
    'users.created_mail': '{email} に「ご利用開始のお知らせ」を送信しました。メールには CX Support ID とログインURLが記載されていますが、パスワードは記載されていません。',
    'users.created_password': '設定したパスワードは、メインIDの管理者からご本人に直接お伝えください。',
    'users.saved': '{id}（{person}）を保存しました。', 'users.unchanged': '変更はありません。',
    'users.child.title': 'メインIDのみが使える画面です',
    'users.child.body': '子IDの作成・変更・削除は、この契約のメインIDのみが行えます。子IDが必要な場合や、閲覧できる範囲を変えたい場合は、メインIDの管理者にご依頼ください。',
    'users.offer.title': 'スタンダードプランの機能です',
    'users.offer.body': '子IDを使うと、同じ契約の分析を、担当者ごとのログインIDで閲覧していただけます（最大50件）。子IDは分析・グループ・独自データを閲覧でき、変更はできません。FD/ND番号グループを指定して、閲覧できる番号を限ることもできます。子IDはスタンダードプランでご利用いただけます。',
    'users.offer.more': 'スタンダードプランでは、詳細データ（8種類の分析）、AN・DN グループ、独自データもご利用いただけます。データはそのまま引き継がれます。',
    'users.offer.button': 'スタンダードプランを申し込む',
  },
  en: {
    'users.title': 'Child IDs',
    'users.lead': 'Child IDs are extra logins for colleagues who look at this account\'s analyses. A child ID reads the analyses, groups, custom data and plan, and changes none of them. Limited to some AN groups, it sees only the analyses of those groups\' numbers.',
    'users.list.title': 'Your child IDs',
    'users.none': 'No child IDs yet.',
    'users.count': '{n} child IDs', 'users.count_one': '1 child ID',
    'users.disable_note': 'A disabled child ID is logged out at once, even in the middle of its work, and cannot log in until it is enabled again.',
    'users.status.active': 'Active', 'users.status.disabled': 'Disabled',
    'users.col.email': 'Email address', 'users.col.auth': 'Authentication', 'users.col.groups': 'What it sees', 'users.col.created': 'Created',
    'users.all_ans': 'Every FD/ND number', 'users.deleted_group': 'a deleted group ({id})',
    'users.edit': 'Edit', 'users.disable': 'Disable', 'users.enable': 'Enable', 'users.delete': 'Delete',
    'users.edit_label': 'Edit {id} ({person})', 'users.disable_label': 'Disable {id} ({person})',
    'users.enable_label': 'Enable {id} ({person})', 'users.delete_label': 'Delete {id} ({person})',
    'users.disable_confirm': 'Disable {id} ({person})? If it is logged in, it is logged out at once, and it cannot log in until it is enabled again.',
    'users.disable_yes': 'Disable',
    'users.delete_confirm': 'Delete {id} ({person})? If it is logged in, it is logged out at once. This cannot be undone.',
    'users.delete_yes': 'Delete', 'users.cancel': 'Cancel',
    'users.disabled_done': '{id} ({person}) has been disabled. Had it been logged in, it has been logged out.',
    'users.enabled_done': '{id} ({person}) has been enabled again. It logs in with its password as before.',
    'users.deleted': 'The child ID {id} ({person}) has been deleted.',
    'users.gone': 'This child ID had already been deleted. The list is up to date again.',
    'users.new': 'New child ID',
    'users.create_title': 'New child ID', 'users.edit_title': 'Edit {id} ({person})',
    'users.person_hint': 'The name of the person who will use it (at most {max} characters).',
    'users.email_hint': 'The notice of the new ID and the one-time passwords of its logins are sent here.',
    'users.password_hand_over': 'This password is sent by no mail: once the ID is created, the main ID\'s administrator hands it over in person.',
    'users.cert_child': 'A child ID logs in with one-time passwords only.',
    'users.auth_fixed': 'Authentication: {method}',
    'users.groups': 'AN groups it may see',
    'users.groups_hint': 'It sees the analyses of the FD/ND numbers of the chosen groups only. With none chosen it sees every FD/ND number.',
    'users.groups_none': 'There are no AN groups yet. To limit the numbers it sees, first create',
    'users.groups_none_link': 'groups', 'users.groups_none_end': '. Without a limit, you can create it now.',
    'users.groups_count': '{n} numbers',
    'users.groups_deleted': 'It is limited to a deleted group ({ids}), which shows nothing. Saving a new choice of groups drops it.',
    'users.create': 'Create', 'users.save': 'Save',
    'users.created': 'The child ID {id} ({person}) has been created.',
    'users.created_mail': 'A notice has been mailed to {email}. It holds the CX Support ID and the login URL, but not the password.',
    'users.created_password': 'The main ID\'s administrator hands the password over in person.',
    'users.saved': '{id} ({person}) has been saved.', 'users.unchanged': 'Nothing has changed.',
    'users.child.title': 'Only the main ID uses this page',
    'users.child.body': 'Only the account\'s main ID creates, changes and deletes child IDs. Please ask the administrator of the main ID for a child ID or for a change of what one may see.',
    'users.offer.title': 'A standard-plan feature',
    'users.offer.body': 'Child IDs let colleagues look at the account\'s analyses under logins of their own (up to 50). A child ID reads the analyses, groups and custom data and changes none of them; it can be limited to the numbers of some AN groups. Child IDs are part of the standard plan.',
    'users.offer.more': 'The standard plan also adds the detailed data (8 analyses), AN and DN groups and custom data. Your data is kept.',
    'users.offer.button': 'Upgrade to the standard plan',
  },
});

// One child ID as GET /api/users lists it.
export interface ChildUser {
  id: string; email: string; person: string; auth_method: 'otp' | 'certificate';
  an_groups: string[]; disabled: boolean; created: string;
}

// The open editor: a new child (id null) or one being edited, and what is typed so far (never the
// password).
interface EditorState { id: string | null; values: Record<string, string>; groups: string[] }

const usersState = pageState<{ editor: EditorState | null }>(() => ({ editor: null }));

const countText = (n: number) => (n === 1 && lang() === 'en' ? t('users.count_one') : t('users.count', { n }));
const same = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

// The server may name one field's problem twice (a required field is also checked by the
// settings rules); each message is shown once.
function unique(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => { const k = `${e.field}\u0000${e.code}\u0000${e.message}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

function planOffer(): HTMLElement {
  return h('section', { id: 'plan-offer', class: 'card plan-offer', 'aria-labelledby': 'plan-offer-title' },
    h('h2', { id: 'plan-offer-title' }, t('users.offer.title'), ' ', h('span', { class: 'badge' }, t('nav.standard'))),
    h('p', {}, t('users.offer.body')),
    h('p', { class: 'muted small' }, t('users.offer.more')),
    h('p', {}, h('a', { class: 'button', href: '/plan?need=standard', id: 'plan-offer-link' }, t('users.offer.button'))));
}

function childNote(): HTMLElement {
  return h('section', { id: 'users-child-note', class: 'card', 'aria-labelledby': 'users-child-title' },
    h('h2', { id: 'users-child-title' }, t('users.child.title')),
    h('p', {}, t('users.child.body')));
}

export async function usersPage(): Promise<Page> {
  const me = currentMe();
  const title = t('users.title');
  const heading = [h('h1', {}, title), h('p', { class: 'muted lead' }, t('users.lead'))];
  if (isChild(me)) return { title, element: appFrame('/users', ...heading, childNote()) };
  if (me?.plan !== 'standard') return { title, element: appFrame('/users', ...heading, planOffer()) };

  let users: ChildUser[];
  // The account's AN groups, to name a child's limit and to choose it; without them (a failure
  // that is not the plan's) the limit shows as group IDs and offers nothing to choose.
  let groups: Group[] | null;
  try {
    [users, groups] = await Promise.all([
      api<{ users: ChildUser[] }>('GET', '/api/users').then((a) => a.users),
      listGroups('an').catch((e) => { if (e instanceof ApiError && e.status === 403) throw e; return null; }),
    ]);
  } catch (e) {
    // The plan changed elsewhere meanwhile: the same offer as for a free account.
    if (e instanceof ApiError && e.code === 'plan_required') return { title, element: appFrame('/users', ...heading, planOffer()) };
    if (e instanceof ApiError && e.code === 'forbidden_role') return { title, element: appFrame('/users', ...heading, childNote()) };
    throw e;
  }

  const { state, dispose } = usersState.enter();
  const messages = h('div', { class: 'messages', id: 'users-messages' });
  const say = (kind: 'ok' | 'error', content: string | Node, ...more: string[]) => show(messages, typeof content === 'string'
    ? alertBox(kind, { id: 'users-status' }, ...(more.length ? [content, ...more].map((p) => h('p', {}, p)) : [content]))
    : content);
  const sayProblem = (e: unknown) => say('error', problem(e));

  const listWrap = h('div', { class: 'user-list-wrap' });
  const countLine = h('p', { class: 'muted small user-count', id: 'users-count' });
  const createSlot = h('div', { class: 'user-editor', id: 'user-create' });
  const listHeading = h('h2', { id: 'users-list-title', tabindex: '-1' }, t('users.list.title'));
  const newButton = h('button', { type: 'button', id: 'new-user',
    onclick: () => openEditor({ id: null, values: {}, groups: [] }) }, t('users.new'));
  // Where the open editor sits (the create slot, or the slot of the child being edited).
  let editorSlot: HTMLElement | null = null;
  const editorSlots = new Map<string, HTMLElement>();

  const groupName = (id: string) => groups?.find((g) => g.id === id)?.name ?? null;
  const known = (id: string) => !groups || groups.some((g) => g.id === id);

  async function reload(): Promise<void> {
    users = (await api<{ users: ChildUser[] }>('GET', '/api/users')).users;
    groups = await listGroups('an').catch(() => groups);
    renderList();
  }

  function closeEditor(): void {
    state.editor = null;
    if (editorSlot) clear(editorSlot);
    editorSlot = null;
    newButton.classList.remove('hidden');
  }

  const itemOf = (id: string) => listWrap.querySelector<HTMLElement>(`li[data-user-id="${id}"]`);

  // ------------------------------------------------------------------------------------------
  // The list: ID, person, state, address, auth method, the AN groups it sees, creation day.

  function limitText(u: ChildUser): Node {
    if (!u.an_groups.length) return h('span', { class: 'user-all-ans' }, t('users.all_ans'));
    return h('span', { class: 'user-groups' }, ...u.an_groups.flatMap((id, i) => {
      const name = groupName(id);
      const part = name !== null || !groups
        ? h('span', { class: 'user-group', 'data-group-id': id }, name ?? id)
        : h('span', { class: 'user-group deleted-group', 'data-group-id': id, 'data-deleted': 'true' }, t('users.deleted_group', { id }));
      return i ? [lang() === 'ja' ? '、' : ', ', part] : [part];
    }));
  }

  function renderList(): void {
    clear(listWrap);
    editorSlots.clear();
    // An editor of a child sat in the list drawn before: it is gone with it.
    if (state.editor?.id) closeEditor();
    countLine.textContent = users.length ? countText(users.length) : '';
    if (!users.length) { listWrap.appendChild(h('p', { class: 'muted users-empty' }, t('users.none'))); return; }
    listWrap.appendChild(h('ul', { class: 'user-list' }, ...users.map((u) => {
      const confirmSlot = h('div', { class: 'user-confirm' });
      const slot = h('div', { class: 'user-editor' });
      editorSlots.set(u.id, slot);
      const names = { id: u.id, person: u.person };
      const toggle = u.disabled
        ? h('button', { type: 'button', class: 'secondary small-button', 'data-action': 'enable', 'aria-label': t('users.enable_label', names) }, t('users.enable'))
        : h('button', { type: 'button', class: 'secondary small-button', 'data-action': 'disable', 'aria-label': t('users.disable_label', names),
          onclick: () => askDisable(u, confirmSlot) }, t('users.disable'));
      if (u.disabled) toggle.addEventListener('click', () => void withBusy(toggle, () => setDisabled(u, false)));
      const row = (label: string, cls: string, value: Node | string, attrs: Record<string, string> = {}) =>
        [h('dt', {}, label), h('dd', { class: cls, ...attrs }, value)];
      return h('li', { class: `user-item${u.disabled ? ' user-disabled' : ''}`, 'data-user-id': u.id, 'data-disabled': String(u.disabled) },
        h('div', { class: 'user-head' },
          h('strong', { class: 'user-id' }, u.id), ' ',
          h('span', { class: 'user-person' }, u.person), ' ',
          h('span', { class: `user-status ${u.disabled ? 'status-disabled' : 'status-active'}`, 'data-disabled': String(u.disabled) },
            t(u.disabled ? 'users.status.disabled' : 'users.status.active'))),
        h('dl', { class: 'summary user-details' },
          ...row(t('users.col.email'), 'user-email', u.email),
          ...row(t('users.col.auth'), 'user-auth', t(`aauth.${u.auth_method}`), { 'data-auth': u.auth_method }),
          ...row(t('users.col.groups'), 'user-limit', limitText(u)),
          ...row(t('users.col.created'), 'user-created', formatDate(u.created), { 'data-created': u.created })),
        h('div', { class: 'user-actions' },
          h('button', { type: 'button', class: 'secondary small-button', 'data-action': 'edit', 'aria-label': t('users.edit_label', names),
            onclick: () => openEditor({ id: u.id, values: { person: u.person, email: u.email }, groups: [...u.an_groups] }) }, t('users.edit')),
          toggle,
          h('button', { type: 'button', class: 'secondary small-button', 'data-action': 'delete', 'aria-label': t('users.delete_label', names),
            onclick: () => askDelete(u, confirmSlot) }, t('users.delete'))),
        confirmSlot, slot);
    })));
  }

  // A child the server no longer has (deleted elsewhere): said, and the list fetched again.
  async function gone(): Promise<void> {
    closeEditor();
    say('ok', t('users.gone'));
    await reload().catch(sayProblem);
    listHeading.focus();
  }

  // A second, explicit yes shown at the child, for what ends its session.
  function confirmAt(slot: HTMLElement, text: string, yesLabel: string, yesAction: string, run: () => Promise<void>): void {
    clear(slot);
    const textId = uid('user-confirm');
    const yes = h('button', { type: 'button', class: 'danger', 'data-action': yesAction }, yesLabel);
    yes.addEventListener('click', () => void withBusy(yes, run));
    slot.appendChild(h('div', { class: 'alert warn', role: 'alertdialog', 'aria-labelledby': textId },
      h('p', { id: textId }, text),
      h('div', { class: 'actions' }, yes,
        h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => clear(slot) }, t('users.cancel')))));
    yes.focus();
  }

  async function setDisabled(u: ChildUser, disabled: boolean): Promise<void> {
    try {
      await api('PATCH', `/api/users/${u.id}`, { disabled });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) { await gone(); return; }
      sayProblem(e);
      return;
    }
    say('ok', t(disabled ? 'users.disabled_done' : 'users.enabled_done', { id: u.id, person: u.person }));
    await reload().catch(sayProblem);
    itemOf(u.id)?.querySelector<HTMLElement>(`[data-action="${disabled ? 'enable' : 'disable'}"]`)?.focus();
  }

  function askDisable(u: ChildUser, slot: HTMLElement): void {
    confirmAt(slot, t('users.disable_confirm', { id: u.id, person: u.person }), t('users.disable_yes'), 'confirm-disable', () => setDisabled(u, true));
  }

  function askDelete(u: ChildUser, slot: HTMLElement): void {
    confirmAt(slot, t('users.delete_confirm', { id: u.id, person: u.person }), t('users.delete_yes'), 'confirm-delete', async () => {
      try {
        await api('DELETE', `/api/users/${u.id}`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) { await gone(); return; }
        sayProblem(e);
        return;
      }
      if (state.editor?.id === u.id) closeEditor();
      say('ok', t('users.deleted', { id: u.id, person: u.person }));
      await reload().catch(sayProblem);
      listHeading.focus();
    });
  }

  // ------------------------------------------------------------------------------------------
  // The editor: a new child (person, email, password, auth method, AN groups) or an existing one
  // (person, email, AN groups).

  // The AN groups it may see: ticks of the account's groups. Groups the child is limited to that
  // no longer exist are named; they stay as long as the choice of groups is not changed.
  function groupsField(ctl: FormController, ed: EditorState, original: string[]): { field: HTMLElement; chosen: () => string[] } {
    const boxes: HTMLInputElement[] = [];
    const body: Node[] = [];
    if (groups && groups.length) {
      body.push(h('div', { class: 'choices user-group-choices' }, ...groups.map((g) => {
        const box = h('input', { type: 'checkbox', name: 'an_group', value: g.id });
        box.checked = ed.groups.includes(g.id);
        box.addEventListener('change', () => { ed.groups = boxes.filter((b) => b.checked).map((b) => b.value); });
        boxes.push(box);
        return h('label', {}, box, g.name, ' ', h('span', { class: 'muted small' }, `(${t('users.groups_count', { n: g.members.length })})`));
      })));
    } else {
      body.push(h('p', { class: 'muted small user-groups-none' }, t('users.groups_none'), ' ',
        h('a', { href: '/groups' }, t('users.groups_none_link')), t('users.groups_none_end')));
    }
    const deleted = original.filter((id) => !known(id));
    if (deleted.length) {
      body.push(h('p', { class: 'alert warn small user-groups-deleted' }, t('users.groups_deleted', { ids: deleted.join(', ') })));
    }
    const field = ctl.custom({ name: 'an_groups', label: t('users.groups'), hint: t('users.groups_hint'), controls: boxes, body,
      read: () => boxes.filter((b) => b.checked).map((b) => b.value).join(',') });
    return { field, chosen: () => boxes.filter((b) => b.checked).map((b) => b.value) };
  }

  function openEditor(ed: EditorState): void {
    closeEditor();
    const editing = ed.id !== null;
    const user = editing ? users.find((u) => u.id === ed.id) : undefined;
    if (editing && !user) return;
    const slot = editing ? editorSlots.get(ed.id!)! : createSlot;
    state.editor = ed;
    editorSlot = slot;
    newButton.classList.add('hidden');

    const form = h('form', { id: editing ? 'user-edit-form' : 'user-form', class: 'user-form', 'data-user-id': ed.id ?? '' });
    const ctl = new FormController(form, editing ? 'edit-' : 'new-');
    const titleId = uid('user-form');
    form.setAttribute('aria-labelledby', titleId);
    const v = ed.values;

    const fields: Node[] = [
      ctl.text({ name: 'person', label: t('af.person'), required: true, value: v.person ?? '', autocomplete: 'off', maxlength: limits.text_max,
        hint: t('users.person_hint', { max: limits.text_max }), check: all(rules.required('person'), rules.noControl('person'), rules.maxLength('person')) }),
      ctl.text({ name: 'email', label: t('af.email'), type: 'email', required: true, value: v.email ?? '', autocomplete: 'off', maxlength: limits.email_max,
        hint: t('users.email_hint'), check: all(rules.required('email'), rules.email()) }),
    ];
    if (!editing) {
      const [password, confirm] = ctl.newPassword(t('af.password'), t('af.password_confirm'));
      // Said beside the password, and read with it: no mail carries it.
      const noteId = uid('password-note');
      password.insertBefore(h('p', { class: 'hint user-password-note', id: noteId }, t('users.password_hand_over')), password.querySelector('.field-error'));
      const input = password.querySelector('input');
      input?.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') ?? ''} ${noteId}`.trim());
      const auth = ctl.radios({ name: 'auth_method', label: t('af.auth_method'), required: true, value: 'otp',
        choices: [{ value: 'otp', label: t('aauth.otp') }, { value: 'certificate', label: t('aauth.certificate'), hint: t('users.cert_child') }],
        check: rules.selected('auth_method') });
      const cert = auth.querySelector<HTMLInputElement>('input[value="certificate"]');
      if (cert) { cert.disabled = true; cert.closest('label')?.classList.add('disabled-choice'); }
      fields.push(password, confirm, auth);
    } else {
      fields.push(h('p', { class: 'small muted user-auth-fixed' }, t('users.auth_fixed', { method: t(`aauth.${user!.auth_method}`) })));
    }
    const original = user?.an_groups ?? [];
    const groupPick = groupsField(ctl, ed, original);
    fields.push(groupPick.field);
    ctl.keepTyped(v);

    const submit = h('button', { type: 'submit' }, editing ? t('users.save') : t('users.create'));
    const formMessages = h('div', { class: 'messages' });
    form.append(
      h('h3', { id: titleId, tabindex: '-1' }, editing ? t('users.edit_title', { id: user!.id, person: user!.person }) : t('users.create_title')),
      ctl.summary, formMessages, ...fields,
      h('div', { class: 'actions' }, submit,
        h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel-edit', onclick: () => {
          closeEditor();
          (editing ? itemOf(ed.id!)?.querySelector<HTMLElement>('[data-action="edit"]') : newButton)?.focus();
        } }, t('users.cancel'))));

    ctl.onSubmit(submit, formMessages, async () => {
      const person = ctl.value('person').trim();
      const email = ctl.value('email').trim();
      const chosen = groupPick.chosen();
      try {
        if (!editing) {
          const body: Record<string, unknown> = { password: ctl.value('password'), email, person, auth_method: ctl.value('auth_method') };
          if (chosen.length) body.an_groups = chosen;
          const created = await api<{ id: string }>('POST', '/api/users', body);
          closeEditor();
          say('ok', t('users.created', { id: created.id, person }), t('users.created_mail', { email }), t('users.created_password'));
          await reload().catch(sayProblem);
          itemOf(created.id)?.querySelector<HTMLElement>('[data-action="edit"]')?.focus();
          return;
        }
        // Only what changed is sent; the AN groups only when the choice changed (a deleted group
        // in the limit then goes).
        const body: Record<string, unknown> = {};
        if (person !== user!.person) body.person = person;
        if (email !== user!.email) body.email = email;
        if (!same(chosen, original.filter(known))) body.an_groups = chosen;
        if (!Object.keys(body).length) { ctl.clearErrors(); show(formMessages, alertBox('info', {}, t('users.unchanged'))); return; }
        await api<ChildUser>('PATCH', `/api/users/${user!.id}`, body);
        closeEditor();
        say('ok', t('users.saved', { id: user!.id, person }));
        await reload().catch(sayProblem);
        itemOf(user!.id)?.querySelector<HTMLElement>('[data-action="edit"]')?.focus();
      } catch (e) {
        if (editing && e instanceof ApiError && e.status === 404) { await gone(); return; }
        if (e instanceof ApiError) e.errors = unique(e.errors);
        throw e;
      }
    });
    slot.appendChild(form);
    (form.querySelector(`#${titleId}`) as HTMLElement | null)?.focus();
  }

  // An editor open before a language switch is opened again below, with what was typed.
  const pending = state.editor;
  state.editor = null;
  renderList();
  const element = appFrame('/users', ...heading, messages,
    h('section', { class: 'card users', id: 'users-list', 'aria-labelledby': 'users-list-title' },
      listHeading, countLine,
      h('p', { class: 'muted small', id: 'users-disable-note' }, t('users.disable_note')),
      listWrap,
      h('div', { class: 'actions' }, newButton),
      h('p', { class: 'muted small', id: 'users-limit' }, message('users.', 'too_many')),
      createSlot));
  if (pending) openEditor(pending);
  return { title, element, dispose };
}
