/**
 * The panel any table gets: a totals header, a bar chart when the table has a
 * text column to label bars and a numeric column to size them, and the first
 * rows as a sortable table.
 */
import { barChart } from '../views/bar-chart.ts';
import { dataTable } from '../views/data-table.ts';
import { formatCell, formatNumber, humanise } from '../views/format.ts';
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

/**
 * The columns that label bars (the key columns, so that each bar names its
 * row, else the first text column) and the numeric column that sizes them,
 * when a table has both.
 */
export function chartColumns(snapshot: TableSnapshot): { labels: string[]; value: string } | undefined {
  const columns = snapshot.table.columns;
  const key = columns.filter((c) => c.key && c.kind !== 'other').map((c) => c.name);
  const labels =
    key.length > 0
      ? key
      : columns
          .filter((c) => c.kind === 'text')
          .map((c) => c.name)
          .slice(0, 1);
  const value = snapshot.orderedBy;
  return labels.length > 0 && value ? { labels, value } : undefined;
}

function barLabel(row: TableSnapshot['rows'][number], labels: readonly string[]): string {
  // Numbers in a key are names (a year, an hour): no digit grouping.
  return labels
    .map((name) => {
      const value = row[name] ?? null;
      return typeof value === 'number' ? String(value) : formatCell(value);
    })
    .join(' · ');
}

export const genericPanel: PanelView = {
  title: (snapshot) => humanise(snapshot.table.name),
  body(snapshot) {
    const title = humanise(snapshot.table.name);
    const columns = chartColumns(snapshot);
    const chart = columns
      ? barChart(
          snapshot.rows.map((row) => ({
            label: barLabel(row, columns.labels),
            value: Number(row[columns.value] ?? 0),
          })),
          {
            title: `${title}: ${humanise(columns.value).toLowerCase()} by ${columns.labels.map((l) => humanise(l).toLowerCase()).join(' and ')}`,
          },
        )
      : '';
    return html`${totalsHeader(snapshot)}${chart}${dataTable(snapshot, `${title}, first ${snapshot.rows.length} of ${formatNumber(snapshot.rowCount)} rows`)}`;
  },
};
