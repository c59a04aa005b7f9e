/**
 * What each sink table of the contract must hold once an election has gone
 * through the SQL, from producers' ground truth: rows keyed by their key
 * columns' values joined with '|', columns as ksqlDB names them (upper
 * case). And the read-time derivations (leader, winners, seats, top
 * stations, totals) computed from the tables as the dashboard does, to
 * compare with the truth's. For the tests of ksql/migrations.
 */
import type { ConstituencyResult, Election, ElectionTruth } from '../producers/index.ts';
import { TOP_POLLING_STATIONS } from '../producers/index.ts';

export type Row = Record<string, unknown>;
export type Table = Record<string, Row>;

/** The sink tables with a row-by-row truth (integrity_events is a feed, checked apart). */
export const SINK_TABLES = [
  'dim_regions',
  'dim_constituencies',
  'dim_polling_stations',
  'dim_parties',
  'dim_candidates',
  'votes_by_candidate',
  'votes_by_party',
  'votes_by_constituency_candidate',
  'votes_by_education_party',
  'votes_by_income_candidate',
  'votes_by_method',
  'votes_by_hour',
  'votes_by_polling_station',
  'turnout_by_region',
  'turnout_by_constituency',
  'integrity_counts',
] as const;
export type SinkTable = (typeof SINK_TABLES)[number];

/** A count map as table rows: { key: { [column]: n, ...extra } }. */
function countRows(counts: Record<string, number>, column: string, extra: (key: string) => Row = () => ({})): Table {
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, { ...extra(k), [column]: n }]));
}

function nestedRows(counts: Record<string, Record<string, number>>, extra: (inner: string) => Row = () => ({})): Table {
  const out: Table = {};
  for (const [outer, inner] of Object.entries(counts)) {
    for (const [k, n] of Object.entries(inner)) out[`${outer}|${k}`] = { ...extra(k), VOTES: n };
  }
  return out;
}

/** Records as ksqlDB reads them into columns: upper-case names, the key column left out. */
function dimensionRows<T extends object>(records: readonly T[], key: keyof T): Table {
  return Object.fromEntries(
    records.map((r) => [
      String(r[key]),
      Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => k !== key)
          .map(([k, v]) => [k.toUpperCase(), v]),
      ),
    ]),
  );
}

function turnoutRow(f: { registered: number; voted: number; turnout: number }): Row {
  return { REGISTERED: f.registered, VOTED: f.voted, TURNOUT: f.turnout };
}

/**
 * Every sink table's rows. votes_by_constituency_candidate has no table in
 * the truth: its rows are checked through what is derived from them.
 */
export function expectedTables(
  election: Election,
  truth: ElectionTruth,
): Record<Exclude<SinkTable, 'votes_by_constituency_candidate'>, Table> {
  const partyOf = new Map(election.candidates.map((c) => [c.candidate_id, c.party_id]));
  const station = new Map(election.pollingStations.map((s) => [s.polling_station_id, s]));
  const regionOf = new Map(election.constituencies.map((c) => [c.constituency_id, c.region_id]));
  const i = truth.integrity;
  return {
    dim_regions: dimensionRows(election.regions, 'region_id'),
    dim_constituencies: dimensionRows(election.constituencies, 'constituency_id'),
    dim_polling_stations: dimensionRows(election.pollingStations, 'polling_station_id'),
    dim_parties: dimensionRows(election.parties, 'party_id'),
    dim_candidates: dimensionRows(election.candidates, 'candidate_id'),
    votes_by_candidate: countRows(truth.votes_by_candidate, 'VOTES', (k) => ({ PARTY_ID: partyOf.get(k) })),
    votes_by_party: countRows(truth.votes_by_party, 'VOTES'),
    votes_by_education_party: nestedRows(truth.votes_by_education_party),
    votes_by_income_candidate: nestedRows(truth.votes_by_income_candidate),
    votes_by_method: countRows(truth.votes_by_method, 'VOTES'),
    votes_by_hour: Object.fromEntries(
      Object.entries(truth.votes_by_hour).map(([start, n]) => [start, { HOUR_START: Number(start), VOTES: n }]),
    ),
    votes_by_polling_station: countRows(truth.votes_by_polling_station, 'VOTES', (k) => ({
      CONSTITUENCY_ID: station.get(k)?.constituency_id,
      REGION_ID: station.get(k)?.region_id,
    })),
    turnout_by_region: Object.fromEntries(Object.entries(truth.turnout.by_region).map(([k, f]) => [k, turnoutRow(f)])),
    turnout_by_constituency: Object.fromEntries(
      Object.entries(truth.turnout.by_constituency).map(([k, f]) => [
        k,
        { REGION_ID: regionOf.get(k), ...turnoutRow(f) },
      ]),
    ),
    integrity_counts: {
      repeat_vote: { RECORDS: i.repeat_votes },
      unregistered_voter: { RECORDS: i.unregistered_voter_votes },
      unknown_candidate: { RECORDS: i.unknown_candidate_votes },
      malformed: { RECORDS: i.malformed_records },
    },
  };
}

const byVotesThenId = (a: { id: string; votes: number }, b: { id: string; votes: number }) =>
  b.votes - a.votes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The read-time derivations, as the dashboard's Postgres queries take them, in the truth's shapes. */
export function derivedFigures(tables: Record<string, Table>) {
  const rows = (name: string) => Object.entries(tables[name] ?? {});
  const perConstituency = new Map<string, { id: string; votes: number; party: string }[]>();
  const byCandidate: Record<string, number> = {};
  for (const [key, row] of rows('votes_by_constituency_candidate')) {
    const [constituency = '', candidate = ''] = key.split('|');
    const list = perConstituency.get(constituency) ?? [];
    list.push({ id: candidate, votes: Number(row.VOTES), party: String(row.PARTY_ID) });
    perConstituency.set(constituency, list);
    byCandidate[candidate] = (byCandidate[candidate] ?? 0) + Number(row.VOTES);
  }
  const winners: Record<string, ConstituencyResult> = {};
  const seats: Record<string, number> = {};
  for (const [constituency, list] of perConstituency) {
    const [top, second] = list.sort(byVotesThenId);
    if (!top || top.votes === 0) continue;
    winners[constituency] = {
      candidate_id: top.id,
      party_id: top.party,
      votes: top.votes,
      runner_up_votes: second?.votes ?? 0,
      tied: second !== undefined && second.votes === top.votes,
    };
    seats[top.party] = (seats[top.party] ?? 0) + 1;
  }
  const [leader] = rows('votes_by_candidate')
    .map(([id, row]) => ({ id, votes: Number(row.VOTES), party: String(row.PARTY_ID) }))
    .sort(byVotesThenId);
  const top = rows('votes_by_polling_station')
    .map(([id, row]) => ({ id, votes: Number(row.VOTES) }))
    .sort(byVotesThenId)
    .slice(0, TOP_POLLING_STATIONS)
    .map(({ id, votes }) => ({ polling_station_id: id, votes }));
  const sum = (name: string, column: string) => rows(name).reduce((n, [, row]) => n + Number(row[column]), 0);
  const registered = sum('turnout_by_region', 'REGISTERED');
  const voted = sum('turnout_by_region', 'VOTED');
  return {
    constituency_winners: winners,
    seats_by_party: seats,
    /** votes_by_candidate as the sum over constituencies: the two tables must agree. */
    votes_by_candidate: byCandidate,
    leading_candidate: leader ? { candidate_id: leader.id, party_id: leader.party, votes: leader.votes } : null,
    top_polling_stations: top,
    totals: {
      registered_voters: registered,
      counted_votes: voted,
      turnout: voted / registered,
      candidates: rows('dim_candidates').length,
    },
  };
}

/** The same figures from the truth, to compare with derivedFigures. */
export function truthFigures(truth: ElectionTruth, candidates: number): ReturnType<typeof derivedFigures> {
  return {
    constituency_winners: truth.constituency_winners,
    seats_by_party: truth.seats_by_party,
    votes_by_candidate: truth.votes_by_candidate,
    leading_candidate: truth.leading_candidate,
    top_polling_stations: truth.top_polling_stations,
    totals: {
      registered_voters: truth.totals.registered_voters,
      counted_votes: truth.totals.counted_votes,
      turnout: truth.totals.turnout,
      candidates,
    },
  };
}
