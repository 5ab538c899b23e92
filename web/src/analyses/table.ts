// The data table under a chart: table#data-table, one tbody row per bucket (tr[data-t] with the raw
// bucket label), tfoot tr#totals-row; every numeric cell carries the API's raw value in data-value
// (no attribute when the value is null). Extra tables of a view take their own id and no totals id.
import { h } from '../dom';
import type { Cell, TableModel } from './view';
import { makeSortable } from './table-sort';

const td = (c: Cell) => h('td', {
  'data-value': c.value === undefined || c.value === null ? null : String(c.value),
  'data-key': c.key ?? null,
  class: c.value === undefined ? 'cell-text' : 'cell-num',
}, c.text);

// A heading sits over its cells: left over text, right over numbers.
const textColumn = (model: TableModel, i: number) => (model.rows[0]?.cells ?? model.totals ?? [])[i]?.value === undefined;

export function renderTable(model: TableModel, caption: string, { id = 'data-table', totalsId = 'totals-row' as string | null } = {}): HTMLTableElement {
  const table = h('table', { id, class: 'data-table' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, ...model.head.map((text, i) => h('th', { scope: 'col', class: textColumn(model, i) ? 'head-text' : null }, text)))),
    h('tbody', {}, ...model.rows.map((r) => h('tr', { 'data-t': r.t, class: r.mark ? 'marked' : null }, ...r.cells.map(td)))),
    model.totals ? h('tfoot', {}, h('tr', { id: totalsId }, ...model.totals.map(td))) : null);
  if (model.sortable) makeSortable(table);
  return table;
}
