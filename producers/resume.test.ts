/** A stopped run resumed with `resume`: every record in Kafka once, none lost, for both clients. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../config/index.ts';
import { startTestBroker } from '../test/support/broker.ts';
import { testLogger } from '../test/support/index.ts';
import { createElection } from './election.ts';
import { ELECTION_TOPICS, KAFKA_CLIENTS } from './kafka/index.ts';
import { readTopic } from './kafka/testing.ts';
import { produceElection } from './produce.ts';
import { topicRecords } from './topic-records.ts';

for (const client of KAFKA_CLIENTS) {
  test(`a run stopped half-way through the votes resumes where it stopped (${client})`, async () => {
    const { address } = await startTestBroker();
    const kafka = loadConfig({ env: { KAFKA_BROKERS: address } }).kafka;
    const election = createElection({ scenario: 'small', seed: 5, overrides: { voters: 3_000 } });
    const common = {
      election,
      topics: ELECTION_TOPICS,
      client,
      kafka,
      partitions: 3,
      partitionsChosen: true,
      pace: { kind: 'backfill' } as const,
      logger: testLogger(),
      batchSize: 100,
    };

    // First run: stopped once a third of the votes are out.
    const stop = new AbortController();
    const first = await produceElection({
      ...common,
      signal: stop.signal,
      progress: (topic, total) => {
        let done = 0;
        return {
          advance(n) {
            done += n;
            if (topic === 'votes' && done >= total / 3) stop.abort();
          },
          finish() {},
        };
      },
    });
    assert.equal(first.stopped, true);
    const sentFirst = first.counts.votes ?? 0;
    assert.ok(sentFirst > 0 && sentFirst < election.voteRecordCount, `first run sent ${sentFirst} votes`);

    const second = await produceElection({ ...common, resume: true });
    assert.equal(second.stopped, false);
    assert.equal(second.resumed.votes, sentFirst);
    assert.equal(second.resumed.voters, election.voterCount);
    assert.equal(second.counts.voters, 0, 'the voters were all out: none sent again');
    assert.equal((second.counts.votes ?? 0) + sentFirst, election.voteRecordCount);

    // Every vote record exactly once: the same multiset of values as the plan's.
    const expected = [...topicRecords(election, 'votes').records()].map((r) => r.value).sort();
    const actual = (await readTopic(address, 'votes', 3)).map((r) => r.value).sort();
    assert.equal(actual.length, expected.length);
    assert.deepEqual(actual, expected);
    assert.equal((await readTopic(address, 'voters', 3)).length, election.voterCount);
  });
}
