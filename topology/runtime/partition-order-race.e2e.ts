// Not in `make test` (run by `make e2e`): an open race. A table row written
// and acknowledged just before a stream record, on topics that were empty
// when the application started, is sometimes not yet in the task's table when
// the stream record is joined (0 to 137 of 300 in runs on a loaded machine),
// although the task confirms idle partitions' log ends with the broker
// (PartitionGroup.unconfirmed, KafkaStreams.confirmLogEnds).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Partitioners } from 'kafkajs';
import { startTestBroker } from '../../test/support/broker.ts';
import { temporaryDir, until } from '../../test/support/index.ts';
import { StreamsBuilder } from '../kstream/streams-builder.ts';
import { Serdes } from '../serde/serde.ts';
import { KafkaStreams } from './kafka-streams.ts';
import { readCommitted, testKafka } from './test-support.ts';

describe('a stream-table join on topics that were empty at the start', async () => {
  const { address } = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
  const kafka = testKafka(address);
  const admin = kafka.admin();
  await admin.connect();
  after(() => admin.disconnect());

  it('joins a stream record with the table row written just before it, on topics that were empty at the start', async () => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: ['voters', 'ballots', 'receipts'].map((topic) => ({ topic, numPartitions: 2 })),
    });
    const builder = new StreamsBuilder({ defaultKeySerde: Serdes.String() });
    const voters = builder.table<string, { name: string }>('voters', { valueSerde: Serdes.Json<{ name: string }>() });
    builder
      .stream<string, unknown>('ballots', { valueSerde: Serdes.Json<unknown>() })
      .leftJoin(voters, (_ballot, voter) => voter?.name ?? 'nobody')
      .to('receipts', { valueSerde: Serdes.String() });
    const app = new KafkaStreams(builder.build(), {
      applicationId: 'receipts',
      bootstrapServers: [address],
      stateDir: temporaryDir(),
    });
    await app.start();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      // As an election does: the register, acknowledged, then at once the ballots that refer to it.
      const ROUNDS = 6;
      const PER_ROUND = 50;
      for (let round = 0; round < ROUNDS; round++) {
        const ids = Array.from({ length: PER_ROUND }, (_, i) => `v${round}-${i}`);
        const at = 1000 * (round + 1);
        await producer.send({
          topic: 'voters',
          acks: -1,
          messages: ids.map((id) => ({ key: id, value: JSON.stringify({ name: id }), timestamp: String(at) })),
        });
        await producer.send({
          topic: 'ballots',
          acks: -1,
          messages: ids.map((id) => ({ key: id, value: '{}', timestamp: String(at + 500) })),
        });
      }
      let receipts: string[] = [];
      await until(async () => {
        receipts = (await readCommitted(kafka, 'receipts')).map((r) => r.value?.toString() ?? '');
        return receipts.length === ROUNDS * PER_ROUND;
      }, 'every ballot joined');
      assert.equal(receipts.filter((r) => r === 'nobody').length, 0, 'a ballot was joined before its voter');
    } finally {
      await producer.disconnect();
      await app.close();
    }
  });
});
