// The broker as librdkafka 2.15 (@confluentinc/kafka-javascript) sees it,
// through both its KafkaJS-style API and its native API.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestBroker } from '../../test/support/broker.ts';
import { until } from '../../test/support/index.ts';
import { kcatRead } from './clients.ts';

const require = createRequire(import.meta.url);
const confluent = require('@confluentinc/kafka-javascript');
const { KafkaJS } = confluent;

describe('the broker with librdkafka', async () => {
  const { address } = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
  const kafka = new KafkaJS.Kafka({ kafkaJS: { brokers: [address], logLevel: KafkaJS.logLevel.NOTHING } });

  it('KafkaJS-style API: admin, idempotent producer, a group of two consumers, committed offsets', async () => {
    const admin = kafka.admin();
    await admin.connect();
    assert.equal(await admin.createTopics({ topics: [{ topic: 'votes', numPartitions: 4 }] }), true);
    assert.ok((await admin.listTopics()).includes('votes'));

    const producer = kafka.producer({ kafkaJS: { idempotent: true, acks: -1 } });
    await producer.connect();
    await producer.send({
      topic: 'votes',
      messages: Array.from({ length: 400 }, (_, i) => ({ key: `voter-${i}`, value: String(i) })),
    });
    await producer.disconnect();

    const seen: number[] = [];
    const consumers = [0, 1].map(() => kafka.consumer({ kafkaJS: { groupId: 'rdk-group', fromBeginning: true } }));
    for (const consumer of consumers) {
      await consumer.connect();
      await consumer.subscribe({ topics: ['votes'] });
      await consumer.run({
        eachMessage: async ({ message }: { message: { value: Buffer } }) => {
          seen.push(Number(message.value.toString()));
        },
      });
    }
    await until(() => seen.length >= 400, '400 records');
    await sleep(500);
    assert.deepEqual(
      [...new Set(seen)].sort((a, b) => a - b),
      Array.from({ length: 400 }, (_, i) => i),
    );
    for (const consumer of consumers) await consumer.disconnect();

    const offsets = await admin.fetchOffsets({ groupId: 'rdk-group', topics: ['votes'] });
    const committed = offsets[0].partitions.reduce((sum: number, p: { offset: string }) => sum + Number(p.offset), 0);
    assert.equal(committed, 400);
    await admin.disconnect();
  });

  it('KafkaJS-style API: a committed and an aborted transaction', async () => {
    const producer = kafka.producer({
      kafkaJS: { transactionalId: 'rdk-txn', idempotent: true, maxInFlightRequests: 1 },
    });
    await producer.connect();
    const kept = await producer.transaction();
    await kept.send({ topic: 'rdk-ballots', messages: [{ key: 'a', value: 'kept' }] });
    await kept.commit();
    const dropped = await producer.transaction();
    await dropped.send({ topic: 'rdk-ballots', messages: [{ key: 'b', value: 'dropped' }] });
    await dropped.abort();
    await producer.disconnect();
    const read = await kcatRead(address, 'rdk-ballots', ['-X', 'isolation.level=read_committed']);
    assert.deepEqual(
      read.map((m) => m.payload),
      ['kept'],
    );
  });

  it('native API: a producer with delivery reports and a subscribed KafkaConsumer', async () => {
    const producer = new confluent.Producer({
      'metadata.broker.list': address,
      dr_cb: true,
      'enable.idempotence': true,
    });
    const delivered: number[] = [];
    const failures: unknown[] = [];
    producer.on('delivery-report', (error: Error | undefined, report: { offset: number }) => {
      if (error) failures.push(error);
      else delivered.push(report.offset);
    });
    await new Promise<void>((resolve, reject) =>
      producer.connect({}, (error: Error | null) => (error ? reject(error) : resolve())),
    );
    producer.setPollInterval(20);
    for (let i = 0; i < 100; i++) producer.produce('native', 0, Buffer.from(`n${i}`), `k${i}`);
    await until(() => delivered.length + failures.length === 100, '100 delivery reports');
    assert.deepEqual(failures, []);
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
    assert.deepEqual(
      delivered.sort((a, b) => a - b),
      Array.from({ length: 100 }, (_, i) => i),
    );

    const consumer = new confluent.KafkaConsumer(
      { 'metadata.broker.list': address, 'group.id': 'native-group', 'enable.auto.commit': false },
      { 'auto.offset.reset': 'earliest' },
    );
    await new Promise<void>((resolve, reject) =>
      consumer.connect({}, (error: Error | null) => (error ? reject(error) : resolve())),
    );
    consumer.subscribe(['native']);
    const values: string[] = [];
    while (values.length < 100) {
      const batch: { value: Buffer }[] = await new Promise((resolve, reject) =>
        consumer.consume(50, (error: Error | null, messages: { value: Buffer }[]) =>
          error ? reject(error) : resolve(messages),
        ),
      );
      values.push(...batch.map((m) => m.value.toString()));
    }
    // Not commitSync: it blocks this thread, where the broker under test also runs.
    consumer.commit(null);
    const admin = kafka.admin();
    await admin.connect();
    let committed = -1;
    for (const deadline = Date.now() + 10_000; committed !== 100 && Date.now() < deadline; await sleep(100)) {
      const offsets = await admin.fetchOffsets({ groupId: 'native-group', topics: ['native'] });
      committed = Number(offsets[0].partitions[0].offset);
    }
    await admin.disconnect();
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
    assert.equal(committed, 100);
    assert.deepEqual(
      values,
      Array.from({ length: 100 }, (_, i) => `n${i}`),
    );
  });
});
