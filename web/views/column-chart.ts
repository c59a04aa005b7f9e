/**
 * Vertical columns along a time axis (votes per hour), labelled below each
 * column; server-rendered SVG, coloured by the theme.
 */
import { formatNumber } from './format.ts';
import { html, type SafeHtml } from './html.ts';

export interface Column {
  label: string;
  value: number;
}

const WIDTH = 420;
const HEIGHT = 180;
const AXIS = 22;
const TOP = 16;
// Room for the first and last labels, centred under their columns.
const SIDE = 18;

export function columnChart(columns: Column[], options: { title: string }): SafeHtml {
  const max = Math.max(0, ...columns.map((c) => c.value));
  const slot = (WIDTH - 2 * SIDE) / Math.max(1, columns.length);
  const barWidth = Math.max(2, slot * 0.7);
  const plot = HEIGHT - AXIS - TOP;
  // Every label when they fit, otherwise every n-th, so that they never overlap.
  const labelEvery = Math.max(1, Math.ceil(columns.length / 12));
  const bars = columns.map((column, i) => {
    const h = max > 0 ? (column.value / max) * plot : 0;
    const x = SIDE + i * slot + (slot - barWidth) / 2;
    const label =
      i % labelEvery === 0
        ? html`<text class="axis-label" x="${(x + barWidth / 2).toFixed(1)}" y="${HEIGHT - 6}" text-anchor="middle">${column.label}</text>`
        : '';
    return html`<g class="column"><title>${column.label}: ${formatNumber(column.value)}</title><rect class="bar-fill" x="${x.toFixed(1)}" y="${(TOP + plot - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" rx="2"></rect>${label}</g>`;
  });
  return html`<svg class="chart column-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}" preserveAspectRatio="xMinYMin meet"><line class="axis" x1="0" x2="${WIDTH}" y1="${TOP + plot}" y2="${TOP + plot}"></line>${bars}</svg>`;
}
