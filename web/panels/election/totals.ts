/** Totals: registered voters, votes counted, turnout, candidates, and when the sink last changed anything. */

import type { PipelineMonitor } from '../../pipeline/monitor.ts';
import { formatNumber, formatPercent, formatUtc } from '../../views/format.ts';
import { html } from '../../views/html.ts';
import type { LivePanel } from '../live-panel.ts';
import { queriesOf } from './shared.ts';

export function totalsPanel(monitor?: PipelineMonitor): LivePanel {
  return {
    key: 'election-totals',
    title: 'Totals',
    reads: ['turnout_by_region', 'dim_candidates'],
    async render(context) {
      const totals = await queriesOf(context).totals();
      monitor?.noteVotesCounted(totals.voted, context.now);
      const last = monitor?.lastChangeAt;
      const item = (name: string, key: string, value: string) =>
        html`<div class="total"><dt>${name}</dt><dd data-total="${key}">${value}</dd></div>`;
      return html`<dl class="totals">${[
        item('Registered voters', 'registered', formatNumber(totals.registered)),
        item('Votes counted', 'voted', formatNumber(totals.voted)),
        item('Turnout', 'turnout', formatPercent(totals.turnout)),
        item('Candidates', 'candidates', formatNumber(totals.candidates)),
      ]}</dl><p class="note">Last update: ${
        last === undefined
          ? 'no change since the dashboard started'
          : html`<time datetime="${new Date(last).toISOString()}">${formatUtc(last, true)}</time>`
      }</p>`;
    },
  };
}
