/**
 * A table snapshot as an accessible HTML table. Column headers are buttons
 * that the page's own script (assets/dashboard.js) uses to sort rows in the
 * browser; `data-sort` carries the raw value so numbers sort as numbers.
 */
import type { CellValue, TableSnapshot } from '../panels/source.ts';
import { formatCell, humanise, panelId } from './format.ts';
import { html, type SafeHtml } from './html.ts';

function sortKey(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return String(value.getTime());
  return String(value);
}

export function dataTable(snapshot: TableSnapshot, caption: string): SafeHtml {
  const { table, rows } = snapshot;
  const id = panelId(table.name);
  const headers = table.columns.map((column, index) => {
    const sort = column.name === snapshot.orderedBy ? 'descending' : 'none';
    const numeric = column.kind === 'number' ? ' numeric' : '';
    return html`<th scope="col" class="${numeric}" aria-sort="${sort}" data-kind="${column.kind}"><button type="button" class="sort" id="${id}-sort-${index}">${humanise(column.name)}</button></th>`;
  });
  const body = rows.map(
    (row) =>
      html`<tr>${table.columns.map((column) => {
        const value = row[column.name] ?? null;
        const numeric = column.kind === 'number' ? 'numeric' : '';
        return html`<td class="${numeric}" data-sort="${sortKey(value)}">${formatCell(value)}</td>`;
      })}</tr>`,
  );
  const empty =
    rows.length === 0 ? html`<tr><td colspan="${table.columns.length}" class="empty">No rows yet</td></tr>` : '';
  return html`<div class="table-scroll" id="${id}-rows" tabindex="0" role="region" aria-label="${caption}"><table><caption>${caption}</caption><thead><tr>${headers}</tr></thead><tbody>${body}${empty}</tbody></table></div>`;
}
