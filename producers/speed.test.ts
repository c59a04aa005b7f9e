/**
 * A guard, not a benchmark: the producers must generate far faster than the
 * pipeline consumes (the benchmark needs > 200,000 votes/s on one core).
 * Thresholds sit well under what a laptop core does (about 1M votes/s,
 * 300k voters/s), so a busy CI machine passes and a regression to per-vote
 * faker calls fails.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createElection, serializeVoteEvent } from './index.ts';

test('votes are generated and serialised at more than 200,000 a second', () => {
  const election = createElection({ scenario: 'national', seed: 1, overrides: { voters: 300_000 } });
  election.truth(); // plan outside the timed loop: it is paid once, before streaming
  const started = performance.now();
  let bytes = 0;
  for (const event of election.votes()) bytes += serializeVoteEvent(event).value.length;
  const perSecond = election.voteRecordCount / ((performance.now() - started) / 1000);
  assert.ok(bytes > 0);
  assert.ok(perSecond > 200_000, `${Math.round(perSecond)} votes/s`);
});

test('voters are generated at more than 50,000 a second', () => {
  const election = createElection({ scenario: 'small', seed: 1, overrides: { voters: 50_000 } });
  const started = performance.now();
  let n = 0;
  for (const _ of election.voters()) n++;
  const perSecond = n / ((performance.now() - started) / 1000);
  assert.ok(perSecond > 50_000, `${Math.round(perSecond)} voters/s`);
});
