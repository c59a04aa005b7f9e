/**
 * Produce, then read back, on the embedded broker, with each client: every
 * record arrives once, as generated, with its event time, in order per key,
 * and a voter's votes share the voter's partition.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestBroker } from '../../test/support/broker.ts';
import { testLogger } from '../../test/support/index.ts';
import { createElection, type Election, serializeVoteEvent, VOTE_FIELDS } from '../index.ts';
import { produceElection } from '../produce.ts';
import { KAFKA_CLIENTS, type KafkaClientName } from './index.ts';
import { type ReadRecord, readTopic } from './testing.ts';

const PARTITIONS = 4;
/** Fields of the voters topic that must never appear in a vote (ballot secrecy). */
const PERSONAL_FIELDS = ['name', 'date_of_birth', 'gender', 'education', 'income_band', 'registered_at'];

function kafkaConfig(address: string) {
  return { brokers: [address], clientId: 'tally-test', securityProtocol: 'PLAINTEXT' as const };
}

async function produce(
  election: Election,
  address: string,
  client: KafkaClientName,
  topics: ('candidates' | 'voters' | 'votes')[],
) {
  return produceElection({
    election,
    topics,
    client,
    kafka: kafkaConfig(address),
    partitions: PARTITIONS,
    partitionsChosen: true,
    pace: { kind: 'backfill' },
    logger: testLogger('producer'),
    batchSize: 700, // several writes per topic, so that batching is exercised
  });
}

/** Per key, the values in the order read (offset order within the key's partition). */
function valuesByKey(records: readonly ReadRecord[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const r of records) {
    if (r.key === null) continue;
    const list = byKey.get(r.key) ?? [];
    list.push(r.value);
    byKey.set(r.key, list);
  }
  return byKey;
}

for (const client of KAFKA_CLIENTS) {
  describe(`produce and read back with ${client}`, () => {
    const election = createElection({ scenario: 'small', seed: 7 });
    const truth = election.truth();
    let address = '';
    let read: Record<'candidates' | 'voters' | 'votes', ReadRecord[]>;

    test('produces the whole election and reports it', async () => {
      const broker = await startTestBroker();
      address = broker.address;
      const report = await produce(election, address, client, ['candidates', 'voters', 'votes']);
      assert.deepEqual(report.counts, {
        candidates: election.candidates.length,
        voters: truth.totals.registered_voters,
        votes: truth.totals.vote_records,
      });
      assert.deepEqual(report.partitions, { candidates: PARTITIONS, voters: PARTITIONS, votes: PARTITIONS });
      assert.equal(report.stopped, false);
      read = {
        candidates: await readTopic(address, 'candidates', PARTITIONS),
        voters: await readTopic(address, 'voters', PARTITIONS),
        votes: await readTopic(address, 'votes', PARTITIONS),
      };
    });

    test('every topic holds exactly the generated records, as the truth counts them', () => {
      assert.equal(read.candidates.length, election.candidates.length);
      assert.equal(read.voters.length, truth.totals.registered_voters);
      assert.equal(read.votes.length, truth.totals.vote_records);
      const candidates = new Map(read.candidates.map((r) => [r.key, r]));
      for (const { key, value } of election.candidateRecords()) {
        assert.equal(candidates.get(key)?.value, JSON.stringify(value));
      }
      const voters = new Map(read.voters.map((r) => [r.key, r]));
      for (const { key, value } of election.voters()) {
        const got = voters.get(key);
        assert.equal(got?.value, JSON.stringify(value));
        assert.equal(got?.timestamp, value.registered_at, 'a voter record is timestamped at registration');
      }
    });

    test('every vote record arrives once, byte for byte, timestamped with its cast_at', () => {
      const expected = [...election.votes()].map(serializeVoteEvent);
      const line = (r: { key: string | null; value: string; timestamp: number }) =>
        `${r.key}\u0000${r.value}\u0000${r.timestamp}`;
      assert.deepEqual(read.votes.map(line).sort(), expected.map(line).sort());
      const malformed = [...election.votes()].filter((e) => e.kind === 'malformed').length;
      assert.equal(malformed, truth.integrity.malformed_records);
    });

    test("each voter's records arrive in the order they were generated (cast_at order)", () => {
      const expected = valuesByKey(
        [...election.votes()].map(serializeVoteEvent).map((r, offset) => ({ ...r, partition: 0, offset })),
      );
      assert.deepEqual(valuesByKey(read.votes), expected);
    });

    test('no vote on the wire carries a personal field', () => {
      for (const r of read.votes) {
        for (const field of PERSONAL_FIELDS) assert.ok(!r.value.includes(`"${field}"`), `${field} in ${r.value}`);
        let parsed: unknown;
        try {
          parsed = JSON.parse(r.value);
        } catch {
          continue; // malformed on purpose
        }
        if (parsed && typeof parsed === 'object') {
          for (const field of Object.keys(parsed)) assert.ok((VOTE_FIELDS as readonly string[]).includes(field), field);
        }
      }
    });

    test("a voter's votes are on the voter's partition", () => {
      const voterPartition = new Map(read.voters.map((r) => [r.key, r.partition]));
      let registered = 0;
      for (const vote of read.votes) {
        const partition = vote.key === null ? undefined : voterPartition.get(vote.key);
        if (partition === undefined) continue; // unregistered voter or lost key
        registered++;
        assert.equal(vote.partition, partition, `vote of ${vote.key}`);
      }
      assert.ok(registered > truth.totals.counted_votes * 0.9);
    });
  });
}

test('voters sent by kafkajs and votes sent by confluent share partitions, as ksqlDB joins need', async () => {
  const election = createElection({ scenario: 'small', seed: 3, overrides: { voters: 1_500 } });
  const { address } = await startTestBroker();
  await produce(election, address, 'kafkajs', ['voters']);
  await produce(election, address, 'confluent', ['votes']);
  const voterPartition = new Map((await readTopic(address, 'voters', PARTITIONS)).map((r) => [r.key, r.partition]));
  const votes = await readTopic(address, 'votes', PARTITIONS);
  const joined = votes.filter((v) => v.key !== null && voterPartition.has(v.key));
  assert.ok(joined.length > 0);
  for (const vote of joined) assert.equal(vote.partition, voterPartition.get(vote.key ?? ''));
});
