// /custom (SPEC §15, standard plan): the account's custom data sets (独自データ) — numbers of the
// customer's own, by month, day or hour, drawn over any analysis with buckets (`custom=ID`).
// Listed with their unit, number of points and first and last point; created by hand, by copying an
// analysis's series, or from a CSV file; the points edited in a table of rows; deleted after a
// confirmation. The server's 422 errors show at their fields and rows (in the page's language), in
// a summary that takes focus. The CSV upload is previewed in the browser (decoded as the file's
// encoding, first 200 lines) before anything is sent; the server's errors per line show beside the
// preview, and "store the good lines only" sends the file again with partial=true.
// A free account sees what custom data is and the way to the standard plan, without a request.
// A child ID (SPEC §15) sees the sets read-only: the list and "see in an analysis", no editor,
// upload or copy, and a note that only the main ID changes them.
// What was typed in the open editor and the upload form survives a language switch (memory only).

import { h, clear, uid } from '../dom';
import { t, texts, lang, formatNumber } from '../i18n';
import { api, apiRaw, ApiError, type FieldError } from '../api';
import type { Page } from '../router';
import { appFrame } from '../layout';
import { currentMe, isChild } from '../session';
import { listCustom, timeKind, parseValue, analysisLinkFor, CUSTOM_LIMITS, type CustomSummary, type CustomSet, type TimeKind } from '../custom';
import { FormController, alertBox, show, message, withBusy, pageState } from './forms';
import { problem } from './problem';
import { hourlyDays, MAX_HOURLY_DAYS } from '../analyses/filters';

texts({
  ja: {
    'custom.title': '独自データ',
    'custom.lead': '来店数・売上・気温・広告の出稿量など、お客様のお手元の数値を月・日・時間ごとに登録しておくと、分析のグラフに折れ線で重ねて、表と CSV に列として並べて表示できます（分析の「その他の条件」で選びます）。データは24か月保存されます。',
    'custom.list.title': '登録済みのデータ',
    'custom.none': 'まだ独自データはありません。下のボタンから作成するか、CSV ファイルを取り込んでください。',
    'custom.none_child': 'まだ独自データはありません。',
    'custom.points': '{n}件', 'custom.no_points': 'データなし', 'custom.range': '{first}〜{last}',
    'custom.unit_of': '単位: {unit}', 'custom.no_unit': '単位なし',
    'custom.use': '分析で見る', 'custom.edit': '編集', 'custom.delete': '削除',
    'custom.edit_label': '「{name}」を編集', 'custom.delete_label': '「{name}」を削除', 'custom.use_label': '「{name}」を分析で見る',
    'custom.confirm': '「{name}」を削除しますか？{n}件のデータが削除され、元に戻すことはできません。',
    'custom.confirm_yes': '削除する', 'custom.cancel': 'キャンセル',
    'custom.new': '新しいデータを作成',
    'custom.create_title': '独自データの作成', 'custom.edit_title': '「{name}」の編集',
    'custom.name': 'データ名', 'custom.name_hint': '分析の凡例と表の見出しに表示されます。ほかのデータと同じ名前は使えません（{max}文字まで）。',
    'custom.unit': '単位', 'custom.unit_hint': '例: 人、件、円、℃（{max}文字まで、省略可）。グラフの右側の軸に表示されます。',
    'custom.points_label': 'データ（日時と値）',
    'custom.points_hint': '日時は「2026-11」（月）、「2026-11-01」（日）、「2026-11-01T09」（時、日本時間）のいずれか1種類で入力してください。値は数値です。空の行は保存されません。',
    'custom.col_no': '行', 'custom.col_t': '日時', 'custom.col_value': '値', 'custom.col_actions': '操作',
    'custom.row_t': '{n}行目の日時', 'custom.row_value': '{n}行目の値', 'custom.row_delete': '{n}行目を削除', 'custom.delete_row': '削除',
    'custom.add_row': '行を追加', 'custom.row_count': '{n}行',
    'custom.show_all': '残りの{n}行も表示する',
    'custom.paste': '表計算ソフトから貼り付け', 'custom.paste_hint': '1行に「日時,値」（カンマまたはタブ区切り）。見出しの行は読み飛ばします。',
    'custom.paste_add': '行として追加', 'custom.paste_added': '{n}行を追加しました。',
    'custom.row_error': '{n}行目: {message}',
    'custom.create': '作成する', 'custom.save': '保存する',
    'custom.created': '独自データ「{name}」を作成しました（{n}件）。', 'custom.saved': '独自データ「{name}」を保存しました（{n}件）。',
    'custom.deleted': '独自データ「{name}」を削除しました。', 'custom.gone': 'このデータはすでに削除されています。一覧を更新しました。',
    'custom.limit': '独自データは{sets}件まで、1件あたり{points}件まで登録できます。',
    'custom.readonly': '独自データの作成・編集・削除・取り込みは、メインIDのみが行えます。子IDでは、登録済みのデータを分析に重ねて表示できます。',
    // upload
    'custom.upload.title': 'CSV ファイルから登録',
    'custom.upload.lead': '1行目が見出し「t,value」（「date,value」「日付,値」も可）、2行目から「日時,値」のファイルを取り込みます。日時は「2026-11-01」のほか、Excel の「2026/11/1」「2026/11/01 9:00」の形でも読み取れます。保存する前に、下に内容が表示されます。',
    'custom.upload.file': 'CSV ファイル', 'custom.upload.file_hint': '{max}まで。UTF-8 または Shift_JIS（Excel の「CSV」形式）。',
    'custom.upload.encoding': '文字コード', 'custom.upload.auto': '自動判定', 'custom.upload.utf8': 'UTF-8', 'custom.upload.sjis': 'Shift_JIS',
    'custom.upload.required': 'CSV ファイルを選んでください。',
    'custom.upload.too_large': 'ファイルが大きすぎます。{max}以下のファイルを選んでください（分けて取り込むこともできます）。',
    'custom.upload.too_large_server': 'ファイルが大きすぎるため、サーバーが受け付けませんでした（{max}まで）。ファイルを分けて取り込んでください。',
    'custom.upload.read_failed': 'ファイルを読み込めませんでした。もう一度選んでください。',
    'custom.upload.preview': 'ファイルの内容（確認用）',
    'custom.upload.preview_info': '{file}（{size}）・{lines}行・文字コード: {encoding}',
    'custom.upload.detected': '{encoding}（自動判定）',
    'custom.upload.preview_more': '先頭の{shown}行を表示しています（全{lines}行）。',
    'custom.upload.col_line': '行', 'custom.upload.col_check': '確認', 'custom.upload.header': '見出し',
    'custom.upload.store': '取り込んで保存する',
    'custom.upload.errors': '{n}行に誤りがあるため、保存していません。内容を直して取り込み直すか、正しい行だけを保存してください。',
    'custom.upload.errors_header': '見出しの行を読み取れないため、保存していません。最初の行を「t,value」にするか、文字コードの指定を確かめてから取り込み直してください。',
    'custom.upload.error_line': '{line}行目（{field}）: {message}',
    'custom.upload.field.t': '日時', 'custom.upload.field.value': '値', 'custom.upload.field.line': '行',
    'custom.upload.partial': '正しい行だけ保存する',
    'custom.upload.partial_hint': '誤りのある行を除いて保存します。除いた行は下に残ります。',
    'custom.upload.stored': '「{name}」を登録しました（{n}件）。',
    'custom.upload.stored_partial': '「{name}」を登録しました（{n}件）。次の{skipped}行は取り込んでいません。',
    'custom.upload.skipped': '取り込まなかった行',
    'custom.upload.nothing_good': '取り込める行がありません。',
    // copy from an analysis
    'custom.copy.title': '分析の数値をコピー',
    'custom.copy.lead': '分析の時系列（例: 日ごとの呼数）をそのまま独自データとして保存します。あとから編集できます。',
    'custom.copy.analysis': 'コピー元の分析', 'custom.copy.figure': '項目', 'custom.copy.filters': '期間と集計単位',
    'custom.copy.filters_hint': '空欄のときは分析の標準の期間です。',
    'custom.copy.granularity': '集計単位', 'custom.copy.gran_default': '分析の標準',
    'custom.copy.submit': 'コピーして保存する',
    'custom.copy.done': '「{name}」を作成しました（{n}件）。',
    'custom.copy.hour_limit': '時間単位は31日までです。この期間は日単位でコピーします。',
    // plan offer
    'custom.offer.title': 'スタンダードプランの機能です',
    'custom.offer.body': '独自データを使うと、来店数・売上・気温など、お客様のお手元の数値を分析のグラフに重ねて、呼数との関係を確かめられます。手入力、分析からのコピー、CSV ファイル（UTF-8・Shift_JIS）の取り込みで登録できます。独自データはスタンダードプランでご利用いただけます。',
    'custom.offer.more': 'スタンダードプランでは、詳細データ（8種類の分析）、AN・DN グループ、子IDもご利用いただけます。データはそのまま引き継がれます。',
    'custom.offer.button': 'スタンダードプランを申し込む',
  },
  en: {
    'custom.title': 'Custom data',
    'custom.lead': 'Keep numbers of your own by month, day or hour — visitors, sales, temperature, advertising — and see them drawn over the charts of the analyses, and as columns of their tables and CSV files (choose them under "More conditions"). Custom data is kept 24 months.',
    'custom.list.title': 'Your data sets',
    'custom.none': 'No custom data yet. Create a set with the button below, or import a CSV file.',
    'custom.none_child': 'No custom data yet.',
    'custom.points': '{n} points', 'custom.points_one': '1 point', 'custom.no_points': 'no points', 'custom.range': '{first} to {last}',
    'custom.unit_of': 'Unit: {unit}', 'custom.no_unit': 'no unit',
    'custom.use': 'See in an analysis', 'custom.edit': 'Edit', 'custom.delete': 'Delete',
    'custom.edit_label': 'Edit "{name}"', 'custom.delete_label': 'Delete "{name}"', 'custom.use_label': 'See "{name}" in an analysis',
    'custom.confirm': 'Delete "{name}"? Its {n} points are deleted, and this cannot be undone.',
    'custom.confirm_yes': 'Delete', 'custom.cancel': 'Cancel',
    'custom.new': 'New data set',
    'custom.create_title': 'New data set', 'custom.edit_title': 'Edit "{name}"',
    'custom.name': 'Name', 'custom.name_hint': 'Shown in the legend and as the column heading. Two sets cannot share a name (at most {max} characters).',
    'custom.unit': 'Unit', 'custom.unit_hint': 'e.g. people, orders, yen, °C (at most {max} characters, optional). Shown on the chart\'s right-hand axis.',
    'custom.points_label': 'Points (time and value)',
    'custom.points_hint': 'Write each time as 2026-11 (a month), 2026-11-01 (a day) or 2026-11-01T09 (an hour, Japan time), one kind per set. Values are numbers. Empty rows are not saved.',
    'custom.col_no': 'Row', 'custom.col_t': 'Time', 'custom.col_value': 'Value', 'custom.col_actions': 'Actions',
    'custom.row_t': 'Time of row {n}', 'custom.row_value': 'Value of row {n}', 'custom.row_delete': 'Delete row {n}', 'custom.delete_row': 'Delete',
    'custom.add_row': 'Add a row', 'custom.row_count': '{n} rows',
    'custom.show_all': 'Show the other {n} rows',
    'custom.paste': 'Paste from a spreadsheet', 'custom.paste_hint': 'One "time,value" per line (comma or tab). A heading line is skipped.',
    'custom.paste_add': 'Add as rows', 'custom.paste_added': '{n} rows added.',
    'custom.row_error': 'Row {n}: {message}',
    'custom.create': 'Create', 'custom.save': 'Save',
    'custom.created': 'The data set "{name}" has been created ({n} points).', 'custom.saved': 'The data set "{name}" has been saved ({n} points).',
    'custom.deleted': 'The data set "{name}" has been deleted.', 'custom.gone': 'This data set had already been deleted. The list is up to date again.',
    'custom.limit': 'At most {sets} data sets of at most {points} points each.',
    'custom.readonly': 'Only the main ID can create, edit, delete or import custom data. A child ID can draw the sets over the analyses.',
    'custom.upload.title': 'Import a CSV file',
    'custom.upload.lead': 'The first line is the heading "t,value" ("date,value" also works), then one "time,value" per line. Times may be written 2026-11-01 or as Excel writes them (2026/11/1, 2026/11/01 9:00). You see the file\'s lines below before anything is saved.',
    'custom.upload.file': 'CSV file', 'custom.upload.file_hint': 'Up to {max}. UTF-8 or Shift_JIS (Excel\'s "CSV" format in Japan).',
    'custom.upload.encoding': 'Character encoding', 'custom.upload.auto': 'Detect', 'custom.upload.utf8': 'UTF-8', 'custom.upload.sjis': 'Shift_JIS',
    'custom.upload.required': 'Please choose a CSV file.',
    'custom.upload.too_large': 'The file is too large. Choose a file of at most {max} (you can import it in parts).',
    'custom.upload.too_large_server': 'The server refused the file as too large (at most {max}). Please import it in parts.',
    'custom.upload.read_failed': 'The file could not be read. Please choose it again.',
    'custom.upload.preview': 'The file\'s lines (to check)',
    'custom.upload.preview_info': '{file} ({size}), {lines} lines, encoding: {encoding}',
    'custom.upload.detected': '{encoding} (detected)',
    'custom.upload.preview_more': 'The first {shown} lines are shown ({lines} in all).',
    'custom.upload.col_line': 'Line', 'custom.upload.col_check': 'Check', 'custom.upload.header': 'heading',
    'custom.upload.store': 'Import and save',
    'custom.upload.errors': 'Nothing was saved: {n} lines have errors. Correct the file and import it again, or save the good lines only.',
    'custom.upload.errors_header': 'Nothing was saved: the heading line could not be read. Make the first line "t,value", or check the encoding, and import the file again.',
    'custom.upload.error_line': 'Line {line} ({field}): {message}',
    'custom.upload.field.t': 'time', 'custom.upload.field.value': 'value', 'custom.upload.field.line': 'line',
    'custom.upload.partial': 'Save the good lines only',
    'custom.upload.partial_hint': 'Saves every line but those with errors, which stay listed below.',
    'custom.upload.stored': '"{name}" has been saved ({n} points).',
    'custom.upload.stored_partial': '"{name}" has been saved ({n} points). The {skipped} lines below were left out.',
    'custom.upload.skipped': 'Lines left out',
    'custom.upload.nothing_good': 'No line can be saved.',
    'custom.copy.title': 'Copy the figures of an analysis',
    'custom.copy.lead': 'Saves an analysis\'s series (e.g. calls per day) as a custom data set, which you can edit afterwards.',
    'custom.copy.analysis': 'Analysis', 'custom.copy.figure': 'Figure', 'custom.copy.filters': 'Range and buckets',
    'custom.copy.filters_hint': 'Empty dates: the analysis\'s default range.',
    'custom.copy.granularity': 'Buckets', 'custom.copy.gran_default': 'the analysis\'s default',
    'custom.copy.submit': 'Copy and save',
    'custom.copy.done': '"{name}" has been created ({n} points).',
    'custom.copy.hour_limit': 'Hours cover at most 31 days; this range is copied by day.',
    'custom.offer.title': 'A standard-plan feature',
    'custom.offer.body': 'Custom data draws numbers of your own — visitors, sales, temperature — over the charts of the analyses, so you can see how they go with your calls. Type them in, copy an analysis, or import a CSV file (UTF-8 or Shift_JIS). Custom data is part of the standard plan.',
    'custom.offer.more': 'The standard plan also adds the detailed data (8 analyses), AN and DN groups and child IDs. Your data is kept.',
    'custom.offer.button': 'Upgrade to the standard plan',
  },
});

// At most this many editor rows are drawn at first (a set may hold 20,000 points).
const SHOWN_ROWS = 500;
// The upload preview shows the first lines of the file.
const PREVIEW_LINES = 200;
const MAX_BYTES_TEXT = '5 MB';

interface Row { key: number; t: string; value: string }
// The open editor: which set (null id = a new one) and what is typed so far.
interface EditorState { id: string | null; title: string; name: string; unit: string; rows: Row[] }
interface UploadState { file: File | null; encoding: string; name: string; unit: string }

const customState = pageState<{ editor: EditorState | null; upload: UploadState }>(() => ({
  editor: null, upload: { file: null, encoding: 'auto', name: '', unit: '' },
}));

let nextRowKey = 0;
const newRow = (t = '', value = ''): Row => ({ key: ++nextRowKey, t, value });

const pointsText = (n: number) => (n === 1 && lang() === 'en' ? t('custom.points_one') : t('custom.points', { n: formatNumber(n) }));
const sizeText = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const hasControl = (v: string) => /[\u0000-\u001f\u007f]/.test(v);
const length = (v: string) => [...v].length;

function planOffer(): HTMLElement {
  return h('section', { id: 'plan-offer', class: 'card plan-offer', 'aria-labelledby': 'plan-offer-title' },
    h('h2', { id: 'plan-offer-title' }, t('custom.offer.title'), ' ', h('span', { class: 'badge' }, t('nav.standard'))),
    h('p', {}, t('custom.offer.body')),
    h('p', { class: 'muted small' }, t('custom.offer.more')),
    h('p', {}, h('a', { class: 'button', href: '/plan?need=standard', id: 'plan-offer-link' }, t('custom.offer.button'))));
}

// The checks of the server's rules (domain/custom_data.hpp) that the browser can make, with the
// server's own messages: name and unit.
const nameCheck = (v: string) => (v.trim() === '' ? message('custom.name', 'required')
  : hasControl(v) ? message('custom.name', 'invalid') : length(v.trim()) > CUSTOM_LIMITS.nameMax ? message('custom.name', 'too_long') : null);
const unitCheck = (v: string) => (hasControl(v) ? message('custom.unit', 'invalid') : length(v.trim()) > CUSTOM_LIMITS.unitMax ? message('custom.unit', 'too_long') : null);

// A small CSV line reader for the preview: fields split at commas, a quoted field may hold commas
// and doubled quotes. Display only: the server reads the file.
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { out.push(field); field = ''; } else field += c;
  }
  out.push(field);
  return out;
}

// The file's text as the server will read it: UTF-8 or Shift_JIS (CP932), `auto` telling them apart
// (bytes that are not UTF-8 are Shift_JIS). The byte-order mark is dropped.
function decode(bytes: Uint8Array, encoding: string): { text: string; used: 'utf-8' | 'shift_jis' } {
  if (encoding === 'shift_jis') return { text: new TextDecoder('shift_jis').decode(bytes), used: 'shift_jis' };
  if (encoding === 'utf-8') return { text: new TextDecoder('utf-8').decode(bytes), used: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), used: 'utf-8' };
  } catch {
    return { text: new TextDecoder('shift_jis').decode(bytes), used: 'shift_jis' };
  }
}

export async function customPage(): Promise<Page> {
  const me = currentMe();
  const title = t('custom.title');
  const heading = [h('h1', {}, title), h('p', { class: 'muted lead' }, t('custom.lead'))];
  if (me?.plan !== 'standard') return { title, element: appFrame('/custom', ...heading, planOffer()) };

  let sets: CustomSummary[];
  try {
    sets = await listCustom();
  } catch (e) {
    // The plan changed elsewhere meanwhile: the same offer as for a free account.
    if (e instanceof ApiError && e.code === 'plan_required') return { title, element: appFrame('/custom', ...heading, planOffer()) };
    throw e;
  }

  const { state, dispose } = customState.enter();
  // A child ID reads the sets; only the main ID changes them.
  const readOnly = isChild(me);
  if (readOnly) { state.editor = null; state.upload.file = null; }
  const messages = h('div', { class: 'messages', id: 'custom-messages' });
  const say = (kind: 'ok' | 'error' | 'warn', content: string | Node) =>
    show(messages, typeof content === 'string' ? alertBox(kind, { id: 'custom-status' }, content) : content);

  const listWrap = h('div', { class: 'custom-list-wrap' });
  const editorSlot = h('div', { class: 'custom-editor', id: 'custom-editor' });
  const newButton = h('button', { type: 'button', id: 'new-custom-set',
    onclick: () => openEditor({ id: null, title: '', name: '', unit: '', rows: [newRow(), newRow(), newRow()] }) }, t('custom.new'));
  const listHeading = h('h2', { id: 'custom-sets-title', tabindex: '-1' }, t('custom.list.title'));

  async function reload(): Promise<void> {
    sets = await listCustom();
    renderList();
  }

  function closeEditor(): void {
    state.editor = null;
    clear(editorSlot);
    newButton.classList.remove('hidden');
  }

  // ------------------------------------------------------------------------------------------
  // The list: name, unit, number of points, first and last, with the ways to use, edit, delete.

  function renderList(): void {
    clear(listWrap);
    if (!sets.length) { listWrap.appendChild(h('p', { class: 'muted custom-empty' }, t(readOnly ? 'custom.none_child' : 'custom.none'))); return; }
    listWrap.appendChild(h('ul', { class: 'custom-list' }, ...sets.map((s) => {
      const confirmSlot = h('div', { class: 'custom-confirm' });
      const editButton = h('button', { type: 'button', class: 'secondary small-button', 'data-action': 'edit', 'aria-label': t('custom.edit_label', { name: s.name }) },
        t('custom.edit'));
      editButton.addEventListener('click', () => void withBusy(editButton, async () => {
        try {
          const set = await api<CustomSet>('GET', `/api/custom/${s.id}`);
          openEditor({ id: set.id, title: set.name, name: set.name, unit: set.unit ?? '',
            rows: set.points.length ? set.points.map((p) => newRow(p.t, String(p.value))) : [newRow()] });
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) { say('ok', t('custom.gone')); await reload().catch(() => null); return; }
          say('error', problem(e));
        }
      }));
      return h('li', { class: 'custom-item', 'data-set-id': s.id, 'data-set-name': s.name },
        h('div', { class: 'custom-head' },
          h('strong', { class: 'custom-name' }, s.name), ' ',
          h('span', { class: 'custom-unit muted small', 'data-unit': s.unit ?? '' }, s.unit ? t('custom.unit_of', { unit: s.unit }) : t('custom.no_unit'))),
        h('p', { class: 'custom-meta small' },
          h('span', { class: 'custom-count', 'data-points': s.points }, s.points ? pointsText(s.points) : t('custom.no_points')),
          s.first ? [' · ', h('span', { class: 'custom-range', 'data-first': s.first, 'data-last': s.last ?? '' },
            t('custom.range', { first: s.first, last: s.last ?? s.first }))] : null),
        h('div', { class: 'custom-actions' },
          s.points ? h('a', { class: 'small', href: analysisLinkFor(s), 'aria-label': t('custom.use_label', { name: s.name }) }, t('custom.use')) : null,
          readOnly ? null : editButton,
          readOnly ? null : h('button', { type: 'button', class: 'secondary small-button', 'data-action': 'delete', 'aria-label': t('custom.delete_label', { name: s.name }),
            onclick: () => askDelete(s, confirmSlot) }, t('custom.delete'))),
        confirmSlot);
    })));
  }

  // Delete only after a second, explicit yes shown at the set.
  function askDelete(s: CustomSummary, slot: HTMLElement): void {
    clear(slot);
    const yes = h('button', { type: 'button', class: 'danger', 'data-action': 'confirm-delete' }, t('custom.confirm_yes'));
    const textId = `${s.id}-confirm`;
    slot.appendChild(h('div', { class: 'alert warn', role: 'alertdialog', 'aria-labelledby': textId },
      h('p', { id: textId }, t('custom.confirm', { name: s.name, n: formatNumber(s.points) })),
      h('div', { class: 'actions' }, yes,
        h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel-delete', onclick: () => clear(slot) }, t('custom.cancel')))));
    yes.addEventListener('click', () => void withBusy(yes, async () => {
      try {
        await api('DELETE', `/api/custom/${s.id}`);
        say('ok', t('custom.deleted', { name: s.name }));
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) { say('error', problem(e)); return; }
        say('ok', t('custom.gone'));
      }
      if (state.editor?.id === s.id) closeEditor();
      await reload().catch((e) => say('error', problem(e)));
      listHeading.focus();
    }));
    yes.focus();
  }

  // ------------------------------------------------------------------------------------------
  // The editor: name, unit and the points as rows of time and value.

  function openEditor(ed: EditorState): void {
    closeEditor();
    state.editor = ed;
    newButton.classList.add('hidden');
    const editing = ed.id !== null;
    const form = h('form', { id: 'custom-form', class: 'custom-form', 'data-set-id': ed.id ?? '', novalidate: true });
    const ctl = new FormController(form, 'set-');
    const titleId = uid('custom-form');
    form.setAttribute('aria-labelledby', titleId);
    const summary = h('div', { class: 'error-summary hidden', tabindex: '-1', id: 'custom-form-summary' });
    const formMessages = h('div', { class: 'messages' });

    const nameField = ctl.text({ name: 'name', label: t('custom.name'), required: true, value: ed.name, maxlength: CUSTOM_LIMITS.nameMax,
      hint: t('custom.name_hint', { max: CUSTOM_LIMITS.nameMax }), check: nameCheck });
    const unitField = ctl.text({ name: 'unit', label: t('custom.unit'), value: ed.unit, maxlength: CUSTOM_LIMITS.unitMax,
      hint: t('custom.unit_hint', { max: CUSTOM_LIMITS.unitMax }), check: unitCheck });
    ctl.control('name')!.addEventListener('input', () => { ed.name = ctl.value('name'); });
    ctl.control('unit')!.addEventListener('input', () => { ed.unit = ctl.value('unit'); });

    // The rows. Each row's inputs carry their own error (tied by aria-describedby).
    const tbody = h('tbody', {});
    const rowEls = new Map<number, { tr: HTMLTableRowElement; no: HTMLElement; tIn: HTMLInputElement; vIn: HTMLInputElement;
      tErr: HTMLElement; vErr: HTMLElement; del: HTMLButtonElement }>();
    const countEl = h('p', { class: 'small muted point-count', 'aria-live': 'polite' });
    const pointsError = h('div', { class: 'field-error', id: 'error-set-points' });
    let shown = Math.min(ed.rows.length, SHOWN_ROWS);
    const showAll = h('button', { type: 'button', class: 'link-button hidden', id: 'show-all-points' });

    const rowElement = (row: Row): HTMLTableRowElement => {
      const tId = `pt-${row.key}-t`, vId = `pt-${row.key}-value`;
      const tErr = h('div', { class: 'field-error', id: `${tId}-error` });
      const vErr = h('div', { class: 'field-error', id: `${vId}-error` });
      const tIn = h('input', { type: 'text', name: 't', id: tId, value: row.t, autocomplete: 'off', spellcheck: 'false', inputmode: 'numeric',
        placeholder: '2026-11-01', 'aria-describedby': `${tId}-error`, 'aria-invalid': 'false', class: 'point-t' });
      const vIn = h('input', { type: 'text', name: 'value', id: vId, value: row.value, autocomplete: 'off', spellcheck: 'false', inputmode: 'decimal',
        'aria-describedby': `${vId}-error`, 'aria-invalid': 'false', class: 'point-value' });
      tIn.addEventListener('input', () => { row.t = tIn.value; });
      vIn.addEventListener('input', () => { row.value = vIn.value; });
      const no = h('td', { class: 'cell-text point-no' });
      const del = h('button', { type: 'button', class: 'secondary small-button', 'data-action': 'delete-row', onclick: () => deleteRow(row) }, t('custom.delete_row'));
      const tr = h('tr', { class: 'point-row', 'data-row': row.key }, no,
        h('td', { class: 'cell-text' }, tIn, tErr), h('td', { class: 'cell-text' }, vIn, vErr), h('td', { class: 'cell-text' }, del));
      rowEls.set(row.key, { tr, no, tIn, vIn, tErr, vErr, del });
      return tr;
    };
    // Row numbers (and the labels that name them) follow the rows' order.
    const renumber = () => {
      ed.rows.forEach((row, i) => {
        const el = rowEls.get(row.key);
        if (!el) return;
        el.no.textContent = String(i + 1);
        el.tIn.setAttribute('aria-label', t('custom.row_t', { n: i + 1 }));
        el.vIn.setAttribute('aria-label', t('custom.row_value', { n: i + 1 }));
        el.del.setAttribute('aria-label', t('custom.row_delete', { n: i + 1 }));
      });
      countEl.textContent = t('custom.row_count', { n: formatNumber(ed.rows.length) });
      const hidden = ed.rows.length - shown;
      showAll.classList.toggle('hidden', hidden <= 0);
      showAll.textContent = t('custom.show_all', { n: formatNumber(Math.max(0, hidden)) });
    };
    const drawRows = () => {
      clear(tbody);
      rowEls.clear();
      for (const row of ed.rows.slice(0, shown)) tbody.appendChild(rowElement(row));
      renumber();
    };
    const showEveryRow = () => { if (shown < ed.rows.length) { shown = ed.rows.length; drawRows(); } };
    showAll.addEventListener('click', showEveryRow);
    const addRow = (focus: boolean) => {
      showEveryRow();
      const row = newRow();
      ed.rows.push(row);
      shown = ed.rows.length;
      tbody.appendChild(rowElement(row));
      renumber();
      if (focus) rowEls.get(row.key)!.tIn.focus();
    };
    function deleteRow(row: Row): void {
      const i = ed.rows.indexOf(row);
      if (i < 0) return;
      ed.rows.splice(i, 1);
      rowEls.get(row.key)?.tr.remove();
      rowEls.delete(row.key);
      shown = Math.max(0, shown - 1);
      if (!ed.rows.length) { addRow(false); }
      renumber();
      // Focus stays in the table: the row that took its place, else the last one, else "add".
      const next = ed.rows[Math.min(i, ed.rows.length - 1)];
      (next ? rowEls.get(next.key)?.tIn : null)?.focus();
    }

    // Rows pasted from a spreadsheet: "time,value" or "time<TAB>value" per line.
    const pasteId = uid('points-paste');
    const paste = h('textarea', { id: pasteId, name: 'paste_points', rows: 3, spellcheck: 'false', 'aria-describedby': `${pasteId}-hint` });
    const pasteStatus = h('span', { class: 'small muted', role: 'status' });
    const pasteButton = h('button', { type: 'button', class: 'secondary', id: 'paste-points' }, t('custom.paste_add'));
    pasteButton.addEventListener('click', () => {
      const lines = paste.value.split(/\r\n|\n|\r/).map((l) => l.trim()).filter(Boolean);
      const added: Row[] = [];
      lines.forEach((line, i) => {
        const [tPart, ...rest] = line.split(/\t|,|;/);
        if (i === 0 && timeKind(tPart.trim()) === null && /^(t|date|time|日付|日時)$/i.test(tPart.trim().replace(/^"|"$/g, ''))) return;
        added.push(newRow(tPart.trim().replace(/^"|"$/g, ''), rest.join('').trim().replace(/^"|"$/g, '')));
      });
      // Empty rows give way to the pasted ones.
      ed.rows = ed.rows.filter((r) => r.t.trim() !== '' || r.value.trim() !== '');
      ed.rows.push(...added);
      shown = ed.rows.length;
      if (!ed.rows.length) ed.rows.push(newRow());
      drawRows();
      paste.value = '';
      pasteStatus.textContent = t('custom.paste_added', { n: added.length });
    });

    const table = h('table', { id: 'points-table', class: 'data-table points-table' },
      h('caption', { class: 'sr-only' }, t('custom.points_label')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'head-text' }, t('custom.col_no')), h('th', { scope: 'col', class: 'head-text' }, t('custom.col_t')),
        h('th', { scope: 'col', class: 'head-text' }, t('custom.col_value')), h('th', { scope: 'col', class: 'head-text' }, t('custom.col_actions')))),
      tbody);
    const pointsField = h('fieldset', { class: 'field points-field', id: 'field-set-points', 'aria-describedby': 'hint-set-points error-set-points' },
      h('legend', {}, t('custom.points_label')),
      h('div', { class: 'hint', id: 'hint-set-points' }, t('custom.points_hint')),
      h('div', { class: 'table-wrap points-wrap' }, table),
      h('div', { class: 'actions points-tools' },
        h('button', { type: 'button', class: 'secondary', id: 'add-point', onclick: () => addRow(true) }, t('custom.add_row')), countEl, showAll),
      pointsError,
      h('details', { class: 'points-paste' },
        h('summary', {}, t('custom.paste')),
        h('div', { class: 'field' },
          h('label', { for: pasteId }, t('custom.paste')), paste,
          h('div', { class: 'hint', id: `${pasteId}-hint` }, t('custom.paste_hint')),
          h('div', { class: 'actions' }, pasteButton, pasteStatus))));
    drawRows();

    // Errors: at the name and unit fields (the form controller's), at the rows, and in the summary.
    type Problem = { message: string; target: HTMLElement | null };
    const clearErrors = () => {
      ctl.setError('name', null);
      ctl.setError('unit', null);
      pointsError.textContent = '';
      for (const el of rowEls.values()) {
        el.tErr.textContent = ''; el.vErr.textContent = '';
        el.tIn.setAttribute('aria-invalid', 'false'); el.vIn.setAttribute('aria-invalid', 'false');
      }
      summary.className = 'error-summary hidden';
      clear(summary);
    };
    const showProblems = (problems: Problem[]) => {
      clear(summary);
      if (!problems.length) { summary.className = 'error-summary hidden'; return; }
      summary.className = 'alert error error-summary';
      summary.setAttribute('aria-labelledby', 'custom-form-summary-title');
      summary.append(
        h('h2', { id: 'custom-form-summary-title', class: 'summary-title' }, t('aform.summary', { n: problems.length })),
        h('ul', {}, ...problems.map((p) => h('li', {}, p.target
          ? h('a', { href: `#${p.target.id}`, onclick: (ev: Event) => { ev.preventDefault(); p.target!.focus(); p.target!.scrollIntoView({ block: 'center' }); } }, p.message)
          : p.message))));
      summary.focus();
    };
    const atRow = (row: Row, part: 't' | 'value', text: string): Problem => {
      showEveryRow();
      const el = rowEls.get(row.key)!;
      const [input, err] = part === 't' ? [el.tIn, el.tErr] : [el.vIn, el.vErr];
      err.textContent = err.textContent ? `${err.textContent} ${text}` : text;
      input.setAttribute('aria-invalid', 'true');
      return { message: t('custom.row_error', { n: ed.rows.indexOf(row) + 1, message: text }), target: input };
    };
    const atField = (name: 'name' | 'unit', text: string): Problem => {
      ctl.setError(name, text);
      return { message: text, target: ctl.control(name) as HTMLElement };
    };
    const atPoints = (text: string): Problem => {
      pointsError.textContent = pointsError.textContent ? `${pointsError.textContent} ${text}` : text;
      return { message: text, target: document.getElementById('add-point') };
    };

    // The rows that are sent: every row but the empty ones, in the table's order.
    const filled = () => ed.rows.filter((r) => r.t.trim() !== '' || r.value.trim() !== '');

    // The browser's checks of the rows (the server's messages); retention is the server's alone.
    const checkRows = (rows: Row[]): Problem[] => {
      const out: Problem[] = [];
      let kind: TimeKind | null = null;
      const seen = new Set<string>();
      if (rows.length > CUSTOM_LIMITS.points) out.push(atPoints(message('custom.points', 'too_many')));
      for (const row of rows) {
        const tv = row.t.trim();
        const k = timeKind(tv);
        if (tv === '') out.push(atRow(row, 't', message('custom.points[].t', 'required')));
        else if (k === null) out.push(atRow(row, 't', message('custom.points[].t', 'invalid')));
        else if (kind !== null && k !== kind) out.push(atRow(row, 't', message('custom.points[].t', 'kind_mismatch')));
        else if (seen.has(tv)) out.push(atRow(row, 't', `${message('custom.points', 'duplicate')} (${tv})`));
        if (k !== null) { kind ??= k; seen.add(tv); }
        if (row.value.trim() === '') out.push(atRow(row, 'value', message('custom.points[].value', 'required')));
        else if (parseValue(row.value) === null) out.push(atRow(row, 'value', message('custom.points[].value', 'invalid')));
      }
      return out;
    };

    // The server's 422: `name`, `unit`, `points`, `points[i].t`, `points[i].value` (i: the index
    // of the points sent), `""` (too many sets: the summary only).
    const serverProblems = (errors: FieldError[], sent: Row[]): Problem[] => errors.map((e) => {
      const m = /^points\[(\d+)\](?:\.(t|value))?$/.exec(e.field);
      if (m && sent[Number(m[1])]) return atRow(sent[Number(m[1])], (m[2] as 't' | 'value' | undefined) ?? 't', e.message);
      if (e.field === 'name' || e.field === 'unit') return atField(e.field, e.message);
      if (e.field === 'points') return atPoints(e.message);
      return { message: e.message, target: null };
    });

    const submit = h('button', { type: 'submit', id: 'custom-save' }, editing ? t('custom.save') : t('custom.create'));
    form.append(
      h('h3', { id: titleId, tabindex: '-1' }, editing ? t('custom.edit_title', { name: ed.title }) : t('custom.create_title')),
      summary, formMessages, nameField, unitField, pointsField,
      h('p', { class: 'hint' }, t('custom.limit', { sets: CUSTOM_LIMITS.sets, points: formatNumber(CUSTOM_LIMITS.points) })),
      h('div', { class: 'actions' }, submit,
        h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel-edit', onclick: () => { closeEditor(); newButton.focus(); } }, t('custom.cancel'))));

    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      show(formMessages);
      clearErrors();
      const rows = filled();
      const problems: Problem[] = [];
      const nameError = nameCheck(ctl.value('name'));
      if (nameError) problems.push(atField('name', nameError));
      const unitError = unitCheck(ctl.value('unit'));
      if (unitError) problems.push(atField('unit', unitError));
      problems.push(...checkRows(rows));
      if (problems.length) { showProblems(problems); return; }
      void withBusy(submit, async () => {
        const payload = { name: ctl.value('name').trim(), unit: ctl.value('unit').trim(),
          points: rows.map((r) => ({ t: r.t.trim(), value: parseValue(r.value) })) };
        let saved: CustomSet;
        try {
          saved = editing ? await api<CustomSet>('PUT', `/api/custom/${ed.id}`, payload) : await api<CustomSet>('POST', '/api/custom', payload);
        } catch (e) {
          if (e instanceof ApiError && e.status === 422 && e.errors.length) { showProblems(serverProblems(e.errors, rows)); return; }
          if (editing && e instanceof ApiError && e.status === 404) {
            closeEditor();
            say('ok', t('custom.gone'));
            await reload().catch(() => null);
            return;
          }
          show(formMessages, problem(e));
          return;
        }
        closeEditor();
        say('ok', t(editing ? 'custom.saved' : 'custom.created', { name: saved.name, n: formatNumber(saved.points.length) }));
        await reload().catch((e) => say('error', problem(e)));
        listWrap.querySelector<HTMLElement>(`[data-set-id="${saved.id}"] [data-action="edit"]`)?.focus();
      });
    });
    editorSlot.appendChild(form);
    (form.querySelector(`#${titleId}`) as HTMLElement | null)?.focus();
  }

  // ------------------------------------------------------------------------------------------
  // Upload: a CSV file previewed here, then sent as it is (its own bytes, text/csv).

  const up = state.upload;
  const uploadForm = h('form', { id: 'custom-upload-form', class: 'custom-upload-form', novalidate: true });
  const uctl = new FormController(uploadForm, 'up-');
  const fileInput = h('input', { type: 'file', id: 'in-up-file', name: 'file', accept: '.csv,text/csv,text/plain', 'aria-label': t('custom.upload.file') });
  // A file chosen before a language switch is chosen again.
  if (up.file) {
    try { const chosen = new DataTransfer(); chosen.items.add(up.file); fileInput.files = chosen.files; } catch { /* the preview still names it */ }
  }
  const fileField = uctl.custom({
    name: 'file', label: t('custom.upload.file'), required: true, hint: t('custom.upload.file_hint', { max: MAX_BYTES_TEXT }),
    controls: [fileInput], body: [fileInput],
    read: () => (up.file ? up.file.name : ''),
    check: () => (!up.file ? t('custom.upload.required')
      : up.file.size > CUSTOM_LIMITS.uploadBytes ? t('custom.upload.too_large', { max: MAX_BYTES_TEXT }) : null),
  });
  const encodingField = uctl.select({ name: 'encoding', label: t('custom.upload.encoding'), value: up.encoding, choices: [
    { value: 'auto', label: t('custom.upload.auto') }, { value: 'utf-8', label: t('custom.upload.utf8') }, { value: 'shift_jis', label: t('custom.upload.sjis') }] });
  const upNameField = uctl.text({ name: 'name', label: t('custom.name'), required: true, value: up.name, maxlength: CUSTOM_LIMITS.nameMax,
    hint: t('custom.name_hint', { max: CUSTOM_LIMITS.nameMax }), check: nameCheck });
  const upUnitField = uctl.text({ name: 'unit', label: t('custom.unit'), value: up.unit, maxlength: CUSTOM_LIMITS.unitMax,
    hint: t('custom.unit_hint', { max: CUSTOM_LIMITS.unitMax }), check: unitCheck });
  uctl.control('name')!.addEventListener('input', () => { up.name = uctl.value('name'); });
  uctl.control('unit')!.addEventListener('input', () => { up.unit = uctl.value('unit'); });
  const encodingSelect = uctl.control('encoding') as HTMLSelectElement;
  const preview = h('div', { id: 'upload-preview-wrap', class: 'upload-preview hidden' });
  const lineErrors = h('div', { id: 'upload-errors', class: 'upload-errors' });
  const uploadMessages = h('div', { class: 'messages', id: 'upload-messages' });
  const store = h('button', { type: 'submit', id: 'upload-store' }, t('custom.upload.store'));
  let previewSeq = 0;
  // Line number → the preview's row and its "check" cell (the first lines only).
  const previewRows = new Map<number, { tr: HTMLElement; check: HTMLElement }>();
  let dataLines = 0;

  async function drawPreview(): Promise<void> {
    const mine = ++previewSeq;
    clear(preview);
    previewRows.clear();
    clear(lineErrors);
    preview.classList.add('hidden');
    const file = up.file;
    if (!file || file.size > CUSTOM_LIMITS.uploadBytes) return;
    let decoded: { text: string; used: 'utf-8' | 'shift_jis' };
    try {
      decoded = decode(new Uint8Array(await file.arrayBuffer()), up.encoding);
    } catch {
      if (mine === previewSeq) uctl.setError('file', t('custom.upload.read_failed'));
      return;
    }
    if (mine !== previewSeq) return;
    const lines = decoded.text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    dataLines = lines.slice(1).filter((l) => l.trim() !== '').length;
    const encodingName = decoded.used === 'utf-8' ? 'UTF-8' : 'Shift_JIS';
    const shownLines = lines.slice(0, PREVIEW_LINES);
    const body = h('tbody', {}, ...shownLines.map((line, i) => {
      const n = i + 1;
      const [a = '', b = '', ...rest] = csvFields(line);
      const check = h('td', { class: 'cell-text line-check' }, n === 1 ? t('custom.upload.header') : '');
      const tr = h('tr', { 'data-line': n, class: n === 1 ? 'header-line' : null },
        h('td', { class: 'cell-num' }, String(n)), h('td', { class: 'cell-text' }, a), h('td', { class: 'cell-text' }, [b, ...rest].join(',')), check);
      previewRows.set(n, { tr, check });
      return tr;
    }));
    preview.append(
      h('h3', {}, t('custom.upload.preview')),
      h('p', { class: 'small', id: 'upload-preview-info', 'data-encoding': decoded.used, 'data-lines': lines.length },
        t('custom.upload.preview_info', { file: file.name, size: sizeText(file.size), lines: formatNumber(lines.length),
          encoding: up.encoding === 'auto' ? t('custom.upload.detected', { encoding: encodingName }) : encodingName })),
      lines.length > PREVIEW_LINES ? h('p', { class: 'small muted' }, t('custom.upload.preview_more', { shown: PREVIEW_LINES, lines: formatNumber(lines.length) })) : '',
      h('div', { class: 'table-wrap preview-wrap' },
        h('table', { id: 'upload-preview', class: 'data-table' },
          h('caption', { class: 'sr-only' }, t('custom.upload.preview')),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('custom.upload.col_line')), h('th', { scope: 'col', class: 'head-text' }, t('custom.col_t')),
            h('th', { scope: 'col', class: 'head-text' }, t('custom.col_value')), h('th', { scope: 'col', class: 'head-text' }, t('custom.upload.col_check')))),
          body)));
    preview.classList.remove('hidden');
  }

  fileInput.addEventListener('change', () => {
    up.file = fileInput.files?.[0] ?? null;
    show(uploadMessages);
    // The name defaults to the file's name (without .csv) until one is typed.
    if (up.file && !uctl.value('name').trim()) {
      (uctl.control('name') as HTMLInputElement).value = up.file.name.replace(/\.[^.]*$/, '').slice(0, CUSTOM_LIMITS.nameMax);
      up.name = uctl.value('name');
    }
    uctl.validate('file');
    void drawPreview();
  });
  encodingSelect.addEventListener('change', () => { up.encoding = encodingSelect.value; void drawPreview(); });

  // The server's errors about the file: beside the preview's lines, and all of them in a list (the
  // ones without a line too: "…and 120 more"). A bad header refuses the whole file, partial or not.
  function showLineErrors(errors: FieldError[], stored: boolean): void {
    clear(lineErrors);
    for (const { tr, check } of previewRows.values()) { tr.classList.remove('line-error'); check.textContent = tr.classList.contains('header-line') ? t('custom.upload.header') : ''; }
    const byLine = new Map<number, FieldError[]>();
    for (const e of errors) if (typeof e.line === 'number') byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
    const fieldName = (f: string) => t(`custom.upload.field.${f === 't' || f === 'value' ? f : 'line'}`);
    for (const [line, list] of byLine) {
      const row = previewRows.get(line);
      if (!row) continue;
      row.tr.classList.add('line-error');
      row.check.textContent = list.map((e) => e.message).join(' ');
    }
    const headerBad = errors.some((e) => e.code === 'header');
    const good = dataLines - [...byLine.keys()].filter((l) => l > 1).length;
    const items = h('ul', { class: 'line-error-list' }, ...[...byLine.entries()].sort((a, b) => a[0] - b[0]).flatMap(([line, list]) =>
      list.map((e) => h('li', { 'data-line': line, 'data-field': e.field, 'data-code': e.code },
        t('custom.upload.error_line', { line, field: fieldName(e.field), message: e.message })))),
    ...errors.filter((e) => typeof e.line !== 'number').map((e) => h('li', { 'data-code': e.code }, e.message)));
    if (stored) {
      lineErrors.append(h('h3', {}, t('custom.upload.skipped')), items);
      return;
    }
    const partial = h('button', { type: 'button', id: 'upload-partial', class: 'secondary' }, t('custom.upload.partial'));
    partial.addEventListener('click', () => void withBusy(partial, async () => {
      try { await send(true); } catch (e) { show(uploadMessages, problem(e)); }
    }));
    lineErrors.append(alertBox('error', { id: 'upload-error-summary', tabindex: '-1' },
      h('p', {}, headerBad ? t('custom.upload.errors_header') : t('custom.upload.errors', { n: byLine.size })),
      items,
      !headerBad && good > 0 ? h('div', { class: 'actions' }, partial, h('span', { class: 'small' }, t('custom.upload.partial_hint')))
        : !headerBad ? h('p', {}, t('custom.upload.nothing_good')) : null));
  }

  // Sends the file (again, with partial=true for the good lines only). Errors without a line
  // (name, unit) go to their fields through the form controller.
  async function send(partial: boolean): Promise<void> {
    const file = up.file;
    if (!file) return;
    const q = new URLSearchParams({ name: uctl.value('name').trim(), unit: uctl.value('unit').trim(), encoding: up.encoding });
    if (partial) q.set('partial', 'true');
    let answer: CustomSet & { errors?: FieldError[] };
    try {
      answer = await apiRaw<CustomSet & { errors?: FieldError[] }>('POST', `/api/custom/upload?${q}`, file, 'text/csv');
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.errors.length) {
        // The query's name and unit (and a 51st set) at the form's fields; the rest is about the file.
        const atForm = (x: FieldError) => typeof x.line !== 'number' && (x.field === 'name' || x.field === 'unit' || x.field === '');
        const aboutFile = e.errors.filter((x) => !atForm(x));
        const formErrors = e.errors.filter(atForm);
        if (aboutFile.length) showLineErrors(aboutFile, false);
        else clear(lineErrors);
        if (formErrors.length) uctl.showServerErrors(formErrors); else uctl.clearErrors();
        if (aboutFile.length) (lineErrors.querySelector('#upload-error-summary') as HTMLElement | null)?.focus();
        return;
      }
      if (e instanceof ApiError && e.status === 413) {
        uctl.setError('file', t('custom.upload.too_large_server', { max: MAX_BYTES_TEXT }));
        uctl.showSummary([{ field: 'file', code: 'too_large', message: t('custom.upload.too_large_server', { max: MAX_BYTES_TEXT }) }]);
        return;
      }
      throw e;
    }
    const skipped = answer.errors ?? [];
    const skippedLines = new Set(skipped.filter((x) => typeof x.line === 'number').map((x) => x.line)).size;
    const n = formatNumber(answer.points?.length ?? 0);
    if (skipped.length) showLineErrors(skipped, true); else clear(lineErrors);
    say('ok', skipped.length ? t('custom.upload.stored_partial', { name: answer.name, n, skipped: formatNumber(skippedLines) })
      : t('custom.upload.stored', { name: answer.name, n }));
    // The form starts again empty; the lines left out stay listed.
    up.file = null; up.name = ''; up.unit = '';
    fileInput.value = '';
    (uctl.control('name') as HTMLInputElement).value = '';
    (uctl.control('unit') as HTMLInputElement).value = '';
    clear(preview);
    preview.classList.add('hidden');
    uctl.clearErrors();
    await reload().catch((e) => say('error', problem(e)));
  }
  uctl.onSubmit(store, uploadMessages, () => send(false));

  uploadForm.append(uctl.summary, uploadMessages, fileField,
    h('div', { class: 'filters upload-options' }, encodingField), upNameField, upUnitField,
    preview, h('div', { class: 'actions' }, store), lineErrors);

  // ------------------------------------------------------------------------------------------
  // A copy of an analysis's series (POST /api/custom with from_analysis).

  const FIGURES: Record<string, string[]> = {
    traffic: ['calls', 'completed', 'incomplete', 'talk_seconds', 'completion_rate'],
    incomplete: ['incomplete', 'busy', 'no_answer', 'abandoned', 'out_of_hours', 'area_restricted', 'congestion', 'other'],
    'calls-minutes': ['calls', 'completed', 'talk_seconds', 'talk_minutes'],
    lines: ['peak', 'erlangs'],
  };
  const GRANULARITIES: Record<string, string[]> = { traffic: ['day', 'hour', 'month'], incomplete: ['day', 'hour', 'month'], 'calls-minutes': ['hour', 'day'], lines: [] };
  const figureLabel = (f: string) => (['busy', 'no_answer', 'abandoned', 'out_of_hours', 'area_restricted', 'congestion', 'other'].includes(f) ? t(`reason.${f}`) : t(`fig.${f}`));
  const copyForm = h('form', { id: 'custom-copy-form', class: 'custom-copy-form', novalidate: true });
  const cctl = new FormController(copyForm, 'copy-');
  const copyName = cctl.text({ name: 'name', label: t('custom.name'), required: true, maxlength: CUSTOM_LIMITS.nameMax,
    hint: t('custom.name_hint', { max: CUSTOM_LIMITS.nameMax }), check: nameCheck });
  const copyUnit = cctl.text({ name: 'unit', label: t('custom.unit'), maxlength: CUSTOM_LIMITS.unitMax,
    hint: t('custom.unit_hint', { max: CUSTOM_LIMITS.unitMax }), check: unitCheck });
  const analysisField = cctl.select({ name: 'from_analysis.name', label: t('custom.copy.analysis'), value: 'traffic',
    choices: Object.keys(FIGURES).map((a) => ({ value: a, label: t(`view.${a}`) })) });
  const figureField = cctl.select({ name: 'from_analysis.figure', label: t('custom.copy.figure'), value: 'calls',
    choices: FIGURES.traffic.map((f) => ({ value: f, label: figureLabel(f) })) });
  const ids = { from: uid('copy-from'), to: uid('copy-to'), gran: uid('copy-gran') };
  const copyFrom = h('input', { type: 'date', name: 'copy_from', id: ids.from });
  const copyTo = h('input', { type: 'date', name: 'copy_to', id: ids.to });
  const copyGran = h('select', { name: 'copy_granularity', id: ids.gran });
  const analysisSelect = cctl.control('from_analysis.name') as HTMLSelectElement;
  const figureSelect = cctl.control('from_analysis.figure') as HTMLSelectElement;
  const syncCopy = () => {
    const a = analysisSelect.value;
    const keep = figureSelect.value;
    clear(figureSelect);
    for (const f of FIGURES[a] ?? []) figureSelect.appendChild(h('option', { value: f, selected: f === keep }, figureLabel(f)));
    clear(copyGran);
    copyGran.appendChild(h('option', { value: '' }, t('custom.copy.gran_default')));
    for (const g of GRANULARITIES[a] ?? []) copyGran.appendChild(h('option', { value: g }, t(`gran.${g}`)));
    copyGran.disabled = !(GRANULARITIES[a] ?? []).length;
  };
  // Hour buckets cover at most 31 days (SPEC §19): for a longer range the form copies days instead
  // of being refused, says so beside the control, and gives the hours back once the range fits
  // (`copyHourWanted`: the customer chose hours and the form set them aside). The days are counted
  // as the server counts them: traffic and incomplete over the standard plan's 24 months, the
  // detailed calls-minutes over its 3.
  const copyHourNote = h('p', { id: uid('copy-gran-note'), class: 'gran-note hidden', role: 'status' }, t('custom.copy.hour_limit'));
  copyGran.setAttribute('aria-describedby', copyHourNote.id);
  let copyHourWanted = false;
  const syncCopyHour = () => {
    const days = hourlyDays(copyFrom.value, copyTo.value, analysisSelect.value === 'calls-minutes' ? 3 : 24);
    const tooLong = days !== null && days > MAX_HOURLY_DAYS;
    if (tooLong && copyGran.value === 'hour') {
      copyGran.value = 'day';
      copyHourWanted = true;
    } else if (!tooLong && copyHourWanted && copyGran.value === 'day') {
      copyGran.value = 'hour';
      copyHourWanted = false;
    }
    copyHourNote.classList.toggle('hidden', !copyHourWanted);
  };
  analysisSelect.addEventListener('change', () => {
    copyHourWanted = false;
    syncCopy();
    syncCopyHour();
  });
  copyGran.addEventListener('change', () => {
    copyHourWanted = false;  // the customer's own choice
    syncCopyHour();
  });
  for (const input of [copyFrom, copyTo]) {
    input.addEventListener('input', syncCopyHour);
    input.addEventListener('change', syncCopyHour);
  }
  syncCopy();
  const filtersField = cctl.custom({
    name: 'from_analysis.filters', label: t('custom.copy.filters'), hint: t('custom.copy.filters_hint'),
    controls: [copyFrom, copyTo, copyGran],
    body: [h('div', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: ids.from }, t('flt.from')), copyFrom),
      h('div', { class: 'field' }, h('label', { for: ids.to }, t('flt.to')), copyTo),
      h('div', { class: 'field' }, h('label', { for: ids.gran }, t('custom.copy.granularity')), copyGran)),
      copyHourNote],
    read: () => '',
  });
  const copyMessages = h('div', { class: 'messages' });
  const copySubmit = h('button', { type: 'submit', id: 'copy-store' }, t('custom.copy.submit'));
  cctl.onSubmit(copySubmit, copyMessages, async () => {
    const filters: Record<string, string> = {};
    if (copyFrom.value) filters.from = copyFrom.value;
    if (copyTo.value) filters.to = copyTo.value;
    if (copyGran.value && !copyGran.disabled) filters.granularity = copyGran.value;
    const saved = await api<CustomSet>('POST', '/api/custom', {
      name: cctl.value('name').trim(), unit: cctl.value('unit').trim(),
      from_analysis: { name: analysisSelect.value, figure: figureSelect.value, filters },
    });
    cctl.clearErrors();
    (cctl.control('name') as HTMLInputElement).value = '';
    say('ok', t('custom.copy.done', { name: saved.name, n: formatNumber(saved.points.length) }));
    await reload().catch((e) => say('error', problem(e)));
  });
  copyForm.append(cctl.summary, copyMessages, copyName, copyUnit,
    h('div', { class: 'filters copy-source' }, analysisField, figureField), filtersField, h('div', { class: 'actions' }, copySubmit));

  renderList();
  const listCard = h('section', { class: 'card custom-sets', id: 'custom-sets', 'aria-labelledby': 'custom-sets-title' },
    listHeading, listWrap, readOnly ? null : h('div', { class: 'actions' }, newButton), editorSlot);
  const element = readOnly
    ? appFrame('/custom', ...heading, alertBox('info', { id: 'readonly-note', class: 'alert info readonly-note' }, t('custom.readonly')), messages, listCard)
    : appFrame('/custom', ...heading, messages, listCard,
      h('section', { class: 'card custom-upload', id: 'custom-upload', 'aria-labelledby': 'custom-upload-title' },
        h('h2', { id: 'custom-upload-title' }, t('custom.upload.title')), h('p', { class: 'muted small' }, t('custom.upload.lead')), uploadForm),
      h('section', { class: 'card custom-copy', id: 'custom-copy', 'aria-labelledby': 'custom-copy-title' },
        h('h2', { id: 'custom-copy-title' }, t('custom.copy.title')), h('p', { class: 'muted small' }, t('custom.copy.lead')), copyForm));

  // An editor open before a language switch is open again, with what was typed; a file chosen
  // before it is previewed again (memory only).
  if (state.editor) openEditor(state.editor);
  if (up.file) void drawPreview();
  return { title, element, dispose };
}
