/**
 * A chart with its text alternative: the SVG carries an aria-label that
 * summarises it, and a disclosure below holds the same figures as a table
 * (keyboard-reachable, read by screen readers as a table).
 */
import { html, type SafeHtml } from './html.ts';

export interface SimpleColumn {
  label: string;
  numeric?: boolean;
}

type CellContent = SafeHtml | string | number;

/** A read-only table: caption, column headers with scope, the first cell of each row a row header. */
export function simpleTable(
  caption: string,
  columns: SimpleColumn[],
  rows: CellContent[][],
  empty = 'No data yet',
): SafeHtml {
  const head = columns.map((c) => html`<th scope="col"${c.numeric ? html` class="numeric"` : ''}>${c.label}</th>`);
  const body = rows.map(
    (row) =>
      html`<tr>${row.map((cell, i) => {
        const numeric = columns[i]?.numeric ? html` class="numeric"` : '';
        const content = typeof cell === 'number' ? String(cell) : cell;
        return i === 0 ? html`<th scope="row"${numeric}>${content}</th>` : html`<td${numeric}>${content}</td>`;
      })}</tr>`,
  );
  const none = rows.length === 0 ? html`<tr><td colspan="${columns.length}" class="empty">${empty}</td></tr>` : '';
  return html`<table><caption>${caption}</caption><thead><tr>${head}</tr></thead><tbody>${body}${none}</tbody></table>`;
}

export function chartFigure(chart: SafeHtml, table: SafeHtml): SafeHtml {
  return html`<figure class="chart-figure">${chart}<details class="chart-data"><summary>Figures as a table</summary><div class="table-scroll">${table}</div></details></figure>`;
}

/** What a panel shows before its tables have rows. */
export function emptyState(message: string): SafeHtml {
  return html`<p class="empty-state">${message}</p>`;
}
