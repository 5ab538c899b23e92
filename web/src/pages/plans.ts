// The plans side by side (SPEC §6): features and how long data is kept. Shown on the sign-up
// form (short) and on /plan (whole).

import { h } from '../dom';
import { t, texts } from '../i18n';

texts({
  ja: {
    'plantable.caption': 'プランの比較', 'plantable.feature': '機能', 'plantable.yes': '○', 'plantable.no': 'なし',
    'plantable.basic': '基本データ 01〜04（直近3ヶ月・年間トラフィック、トラフィック比較、不完了理由）', 'plantable.detailed': '詳細データ 01〜08（発着信地域、番号別、コール人数、同時適正回線数など）',
    'plantable.filters': '絞り込み（月・日・FD/ND番号・曜日・時間帯）', 'plantable.groups': 'FD/ND番号グループ・着信先番号グループ',
    'plantable.custom': 'カスタムデータ（編集可能な独自データ）とお客様データのアップロード', 'plantable.children': '子ID（追加のログインID）',
    'plantable.downloads': 'ダウンロード（画像PNG・PDF・PowerPoint・CSV）',
    'plantable.ret_basic': '基本データの保存期間', 'plantable.ret_detailed': '詳細データの保存期間', 'plantable.ret_custom': 'カスタムデータの保存期間',
    'plantable.months': '{n}か月', 'plantable.retention_note': '保存期間がNか月の場合、当月（日本時間）とその前のN−1か月分を保存します。それより古いデータは削除されます。',
  },
  en: {
    'plantable.caption': 'Plans compared', 'plantable.feature': 'Feature', 'plantable.yes': 'Yes', 'plantable.no': 'No',
    'plantable.basic': 'Basic data 01–04 (recent and annual traffic, comparison, incomplete calls)', 'plantable.detailed': 'Detailed data 01–08 (origin and destination, per number, callers, lines, …)',
    'plantable.filters': 'Filters: month, day, FD/ND number, weekday, time band', 'plantable.groups': 'FD/ND number groups and destination number groups',
    'plantable.custom': 'Custom data (your own editable data) and upload of your data', 'plantable.children': 'Child IDs (extra logins)',
    'plantable.downloads': 'Downloads: image (PNG), PDF, PowerPoint, CSV',
    'plantable.ret_basic': 'Retention of basic data', 'plantable.ret_detailed': 'Retention of detailed data', 'plantable.ret_custom': 'Retention of custom data',
    'plantable.months': '{n} months', 'plantable.retention_note': 'A retention of N months keeps the current month (Japan time) and the N−1 months before it; older data is deleted.',
  },
});

type Cell = boolean | number;
const rows: [string, Cell, Cell][] = [
  ['plantable.basic', true, true],
  ['plantable.detailed', false, true],
  ['plantable.filters', true, true],
  ['plantable.groups', false, true],
  ['plantable.custom', false, true],
  ['plantable.children', false, true],
  ['plantable.downloads', true, true],
  ['plantable.ret_basic', 12, 24],
  ['plantable.ret_detailed', false, 3],
  ['plantable.ret_custom', false, 24],
];

function cell(value: Cell): HTMLElement {
  if (value === false) return h('td', { class: 'no' }, h('span', { 'aria-hidden': 'true' }, '—'), h('span', { class: 'sr-only' }, t('plantable.no')));
  if (value === true) return h('td', { class: 'yes' }, t('plantable.yes'));
  return h('td', {}, t('plantable.months', { n: value }));
}

// The table; `current` marks the account's plan column.
export function planTable(current?: 'free' | 'standard', id = 'plan-table'): HTMLElement {
  const head = (plan: 'free' | 'standard') =>
    h('th', { scope: 'col', class: current === plan ? 'current-plan' : '' }, t(`aplan.${plan}`));
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'plan-table', id },
      h('caption', { class: 'sr-only' }, t('plantable.caption')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('plantable.feature')), head('free'), head('standard'))),
      h('tbody', {}, ...rows.map(([key, free, standard]) =>
        h('tr', {}, h('th', { scope: 'row' }, t(key)), cell(free), cell(standard))))),
    h('p', { class: 'hint' }, t('plantable.retention_note')));
}
