/** Integrity alerts: records by kind, repeat voters, and the latest events, newest first. */
import { emptyState, simpleTable } from '../../views/figure.ts';
import { formatNumber, formatUtc } from '../../views/format.ts';
import { html } from '../../views/html.ts';
import type { LivePanel } from '../live-panel.ts';
import { label, queriesOf } from './shared.ts';

export const LATEST_EVENTS = 10;

/** A voter's UUID shortened to its first 8 characters; the whole of it in the title. */
function shortId(id: string | null) {
  if (!id) return '';
  return id.length > 12
    ? html`<code class="id" title="${id}">${id.slice(0, 8)}…</code>`
    : html`<code class="id">${id}</code>`;
}

export const integrityPanel: LivePanel = {
  key: 'election-integrity',
  title: 'Integrity alerts',
  reads: ['integrity_counts', 'integrity_events'],
  async render(context) {
    const { counts, repeatVoters, latest } = await queriesOf(context).integrity(LATEST_EVENTS);
    const items = counts.map(
      (c) =>
        html`<div class="total"><dt>${label(c.kind)}</dt><dd data-total="${c.kind}">${formatNumber(c.records)}</dd></div>`,
    );
    const events =
      latest.length === 0
        ? emptyState('No integrity events yet.')
        : html`<div class="table-scroll">${simpleTable(
            `The latest ${latest.length} integrity events, newest first`,
            [
              { label: 'Cast at (UTC)' },
              { label: 'Kind' },
              { label: 'Voter' },
              { label: 'Candidate' },
              { label: 'Station' },
              { label: 'Reason' },
            ],
            latest.map((e) => [
              e.cast_at === null ? '' : formatUtc(e.cast_at, true),
              label(e.kind),
              shortId(e.voter_id),
              e.candidate_id ?? '',
              e.polling_station_id ?? '',
              e.reason ?? '',
            ]),
          )}</div>`;
    return html`<dl class="totals">${items}<div class="total"><dt>Repeat voters</dt><dd data-total="repeat_voters">${formatNumber(repeatVoters)}</dd></div></dl>${events}`;
  },
};
