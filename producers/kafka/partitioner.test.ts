import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Partitioners } from 'kafkajs';
import { keyPartition, murmur2, murmur2Partitioner } from '../../topology/runtime/kafkajs-messages.ts';
import { Partitioner } from './partitioner.ts';

test("murmur2 gives Kafka's values (from the Java client's UtilsTest)", () => {
  // org.apache.kafka.common.utils.UtilsTest#testMurmur2
  const cases: [string, number][] = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  for (const [key, expected] of cases) assert.equal(murmur2(Buffer.from(key)), expected, key);
});

test("keyed records go where kafkajs's DefaultPartitioner sends them", () => {
  const partitionMetadata = partitionsWithLeader(6);
  const kafkajs = Partitioners.DefaultPartitioner();
  const ours = new Partitioner(6);
  for (let i = 0; i < 2_000; i++) {
    const key = `voter-${i}-${(i * 7919).toString(36)}`;
    const theirs = kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } });
    assert.equal(ours.partitionOf(key), theirs, key);
  }
});

test('unkeyed records go round-robin', () => {
  const p = new Partitioner(3);
  assert.deepEqual(
    Array.from({ length: 7 }, () => p.partitionOf(null)),
    [0, 1, 2, 0, 1, 2, 0],
  );
});

test("our kafkajs partitioner places records as kafkajs's DefaultPartitioner, only faster", () => {
  const partitionMetadata = partitionsWithLeader(7);
  const kafkajs = Partitioners.DefaultPartitioner();
  const ours = murmur2Partitioner();
  const keys = [
    ...Array.from({ length: 1_000 }, (_, i) => `voter-${i}-${(i * 7919).toString(36)}`),
    'Zoë Ångström 😀',
    '',
    'x'.repeat(5_000), // longer than the scratch buffer: hashed from a buffer of its own
  ];
  for (const key of keys) {
    for (const k of [key, Buffer.from(key)]) {
      const message = { key: k, value: null };
      assert.equal(
        ours({ topic: 't', partitionMetadata, message }),
        kafkajs({ topic: 't', partitionMetadata, message }),
      );
    }
    assert.equal(keyPartition(key, 7), kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } }));
  }
  const chosen = { key: 'voter-1', value: null, partition: 5 };
  assert.equal(ours({ topic: 't', partitionMetadata, message: chosen }), 5, "a record's own partition comes first");
  const unkeyed = Array.from({ length: 8 }, () => ours({ topic: 't', partitionMetadata, message: { value: null } }));
  assert.deepEqual(unkeyed, [0, 1, 2, 3, 4, 5, 6, 0], 'unkeyed records go round-robin');
});

/** kafkajs's metadata for `count` partitions, all led by broker 0. */
function partitionsWithLeader(count: number) {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
}
