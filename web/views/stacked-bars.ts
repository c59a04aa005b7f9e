/**
 * Horizontal bars split into coloured segments, each bar 100% of its row's
 * votes: how a group (an education level, an income band) divides between
 * parties or candidates. A legend names the series; the figure's data table
 * (figure.ts) is the text alternative.
 */
import { fillAttribute } from './color.ts';
import { formatNumber, formatPercent } from './format.ts';
import { html, type SafeHtml } from './html.ts';

export interface Series {
  key: string;
  label: string;
  color?: string | null;
}

export interface StackedRow {
  label: string;
  /** Votes per series key. */
  values: Record<string, number>;
}

const ROW_HEIGHT = 22;
const GAP = 8;
const WIDTH = 420;
const LABEL_WIDTH = 130;
const LEGEND_ROW = 18;
const LEGEND_COLUMNS = 2;

export function stackedBars(rows: StackedRow[], series: Series[], options: { title: string }): SafeHtml {
  const span = WIDTH - LABEL_WIDTH - 10;
  const legendTop = rows.length * (ROW_HEIGHT + GAP) + 6;
  const legendRows = Math.ceil(series.length / LEGEND_COLUMNS);
  const height = legendTop + legendRows * LEGEND_ROW;
  const bars = rows.map((row, i) => {
    const y = i * (ROW_HEIGHT + GAP);
    const total = series.reduce((sum, s) => sum + (row.values[s.key] ?? 0), 0);
    let x = LABEL_WIDTH;
    const segments = series.map((s) => {
      const value = row.values[s.key] ?? 0;
      if (total <= 0 || value <= 0) return '';
      const width = (value / total) * span;
      const segment = html`<rect class="segment"${fillAttribute(s.color)} x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${ROW_HEIGHT}"><title>${row.label}, ${s.label}: ${formatNumber(value)} (${formatPercent(value / total)})</title></rect>`;
      x += width;
      return segment;
    });
    return html`<g class="stack"><text class="bar-label" x="${LABEL_WIDTH - 8}" y="${y + ROW_HEIGHT / 2}" text-anchor="end" dominant-baseline="central">${row.label}</text>${segments}</g>`;
  });
  const legend = series.map((s, i) => {
    const x = (i % LEGEND_COLUMNS) * (WIDTH / LEGEND_COLUMNS);
    const y = legendTop + Math.floor(i / LEGEND_COLUMNS) * LEGEND_ROW;
    return html`<g class="legend-item"><rect class="segment"${fillAttribute(s.color)} x="${x}" y="${y + 3}" width="12" height="12" rx="2"></rect><text class="bar-label" x="${x + 18}" y="${y + 9}" dominant-baseline="central">${s.label}</text></g>`;
  });
  return html`<svg class="chart stacked-bars" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${options.title}" preserveAspectRatio="xMinYMin meet">${bars}${legend}</svg>`;
}
