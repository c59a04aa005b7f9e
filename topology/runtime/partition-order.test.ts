// A stream-table join on Kafka: the table's records are older than the
// stream's but take many fetches (small fetch size), the stream's arrive in
// one. Processing by timestamp across the task's partitions, without running
// the stream ahead of the table's unfetched records (KIP-695), joins every
// stream record with its table row.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Partitioners } from 'kafkajs';
import { startTestBroker } from '../../test/support/broker.ts';
import { temporaryDir, until } from '../../test/support/index.ts';
import { StreamsBuilder } from '../kstream/streams-builder.ts';
import { Serdes } from '../serde/serde.ts';
import { KafkaStreams } from './kafka-streams.ts';
import { readCommitted, testKafka } from './test-support.ts';

const ROWS = 400;

describe('a task with several input partitions', async () => {
  const { address } = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
  const kafka = testKafka(address);
  const admin = kafka.admin();
  await admin.connect();
  after(() => admin.disconnect());

  it('processes them in timestamp order and waits for records not fetched yet', async () => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: ['people', 'visits', 'greetings'].map((topic) => ({ topic, numPartitions: 1 })),
    });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const padding = 'x'.repeat(300);
    // One record batch each: a fetch returns whole batches, so the table takes many fetches.
    for (let i = 0; i < ROWS; i++) {
      await producer.send({
        topic: 'people',
        acks: -1,
        messages: [
          { key: `p${i}`, value: JSON.stringify({ name: `person ${i}`, padding }), timestamp: String(1000 + i) },
        ],
      });
    }
    await producer.send({
      topic: 'visits',
      acks: -1,
      messages: Array.from({ length: ROWS }, (_, i) => ({ key: `p${i}`, value: '{}', timestamp: String(5000 + i) })),
    });
    await producer.disconnect();

    const builder = new StreamsBuilder({ defaultKeySerde: Serdes.String() });
    const people = builder.table<string, { name: string }>('people', {
      valueSerde: Serdes.Json<{ name: string }>(),
    });
    builder
      .stream<string, unknown>('visits', { valueSerde: Serdes.Json<unknown>() })
      .leftJoin(people, (_visit, person) => person?.name ?? 'nobody')
      .to('greetings', { valueSerde: Serdes.String() });
    const app = new KafkaStreams(builder.build(), {
      applicationId: 'greeter',
      bootstrapServers: [address],
      stateDir: temporaryDir(),
      // About ten table records a fetch: the table takes dozens of fetches, the stream a few.
      maxBytesPerPartition: 4096,
    });
    await app.start();
    try {
      let greetings: string[] = [];
      await until(async () => {
        greetings = (await readCommitted(kafka, 'greetings')).map((r) => r.value?.toString() ?? '');
        return greetings.length === ROWS;
      }, 'every visit joined');
      assert.equal(greetings.filter((g) => g === 'nobody').length, 0, 'a visit was joined before its person');
      assert.deepEqual(
        greetings,
        Array.from({ length: ROWS }, (_, i) => `person ${i}`),
      );
    } finally {
      await app.close();
    }
  });
});
