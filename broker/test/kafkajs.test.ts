// The broker as kafkajs sees it: admin, producing with every acks setting,
// gzip, idempotence and transactions, read back by real clients.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompressionTypes } from 'kafkajs';
import { startTestBroker } from '../../test/support/broker.ts';
import { until } from '../../test/support/index.ts';
import { kafkajs, kcatRead } from './clients.ts';

describe('the broker with kafkajs', async () => {
  const { address } = await startTestBroker();
  const kafka = kafkajs(address);

  it('creates, lists, describes and deletes topics', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      assert.equal(
        await admin.createTopics({
          topics: [
            { topic: 'voters', numPartitions: 4, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
            { topic: 'scratch' },
          ],
        }),
        true,
      );
      assert.equal(await admin.createTopics({ topics: [{ topic: 'voters' }] }), false, 'created twice');
      const topics = await admin.listTopics();
      assert.ok(topics.includes('voters') && topics.includes('scratch'));

      const metadata = await admin.fetchTopicMetadata({ topics: ['voters'] });
      assert.equal(metadata.topics[0]?.partitions.length, 4);

      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: 'voters', configNames: ['cleanup.policy', 'retention.ms'] }],
      });
      const entries = Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e]));
      assert.equal(entries['cleanup.policy']?.configValue, 'compact');
      assert.equal(entries['cleanup.policy']?.isDefault, false);
      assert.equal(entries['retention.ms']?.configValue, '604800000');
      assert.equal(entries['retention.ms']?.isDefault, true);

      await admin.createPartitions({ topicPartitions: [{ topic: 'scratch', count: 3 }] });
      assert.equal((await admin.fetchTopicMetadata({ topics: ['scratch'] })).topics[0]?.partitions.length, 3);

      await admin.deleteTopics({ topics: ['scratch'] });
      assert.ok(!(await admin.listTopics()).includes('scratch'));

      const refusal = async (topic: { topic: string; replicationFactor?: number }) => {
        const error = await admin.createTopics({ topics: [topic] }).then(
          () => assert.fail(`${topic.topic} was created`),
          (e: { errors?: { type: string; message: string }[] }) => e,
        );
        return error.errors?.[0];
      };
      assert.equal((await refusal({ topic: 'bad name!' }))?.type, 'INVALID_TOPIC_EXCEPTION');
      const tooWide = await refusal({ topic: 'wide', replicationFactor: 3 });
      assert.equal(tooWide?.type, 'INVALID_REPLICATION_FACTOR');
    } finally {
      await admin.disconnect();
    }
  });

  it('produces with acks 0, 1 and -1, gzip included, and every record is read back in order', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'votes', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const sent: string[] = [];
    for (const [acks, compression] of [
      [0, CompressionTypes.None],
      [1, CompressionTypes.None],
      [-1, CompressionTypes.None],
      [-1, CompressionTypes.GZIP],
    ] as const) {
      const messages = Array.from({ length: 50 }, (_, i) => ({
        key: `voter-${i}`,
        value: `acks=${acks} gzip=${compression} #${i}`,
      }));
      sent.push(...messages.map((m) => m.value));
      const result = await producer.send({ topic: 'votes', acks, compression, messages });
      if (acks !== 0) assert.equal(result[0]?.errorCode, 0);
    }
    await producer.disconnect();
    const read = await kcatRead(address, 'votes');
    assert.deepEqual(
      read.map((m) => m.payload),
      sent,
    );
    assert.deepEqual(
      read.map((m) => m.offset),
      sent.map((_, i) => i),
    );
  });

  it('keeps an idempotent producer exactly once and reports offsets by time', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const start = Date.now();
    for (let i = 0; i < 20; i++) {
      await producer.send({
        topic: 'idempotent',
        acks: -1,
        messages: [{ key: `k${i % 4}`, value: String(i), timestamp: String(start + i * 1000) }],
      });
    }
    await producer.disconnect();
    const read = await kcatRead(address, 'idempotent');
    assert.deepEqual(
      read.map((m) => m.payload),
      Array.from({ length: 20 }, (_, i) => String(i)),
    );

    const admin = kafka.admin();
    await admin.connect();
    const [at] = await admin.fetchTopicOffsetsByTimestamp('idempotent', start + 10_500);
    assert.equal(at?.offset, '11');
    const [latest] = await admin.fetchTopicOffsets('idempotent');
    assert.deepEqual({ low: latest?.low, high: latest?.high }, { low: '0', high: '20' });
    await admin.deleteTopicRecords({ topic: 'idempotent', partitions: [{ partition: 0, offset: '5' }] });
    const [after] = await admin.fetchTopicOffsets('idempotent');
    assert.equal(after?.low, '5');
    await admin.disconnect();
  });

  it('shows committed transactions to read_committed consumers and hides aborted ones', async () => {
    const producer = kafka.producer({ transactionalId: 'tally-test-txn', maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({
      topic: 'ballots',
      messages: [
        { key: 'a', value: 'committed-1' },
        { key: 'b', value: 'committed-2' },
      ],
    });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic: 'ballots', messages: [{ key: 'c', value: 'aborted-1' }] });
    await aborted.abort();
    const last = await producer.transaction();
    await last.send({ topic: 'ballots', messages: [{ key: 'd', value: 'committed-3' }] });
    await last.commit();
    await producer.disconnect();

    const readCommitted = await kcatRead(address, 'ballots', ['-X', 'isolation.level=read_committed']);
    assert.deepEqual(
      readCommitted.map((m) => m.payload),
      ['committed-1', 'committed-2', 'committed-3'],
    );
    const readUncommitted = await kcatRead(address, 'ballots', ['-X', 'isolation.level=read_uncommitted']);
    assert.deepEqual(
      readUncommitted.map((m) => m.payload),
      ['committed-1', 'committed-2', 'aborted-1', 'committed-3'],
    );
  });

  it('hides from a kafkajs read_committed consumer transactions aborted in another order than they began', async () => {
    // As after a broker restart, when the coordinator aborts every open transaction: kafkajs expects the
    // fetch's aborted transactions by first offset, and let records through when they came in abort order.
    const topic = 'aborted-out-of-order';
    const producers = await Promise.all(
      ['a', 'b', 'c', 'done'].map(async (id) => {
        const producer = kafka.producer({
          transactionalId: `tally-test-${id}`,
          maxInFlightRequests: 1,
          idempotent: true,
        });
        await producer.connect();
        return producer;
      }),
    );
    const [a, b, c, done] = producers as [
      (typeof producers)[0],
      (typeof producers)[0],
      (typeof producers)[0],
      (typeof producers)[0],
    ];
    const open = [];
    for (const [producer, value] of [
      [a, 'aborted-a'],
      [b, 'aborted-b'],
      [c, 'aborted-c'],
    ] as const) {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ value }] });
      open.push(transaction);
    }
    for (const i of [2, 0, 1]) await open[i]!.abort();
    const last = await done.transaction();
    await last.send({ topic, messages: [{ value: 'committed' }] });
    await last.commit();
    for (const producer of producers) await producer.disconnect();

    const consumer = kafka.consumer({ groupId: 'tally-test-aborted-order', maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const seen: string[] = [];
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? '') });
      await until(() => seen.includes('committed'), 'the committed record', 20_000);
      assert.deepEqual(seen, ['committed']);
    } finally {
      await consumer.disconnect();
    }
  });
});
