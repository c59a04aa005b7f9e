/** Hourly turnout, voting methods, education by party and income band by candidate. */
import { EDUCATION_LEVELS, INCOME_BANDS, VOTE_METHODS } from '../../../producers/model.ts';
import { barChart } from '../../views/bar-chart.ts';
import { SERIES_COLORS } from '../../views/color.ts';
import { columnChart } from '../../views/column-chart.ts';
import { chartFigure, emptyState, simpleTable } from '../../views/figure.ts';
import { formatHourUtc, formatNumber, formatPercent, formatUtc } from '../../views/format.ts';
import { type Series, type StackedRow, stackedBars } from '../../views/stacked-bars.ts';
import type { LivePanel } from '../live-panel.ts';
import type { Cell } from './queries.ts';
import { label, queriesOf } from './shared.ts';

/** Known values in the model's order first, then any others the data has, sorted. */
function ordered(known: readonly string[], present: Iterable<string>): string[] {
  const seen = new Set(present);
  return [...known.filter((k) => seen.has(k)), ...[...seen].filter((v) => !known.includes(v)).sort()];
}

function stackedFigure(cells: Cell[], rowOrder: string[], series: Series[], title: string) {
  const rows: StackedRow[] = rowOrder.map((row) => ({
    label: label(row),
    values: Object.fromEntries(cells.filter((c) => c.row === row).map((c) => [c.column, c.votes])),
  }));
  const table = simpleTable(
    title,
    [{ label: '' }, ...series.map((s) => ({ label: s.label, numeric: true }))],
    rows.map((r) => [r.label, ...series.map((s) => formatNumber(r.values[s.key] ?? 0))]),
  );
  return chartFigure(stackedBars(rows, series, { title: `${title}, as shares of each row` }), table);
}

export const hourlyPanel: LivePanel = {
  key: 'election-hourly',
  title: 'Votes by hour (UTC)',
  reads: ['votes_by_hour'],
  async render(context) {
    const hours = await queriesOf(context).votesByHour();
    if (hours.length === 0) return emptyState('No votes counted yet.');
    const first = hours[0]?.hour_start ?? 0;
    const last = hours.at(-1)?.hour_start ?? first;
    const title = `Votes counted per hour from ${formatUtc(first)} to ${formatUtc(last + 3_600_000)}`;
    const chart = columnChart(
      hours.map((h) => ({ label: formatHourUtc(h.hour_start), value: h.votes })),
      { title },
    );
    const table = simpleTable(
      'Votes per hour, UTC',
      [{ label: 'Hour starting (UTC)' }, { label: 'Votes', numeric: true }],
      hours.map((h) => [formatUtc(h.hour_start), formatNumber(h.votes)]),
    );
    return chartFigure(chart, table);
  },
};

export const methodsPanel: LivePanel = {
  key: 'election-methods',
  title: 'Voting methods',
  reads: ['votes_by_method'],
  async render(context) {
    const rows = await queriesOf(context).votesByMethod();
    if (rows.length === 0) return emptyState('No votes counted yet.');
    const order = ordered(
      VOTE_METHODS,
      rows.map((r) => r.method),
    );
    const byMethod = new Map(rows.map((r) => [r.method, r.votes]));
    const total = rows.reduce((sum, r) => sum + r.votes, 0);
    const bars = order.map((m, i) => ({
      label: label(m),
      value: byMethod.get(m) ?? 0,
      color: SERIES_COLORS[i % SERIES_COLORS.length],
    }));
    const table = simpleTable(
      'Votes by method',
      [{ label: 'Method' }, { label: 'Votes', numeric: true }, { label: 'Share', numeric: true }],
      bars.map((b) => [b.label, formatNumber(b.value), formatPercent(total > 0 ? b.value / total : 0)]),
    );
    return chartFigure(barChart(bars, { title: 'Votes by method' }), table);
  },
};

export const educationPanel: LivePanel = {
  key: 'election-education',
  title: 'Education by party',
  reads: ['votes_by_education_party', 'dim_parties'],
  async render(context) {
    const queries = queriesOf(context);
    const [cells, parties] = await Promise.all([queries.votesByEducationParty(), queries.parties()]);
    if (cells.length === 0) return emptyState('No votes counted yet.');
    const partyIds = [...new Set(cells.map((c) => c.column))].sort();
    const series = partyIds.map((id) => ({
      key: id,
      label: parties.get(id)?.name ?? id,
      color: parties.get(id)?.color,
    }));
    const rows = ordered(
      EDUCATION_LEVELS,
      cells.map((c) => c.row),
    );
    return stackedFigure(cells, rows, series, 'Votes by education level and party');
  },
};

/** Candidates shown as their own series; the rest are summed as "Others". */
const SHOWN_CANDIDATES = 6;

export const incomePanel: LivePanel = {
  key: 'election-income',
  title: 'Income band by candidate',
  reads: ['votes_by_income_candidate', 'dim_candidates', 'dim_parties'],
  async render(context) {
    const queries = queriesOf(context);
    const [cells, candidates] = await Promise.all([queries.votesByIncomeCandidate(), queries.candidateLabels()]);
    if (cells.length === 0) return emptyState('No votes counted yet.');
    const totals = new Map<string, number>();
    for (const c of cells) totals.set(c.column, (totals.get(c.column) ?? 0) + c.votes);
    const top = [...totals]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, SHOWN_CANDIDATES)
      .map(([id]) => id);
    const others = 'others';
    const merged = cells.map((c) => (top.includes(c.column) ? c : { ...c, column: others }));
    const summed = new Map<string, Cell>();
    for (const c of merged) {
      const key = `${c.row}\u0000${c.column}`;
      const cell = summed.get(key);
      if (cell) cell.votes += c.votes;
      else summed.set(key, { ...c });
    }
    const series: Series[] = top.map((id) => ({
      key: id,
      label: candidates.get(id)?.name ?? id,
      color: candidates.get(id)?.color,
    }));
    if (totals.size > top.length)
      series.push({ key: others, label: `${totals.size - top.length} others`, color: '#8a8f98' });
    const rows = ordered(
      INCOME_BANDS,
      cells.map((c) => c.row),
    );
    const title =
      totals.size > top.length
        ? `Votes by income band for the ${top.length} leading candidates`
        : 'Votes by income band and candidate';
    return stackedFigure([...summed.values()], rows, series, title);
  },
};
