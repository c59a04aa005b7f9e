/**
 * A horizontal bar chart as server-rendered SVG: no client library, testable
 * as a string, styled by CSS classes (inline styles are barred by the CSP),
 * so it follows the light or dark theme.
 */
import { fillAttribute } from './color.ts';
import { formatNumber } from './format.ts';
import { html, type SafeHtml } from './html.ts';

export interface Bar {
  label: string;
  value: number;
  /** A fill colour (`#rrggbb`, e.g. a party's); the theme's bar colour otherwise. */
  color?: string | null;
}

export interface BarChartOptions {
  /** Accessible name of the chart. */
  title: string;
  /** At most this many bars (the first ones). */
  maxBars?: number;
  /** How a value is written beside its bar (grouped digits by default). */
  format?: (value: number) => string;
}

const BAR_HEIGHT = 22;
const GAP = 6;
// A narrow viewBox, so that text scaled to a phone's width stays readable.
const WIDTH = 420;
const LABEL_WIDTH = 140;
const VALUE_WIDTH = 70;
const LABEL_CHARS = 16;

export function barChart(bars: Bar[], options: BarChartOptions): SafeHtml {
  const shown = bars.slice(0, options.maxBars ?? 12);
  const max = Math.max(0, ...shown.map((b) => b.value));
  const height = Math.max(1, shown.length * (BAR_HEIGHT + GAP) - GAP);
  const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const format = options.format ?? formatNumber;
  const rows = shown.map((bar, i) => {
    const y = i * (BAR_HEIGHT + GAP);
    const width = max > 0 && bar.value > 0 ? Math.max(1, (bar.value / max) * span) : 0;
    const label = bar.label.length > LABEL_CHARS ? `${bar.label.slice(0, LABEL_CHARS - 1)}…` : bar.label;
    return html`<g class="bar"><title>${bar.label}: ${format(bar.value)}</title><text class="bar-label" x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT / 2}" text-anchor="end" dominant-baseline="central">${label}</text><rect class="bar-fill"${fillAttribute(bar.color)} x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="3"></rect><text class="bar-value" x="${LABEL_WIDTH + width + 6}" y="${y + BAR_HEIGHT / 2}" dominant-baseline="central">${format(bar.value)}</text></g>`;
  });
  return html`<svg class="bar-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${options.title}" preserveAspectRatio="xMinYMin meet">${rows}</svg>`;
}
