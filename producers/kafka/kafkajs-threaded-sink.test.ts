/**
 * The threaded kafkajs sink on the embedded broker: records spread over
 * several producer threads still land where kafkajs's own partitioner would
 * put them, each partition in the order written, every one acknowledged by
 * flush(); and a thread's failure reaches the caller.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../config/errors.ts';
import { startTestBroker } from '../../test/support/broker.ts';
import { testLogger } from '../../test/support/index.ts';
import { keyPartition } from '../../topology/runtime/kafkajs-messages.ts';
import { connectAdmin } from './index.ts';
import { KafkajsThreadedSink } from './kafkajs-threaded-sink.ts';
import type { OutgoingRecord } from './record-sink.ts';
import { readTopic } from './testing.ts';

const PARTITIONS = 5;
const logger = testLogger('kafkajs-threaded-sink');

async function setUp(topic: string) {
  const broker = await startTestBroker();
  const config = { brokers: [broker.address], clientId: 'tally-test', securityProtocol: 'PLAINTEXT' as const };
  const admin = await connectAdmin('kafkajs', config, logger);
  await admin.createTopics([{ name: topic, partitions: PARTITIONS, configs: {} }]);
  await admin.close();
  return { broker, config };
}

test('records spread over threads land where kafkajs would put them, in order, all acknowledged', async () => {
  const { broker, config } = await setUp('spread');
  // Keyed records without a partition (placed by the sink), a few unkeyed, and some with their own partition.
  const records: OutgoingRecord[] = Array.from({ length: 3_000 }, (_, i) => {
    const value = JSON.stringify({ i, name: i % 7 === 0 ? 'Zoë 😀' : 'Ann' });
    if (i % 100 === 0) return { key: null, value, timestamp: 1_780_000_000_000 + i };
    if (i % 10 === 1) return { key: `chosen-${i}`, value, timestamp: 1_780_000_000_000 + i, partition: i % PARTITIONS };
    return { key: `voter-${i % 400}`, value, timestamp: 1_780_000_000_000 + i };
  });
  const sink = await KafkajsThreadedSink.connect(config, logger, { threads: 3 });
  try {
    for (let i = 0; i < records.length; i += 700) await sink.write('spread', records.slice(i, i + 700));
    await sink.flush();
  } finally {
    await sink.close();
  }

  const read = await readTopic(broker.address, 'spread', PARTITIONS);
  assert.equal(read.length, records.length, 'every record acknowledged is in Kafka, once');
  const indexOf = (value: string) => (JSON.parse(value) as { i: number }).i;
  for (const record of read) {
    const sent = records[indexOf(record.value)] as OutgoingRecord;
    assert.equal(record.value, sent.value);
    assert.equal(record.timestamp, sent.timestamp, 'event time kept');
    assert.equal(record.key, sent.key);
    if (sent.partition !== undefined) assert.equal(record.partition, sent.partition, 'a chosen partition is kept');
    else if (sent.key !== null) assert.equal(record.partition, keyPartition(sent.key, PARTITIONS), sent.key);
  }
  const unkeyed = read.filter((r) => r.key === null).map((r) => r.partition);
  assert.equal(new Set(unkeyed).size, PARTITIONS, 'unkeyed records go round-robin');
  for (let p = 0; p < PARTITIONS; p++) {
    const order = read.filter((r) => r.partition === p).map((r) => indexOf(r.value));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      `partition ${p} in the order written`,
    );
  }
});

test('one thread is one idempotent producer, as before', async () => {
  const { broker, config } = await setUp('single');
  const records = Array.from({ length: 500 }, (_, i) => ({ key: `k${i % 50}`, value: `${i}`, timestamp: i }));
  const sink = await KafkajsThreadedSink.connect(config, logger, { threads: 1 });
  try {
    await sink.write('single', records);
  } finally {
    await sink.close(); // flushes
  }
  const read = await readTopic(broker.address, 'single', PARTITIONS);
  assert.equal(read.length, records.length);
  for (const r of read) assert.equal(r.partition, keyPartition(r.key ?? '', PARTITIONS));
});

test('writing to a topic that does not exist is a plain error naming it', async () => {
  const { config } = await setUp('exists');
  const sink = await KafkajsThreadedSink.connect(config, logger, { threads: 2 });
  try {
    await assert.rejects(
      sink.write('missing', [{ key: 'k', value: 'v', timestamp: 1 }]),
      (error: Error) => error instanceof UserError && /topic missing: it does not exist/.test(error.message),
    );
  } finally {
    await sink.close();
  }
});

test('a failed send fails the flush that follows, and close still ends the threads', async () => {
  const { broker, config } = await setUp('lost');
  const sink = await KafkajsThreadedSink.connect(config, logger, { threads: 2 });
  await sink.write('lost', [{ key: 'k', value: 'v', timestamp: 1, partition: 0 }]);
  await sink.flush();
  await broker.stop();
  await assert.rejects(async () => {
    await sink.write('lost', [{ key: 'k', value: 'v', timestamp: 2, partition: 1 }]);
    await sink.flush();
  }, /./);
  await sink.close(); // the failure was reported once; closing after it does not report it again
});
