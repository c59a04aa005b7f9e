/**
 * The truth must equal a recount of the records as a consumer sees them:
 * parse each value, classify it, count first votes. The recount below is
 * written from the rules, plainly, without the generator's internals.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createElection, type Election, type ElectionTruth, serializeVoteEvent } from './index.ts';

type Counts = Record<string, number>;

function bump(map: Counts, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

function bump2(map: Record<string, Counts>, outer: string, inner: string): void {
  map[outer] ??= {};
  bump(map[outer], inner);
}

interface ParsedVote {
  vote_id: string;
  voter_id: string;
  candidate_id: string;
  polling_station_id: string;
  method: string;
  cast_at: number;
}

function isWellFormedVote(v: unknown): v is ParsedVote {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const strings = ['vote_id', 'voter_id', 'candidate_id', 'polling_station_id', 'method'];
  return (
    strings.every((f) => typeof o[f] === 'string' && (o[f] as string).length > 0) &&
    Number.isInteger(o.cast_at) &&
    ['in_person', 'postal', 'early', 'proxy'].includes(o.method as string) &&
    Object.keys(o).length === 6
  );
}

function byCountThenId(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

function recount(election: Election): ElectionTruth {
  const voters = new Map([...election.voters()].map(({ value }) => [value.voter_id, value]));
  const candidates = new Map(election.candidates.map((c) => [c.candidate_id, c]));

  const registeredByRegion: Counts = {};
  const registeredByConstituency: Counts = {};
  for (const r of election.regions) registeredByRegion[r.region_id] = 0;
  for (const c of election.constituencies) registeredByConstituency[c.constituency_id] = 0;
  for (const v of voters.values()) {
    bump(registeredByRegion, v.region_id);
    bump(registeredByConstituency, v.constituency_id);
  }

  const votedByRegion: Counts = {};
  const votedByConstituency: Counts = {};
  const byCandidate: Counts = {};
  const byParty: Counts = {};
  const byMethod: Counts = {};
  const byHour: Counts = {};
  const byStation: Counts = {};
  const byEducationParty: Record<string, Counts> = {};
  const byIncomeCandidate: Record<string, Counts> = {};
  const byConstituencyCandidate: Record<string, Counts> = {};
  const malformedByDefect = { bad_json: 0, wrong_type: 0, missing_field: 0 };
  const hasVoted = new Set<string>();
  const repeaters = new Set<string>();
  let records = 0;
  let malformed = 0;
  let unregistered = 0;
  let unknown = 0;
  let repeats = 0;
  let counted = 0;

  for (const event of election.votes()) {
    records++;
    const { value } = serializeVoteEvent(event);
    let vote: unknown;
    try {
      vote = JSON.parse(value);
    } catch {
      vote = undefined;
    }
    if (!isWellFormedVote(vote)) {
      malformed++;
      assert.equal(event.kind, 'malformed');
      if (event.kind === 'malformed') malformedByDefect[event.defect]++;
      continue;
    }
    const voter = voters.get(vote.voter_id);
    if (!voter) {
      unregistered++;
      continue;
    }
    // A registered voter's first well-formed vote is their ballot; every later one is a repeat.
    if (hasVoted.has(vote.voter_id)) {
      repeats++;
      repeaters.add(vote.voter_id);
      continue;
    }
    hasVoted.add(vote.voter_id);
    const candidate = candidates.get(vote.candidate_id);
    if (!candidate) {
      unknown++; // a spoiled ballot: not counted, not turnout
      continue;
    }
    counted++;
    bump(votedByRegion, voter.region_id);
    bump(votedByConstituency, voter.constituency_id);
    bump(byCandidate, candidate.candidate_id);
    bump(byParty, candidate.party_id);
    bump(byMethod, vote.method);
    bump(byHour, String(Math.floor(vote.cast_at / 3_600_000) * 3_600_000));
    bump(byStation, vote.polling_station_id);
    bump2(byEducationParty, voter.education, candidate.party_id);
    bump2(byIncomeCandidate, voter.income_band, candidate.candidate_id);
    bump2(byConstituencyCandidate, voter.constituency_id, candidate.candidate_id);
  }

  const turnout = (registered: Counts, voted: Counts) =>
    Object.fromEntries(
      Object.entries(registered).map(([id, r]) => [
        id,
        { registered: r, voted: voted[id] ?? 0, turnout: r > 0 ? (voted[id] ?? 0) / r : 0 },
      ]),
    );

  const winners: ElectionTruth['constituency_winners'] = {};
  const seats: Counts = {};
  for (const [constituency, counts] of Object.entries(byConstituencyCandidate)) {
    const ranked = Object.entries(counts).sort(byCountThenId);
    const [top, second] = ranked;
    if (!top) continue;
    const party = candidates.get(top[0])?.party_id ?? '';
    bump(seats, party);
    winners[constituency] = {
      candidate_id: top[0],
      party_id: party,
      votes: top[1],
      runner_up_votes: second?.[1] ?? 0,
      tied: second !== undefined && second[1] === top[1],
    };
  }
  const leader = Object.entries(byCandidate).sort(byCountThenId)[0];

  return {
    scenario: election.scenario.name,
    seed: election.seed,
    kind: election.scenario.kind,
    polling: election.polling,
    totals: {
      registered_voters: voters.size,
      vote_records: records,
      well_formed_votes: records - malformed,
      valid_votes: counted + repeats,
      counted_votes: counted,
      turnout: counted / voters.size,
    },
    registered_voters: { by_region: registeredByRegion, by_constituency: registeredByConstituency },
    turnout: {
      by_region: turnout(registeredByRegion, votedByRegion),
      by_constituency: turnout(registeredByConstituency, votedByConstituency),
    },
    votes_by_candidate: byCandidate,
    votes_by_party: byParty,
    leading_candidate: leader
      ? { candidate_id: leader[0], party_id: candidates.get(leader[0])?.party_id ?? '', votes: leader[1] }
      : null,
    votes_by_method: byMethod,
    votes_by_hour: byHour,
    votes_by_polling_station: byStation,
    top_polling_stations: Object.entries(byStation)
      .sort(byCountThenId)
      .slice(0, 10)
      .map(([polling_station_id, votes]) => ({ polling_station_id, votes })),
    votes_by_education_party: byEducationParty,
    votes_by_income_candidate: byIncomeCandidate,
    constituency_winners: winners,
    seats_by_party: seats,
    integrity: {
      repeat_votes: repeats,
      repeat_voters: repeaters.size,
      unregistered_voter_votes: unregistered,
      unknown_candidate_votes: unknown,
      malformed_records: malformed,
      malformed_by_defect: malformedByDefect,
    },
  };
}

describe('truth', () => {
  const cases = [
    { scenario: 'small', seed: 1 },
    { scenario: 'small', seed: 2024, overrides: { integrity: { repeatVotes: 0.1, unknownCandidates: 0.05 } } },
    { scenario: 'presidential', seed: 5, overrides: { voters: 6_000, integrity: { malformed: 0.02 } } },
    { scenario: 'national', seed: 9, overrides: { voters: 20_000 } },
  ] as const;

  for (const options of cases) {
    test(`equals an independent recount of the records (${JSON.stringify(options)})`, () => {
      const election = createElection(options);
      assert.deepEqual(recount(election), election.truth());
    });
  }

  test('is JSON-serialisable without loss', () => {
    const truth = createElection({ scenario: 'small', seed: 3 }).truth();
    assert.deepEqual(JSON.parse(JSON.stringify(truth)), truth);
  });

  test('has every kind of integrity event and every metric populated in the small scenario', () => {
    const truth = createElection({ scenario: 'small', seed: 1 }).truth();
    const integrity = truth.integrity;
    for (const count of [
      integrity.repeat_votes,
      integrity.unregistered_voter_votes,
      integrity.unknown_candidate_votes,
      integrity.malformed_records,
      ...Object.values(integrity.malformed_by_defect),
    ]) {
      assert.ok(count > 0, JSON.stringify(integrity));
    }
    assert.equal(Object.keys(truth.votes_by_method).length, 4);
    assert.equal(Object.keys(truth.constituency_winners).length, 10);
    assert.equal(truth.top_polling_stations.length, 10);
    assert.ok(truth.leading_candidate);
    assert.equal(
      Object.values(truth.seats_by_party).reduce((a, b) => a + b, 0),
      10,
    );
  });

  test('totals add up', () => {
    const t = createElection({ scenario: 'small', seed: 4 }).truth();
    const i = t.integrity;
    assert.equal(t.totals.vote_records, t.totals.well_formed_votes + i.malformed_records);
    assert.equal(
      t.totals.well_formed_votes,
      t.totals.valid_votes + i.unregistered_voter_votes + i.unknown_candidate_votes,
    );
    assert.equal(t.totals.valid_votes, t.totals.counted_votes + i.repeat_votes);
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    for (const counts of [t.votes_by_candidate, t.votes_by_party, t.votes_by_method, t.votes_by_hour]) {
      assert.equal(sum(counts), t.totals.counted_votes);
    }
    assert.equal(sum(t.registered_voters.by_region), t.totals.registered_voters);
  });
});
