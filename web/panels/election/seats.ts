/**
 * Seats: constituencies won per party, as a hemicycle, with the constituencies
 * still open (no vote yet) as undeclared seats.
 */
import { chartFigure, emptyState, simpleTable } from '../../views/figure.ts';
import { formatNumber } from '../../views/format.ts';
import { hemicycle } from '../../views/hemicycle.ts';
import { html } from '../../views/html.ts';
import type { LivePanel } from '../live-panel.ts';
import { partyName, queriesOf, swatch } from './shared.ts';

export const seatsPanel: LivePanel = {
  key: 'election-seats',
  title: 'Seats',
  reads: ['votes_by_constituency_candidate', 'dim_parties', 'dim_constituencies'],
  async render(context) {
    const { seats, declared, open } = await queriesOf(context).seats();
    if (declared + open === 0) return emptyState('No constituency has reported yet.');
    const summary = `${formatNumber(declared)} of ${formatNumber(declared + open)} constituencies declared, ${formatNumber(open)} undeclared`;
    const chart = hemicycle(
      seats.map((s) => ({ label: `${partyName(s)}: ${formatNumber(s.seats)}`, seats: s.seats, color: s.color })),
      open,
      { title: `Seats won: ${seats.map((s) => `${partyName(s)} ${s.seats}`).join(', ') || 'none yet'}; ${summary}` },
    );
    const rows = [
      ...seats.map((s) => [html`${swatch(s.color)} ${partyName(s)}`, formatNumber(s.seats)]),
      [html`<span class="undeclared">Undeclared (projected)</span>`, formatNumber(open)],
    ];
    return html`<p class="note" data-value="seats-summary">${summary}.</p>${chartFigure(chart, simpleTable('Seats by party', [{ label: 'Party' }, { label: 'Seats', numeric: true }], rows))}`;
  },
};
