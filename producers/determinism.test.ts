import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { createElection, type Election, serializeVoteEvent } from './index.ts';

/** A digest of everything an election would put on its topics. */
function fingerprint(election: Election): string {
  const hash = createHash('sha256');
  const add = (x: unknown) => hash.update(JSON.stringify(x)).update('\n');
  add(election.regions);
  add(election.constituencies);
  add(election.pollingStations);
  add(election.parties);
  add(election.candidates);
  for (const record of election.voters()) add(record);
  for (const event of election.votes()) add(serializeVoteEvent(event));
  add(election.truth());
  return hash.digest('hex');
}

const options = { scenario: 'small', overrides: { voters: 3_000 } } as const;

describe('determinism', () => {
  test('the same seed gives the same election, record for record', () => {
    assert.equal(
      fingerprint(createElection({ ...options, seed: 42 })),
      fingerprint(createElection({ ...options, seed: 42 })),
    );
  });

  test('a different seed gives a different election in every part', () => {
    const a = createElection({ ...options, seed: 42 });
    const b = createElection({ ...options, seed: 43 });
    assert.notDeepEqual(a.regions, b.regions);
    assert.notDeepEqual(a.constituencies, b.constituencies);
    assert.notDeepEqual(
      a.candidates.map((c) => c.name),
      b.candidates.map((c) => c.name),
    );
    assert.notDeepEqual(
      a.candidates.map((c) => c.photo),
      b.candidates.map((c) => c.photo),
    );
    assert.notDeepEqual(a.voter(0), b.voter(0));
    assert.notDeepEqual([...a.votes()].slice(0, 50), [...b.votes()].slice(0, 50));
    assert.notDeepEqual(a.truth().votes_by_candidate, b.truth().votes_by_candidate);
  });

  test('does not depend on the order of use (truth first, or votes first, or voters in between)', () => {
    const a = createElection({ ...options, seed: 7 });
    const truthFirst = a.truth();
    const votesA = [...a.votes()];
    const b = createElection({ ...options, seed: 7 });
    [...b.voters(100, 200)];
    b.voter(2_500);
    const votesB = [...b.votes()];
    assert.deepEqual(votesA, votesB);
    assert.deepEqual(b.truth(), truthFirst);
  });

  test('voters resume at any index and match random access', () => {
    const election = createElection({ ...options, seed: 8 });
    const all = [...election.voters()];
    assert.equal(all.length, election.voterCount);
    for (const from of [0, 1, 1023, 1024, 1500, 2_999]) {
      assert.deepEqual([...election.voters(from, from + 40)], all.slice(from, from + 40), `from ${from}`);
      assert.deepEqual(election.voter(from), all[from]?.value);
    }
  });

  test('interleaved voter readers do not disturb each other', () => {
    const election = createElection({ ...options, seed: 8 });
    const a = election.voters(0, 10);
    const b = election.voters(5, 15);
    const interleaved = [];
    for (let i = 0; i < 10; i++) interleaved.push(a.next().value, b.next().value);
    const expected = [...election.voters(0, 15)];
    for (let i = 0; i < 10; i++) {
      assert.deepEqual(interleaved[2 * i], expected[i]);
      assert.deepEqual(interleaved[2 * i + 1], expected[i + 5]);
    }
  });

  test('votes resume at any position with the same records and vote ids', () => {
    const election = createElection({ ...options, seed: 9 });
    const all = [...election.votes()];
    assert.equal(all.length, election.voteRecordCount);
    for (const from of [0, 1, 777, all.length - 3]) {
      assert.deepEqual([...election.votes(from)], all.slice(from));
    }
  });

  test('ids are unique', () => {
    const election = createElection({ ...options, seed: 10 });
    const voterIds = [...election.voters()].map((v) => v.key);
    assert.equal(new Set(voterIds).size, voterIds.length);
    const voteIds = [...election.votes()].flatMap((e) => (e.kind === 'vote' ? [e.value.vote_id] : []));
    assert.equal(new Set(voteIds).size, voteIds.length);
    const candidateIds = election.candidates.map((c) => c.candidate_id);
    assert.equal(new Set(candidateIds).size, candidateIds.length);
    const names = election.constituencies.map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
  });
});
