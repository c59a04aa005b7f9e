// KafkaStreams against the embedded broker, in this process: counting end to
// end through a repartition topic and a changelog, restoring after a restart,
// the co-partitioning check, and deserialization failures in the processing log.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startTestBroker } from '../../test/support/broker.ts';
import { temporaryDir, until } from '../../test/support/index.ts';
import { StreamsBuilder } from '../kstream/streams-builder.ts';
import type { ProcessingLogEntry } from '../processor/processor.ts';
import { Serdes } from '../serde/serde.ts';
import { countApp } from './count-app.ts';
import { KafkaStreams } from './kafka-streams.ts';
import { expectedCounts, lastValues, produceVotes, readCommitted, testKafka, votes } from './test-support.ts';

function decodeCounts(table: Map<string, Buffer | null>): Map<string, number> {
  return new Map([...table].map(([k, v]) => [k, v === null ? 0 : Number(v.readBigInt64BE(0))]));
}

describe('KafkaStreams on the embedded broker', async () => {
  const { address } = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
  const kafka = testKafka(address);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: 'votes', numPartitions: 3 },
      { topic: 'counts', numPartitions: 3 },
    ],
  });
  after(() => admin.disconnect());

  it('counts by key end to end, exactly once, creating the repartition and changelog topics', async () => {
    const input = votes(0, 3000, 7);
    await produceVotes(kafka, 'votes', input);
    const app = countApp({ bootstrapServers: [address], applicationId: 'counter-a', stateDir: temporaryDir() });
    await app.start();
    try {
      const expected = expectedCounts(input);
      await until(async () => {
        const got = decodeCounts(lastValues(await readCommitted(kafka, 'counts')));
        return [...expected].every(([k, n]) => got.get(k) === n);
      }, 'the final counts');
      const topics = await admin.listTopics();
      assert.ok(topics.includes('counter-a-by-candidate-repartition'), topics.join(', '));
      assert.ok(topics.includes('counter-a-votes-per-candidate-changelog'), topics.join(', '));
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: 'counter-a-votes-per-candidate-changelog', configNames: ['cleanup.policy'] }],
      });
      assert.equal(resources[0]?.configEntries[0]?.configValue, 'compact');
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: ['counter-a-by-candidate-repartition'] });
      assert.equal(meta[0]?.partitions.length, 3);
      assert.equal(app.state, 'RUNNING');
      assert.deepEqual(app.metrics().tasks, ['0_0', '0_1', '0_2', '1_0', '1_1', '1_2']);
    } finally {
      await app.close();
    }
    assert.equal(app.state, 'NOT_RUNNING');

    // A new instance restores the counts from the changelog and goes on from there.
    const more = votes(3000, 700, 7);
    await produceVotes(kafka, 'votes', more);
    const again = countApp({ bootstrapServers: [address], applicationId: 'counter-a' });
    await again.start();
    try {
      const expected = expectedCounts([...input, ...more]);
      await until(async () => {
        const got = decodeCounts(lastValues(await readCommitted(kafka, 'counts')));
        return [...expected].every(([k, n]) => got.get(k) === n);
      }, 'counts that include the restored state');
      assert.ok(again.metrics().restoredRecords > 0);
    } finally {
      await again.close();
    }
  });

  it('deletes the repartition records it has committed past, as Kafka Streams purges them', async () => {
    const setup = kafka.admin();
    await setup.connect();
    await setup.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: 'purge-votes', numPartitions: 2 },
        { topic: 'purge-counts', numPartitions: 2 },
      ],
    });
    await setup.disconnect();
    const input = votes(0, 2000, 5);
    await produceVotes(kafka, 'purge-votes', input);
    const app = countApp(
      { bootstrapServers: [address], applicationId: 'purger', repartitionPurgeIntervalMs: 0 },
      'purge-votes',
      'purge-counts',
    );
    await app.start();
    try {
      const expected = expectedCounts(input);
      await until(async () => {
        const got = decodeCounts(lastValues(await readCommitted(kafka, 'purge-counts')));
        return [...expected].every(([k, n]) => got.get(k) === n);
      }, 'the final counts');
      // Each repartition partition ends up deleted below what its task committed, records included.
      await until(async () => {
        const offsets = await admin.fetchTopicOffsets('purger-by-candidate-repartition');
        return offsets.every((o) => Number(o.high) > 0 && Number(o.low) > 0);
      }, 'the repartition topic purged');
    } finally {
      await app.close();
    }
  });

  it('refuses to start when joined topics have different partition counts', async () => {
    const setup = kafka.admin();
    await setup.connect();
    await setup.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: 'ballots', numPartitions: 2 },
        { topic: 'candidates', numPartitions: 3 },
        { topic: 'enriched', numPartitions: 2 },
      ],
    });
    await setup.disconnect();
    const builder = new StreamsBuilder({ defaultKeySerde: Serdes.String(), defaultValueSerde: Serdes.String() });
    const candidates = builder.table<string, string>('candidates');
    builder
      .stream<string, string>('ballots')
      .join(candidates, (b, c) => `${b}:${c}`)
      .to('enriched');
    const app = new KafkaStreams(builder.build(), { applicationId: 'joiner', bootstrapServers: [address] });
    await assert.rejects(app.start(), /ballots has 2, candidates has 3/);
    assert.equal(app.state, 'ERROR');
    await app.close();
  });

  it('logs records it cannot deserialize and goes on', async () => {
    const setup = kafka.admin();
    await setup.connect();
    await setup.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: 'raw', numPartitions: 1 },
        { topic: 'parsed', numPartitions: 1 },
      ],
    });
    await setup.disconnect();
    const builder = new StreamsBuilder({ defaultKeySerde: Serdes.String() });
    builder
      .stream<string, { n: number }>('raw', { valueSerde: Serdes.Json() })
      .mapValues((v) => v.n * 2)
      .to('parsed', { valueSerde: Serdes.Long() });
    const log: ProcessingLogEntry[] = [];
    const app = new KafkaStreams(builder.build(), {
      applicationId: 'parser',
      bootstrapServers: [address],
      cacheMaxBytes: 0,
      processingLog: (entry) => log.push(entry),
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'raw',
      messages: [
        { key: 'a', value: '{"n":1}' },
        { key: 'b', value: '{not json' },
        { key: 'c', value: '{"n":3}' },
      ],
    });
    await producer.disconnect();
    await app.start();
    try {
      await until(async () => (await readCommitted(kafka, 'parsed')).length === 2, 'two parsed records');
      assert.equal(log.length, 1);
      assert.equal(log[0]?.kind, 'deserialization-error');
      assert.equal(log[0]?.topic, 'raw');
      assert.equal(log[0]?.offset, 1);
    } finally {
      await app.close();
    }
  });
});
