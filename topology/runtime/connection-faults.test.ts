// KafkaStreams whose connections to the broker are cut again and again while
// it joins and counts: commits fail, tasks are dropped and rebuilt, the
// consumer retries, and the counts still end exactly right (nothing skipped,
// nothing counted twice). A task rebuilt after a failed commit once lost the
// records its partitions had buffered: the consumer fetched on from where it
// was, not from the task's committed offsets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestBroker } from '../../test/support/broker.ts';
import { freePort, temporaryDir, until } from '../../test/support/index.ts';
import { startTcpProxy } from '../../test/support/tcp-proxy.ts';
import { StreamsBuilder } from '../kstream/streams-builder.ts';
import { Serdes } from '../serde/serde.ts';
import { KafkaStreams } from './kafka-streams.ts';
import { lastValues, produceVotes, readCommitted, testKafka, type Vote, votes } from './test-support.ts';

const CANDIDATES = 10;
const partyOf = (candidate: string) => `p${Number(candidate.slice(1)) % 3}`;

/** Votes re-keyed by candidate, joined to the candidate's party, counted by party. */
function votesByParty() {
  const builder = new StreamsBuilder({ defaultKeySerde: Serdes.String() });
  const parties = builder.table<string, string>('candidates', { valueSerde: Serdes.String() });
  builder
    .stream<string, Vote>('votes', { valueSerde: Serdes.Json<Vote>() })
    .selectKey((_k, v) => v.candidate_id)
    .join(parties, (_vote, party) => party, { valueSerde: Serdes.Json<Vote>(), otherValueSerde: Serdes.String() })
    .groupBy((_k, party) => party, { name: 'by-party', valueSerde: Serdes.String() })
    .count({ storeName: 'votes-per-party' })
    .toStream()
    .to('party-counts', { valueSerde: Serdes.Long() });
  return builder.build();
}

describe('KafkaStreams under cut connections', async () => {
  const proxyPort = await freePort();
  const { broker } = await startTestBroker({ groupInitialRebalanceDelayMs: 0, advertisedPort: proxyPort });
  const proxy = await startTcpProxy('127.0.0.1', broker.port, proxyPort);
  const address = `127.0.0.1:${proxy.port}`;
  const kafka = testKafka(address);

  it('joins and counts every vote exactly once while commits fail', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: 'votes', numPartitions: 2 },
        { topic: 'candidates', numPartitions: 2 },
        { topic: 'party-counts', numPartitions: 2 },
      ],
    });
    await admin.disconnect();

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // Candidates first, then again between rounds of votes, so both inputs of the join task keep moving.
    const input: Vote[] = [];
    for (let round = 0; round < 20; round++) {
      const list = votes(round * 1000, 1000, CANDIDATES);
      const at = String((list[0] as Vote).cast_at);
      await producer.send({
        topic: 'candidates',
        acks: -1,
        messages: Array.from({ length: CANDIDATES }, (_, i) => ({
          key: `c${i}`,
          value: partyOf(`c${i}`),
          timestamp: at,
        })),
      });
      await produceVotes(kafka, 'votes', list);
      input.push(...list);
    }
    await producer.disconnect();

    const expected = new Map<string, number>();
    for (const v of input) expected.set(partyOf(v.candidate_id), (expected.get(partyOf(v.candidate_id)) ?? 0) + 1);

    const warnings: string[] = [];
    const app = new KafkaStreams(votesByParty(), {
      applicationId: 'party-counter',
      bootstrapServers: [address],
      stateDir: temporaryDir(),
      maxWaitTimeMs: 100,
      maxBytesPerPartition: 64 * 1024, // many small batches: many commits to fail
      onWarning: (message) => warnings.push(message),
    });
    await app.start();

    try {
      let cuts = 0;
      while (cuts < 30 && app.state !== 'ERROR' && app.metrics().processedRecords < 2 * input.length) {
        await sleep(40 + ((cuts * 37) % 80));
        if (proxy.cut() > 0) cuts++;
      }
      const counts = async () =>
        new Map(
          [...lastValues(await readCommitted(kafka, 'party-counts'))].map(([k, v]) => [
            k,
            v === null ? 0 : Number(v.readBigInt64BE(0)),
          ]),
        );
      await until(
        async () => {
          assert.notEqual(app.state, 'ERROR', `the application failed: ${app.error?.message}`);
          const got = await counts();
          return [...expected].every(([party, n]) => (got.get(party) ?? 0) >= n);
        },
        'every vote counted',
        120_000,
      );
      assert.deepEqual(await counts(), expected, `warnings: ${warnings.join('; ')}`);
      assert.ok(cuts > 0, 'the connections were cut while the votes were processed');
    } finally {
      await app.close();
    }
  });
});
