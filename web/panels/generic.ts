/**
 * The panel any table gets: a totals header, a bar chart when the table has a
 * text column to label bars and a numeric column to size them, and the first
 * rows as a sortable table.
 */
import { barChart } from '../views/bar-chart.ts';
import { dataTable } from '../views/data-table.ts';
import { formatNumber, humanise } from '../views/format.ts';
import { html, type SafeHtml } from '../views/html.ts';
import type { PanelView } from './registry.ts';
import type { TableSnapshot } from './source.ts';

export function totalsHeader(snapshot: TableSnapshot): SafeHtml {
  const items = [
    html`<div class="total"><dt>Rows</dt><dd data-total="rows">${formatNumber(snapshot.rowCount)}</dd></div>`,
    ...Object.entries(snapshot.totals).map(
      ([column, total]) =>
        html`<div class="total"><dt>Total ${humanise(column).toLowerCase()}</dt><dd data-total="${column}">${formatNumber(total)}</dd></div>`,
    ),
  ];
  return html`<dl class="totals">${items}</dl>`;
}

/** The text column that labels bars and the numeric column that sizes them, when a table has both. */
export function chartColumns(snapshot: TableSnapshot): { label: string; value: string } | undefined {
  const label = snapshot.table.columns.find((c) => c.kind === 'text')?.name;
  const value = snapshot.orderedBy;
  return label && value ? { label, value } : undefined;
}

export const genericPanel: PanelView = {
  title: (snapshot) => humanise(snapshot.table.name),
  body(snapshot) {
    const title = humanise(snapshot.table.name);
    const columns = chartColumns(snapshot);
    const chart = columns
      ? barChart(
          snapshot.rows.map((row) => ({
            label: String(row[columns.label] ?? ''),
            value: Number(row[columns.value] ?? 0),
          })),
          { title: `${title}: ${humanise(columns.value).toLowerCase()} by ${humanise(columns.label).toLowerCase()}` },
        )
      : '';
    return html`${totalsHeader(snapshot)}${chart}${dataTable(snapshot, `${title}, first ${snapshot.rows.length} of ${formatNumber(snapshot.rowCount)} rows`)}`;
  },
};
