/**
 * Byte-level compatibility with kafkajs's own record batch encoder and
 * decoder (loaded from node_modules): the reference a real client produces.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { CompressionCodec } from './compression.ts';
import { RecordBatch } from './record-batch.ts';
import { buildRecordBatch, decodeBatchRecords } from './record-batch-builder.ts';
import { readRecordBatches } from './record-batch-iterator.ts';

const require = createRequire(import.meta.url);

interface KafkajsEncoder {
  buffer: Buffer;
}
interface KafkajsDecodedRecord {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  offset: string;
  headers: Record<string, Buffer>;
}
const { RecordBatch: kafkajsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (options: object) => Promise<KafkajsEncoder>;
};
const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (options: object) => unknown;
const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: unknown,
) => Promise<{ records: KafkajsDecodedRecord[] }>;
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;

const T0 = 1_700_000_000_000;
const INPUT: { key: string; value: string; timestamp: number; headers: Record<string, string> }[] = [
  { key: 'alpha', value: 'one', timestamp: T0, headers: { source: 'test' } },
  { key: 'beta', value: 'two', timestamp: T0 + 10, headers: {} },
  { key: 'gamma', value: 'three'.repeat(50), timestamp: T0 + 3, headers: {} },
];

async function kafkajsBatch(compression: number): Promise<Buffer> {
  const records = INPUT.map((r, i) =>
    kafkajsRecord({
      offsetDelta: i,
      timestampDelta: r.timestamp - T0,
      key: Buffer.from(r.key),
      value: Buffer.from(r.value),
      headers: r.headers,
    }),
  );
  const encoder = await kafkajsRecordBatch({
    compression,
    firstTimestamp: T0,
    maxTimestamp: T0 + 10,
    lastOffsetDelta: INPUT.length - 1,
    producerId: -1,
    records,
  });
  return encoder.buffer;
}

describe('kafkajs compatibility', () => {
  for (const [name, codec] of [
    ['uncompressed', CompressionCodec.None],
    ['gzip', CompressionCodec.Gzip],
  ] as const) {
    it(`reads kafkajs batches and agrees on their CRC (${name})`, async () => {
      const [batch] = readRecordBatches(await kafkajsBatch(codec));
      assert.ok(batch);
      assert.equal(batch.isCrcValid(), true);
      assert.equal(batch.compressionCodec, codec);
      assert.equal(batch.recordCount, 3);
      assert.equal(batch.maxTimestamp, T0 + 10);
      const records = await decodeBatchRecords(batch);
      assert.deepEqual(
        records.map((r) => [r.key?.toString(), r.value?.toString(), r.timestampDelta, r.offsetDelta]),
        INPUT.map((r, i) => [r.key, r.value, r.timestamp - T0, i]),
      );
      assert.deepEqual(
        records[0]?.headers.map((h) => [h.key, h.value?.toString()]),
        [['source', 'test']],
      );
    });
  }

  it('encodes an uncompressed batch to the same bytes as kafkajs', async () => {
    const ours = await buildRecordBatch({
      records: INPUT,
      producerId: -1,
      producerEpoch: 0,
      baseSequence: 0,
      partitionLeaderEpoch: 0,
    });
    assert.deepEqual(ours, await kafkajsBatch(CompressionCodec.None));
  });

  it('writes gzip batches kafkajs can decode', async () => {
    const ours = await buildRecordBatch({ records: INPUT, compression: CompressionCodec.Gzip, baseOffset: 100 });
    assert.equal(new RecordBatch(ours).isCrcValid(), true);
    const decoded = await kafkajsDecodeBatch(new KafkajsDecoder(ours));
    assert.deepEqual(
      decoded.records.map((r) => [r.offset, r.timestamp, r.key?.toString(), r.value?.toString()]),
      INPUT.map((r, i) => [String(100 + i), String(r.timestamp), r.key, r.value]),
    );
  });
});
