/**
 * The ground truth: the exact figures every metric must show once the whole
 * election has gone through the pipeline. End-to-end tests compare against it.
 *
 * How a record on the votes topic is classified, in this order:
 *  1. malformed: its value is not a JSON object that passes VoteSchema (not
 *     JSON, a field missing or null, cast_at not an integer). It counts once,
 *     under integrity.malformed_records, and nowhere else: it is nobody's vote.
 *     In ksqlDB terms: a deserialisation error, or NULL in any of the six
 *     vote columns (see malformed.ts for the defects generated).
 *  2. unregistered_voter: well-formed, but its voter_id is on no voter record.
 *     Counted under integrity only, whatever its candidate.
 *  3. A registered voter's FIRST well-formed vote is their ballot (first in
 *     cast_at order; the generator never gives one voter two votes at the same
 *     millisecond, and sends them in cast_at order, so this is also offset
 *     order on the voter's partition, which ksqlDB can follow). Every later
 *     well-formed vote of the same voter is a REPEAT, reported under
 *     integrity and not counted, whatever its candidate.
 *  4. unknown_candidate: a ballot whose candidate_id is on no candidate
 *     record is spoiled: counted under integrity only, not in turnout. The
 *     generator casts these as the only vote of an abstainer, so no spoiled
 *     ballot has repeats.
 *  5. valid: a ballot for a known candidate is COUNTED. valid_votes counts
 *     counted ballots and repeats (the generator's repeats are all for known
 *     candidates).
 * The generator never makes a well-formed vote for a candidate outside the
 * voter's constituency, so the pipeline does not need a rule for one.
 *
 * Every other figure counts only counted votes, attributed thus: region,
 * constituency, education and income band from the voter's record (the join);
 * party from the candidate's record; method, polling station and hour from the
 * vote itself. Turnout = voters with a counted vote / registered voters, in
 * the voter's region or constituency.
 *
 * Count maps are sparse, like the result of a GROUP BY: a key with no counted
 * vote is absent. The turnout and registered_voters maps list every region and
 * constituency. Hour windows are tumbling, one hour, aligned to the epoch
 * (ksqlDB's WINDOWSTART), keyed by window start in epoch millis as a string.
 * Winners: most counted votes in the constituency (voters of the
 * constituency, for national candidates); a tie goes to the smallest
 * candidate_id and is flagged `tied`; a constituency without a counted vote
 * has no winner. Seats: constituencies won, per party (for a presidential
 * election: constituencies carried).
 */
import type { Ballots } from './candidates.ts';
import type { Geography } from './geography.ts';
import { MALFORMED_DEFECTS, type MalformedDefect, malformedDefect } from './malformed.ts';
import { EDUCATION_LEVELS, INCOME_BANDS, VOTE_METHODS } from './model.ts';
import type { PollingDay } from './polling-day.ts';
import type { Scenario } from './scenarios.ts';
import { VOTE_CATEGORIES, type VotePlan } from './vote-plan.ts';
import type { VoterRegister } from './voters.ts';

const HOUR_MS = 3_600_000;
export const TOP_POLLING_STATIONS = 10;

export type Counts = Record<string, number>;

export interface TurnoutFigure {
  registered: number;
  voted: number;
  /** voted / registered, unrounded. */
  turnout: number;
}

export interface ConstituencyResult {
  candidate_id: string;
  party_id: string;
  votes: number;
  /** Votes of the second candidate (0 when there is none). */
  runner_up_votes: number;
  /** Another candidate had as many votes; the smallest candidate_id won the tie. */
  tied: boolean;
}

export interface ElectionTruth {
  scenario: string;
  seed: number;
  kind: Scenario['kind'];
  polling: { opens_at: number; closes_at: number };
  totals: {
    registered_voters: number;
    /** Every record on the votes topic, malformed ones included. */
    vote_records: number;
    /** Records that pass VoteSchema. */
    well_formed_votes: number;
    /** Well-formed, registered voter, known candidate: counted + repeat. */
    valid_votes: number;
    counted_votes: number;
    /** counted_votes / registered_voters. */
    turnout: number;
  };
  registered_voters: { by_region: Counts; by_constituency: Counts };
  turnout: { by_region: Record<string, TurnoutFigure>; by_constituency: Record<string, TurnoutFigure> };
  votes_by_candidate: Counts;
  votes_by_party: Counts;
  leading_candidate: { candidate_id: string; party_id: string; votes: number } | null;
  votes_by_method: Counts;
  votes_by_hour: Counts;
  votes_by_polling_station: Counts;
  /** The TOP_POLLING_STATIONS stations with most counted votes; ties by polling_station_id. */
  top_polling_stations: { polling_station_id: string; votes: number }[];
  votes_by_education_party: Record<string, Counts>;
  votes_by_income_candidate: Record<string, Counts>;
  constituency_winners: Record<string, ConstituencyResult>;
  seats_by_party: Counts;
  integrity: {
    /** Valid votes after a voter's first. */
    repeat_votes: number;
    /** Voters with at least one repeat vote. */
    repeat_voters: number;
    unregistered_voter_votes: number;
    unknown_candidate_votes: number;
    malformed_records: number;
    malformed_by_defect: Record<MalformedDefect, number>;
  };
}

export interface TruthInputs {
  scenario: Scenario;
  seed: number;
  geography: Geography;
  ballots: Ballots;
  register: VoterRegister;
  plan: VotePlan;
  day: PollingDay;
  malformedKey: number;
}

/** Tallies the plan: the same classification the records carry, without building a record. */
export function computeTruth(inputs: TruthInputs): ElectionTruth {
  const { scenario, geography, ballots, register, plan, day } = inputs;
  const regionIds = geography.regions.map((r) => r.record.region_id);
  const constituencyIds = geography.constituencies.map((c) => c.record.constituency_id);
  const candidateIds = ballots.candidates.map((c) => c.candidate_id);
  const partyIds = ballots.parties.map((p) => p.party_id);
  const stationIds = geography.pollingStations.map((s) => s.polling_station_id);
  const C = constituencyIds.length;
  const K = candidateIds.length;
  const P = partyIds.length;
  const width = Math.max(...ballots.ballotCount);

  const registered = new Float64Array(C);
  for (let i = 0; i < register.count; i++) add(registered, register.constituency[i] ?? 0);

  const voted = new Float64Array(C);
  const byCandidate = new Float64Array(K);
  const byMethod = new Float64Array(VOTE_METHODS.length);
  const byHour = new Float64Array(Math.ceil(day.lengthMs / HOUR_MS) + 1);
  const byStation = new Float64Array(stationIds.length);
  const byEducationParty = new Float64Array(EDUCATION_LEVELS.length * P);
  const byIncomeCandidate = new Float64Array(INCOME_BANDS.length * K);
  const byConstituencySlot = new Float64Array(C * width);
  const categories = new Float64Array(VOTE_CATEGORIES.length);
  const malformed = Object.fromEntries(MALFORMED_DEFECTS.map((d) => [d, 0])) as Record<MalformedDefect, number>;
  const repeaters = new Set<number>();
  const hourBase = Math.floor(day.opensAt / HOUR_MS);

  for (let p = 0; p < plan.size; p++) {
    const category = VOTE_CATEGORIES[plan.category[p] ?? 0];
    add(categories, plan.category[p] ?? 0);
    if (category === 'repeat') repeaters.add(plan.voter[p] ?? 0);
    if (category === 'malformed') malformed[malformedDefect(p, inputs.malformedKey)] += 1;
    if (category !== 'counted') continue;
    const voter = plan.voter[p] ?? 0;
    const candidate = plan.candidate[p] ?? 0;
    const c = register.constituency[voter] ?? 0;
    add(voted, c);
    add(byCandidate, candidate);
    add(byMethod, plan.method[p] ?? 0);
    add(byHour, Math.floor((day.opensAt + (plan.offset[p] ?? 0)) / HOUR_MS) - hourBase);
    add(byStation, plan.station[p] ?? 0);
    add(byEducationParty, (register.education[voter] ?? 0) * P + (ballots.candidateParty[candidate] ?? 0));
    add(byIncomeCandidate, (register.income[voter] ?? 0) * K + candidate);
    add(byConstituencySlot, c * width + candidate - (ballots.ballotFirst[c] ?? 0));
  }

  const count = (i: number) => categories[i] ?? 0;
  const countedVotes = count(0);
  const regionOf = (c: number) => geography.constituencies[c]?.regionIndex ?? 0;

  const registeredByRegion = new Float64Array(regionIds.length);
  const votedByRegion = new Float64Array(regionIds.length);
  for (let c = 0; c < C; c++) {
    add(registeredByRegion, regionOf(c), registered[c] ?? 0);
    add(votedByRegion, regionOf(c), voted[c] ?? 0);
  }

  const byParty = new Float64Array(P);
  for (let k = 0; k < K; k++) add(byParty, ballots.candidateParty[k] ?? 0, byCandidate[k] ?? 0);

  const winners: Record<string, ConstituencyResult> = {};
  const seats = new Float64Array(P);
  for (let c = 0; c < C; c++) {
    const first = ballots.ballotFirst[c] ?? 0;
    const slots = Array.from({ length: ballots.ballotCount[c] ?? 0 }, (_, s) => ({
      candidate: first + s,
      votes: byConstituencySlot[c * width + s] ?? 0,
    })).sort((a, b) => b.votes - a.votes || compare(candidateIds[a.candidate], candidateIds[b.candidate]));
    const [top, second] = slots;
    if (!top || top.votes === 0) continue;
    const party = ballots.candidateParty[top.candidate] ?? 0;
    add(seats, party);
    winners[constituencyIds[c] ?? ''] = {
      candidate_id: candidateIds[top.candidate] ?? '',
      party_id: partyIds[party] ?? '',
      votes: top.votes,
      runner_up_votes: second?.votes ?? 0,
      tied: second !== undefined && second.votes === top.votes,
    };
  }

  const leader = Array.from(byCandidate, (votes, k) => ({ k, votes })).sort(
    (a, b) => b.votes - a.votes || compare(candidateIds[a.k], candidateIds[b.k]),
  )[0];

  const stations = sparse(stationIds, byStation);
  const top = Object.entries(stations)
    .map(([polling_station_id, votes]) => ({ polling_station_id, votes }))
    .sort((a, b) => b.votes - a.votes || compare(a.polling_station_id, b.polling_station_id))
    .slice(0, TOP_POLLING_STATIONS);

  const hourIds = Array.from(byHour, (_, h) => String((hourBase + h) * HOUR_MS));
  const totalRegistered = register.count;

  return {
    scenario: scenario.name,
    seed: inputs.seed,
    kind: scenario.kind,
    polling: { opens_at: day.opensAt, closes_at: day.closesAt },
    totals: {
      registered_voters: totalRegistered,
      vote_records: plan.size,
      well_formed_votes: plan.size - count(4),
      valid_votes: countedVotes + count(1),
      counted_votes: countedVotes,
      turnout: totalRegistered > 0 ? countedVotes / totalRegistered : 0,
    },
    registered_voters: {
      by_region: dense(regionIds, registeredByRegion),
      by_constituency: dense(constituencyIds, registered),
    },
    turnout: {
      by_region: turnoutFigures(regionIds, registeredByRegion, votedByRegion),
      by_constituency: turnoutFigures(constituencyIds, registered, voted),
    },
    votes_by_candidate: sparse(candidateIds, byCandidate),
    votes_by_party: sparse(partyIds, byParty),
    leading_candidate:
      leader && leader.votes > 0
        ? {
            candidate_id: candidateIds[leader.k] ?? '',
            party_id: partyIds[ballots.candidateParty[leader.k] ?? 0] ?? '',
            votes: leader.votes,
          }
        : null,
    votes_by_method: sparse(VOTE_METHODS, byMethod),
    votes_by_hour: sparse(hourIds, byHour),
    votes_by_polling_station: stations,
    top_polling_stations: top,
    votes_by_education_party: nested(EDUCATION_LEVELS, partyIds, byEducationParty),
    votes_by_income_candidate: nested(INCOME_BANDS, candidateIds, byIncomeCandidate),
    constituency_winners: winners,
    seats_by_party: sparse(partyIds, seats),
    integrity: {
      repeat_votes: count(1),
      repeat_voters: repeaters.size,
      unregistered_voter_votes: count(2),
      unknown_candidate_votes: count(3),
      malformed_records: count(4),
      malformed_by_defect: malformed,
    },
  };
}

/** a[i] += n, for typed arrays under noUncheckedIndexedAccess. */
function add(a: Float64Array, i: number, n = 1): void {
  a[i] = (a[i] ?? 0) + n;
}

function compare(a: string | undefined, b: string | undefined): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}

function dense(ids: readonly string[], values: Float64Array): Counts {
  return Object.fromEntries(ids.map((id, i) => [id, values[i] ?? 0]));
}

function sparse(ids: readonly string[], values: Float64Array): Counts {
  const out: Counts = {};
  ids.forEach((id, i) => {
    const v = values[i] ?? 0;
    if (v > 0) out[id] = v;
  });
  return out;
}

function nested(rows: readonly string[], columns: readonly string[], values: Float64Array): Record<string, Counts> {
  const out: Record<string, Counts> = {};
  rows.forEach((row, r) => {
    const inner = sparse(columns, values.subarray(r * columns.length, (r + 1) * columns.length));
    if (Object.keys(inner).length > 0) out[row] = inner;
  });
  return out;
}

function turnoutFigures(ids: readonly string[], registered: Float64Array, voted: Float64Array) {
  return Object.fromEntries(
    ids.map((id, i) => {
      const r = registered[i] ?? 0;
      const v = voted[i] ?? 0;
      return [id, { registered: r, voted: v, turnout: r > 0 ? v / r : 0 }];
    }),
  );
}
