// The data table under a chart: table#data-table, one tbody row per bucket (tr[data-t] with the raw
// bucket label), tfoot tr#totals-row; every numeric cell carries the API's raw value in data-value
// (no attribute when the value is null).
import { h } from '../dom';
import type { Cell, TableModel } from './view';

const td = (c: Cell) => h('td', {
  'data-value': c.value === undefined || c.value === null ? null : String(c.value),
  'data-key': c.key ?? null,
  class: c.value === undefined ? 'cell-text' : 'cell-num',
}, c.text);

export function renderTable(model: TableModel, caption: string): HTMLTableElement {
  return h('table', { id: 'data-table', class: 'data-table' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, ...model.head.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, ...model.rows.map((r) => h('tr', { 'data-t': r.t }, ...r.cells.map(td)))),
    model.totals ? h('tfoot', {}, h('tr', { id: 'totals-row' }, ...model.totals.map(td))) : null);
}
