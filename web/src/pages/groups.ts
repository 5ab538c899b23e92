// /groups (SPEC §15, standard plan): the account's AN groups and DN groups, each listed with its
// members, created, edited and deleted here (/api/groups/{an|dn}). The editor picks members from
// the account's own numbers — the ANs of GET /api/me; for DNs the DNs of GET /api/me and those
// already in DN groups, and others may be typed or pasted — with a search box that narrows the list and a box that takes a pasted list. The
// server's 422 errors show at their fields and in a summary that takes focus. A free account sees
// what groups are and the way to the standard plan, without a request. A child ID (SPEC §15) sees
// the groups read-only: no create, edit or delete, and a note that only the main ID changes them.
// What was typed in an open editor survives a language switch, in memory only.

import { route } from '../router';
import { h, clear, uid } from '../dom';
import { t, texts, lang } from '../i18n';
import { api, ApiError } from '../api';
import { appFrame } from '../layout';
import { currentMe, isChild } from '../session';
import { listGroups, splitNumbers, GROUP_KINDS, type Group, type GroupKind } from '../groups';
import { FormController, alertBox, show, message, withBusy, formatAn, pageState } from './forms';
import { problem } from './problem';

texts({
  ja: {
    'groups.title': 'グループ',
    'groups.lead': 'よく一緒に見る番号をグループにまとめておくと、分析の「その他の条件」で一度に選べます。AN グループはFD/ND番号（AN）の、DN グループは着信先番号（DN）のグループです。複数のグループを選ぶと、いずれかのグループに含まれる番号が対象になります。',
    'groups.an.title': 'AN グループ（FD/ND番号）', 'groups.dn.title': 'DN グループ（着信先番号）',
    'groups.an.new': 'AN グループを作成', 'groups.dn.new': 'DN グループを作成',
    'groups.an.create_title': 'AN グループの作成', 'groups.dn.create_title': 'DN グループの作成',
    'groups.edit_title': '「{name}」の編集',
    'groups.none': 'まだグループはありません。',
    'groups.count': '{n}件',
    'groups.edit': '編集', 'groups.delete': '削除',
    'groups.edit_label': '「{name}」を編集', 'groups.delete_label': '「{name}」を削除',
    'groups.confirm': '「{name}」を削除しますか？元に戻すことはできません。このグループを使った分析の条件も使えなくなります。',
    'groups.confirm_yes': '削除する', 'groups.cancel': 'キャンセル',
    'groups.name': 'グループ名', 'groups.name_hint': '分析の条件に表示される名前です。同じ種類のグループで同じ名前は使えません。',
    'groups.an.members': 'FD/ND番号', 'groups.dn.members': '着信先番号',
    'groups.an.members_hint': 'このアカウントのFD/ND番号から選んでください。',
    'groups.dn.members_hint': 'FD/ND番号に登録された着信先番号から選ぶか、下の欄に貼り付けて「追加」を押してください。',
    'groups.search': '番号を検索', 'groups.search_placeholder': '例 0120-111',
    'groups.no_match': '一致する番号はありません。', 'groups.no_numbers': '選べる番号はまだありません。',
    'groups.selected': '{n}件を選択中', 'groups.select_shown': '表示中の番号をすべて選択', 'groups.clear': '選択をすべて外す',
    'groups.paste': '番号をまとめて追加', 'groups.paste_hint': '改行・カンマ・スペースで区切って貼り付けられます（ハイフン可）。',
    'groups.paste_add': '追加',
    'groups.paste_added': '{n}件を追加しました。',
    'groups.create': '作成する', 'groups.save': '保存する',
    'groups.created': 'グループ「{name}」を作成しました。', 'groups.saved': 'グループ「{name}」を保存しました。',
    'groups.deleted': 'グループ「{name}」を削除しました。', 'groups.gone': 'このグループはすでに削除されています。一覧を更新しました。',
    'groups.use': '分析で使う',
    'groups.readonly': 'グループの作成・編集・削除は、メインIDのみが行えます。子IDでは、グループを分析の条件として使えます。',
    'groups.offer.title': 'スタンダードプランの機能です',
    'groups.offer.body': 'グループを使うと、複数のFD/ND番号や着信先番号をまとめて、すべての分析の条件として一度に選べます（例: 「東日本」「西日本」「キャンペーン用」）。グループはスタンダードプランでご利用いただけます。',
    'groups.offer.more': 'スタンダードプランでは、詳細データ（8種類の分析）、独自データ、子IDもご利用いただけます。データはそのまま引き継がれます。',
    'groups.offer.button': 'スタンダードプランを申し込む',
  },
  en: {
    'groups.title': 'Groups',
    'groups.lead': 'Put numbers you look at together into a group, and choose the whole group under "More conditions" of any analysis. AN groups hold FD/ND numbers (AN), DN groups hold destination numbers (DN). With several groups chosen, a number in any of them counts.',
    'groups.an.title': 'AN groups (FD/ND numbers)', 'groups.dn.title': 'DN groups (destination numbers)',
    'groups.an.new': 'New AN group', 'groups.dn.new': 'New DN group',
    'groups.an.create_title': 'New AN group', 'groups.dn.create_title': 'New DN group',
    'groups.edit_title': 'Edit "{name}"',
    'groups.none': 'No groups yet.',
    'groups.count': '{n} numbers', 'groups.count_one': '1 number',
    'groups.edit': 'Edit', 'groups.delete': 'Delete',
    'groups.edit_label': 'Edit "{name}"', 'groups.delete_label': 'Delete "{name}"',
    'groups.confirm': 'Delete "{name}"? This cannot be undone, and analyses can no longer be filtered by it.',
    'groups.confirm_yes': 'Delete', 'groups.cancel': 'Cancel',
    'groups.name': 'Group name', 'groups.name_hint': 'Shown in the analysis filters. Two groups of one kind cannot share a name.',
    'groups.an.members': 'FD/ND numbers', 'groups.dn.members': 'Destination numbers',
    'groups.an.members_hint': 'Choose from the FD/ND numbers of this account.',
    'groups.dn.members_hint': 'Choose from the destination numbers registered to your FD/ND numbers, or paste numbers in the box below and press "Add".',
    'groups.search': 'Search numbers', 'groups.search_placeholder': 'e.g. 0120-111',
    'groups.no_match': 'No number matches.', 'groups.no_numbers': 'No numbers to choose from yet.',
    'groups.selected': '{n} chosen', 'groups.select_shown': 'Choose all shown', 'groups.clear': 'Clear the choice',
    'groups.paste': 'Add a list of numbers', 'groups.paste_hint': 'Separated by new lines, commas or spaces (hyphens allowed).',
    'groups.paste_add': 'Add',
    'groups.paste_added': '{n} added.',
    'groups.create': 'Create', 'groups.save': 'Save',
    'groups.created': 'The group "{name}" has been created.', 'groups.saved': 'The group "{name}" has been saved.',
    'groups.deleted': 'The group "{name}" has been deleted.', 'groups.gone': 'This group had already been deleted. The list is up to date again.',
    'groups.use': 'Use in an analysis',
    'groups.readonly': 'Only the main ID can create, edit or delete groups. A child ID can use them as analysis filters.',
    'groups.offer.title': 'A standard-plan feature',
    'groups.offer.body': 'Groups gather several FD/ND numbers or destination numbers so that any analysis can be filtered by all of them at once (e.g. "East", "West", "Campaign"). Groups are part of the standard plan.',
    'groups.offer.more': 'The standard plan also adds the detailed data (8 analyses), custom data and child IDs. Your data is kept.',
    'groups.offer.button': 'Upgrade to the standard plan',
  },
});

// An open editor: which group (null id = a new one) and what is typed so far.
interface EditorState { kind: GroupKind; id: string | null; name: string; members: string[]; paste: string; search: string }

const groupsState = pageState<{ editor: EditorState | null }>(() => ({ editor: null }));

const digits = (n: string) => n.replace(/-/g, '');
const shown = (kind: GroupKind, n: string) => (kind === 'an' ? formatAn(n) : n);
const countText = (n: number) => (n === 1 && lang() === 'en' ? t('groups.count_one') : t('groups.count', { n }));

function planOffer(): HTMLElement {
  return h('section', { id: 'plan-offer', class: 'card plan-offer', 'aria-labelledby': 'plan-offer-title' },
    h('h2', { id: 'plan-offer-title' }, t('groups.offer.title'), ' ', h('span', { class: 'badge' }, t('nav.standard'))),
    h('p', {}, t('groups.offer.body')),
    h('p', { class: 'muted small' }, t('groups.offer.more')),
    h('p', {}, h('a', { class: 'button', href: '/plan?need=standard', id: 'plan-offer-link' }, t('groups.offer.button'))));
}

route('/groups', async () => {
  const me = currentMe();
  const title = t('groups.title');
  const heading = [h('h1', {}, title), h('p', { class: 'muted lead' }, t('groups.lead'))];
  if (me?.plan !== 'standard') return { title, element: appFrame('/groups', ...heading, planOffer()) };

  const lists: Record<GroupKind, Group[]> = { an: [], dn: [] };
  try {
    [lists.an, lists.dn] = await Promise.all([listGroups('an'), listGroups('dn')]);
  } catch (e) {
    // The plan changed elsewhere meanwhile: the same offer as for a free account.
    if (e instanceof ApiError && e.code === 'plan_required') return { title, element: appFrame('/groups', ...heading, planOffer()) };
    throw e;
  }

  const { state, dispose } = groupsState.enter();
  // A child ID reads the groups; only the main ID changes them.
  const readOnly = isChild(me);
  if (readOnly) state.editor = null;
  const messages = h('div', { class: 'messages', id: 'groups-messages' });
  const sections = {} as Record<GroupKind, { list: HTMLElement; editorSlot: HTMLElement; newButton: HTMLButtonElement; heading: HTMLElement }>;

  const say = (kind: 'ok' | 'error', text: string | Node) => show(messages, typeof text === 'string' ? alertBox(kind, { id: 'groups-status' }, text) : text);

  async function reload(kind: GroupKind): Promise<void> {
    lists[kind] = await listGroups(kind);
    renderList(kind);
  }

  function closeEditor(): void {
    if (!state.editor) return;
    const kind = state.editor.kind;
    state.editor = null;
    clear(sections[kind].editorSlot);
    sections[kind].newButton.classList.remove('hidden');
  }

  // The list of one kind: name, count and members of each group, with edit and delete.
  function renderList(kind: GroupKind): void {
    const list = sections[kind].list;
    clear(list);
    if (!lists[kind].length) { list.appendChild(h('p', { class: 'muted groups-empty' }, t('groups.none'))); return; }
    list.appendChild(h('ul', { class: 'group-list' }, ...lists[kind].map((g) => {
      const confirmSlot = h('div', { class: 'group-confirm' });
      const item = h('li', { class: 'group-item', 'data-group-id': g.id, 'data-group-name': g.name },
        h('div', { class: 'group-head' },
          h('strong', { class: 'group-name' }, g.name), ' ',
          h('span', { class: 'group-count muted small', 'data-count': g.members.length }, countText(g.members.length))),
        h('p', { class: 'group-members small' }, g.members.map((m) => shown(kind, m)).join(', ')),
        h('div', { class: 'group-actions' },
          h('a', { class: 'small', href: `/analytics/traffic?${kind}_group=${g.id}` }, t('groups.use')),
          readOnly ? null : h('button', { type: 'button', class: 'secondary small-button', 'data-action': 'edit', 'aria-label': t('groups.edit_label', { name: g.name }),
            onclick: () => openEditor({ kind, id: g.id, name: g.name, members: [...g.members], paste: '', search: '' }) }, t('groups.edit')),
          readOnly ? null : h('button', { type: 'button', class: 'secondary small-button', 'data-action': 'delete', 'aria-label': t('groups.delete_label', { name: g.name }),
            onclick: () => askDelete(kind, g, confirmSlot) }, t('groups.delete'))),
        confirmSlot);
      return item;
    })));
  }

  // Delete only after a second, explicit yes shown at the group.
  function askDelete(kind: GroupKind, g: Group, slot: HTMLElement): void {
    clear(slot);
    const yes = h('button', { type: 'button', class: 'danger', 'data-action': 'confirm-delete' }, t('groups.confirm_yes'));
    const box = h('div', { class: 'alert warn', role: 'alertdialog', 'aria-labelledby': `${g.id}-confirm` },
      h('p', { id: `${g.id}-confirm` }, t('groups.confirm', { name: g.name })),
      h('div', { class: 'actions' }, yes,
        h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel-delete', onclick: () => clear(slot) }, t('groups.cancel'))));
    yes.addEventListener('click', () => void withBusy(yes, async () => {
      try {
        await api('DELETE', `/api/groups/${kind}/${g.id}`);
        say('ok', t('groups.deleted', { name: g.name }));
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) { say('error', problem(e)); return; }
        say('ok', t('groups.gone'));
      }
      if (state.editor?.kind === kind && state.editor.id === g.id) closeEditor();
      await reload(kind).catch((e) => say('error', problem(e)));
      sections[kind].heading.focus();
    }));
    slot.appendChild(box);
    yes.focus();
  }

  // The editor of one group (new or existing), in its kind's section.
  function openEditor(ed: EditorState): void {
    closeEditor();
    state.editor = ed;
    const kind = ed.kind;
    const section = sections[kind];
    section.newButton.classList.add('hidden');
    const form = h('form', { id: `group-form-${kind}`, class: 'group-form', 'data-group-id': ed.id ?? '' });
    const ctl = new FormController(form, `${kind}-`);
    const editing = ed.id !== null;
    const titleId = uid('group-form');
    form.setAttribute('aria-labelledby', titleId);

    // The numbers to choose from: the account's ANs, or the DNs registered to them (and those of
    // its DN groups); then any member of the group or typed number that is not among them.
    const base = kind === 'an' ? [...(me?.ans ?? [])]
      : [...new Set([...(me?.dns ?? []), ...lists.dn.flatMap((g) => g.members)])].sort();
    const checkboxes: HTMLInputElement[] = [];
    const choices = h('div', { class: 'choices member-choices' });
    const noMatch = h('p', { class: 'muted small hidden member-no-match' }, t('groups.no_match'));
    const noNumbers = h('p', { class: 'muted small member-none' }, t('groups.no_numbers'));
    const count = h('p', { class: 'small member-count', 'aria-live': 'polite' });
    const searchId = uid('member-search');
    const search = h('input', { type: 'search', id: searchId, name: 'member_search', autocomplete: 'off', inputmode: 'tel',
      placeholder: t('groups.search_placeholder') });
    search.value = ed.search;
    const pasteId = uid('member-paste');
    const paste = h('textarea', { id: pasteId, name: 'paste', rows: 3, spellcheck: 'false', 'aria-describedby': `${pasteId}-hint` });
    paste.value = ed.paste;
    const controls: (HTMLInputElement | HTMLSelectElement)[] = [];

    const chosen = () => checkboxes.filter((c) => c.checked).map((c) => c.value);
    const sync = () => {
      ed.members = chosen();
      count.textContent = t('groups.selected', { n: ed.members.length });
      const needle = digits(search.value.trim());
      let visible = 0;
      for (const c of checkboxes) {
        const show = needle === '' || c.value.includes(needle);
        c.closest('label')!.classList.toggle('hidden', !show);
        if (show) visible += 1;
      }
      noMatch.classList.toggle('hidden', visible > 0 || checkboxes.length === 0);
      noNumbers.classList.toggle('hidden', checkboxes.length > 0);
    };
    const addChoice = (n: string, checked: boolean) => {
      const existing = checkboxes.find((c) => c.value === n);
      if (existing) { if (checked) existing.checked = true; return; }
      const box = h('input', { type: 'checkbox', name: 'member', value: n });
      box.checked = checked;
      box.addEventListener('change', sync);
      checkboxes.push(box);
      choices.appendChild(h('label', {}, box, shown(kind, n)));
      ctl.adopt('members', box);
    };

    // A pasted list: the numbers of the right shape (and, for ANs, of the account) are ticked in
    // the list; the others stay in the box and are named in the field's error.
    const pasteProblems = (): string | null => {
      for (const token of splitNumbers(paste.value)) {
        const d = digits(token);
        if (!/^\d{1,11}$/.test(d)) return `${message('group.members', 'invalid')} (${token})`;
        if (kind === 'an' && !(me?.ans ?? []).includes(d)) return `${message('group.members', 'an_not_in_account')} (${token})`;
      }
      return null;
    };
    const applyPaste = (): number => {
      const keep: string[] = [];
      let added = 0;
      for (const token of splitNumbers(paste.value)) {
        const d = digits(token);
        if (!/^\d{1,11}$/.test(d) || (kind === 'an' && !(me?.ans ?? []).includes(d))) { keep.push(token); continue; }
        addChoice(d, true);
        added += 1;
      }
      paste.value = keep.join('\n');
      ed.paste = paste.value;
      sync();
      return added;
    };
    const pasteStatus = h('span', { class: 'small muted', role: 'status' });
    const pasteButton = h('button', { type: 'button', class: 'secondary', id: `paste-add-${kind}` }, t('groups.paste_add'));
    pasteButton.addEventListener('click', () => {
      const added = applyPaste();
      pasteStatus.textContent = added ? t('groups.paste_added', { n: added }) : '';
      ctl.validate('members');
    });

    const membersHint = t(`groups.${kind}.members_hint`);
    const body: Node[] = [
      h('div', { class: 'field member-search' }, h('label', { for: searchId }, t('groups.search')), search),
      count,
      choices, noMatch, noNumbers,
      h('div', { class: 'actions member-tools' },
        h('button', { type: 'button', class: 'link-button', onclick: () => { checkboxes.forEach((c) => { if (!c.closest('label')!.classList.contains('hidden')) c.checked = true; }); sync(); } },
          t('groups.select_shown')),
        h('button', { type: 'button', class: 'link-button', onclick: () => { checkboxes.forEach((c) => { c.checked = false; }); sync(); } }, t('groups.clear'))),
      h('div', { class: 'field member-paste' },
        h('label', { for: pasteId }, t('groups.paste')), paste,
        h('div', { class: 'hint', id: `${pasteId}-hint` }, t('groups.paste_hint')),
        h('div', { class: 'actions' }, pasteButton, pasteStatus)),
    ];
    controls.push(paste as unknown as HTMLInputElement);
    const membersField = ctl.custom({
      name: 'members', label: t(`groups.${kind}.members`), required: true, hint: membersHint, controls, body,
      read: () => [...chosen(), ...splitNumbers(paste.value).map(digits)].join(','),
      check: (v) => pasteProblems() ?? (v === '' ? message('group.members', 'required') : null),
    });
    // Keep the paste box's own hint beside the field's.
    paste.setAttribute('aria-describedby', `${paste.getAttribute('aria-describedby')} ${pasteId}-hint`);
    for (const n of base) addChoice(n, ed.members.includes(n));
    for (const n of ed.members) addChoice(n, true);
    search.addEventListener('input', () => { ed.search = search.value; sync(); });
    // Enter in the search box narrows the list; it does not send the form.
    search.addEventListener('keydown', (e) => { if (e.key === 'Enter') e.preventDefault(); });
    paste.addEventListener('input', () => { ed.paste = paste.value; });
    sync();

    const nameField = ctl.text({ name: 'name', label: t('groups.name'), required: true, value: ed.name, hint: t('groups.name_hint'),
      check: (v) => (v.trim() === '' ? message('group.name', 'required') : /[\u0000-\u001f\u007f]/.test(v) ? message('group.name', 'invalid') : null) });
    ctl.control('name')!.addEventListener('input', () => { ed.name = ctl.value('name'); });

    const submit = h('button', { type: 'submit' }, editing ? t('groups.save') : t('groups.create'));
    const formMessages = h('div', { class: 'messages' });
    form.append(
      h('h3', { id: titleId, tabindex: '-1' }, editing ? t('groups.edit_title', { name: ed.name }) : t(`groups.${kind}.create_title`)),
      ctl.summary, formMessages, nameField, membersField,
      h('div', { class: 'actions' }, submit,
        h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel-edit', onclick: () => { closeEditor(); section.newButton.focus(); } }, t('groups.cancel'))));
    // A list left in the paste box goes in with the rest (before the form's checks run).
    form.addEventListener('submit', () => { applyPaste(); });
    ctl.onSubmit(submit, formMessages, async () => {
      const payload = { name: ctl.value('name').trim(), members: chosen() };
      let saved: Group;
      try {
        saved = editing
          ? await api<Group>('PUT', `/api/groups/${kind}/${ed.id}`, payload)
          : await api<Group>('POST', `/api/groups/${kind}`, payload);
      } catch (e) {
        if (editing && e instanceof ApiError && e.status === 404) {
          closeEditor();
          say('ok', t('groups.gone'));
          await reload(kind);
          return;
        }
        throw e;
      }
      closeEditor();
      say('ok', t(editing ? 'groups.saved' : 'groups.created', { name: saved.name }));
      await reload(kind);
      section.list.querySelector<HTMLElement>(`[data-group-id="${saved.id}"] [data-action="edit"]`)?.focus();
    });
    section.editorSlot.appendChild(form);
    (form.querySelector(`#${titleId}`) as HTMLElement | null)?.focus();
  }

  const cards = GROUP_KINDS.map((kind) => {
    const headingId = `groups-${kind}-title`;
    const heading = h('h2', { id: headingId, tabindex: '-1' }, t(`groups.${kind}.title`));
    const list = h('div', { class: 'group-list-wrap' });
    const editorSlot = h('div', { class: 'group-editor' });
    const newButton = h('button', { type: 'button', id: `new-${kind}-group`,
      onclick: () => openEditor({ kind, id: null, name: '', members: [], paste: '', search: '' }) }, t(`groups.${kind}.new`));
    sections[kind] = { list, editorSlot, newButton, heading };
    renderList(kind);
    return h('section', { class: 'card groups', id: `groups-${kind}`, 'aria-labelledby': headingId },
      heading, list, readOnly ? null : h('div', { class: 'actions' }, newButton), editorSlot);
  });

  const element = appFrame('/groups', ...heading,
    readOnly ? alertBox('info', { id: 'readonly-note', class: 'alert info readonly-note' }, t('groups.readonly')) : null, messages, ...cards);
  // An editor open before a language switch is open again, with what was typed.
  if (state.editor) {
    const ed = state.editor;
    state.editor = null;
    openEditor(ed);
  }
  return { title, element, dispose };
}, { session: true });
