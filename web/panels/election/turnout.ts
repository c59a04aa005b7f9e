/**
 * Turnout by region, each region a button that loads its constituencies and
 * their results (GET /regions/:id, an htmx request) into the region panel.
 */
import { barChart } from '../../views/bar-chart.ts';
import { emptyState, simpleTable } from '../../views/figure.ts';
import { formatNumber, formatPercent } from '../../views/format.ts';
import { html, type SafeHtml } from '../../views/html.ts';
import type { LivePanel } from '../live-panel.ts';
import type { ConstituencyResultRow } from './queries.ts';
import { queriesOf, swatch } from './shared.ts';

export const REGION_DETAIL_ID = 'region-detail';

export const turnoutPanel: LivePanel = {
  key: 'election-turnout',
  title: 'Turnout by region',
  reads: ['turnout_by_region', 'dim_regions'],
  async render(context) {
    const regions = await queriesOf(context).turnoutByRegion();
    if (regions.length === 0) return emptyState('No turnout reported yet.');
    const chart = barChart(
      regions.map((r) => ({ label: r.name ?? r.region_id, value: r.turnout })),
      { title: 'Turnout by region', format: formatPercent, maxBars: 50 },
    );
    const table = simpleTable(
      'Turnout by region; choose a region to see its constituencies',
      [
        { label: 'Region' },
        { label: 'Registered', numeric: true },
        { label: 'Voted', numeric: true },
        { label: 'Turnout', numeric: true },
      ],
      regions.map((r) => [
        html`<button type="button" class="drill" id="region-drill-${r.region_id}" hx-get="/regions/${encodeURIComponent(r.region_id)}" hx-target="#${REGION_DETAIL_ID}" aria-controls="${REGION_DETAIL_ID}" data-region="${r.region_id}">${r.name ?? r.region_id}</button>`,
        formatNumber(r.registered),
        formatNumber(r.voted),
        formatPercent(r.turnout),
      ]),
    );
    return html`${chart}<div class="table-scroll">${table}</div>`;
  },
};

/** The region panel: empty until a region is chosen; pages re-fetch their own region when results change. */
export const regionPanel: LivePanel = {
  key: 'election-region',
  title: 'Constituencies of a region',
  reads: ['turnout_by_constituency', 'votes_by_constituency_candidate', 'dim_constituencies', 'dim_candidates'],
  refreshTarget: `#${REGION_DETAIL_ID}`,
  wide: true,
  async render() {
    return html`<div id="${REGION_DETAIL_ID}">${emptyState('Choose a region under Turnout by region to see its constituencies and their results.')}</div>`;
  },
};

/** The fragment GET /regions/:id answers: the region's constituencies, turnout and leading candidate. */
export function regionDetail(regionId: string, name: string | null, rows: ConstituencyResultRow[]): SafeHtml {
  const title = `Constituencies of ${name ?? regionId}`;
  const table = simpleTable(
    title,
    [
      { label: 'Constituency' },
      { label: 'Turnout', numeric: true },
      { label: 'Voted', numeric: true },
      { label: 'Leading' },
      { label: 'Votes', numeric: true },
      { label: 'Margin', numeric: true },
    ],
    rows.map((r) => [
      r.name ?? r.constituency_id,
      formatPercent(r.turnout),
      formatNumber(r.voted),
      r.winner_id
        ? html`${swatch(r.winner_color)} ${r.winner_name ?? r.winner_id} (${r.winner_party ?? ''})${r.tied ? html` <span class="tag">tied</span>` : ''}`
        : html`<span class="undeclared">undeclared</span>`,
      formatNumber(r.winner_votes),
      r.winner_id ? formatNumber(r.winner_votes - r.runner_up_votes) : '',
    ]),
    'No constituencies in this region yet.',
  );
  return html`<div data-src="/regions/${encodeURIComponent(regionId)}" data-region="${regionId}"><h3>${title}</h3><div class="table-scroll">${table}</div></div>`;
}
