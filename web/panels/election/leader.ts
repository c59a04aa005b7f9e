/** The leading candidate (most votes; ties to the smallest candidate_id), with avatar and margin over the runner-up. */

import { emptyState } from '../../views/figure.ts';
import { formatNumber } from '../../views/format.ts';
import { html } from '../../views/html.ts';
import type { LivePanel } from '../live-panel.ts';
import { avatar, candidateName, partyName, queriesOf, swatch } from './shared.ts';

export const leaderPanel: LivePanel = {
  key: 'election-leader',
  title: 'Leading candidate',
  reads: ['votes_by_candidate', 'dim_candidates', 'dim_parties'],
  async render(context) {
    const result = await queriesOf(context).leader();
    if (!result) return emptyState('No votes counted yet.');
    const { leader, runnerUp, margin } = result;
    const name = candidateName(leader);
    const party = partyName({ party_id: leader.party_id, name: leader.party_name });
    const behind = runnerUp
      ? html`<p class="margin">Ahead of ${candidateName(runnerUp)} by <strong data-value="margin">${formatNumber(margin)}</strong> ${margin === 1 ? 'vote' : 'votes'}${margin === 0 ? ' (tied: the smallest candidate id leads)' : ''}.</p>`
      : html`<p class="margin">No other candidate has a vote yet.</p>`;
    return html`<div class="leader">${avatar(leader.photo, name)}<div><p class="leader-name" data-value="leader">${name}</p><p class="leader-party">${swatch(leader.color)} ${party}</p><p><strong data-value="leader-votes">${formatNumber(leader.votes)}</strong> votes</p>${behind}</div></div>`;
  },
};
