/** Votes by candidate and votes by party, as bars in the parties' colours, each with its figures as a table. */
import { barChart } from '../../views/bar-chart.ts';
import { chartFigure, emptyState, simpleTable } from '../../views/figure.ts';
import { formatNumber, formatPercent } from '../../views/format.ts';
import { html } from '../../views/html.ts';
import type { LivePanel } from '../live-panel.ts';
import { candidateName, partyName, queriesOf, swatch } from './shared.ts';

const SHOWN_CANDIDATES = 12;

export const candidatesPanel: LivePanel = {
  key: 'election-candidates',
  title: 'Votes by candidate',
  reads: ['votes_by_candidate', 'dim_candidates', 'dim_parties'],
  async render(context) {
    const queries = queriesOf(context);
    const [rows, count] = await Promise.all([
      queries.votesByCandidate(SHOWN_CANDIDATES),
      queries.countCandidatesWithVotes(),
    ]);
    if (rows.length === 0) return emptyState('No votes counted yet.');
    const title =
      count > rows.length ? `Votes by candidate, the ${rows.length} with most of ${count}` : 'Votes by candidate';
    const chart = barChart(
      rows.map((r) => ({ label: candidateName(r), value: r.votes, color: r.color })),
      { title, maxBars: SHOWN_CANDIDATES },
    );
    const table = simpleTable(
      title,
      [{ label: 'Candidate' }, { label: 'Party' }, { label: 'Votes', numeric: true }],
      rows.map((r) => [
        candidateName(r),
        html`${swatch(r.color)} ${partyName({ party_id: r.party_id, name: r.party_name })}`,
        formatNumber(r.votes),
      ]),
    );
    return chartFigure(chart, table);
  },
};

export const partiesPanel: LivePanel = {
  key: 'election-parties',
  title: 'Votes by party',
  reads: ['votes_by_party', 'dim_parties'],
  async render(context) {
    const rows = await queriesOf(context).votesByParty();
    if (rows.length === 0) return emptyState('No votes counted yet.');
    const total = rows.reduce((sum, r) => sum + r.votes, 0);
    const chart = barChart(
      rows.map((r) => ({ label: partyName(r), value: r.votes, color: r.color })),
      { title: 'Votes by party' },
    );
    const table = simpleTable(
      'Votes by party',
      [{ label: 'Party' }, { label: 'Votes', numeric: true }, { label: 'Share', numeric: true }],
      rows.map((r) => [
        html`${swatch(r.color)} ${partyName(r)}`,
        formatNumber(r.votes),
        formatPercent(total > 0 ? r.votes / total : 0),
      ]),
    );
    return chartFigure(chart, table);
  },
};
