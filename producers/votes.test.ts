import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createElection, serializeVoteEvent } from './index.ts';

describe('serialised votes', () => {
  // Parliamentary and presidential ballots, with every kind of record the votes topic holds.
  for (const scenario of ['national', 'presidential'] as const) {
    test(`${scenario}: serializedVotes() is serializeVoteEvent(votes()), record for record`, () => {
      const election = createElection({ scenario, seed: 9, overrides: { voters: 20_000 } });
      const expected = [...election.votes()].map(serializeVoteEvent);
      const kinds = new Set([...election.votes()].map((e) => e.category));
      for (const kind of ['counted', 'repeat', 'unregistered_voter', 'unknown_candidate', 'malformed']) {
        assert.ok(kinds.has(kind as never), `the election has ${kind} records`);
      }
      assert.deepEqual([...election.serializedVotes()], expected);
      assert.deepEqual([...election.serializedVotes(1_234)], expected.slice(1_234));
    });
  }
});
