/**
 * Polling stations: the top ones by votes by default, sortable by column,
 * filterable by name and region, paginated. Sorting, filtering and paging
 * are htmx GETs of /stations with query parameters; the page keeps its own
 * choice across live updates (the hub tells it to re-fetch, see live-panel.ts).
 */
import { formatNumber } from '../../views/format.ts';
import { html, type SafeHtml } from '../../views/html.ts';
import type { LivePanel } from '../live-panel.ts';
import type { SortDirection, StationPage, StationQuery, StationSort } from './queries.ts';
import { queriesOf } from './shared.ts';

export const STATIONS_RESULTS_ID = 'stations-results';
export const STATIONS_PAGE_SIZE = 10;

/** The query parameters of a state, in a fixed order (the page compares them). */
export function stationsQueryString(query: Required<Omit<StationQuery, 'pageSize'>>): string {
  return new URLSearchParams({
    q: query.q,
    region: query.region,
    sort: query.sort,
    dir: query.dir,
    page: String(query.page),
  }).toString();
}

export function normaliseStationQuery(query: StationQuery): Required<Omit<StationQuery, 'pageSize'>> {
  const sort = query.sort ?? 'votes';
  return {
    q: query.q ?? '',
    region: query.region ?? '',
    sort,
    dir: query.dir ?? (sort === 'votes' ? 'desc' : 'asc'),
    page: query.page ?? 1,
  };
}

const COLUMNS: { sort: StationSort; label: string; numeric?: boolean }[] = [
  { sort: 'name', label: 'Polling station' },
  { sort: 'region', label: 'Region' },
  { sort: 'id', label: 'Id' },
  { sort: 'votes', label: 'Votes', numeric: true },
];

/** The inner HTML of #stations-results: the table, its sort buttons and the pager. */
export function stationsResults(result: StationPage, query: StationQuery): SafeHtml {
  const state = normaliseStationQuery(query);
  const url = (changes: Partial<typeof state>) => `/stations?${stationsQueryString({ ...state, ...changes })}`;
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const headers = COLUMNS.map((column) => {
    const current = state.sort === column.sort;
    const next: SortDirection = current ? (state.dir === 'asc' ? 'desc' : 'asc') : column.numeric ? 'desc' : 'asc';
    const ariaSort = current ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none';
    return html`<th scope="col" aria-sort="${ariaSort}"${column.numeric ? html` class="numeric"` : ''}><button type="button" class="sort" id="stations-sort-${column.sort}" hx-get="${url({ sort: column.sort, dir: next, page: 1 })}" hx-target="#${STATIONS_RESULTS_ID}">${column.label}</button></th>`;
  });
  const rows = result.rows.map(
    (r) =>
      html`<tr><th scope="row">${r.name ?? r.polling_station_id}</th><td>${r.region_name ?? r.region_id ?? ''}</td><td>${r.polling_station_id}</td><td class="numeric">${formatNumber(r.votes)}</td></tr>`,
  );
  const filtered = state.q || state.region ? ' matching the filter' : '';
  const caption = `Polling stations${filtered} by ${COLUMNS.find((c) => c.sort === state.sort)?.label.toLowerCase()}, ${state.dir === 'asc' ? 'ascending' : 'descending'}; page ${state.page} of ${pages}, ${formatNumber(result.total)} stations`;
  const empty =
    result.rows.length === 0
      ? html`<tr><td colspan="4" class="empty">No polling station${filtered ? ' matches' : ' has votes yet'}.</td></tr>`
      : '';
  // Stable ids: htmx gives focus back to the element with the focused one's id after a swap.
  const pageButton = (label: string, page: number, enabled: boolean) =>
    enabled
      ? html`<button type="button" class="pager-button" id="stations-${label.toLowerCase()}" hx-get="${url({ page })}" hx-target="#${STATIONS_RESULTS_ID}">${label}</button>`
      : html`<button type="button" class="pager-button" id="stations-${label.toLowerCase()}" disabled>${label}</button>`;
  return html`<div data-src="${url({})}"><fieldset class="stations-order" hidden><input type="hidden" name="sort" value="${state.sort}"><input type="hidden" name="dir" value="${state.dir}"></fieldset><div class="table-scroll"><table><caption>${caption}</caption><thead><tr>${headers}</tr></thead><tbody>${rows}${empty}</tbody></table></div><nav class="pager" aria-label="Polling station pages">${pageButton('Previous', state.page - 1, state.page > 1)}<span>Page ${state.page} of ${pages}</span>${pageButton('Next', state.page + 1, state.page < pages)}</nav></div>`;
}

export const stationsPanel: LivePanel = {
  key: 'election-stations',
  title: 'Polling stations',
  reads: ['votes_by_polling_station', 'dim_polling_stations', 'dim_regions'],
  refreshTarget: `#${STATIONS_RESULTS_ID}`,
  async render(context) {
    const queries = queriesOf(context);
    const [page, regions] = await Promise.all([queries.stations({ pageSize: STATIONS_PAGE_SIZE }), queries.regions()]);
    const options = regions.map((r) => html`<option value="${r.region_id}">${r.name ?? r.region_id}</option>`);
    const form = html`<form id="stations-filter" class="filters" role="search" aria-label="Filter polling stations" hx-get="/stations" hx-target="#${STATIONS_RESULTS_ID}" hx-trigger="input delay:400ms, change, submit" hx-include="#${STATIONS_RESULTS_ID} .stations-order"><label for="stations-q">Name</label><input type="search" id="stations-q" name="q" maxlength="100" autocomplete="off"><label for="stations-region">Region</label><select id="stations-region" name="region"><option value="">All regions</option>${options}</select><button type="submit">Filter</button></form>`;
    return html`${form}<div id="${STATIONS_RESULTS_ID}">${stationsResults(page, {})}</div>`;
  },
};
