/**
 * kafkajs carries a patch (patches/kafkajs+2.2.4.patch): varints written in
 * place, unzeroed buffers, CRC-32C eight bytes a step, grouping by partition
 * in place. Batches it encodes must be what the broker's own codec (with a
 * native CRC-32C) reads back, field for field, for every varint width, and
 * the patch must be applied, since only `npm ci`'s postinstall applies it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeBatchRecords, readRecordBatches } from '../broker/records/index.ts';
import { PROJECT_ROOT } from '../config/index.ts';

const require = createRequire(path.join(PROJECT_ROOT, 'node_modules', 'kafkajs', 'package.json'));
type EncoderLike = { buffer: Buffer };
const Record = require('./src/protocol/recordBatch/record/v0') as (record: {
  offsetDelta: number;
  timestampDelta: number | string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, string>;
}) => EncoderLike;
const { RecordBatch } = require('./src/protocol/recordBatch/v0') as {
  RecordBatch: (options: Record<string, unknown>) => Promise<EncoderLike>;
};
const groupMessagesPerPartition = require('./src/producer/groupMessagesPerPartition') as (options: {
  topic: string;
  partitionMetadata: unknown[];
  messages: { partition: number }[];
  partitioner: (args: { message: { partition: number } }) => number;
}) => Record<string, { partition: number }[]>;

describe('the patched kafkajs', () => {
  it('is patched (npm ci runs patch-package)', () => {
    const encoder = fs.readFileSync(
      path.join(PROJECT_ROOT, 'node_modules', 'kafkajs', 'src', 'protocol', 'encoder.js'),
      'utf8',
    );
    assert.match(encoder, /Buffer\.allocUnsafe/);
  });

  it('encodes batches the broker reads back exactly, with a valid CRC-32C', async () => {
    // Deltas and sizes across every varint width: 1 to 5 bytes, and 64-bit timestamps past 2^31.
    const timestampDeltas = [0, 1, 63, 64, 8191, 8192, 1_048_575, 1_048_576, 2 ** 30, 2 ** 31 + 5, 2 ** 40, -1, -70];
    const records = timestampDeltas.map((timestampDelta, i) => ({
      offsetDelta: i * 40_000,
      timestampDelta,
      key: i % 3 === 0 ? null : Buffer.from(`key-${i}`),
      value: i % 5 === 4 ? null : Buffer.alloc(i * 700 + 1, String.fromCharCode(97 + i)),
      headers: (i % 2 === 0 ? { trace: `t${i}` } : {}) as Record<string, string>,
    }));
    const encoded = await RecordBatch({
      firstOffset: '0',
      firstTimestamp: 1_795_600_000_000,
      maxTimestamp: 1_795_600_000_000 + 2 ** 40,
      lastOffsetDelta: records.at(-1)?.offsetDelta,
      producerId: 7,
      producerEpoch: 1,
      firstSequence: 42,
      records: records.map((r) => Record(r)),
    });
    // kafkajs frames the batch as [firstOffset int64][size int32][batch]; the broker reads the same framing.
    const [batch] = readRecordBatches(encoded.buffer);
    assert.ok(batch, 'no batch read back');
    assert.equal(batch.isCrcValid(), true);
    assert.equal(batch.producerId, 7);
    const decoded = await decodeBatchRecords(batch);
    assert.deepEqual(
      decoded.map((r) => [r.timestampDelta, r.offsetDelta, r.key, r.value, r.headers.map((h) => h.key)]),
      records.map((r) => [r.timestampDelta, r.offsetDelta, r.key, r.value, Object.keys(r.headers)]),
    );
  });

  it('groups a send by partition keeping each partition in order', () => {
    const messages = Array.from({ length: 5000 }, (_, i) => ({ partition: (i * 7) % 3, i }));
    const grouped = groupMessagesPerPartition({
      topic: 't',
      partitionMetadata: [{}, {}, {}],
      messages,
      partitioner: ({ message }) => message.partition,
    });
    assert.deepEqual(Object.keys(grouped).sort(), ['0', '1', '2']);
    for (const [partition, list] of Object.entries(grouped)) {
      assert.deepEqual(
        list,
        messages.filter((m) => String(m.partition) === partition),
      );
    }
  });
});
