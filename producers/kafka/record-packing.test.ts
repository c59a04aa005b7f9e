import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordPacker, unpackRecords } from './record-packing.ts';
import type { OutgoingRecord } from './record-sink.ts';

const unpacked = (packer: RecordPacker) =>
  unpackRecords(packer.take()).map((r) => ({
    partition: r.partition,
    timestamp: r.timestamp,
    key: r.key === null ? null : r.key.toString(),
    value: r.value.toString(),
  }));

test('records come out as they went in: keys, values, timestamps and partitions, in order', () => {
  const records: OutgoingRecord[] = [
    { key: 'voter-1', value: '{"a":1}', timestamp: 1_780_000_000_123, partition: 3 },
    { key: null, value: 'not json at all', timestamp: 1 },
    { key: 'Zoë Ångström-Łukasz 😀', value: '{"name":"Zoë 😀"}', timestamp: 0, partition: 0 },
    { key: '', value: Buffer.from('bytes'), timestamp: 42, partition: 1 },
    { key: 'k', value: '', timestamp: 43 },
  ];
  const packer = new RecordPacker();
  for (const record of records) packer.add(record);
  assert.equal(packer.count, records.length);
  assert.deepEqual(unpacked(packer), [
    { partition: 3, timestamp: 1_780_000_000_123, key: 'voter-1', value: '{"a":1}' },
    { partition: undefined, timestamp: 1, key: null, value: 'not json at all' },
    { partition: 0, timestamp: 0, key: 'Zoë Ångström-Łukasz 😀', value: '{"name":"Zoë 😀"}' },
    { partition: 1, timestamp: 42, key: '', value: 'bytes' },
    { partition: undefined, timestamp: 43, key: 'k', value: '' },
  ]);
});

test('the packer grows past its first buffer, and starts afresh after take()', () => {
  const packer = new RecordPacker(64);
  const big = 'é'.repeat(10_000);
  for (let i = 0; i < 50; i++)
    packer.add({ key: `k${i}`, value: i === 7 ? big : `v${i}`, timestamp: i, partition: i % 4 });
  const first = unpacked(packer);
  assert.equal(first.length, 50);
  assert.equal(first[7]?.value, big);
  assert.deepEqual(first[49], { partition: 1, timestamp: 49, key: 'k49', value: 'v49' });
  assert.equal(packer.count, 0);
  packer.add({ key: 'again', value: 'x', timestamp: 5 });
  assert.deepEqual(unpacked(packer), [{ partition: undefined, timestamp: 5, key: 'again', value: 'x' }]);
});

test('nothing packed unpacks to nothing', () => {
  assert.deepEqual(unpackRecords(new RecordPacker().take()), []);
});
