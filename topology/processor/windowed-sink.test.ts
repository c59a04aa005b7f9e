import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamsBuilder } from '../kstream/streams-builder.ts';
import { SessionWindows, TimeWindows } from '../kstream/windows.ts';
import { keyPartition } from '../runtime/kafkajs-messages.ts';
import { Serdes } from '../serde/serde.ts';
import { sessionWindowedSerde, timeWindowedSerde } from '../serde/windowed.ts';
import { StreamTask } from './task.ts';

const S = Serdes.String();
const L = Serdes.Long();
const PARTITIONS = 4;

/** Runs a topology in a task whose output topics have four partitions; what it sends, with the partition chosen. */
function sentBy(build: (b: StreamsBuilder) => void, records: readonly [string, number][]) {
  const b = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });
  build(b);
  const sent: { topic: string; key: Buffer | null; partition: number | null }[] = [];
  const task = new StreamTask(b.build(), {
    applicationId: 'windowed-sink',
    taskId: '0_0',
    partition: 0,
    stateDir: null,
    caching: false,
    cacheMaxBytes: 0,
    collector: {
      send: (topic, key, _value, _timestamp, _headers, partition) => void sent.push({ topic, key, partition }),
      partitionsFor: () => PARTITIONS,
    },
    changelog: { log: () => {} },
    processingLog: (entry) => {
      throw new Error(`record skipped: ${entry.reason}`);
    },
    clock: () => 0,
  });
  task.initializeStores();
  task.initializeProcessors();
  records.forEach(([key, timestamp], offset) => {
    task.process('in', 0, offset, timestamp, [], Buffer.from(key), Buffer.from('v'));
  });
  task.commit();
  return sent.filter((s) => s.topic === 'out');
}

const voters = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
// Each voter in two windows far apart, in time order.
const records: [string, number][] = [0, 100_000].flatMap((base) =>
  voters.map((voter, i) => [voter, base + i] as [string, number]),
);

test('a time-windowed key goes to the partition of the key inside it, whatever its window', () => {
  const windows = TimeWindows.ofSizeWithNoGrace(1_000);
  const sent = sentBy((b) => {
    b.stream<string, string>('in')
      .groupByKey()
      .windowedBy(windows)
      .count()
      .toStream()
      .to('out', { keySerde: timeWindowedSerde(S, windows.sizeMs), valueSerde: L });
  }, records);
  assert.equal(sent.length, records.length);
  const serde = timeWindowedSerde(S, windows.sizeMs);
  for (const { key, partition } of sent) {
    const voter = serde.deserialize('out', key)?.key as string;
    assert.equal(partition, keyPartition(Buffer.from(voter), PARTITIONS), voter);
  }
  // Two windows of each voter, one partition per voter, and not all voters on one partition.
  assert.equal(new Set(sent.map((s) => s.partition)).size > 1, true);
});

test('a session-windowed key goes to the partition of the key inside it', () => {
  const sent = sentBy((b) => {
    b.stream<string, string>('in')
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10))
      .count()
      .toStream()
      .to('out', { keySerde: sessionWindowedSerde(S), valueSerde: L });
  }, records);
  assert.ok(sent.length >= records.length);
  for (const { key, partition } of sent) {
    const voter = sessionWindowedSerde(S).deserialize('out', key)?.key as string;
    assert.equal(partition, keyPartition(Buffer.from(voter), PARTITIONS), voter);
  }
});

test('a plain key is left to the producer (Kafka’s default partitioner)', () => {
  const sent = sentBy((b) => {
    b.stream<string, string>('in').to('out', { keySerde: S, valueSerde: S });
  }, records);
  assert.deepEqual(new Set(sent.map((s) => s.partition)), new Set([null]));
});
