import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createElection, type MalformedEvent, VOTE_FIELDS, type VoteEvent } from './index.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function collect(options: Parameters<typeof createElection>[0]) {
  const election = createElection(options);
  const votes: VoteEvent[] = [];
  const malformed: MalformedEvent[] = [];
  for (const event of election.votes()) {
    if (event.kind === 'vote') votes.push(event);
    else malformed.push(event);
  }
  const of = (category: VoteEvent['category']) => votes.filter((v) => v.category === category);
  return { election, votes, malformed, of };
}

describe('integrity events', () => {
  const shares = { repeatVotes: 0.03, unregisteredVoters: 0.015, unknownCandidates: 0.01, malformed: 0.02 };
  const { election, malformed, of } = collect({
    scenario: 'national',
    seed: 77,
    overrides: { voters: 50_000, integrity: shares },
  });
  const counted = of('counted').length;

  test('come at the configured shares of counted votes', () => {
    const observed = {
      repeatVotes: of('repeat').length,
      unregisteredVoters: of('unregistered_voter').length,
      unknownCandidates: of('unknown_candidate').length,
      malformed: malformed.length,
    };
    for (const [kind, share] of Object.entries(shares)) {
      const n = observed[kind as keyof typeof observed];
      assert.ok(Math.abs(n / counted - share) < 0.001, `${kind}: ${n} of ${counted}`);
    }
  });

  test('repeat votes come from voters who voted before, strictly earlier', () => {
    const firstVote = new Map(of('counted').map((v) => [v.value.voter_id, v.value.cast_at]));
    for (const repeat of of('repeat')) {
      const first = firstVote.get(repeat.value.voter_id);
      assert.ok(first !== undefined, 'repeat by a voter with no counted vote');
      assert.ok(repeat.value.cast_at > first);
      assert.ok(election.candidates.some((c) => c.candidate_id === repeat.value.candidate_id));
    }
  });

  test('unregistered voter ids look real but are on no register', () => {
    const registered = new Set([...election.voters()].map((v) => v.key));
    const unregistered = of('unregistered_voter');
    for (const v of unregistered) {
      assert.match(v.value.voter_id, UUID);
      assert.ok(!registered.has(v.value.voter_id));
    }
    for (const v of of('unknown_candidate')) assert.ok(registered.has(v.value.voter_id));
    for (const v of of('repeat')) assert.ok(registered.has(v.value.voter_id));
  });

  test('unknown candidate votes are spoiled ballots: each the only vote of a distinct registered voter', () => {
    const spoilers = of('unknown_candidate').map((v) => v.value.voter_id);
    assert.ok(spoilers.length > 0);
    assert.equal(new Set(spoilers).size, spoilers.length);
    const others = new Set([...of('counted'), ...of('repeat')].map((v) => v.value.voter_id));
    for (const voter of spoilers) assert.ok(!others.has(voter), `${voter} also cast a well-formed vote`);
  });

  test('unknown candidate ids are on no ballot', () => {
    const known = new Set(election.candidates.map((c) => c.candidate_id));
    const seen = new Set(of('unknown_candidate').map((v) => v.value.candidate_id));
    assert.ok(seen.size > 1);
    for (const id of seen) {
      assert.ok(!known.has(id), id);
      assert.ok(election.unknownCandidateIds.includes(id));
    }
  });

  test('malformed records are raw text that no reader can take for a vote', () => {
    const defects = new Map<string, number>();
    for (const record of malformed) {
      defects.set(record.defect, (defects.get(record.defect) ?? 0) + 1);
      assert.equal(typeof record.value, 'string');
      if (record.defect === 'bad_json') {
        assert.throws(() => JSON.parse(record.value), record.value);
        continue;
      }
      const parsed = JSON.parse(record.value) as Record<string, unknown>;
      if (record.defect === 'wrong_type') {
        assert.ok(!Number.isInteger(parsed.cast_at));
        assert.ok(typeof parsed.cast_at !== 'number' && !/^\d+$/.test(String(parsed.cast_at)), 'coercible cast_at');
      } else {
        const lost = VOTE_FIELDS.filter((f) => parsed[f] === undefined || parsed[f] === null);
        assert.equal(lost.length, 1, record.value);
        assert.equal(record.key === null, lost[0] === 'voter_id');
      }
      if (record.key !== null) assert.equal(record.key, parsed.voter_id);
    }
    for (const defect of ['bad_json', 'wrong_type', 'missing_field']) {
      const share = (defects.get(defect) ?? 0) / malformed.length;
      assert.ok(share > 0.25 && share < 0.42, `${defect}: ${share}`);
    }
  });

  test('are absent when their shares are zero', () => {
    const clean = collect({
      scenario: 'small',
      seed: 5,
      overrides: { integrity: { repeatVotes: 0, unregisteredVoters: 0, unknownCandidates: 0, malformed: 0 } },
    });
    assert.equal(clean.malformed.length, 0);
    assert.ok(clean.votes.every((v) => v.category === 'counted'));
    const i = clean.election.truth().integrity;
    assert.equal(i.repeat_votes + i.unregistered_voter_votes + i.unknown_candidate_votes + i.malformed_records, 0);
  });

  test('shares are independent: changing one leaves the others and the counted votes alone', () => {
    const base = createElection({ scenario: 'small', seed: 6 });
    const more = createElection({ scenario: 'small', seed: 6, overrides: { integrity: { repeatVotes: 0.2 } } });
    const a = base.truth();
    const b = more.truth();
    assert.deepEqual(b.votes_by_candidate, a.votes_by_candidate);
    assert.equal(b.integrity.unregistered_voter_votes, a.integrity.unregistered_voter_votes);
    assert.equal(b.integrity.malformed_records, a.integrity.malformed_records);
    assert.ok(b.integrity.repeat_votes > 5 * a.integrity.repeat_votes);
  });
});
