// A table of the live view that is filled again at each poll: one `tr[data-key]` per row, every
// figure written for reading and kept raw in `data-value` (its column in `data-key`). The body is
// rebuilt only when the rows changed, so a link or selection in it is not replaced every 2 s.

import { h, clear } from '../dom';

export interface Column<R> {
  key: string;
  label: string;
  value: (row: R) => string | number | null;
  // How the value is shown (default: the value itself); a Node for a link.
  show?: (row: R) => Node | string;
  text?: boolean;   // a text column (left-aligned); figures are right-aligned
}

export class LiveTable<R> {
  readonly element: HTMLElement;
  private body: HTMLTableSectionElement;
  private last = '';

  constructor(id: string, caption: string, private columns: Column<R>[], private rowKey: (row: R) => string, private empty: string) {
    this.body = h('tbody');
    this.element = h('div', { class: 'table-wrap' },
      h('table', { id, class: 'data-table ops-table' },
        h('caption', { class: 'sr-only' }, caption),
        h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.text ? 'head-text' : null }, c.label)))),
        this.body));
    this.update([]);
  }

  update(rows: R[]): void {
    const signature = JSON.stringify(rows);
    if (signature === this.last) return;
    this.last = signature;
    clear(this.body);
    if (rows.length === 0) {
      this.body.append(h('tr', { class: 'empty-row' }, h('td', { colspan: this.columns.length, class: 'cell-text muted' }, this.empty)));
      return;
    }
    for (const row of rows) {
      this.body.append(h('tr', { 'data-key': this.rowKey(row) }, this.columns.map((c) => {
        const raw = c.value(row);
        return h('td', { class: c.text ? 'cell-text' : 'cell-num', 'data-key': c.key, 'data-value': raw === null ? '' : String(raw) },
          c.show ? c.show(row) : raw === null ? '—' : String(raw));
      })));
    }
  }
}
