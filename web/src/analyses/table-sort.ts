// Click a column heading to sort the table's body by that column (again: the other way). Numeric
// cells sort by their raw data-value (a null value goes last either way), text cells by their text
// in the page's language. The heading is a button (keyboard users sort too) and carries aria-sort.
import { h } from '../dom';
import { lang } from '../i18n';

type Direction = 'ascending' | 'descending';

function cellKey(td: Element | undefined): { n: number | null; s: string } {
  const raw = td?.getAttribute('data-value');
  const numeric = td?.classList.contains('cell-num');
  return { n: numeric && raw !== null && raw !== undefined ? Number(raw) : null, s: td?.textContent ?? '' };
}

function sortBy(table: HTMLTableElement, column: number, direction: Direction): void {
  const body = table.tBodies[0];
  if (!body) return;
  const sign = direction === 'ascending' ? 1 : -1;
  const collator = new Intl.Collator(lang() === 'ja' ? 'ja' : 'en', { numeric: true });
  const rows = [...body.rows];
  const numericColumn = rows.some((r) => r.cells[column]?.classList.contains('cell-num'));
  rows.sort((a, b) => {
    const x = cellKey(a.cells[column]), y = cellKey(b.cells[column]);
    if (numericColumn) {
      if (x.n === null || y.n === null) return x.n === y.n ? 0 : x.n === null ? 1 : -1;
      return sign * (x.n - y.n);
    }
    return sign * collator.compare(x.s, y.s);
  });
  body.append(...rows);
}

export function makeSortable(table: HTMLTableElement): void {
  const heads = [...table.querySelectorAll<HTMLTableCellElement>('thead th')];
  heads.forEach((th, column) => {
    const button = h('button', { type: 'button', class: 'sort-button', 'data-column': column }, th.textContent ?? '');
    th.replaceChildren(button);
    button.addEventListener('click', () => {
      // Numbers start with the largest (what people look for first), text from A / あ.
      const numeric = table.tBodies[0]?.rows[0]?.cells[column]?.classList.contains('cell-num');
      const current = th.getAttribute('aria-sort');
      const next: Direction = current === 'descending' ? 'ascending' : current === 'ascending' ? 'descending' : numeric ? 'descending' : 'ascending';
      heads.forEach((other) => other.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', next);
      sortBy(table, column, next);
    });
  });
}
