import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompressionCodec } from './compression.ts';
import { buildControlBatch, ControlRecordType, readTransactionMarker } from './control-record.ts';
import { CorruptRecordError, UnsupportedCompressionError } from './errors.ts';
import { RecordBatch } from './record-batch.ts';
import {
  buildRecordBatch,
  decodeBatchRecords,
  encodeRecordBatch,
  fieldsOf,
  recordTimestamp,
} from './record-batch-builder.ts';
import { iterateRecordBatches, readRecordBatches } from './record-batch-iterator.ts';

const T0 = 1_700_000_000_000;

async function sampleBatch(compression: CompressionCodec = CompressionCodec.None): Promise<Buffer> {
  return buildRecordBatch({
    compression,
    baseOffset: 0,
    producerId: 42,
    producerEpoch: 3,
    baseSequence: 7,
    records: [
      { key: 'k1', value: 'v1', timestamp: T0, headers: { trace: 'abc', empty: null } },
      { key: null, value: 'no key', timestamp: T0 + 5 },
      { key: 'k3', value: null, timestamp: T0 + 2 },
    ],
  });
}

function corrupt(reason: string) {
  return (error: unknown) => error instanceof CorruptRecordError && error.reason === reason;
}

describe('RecordBatch header view', () => {
  it('reads every header field of a built batch', async () => {
    const batch = new RecordBatch(await sampleBatch());
    assert.equal(batch.magic, 2);
    assert.equal(batch.baseOffset, 0);
    assert.equal(batch.batchLength, batch.sizeInBytes - 12);
    assert.equal(batch.lastOffsetDelta, 2);
    assert.equal(batch.recordCount, 3);
    assert.equal(batch.baseTimestamp, T0);
    assert.equal(batch.maxTimestamp, T0 + 5);
    assert.equal(batch.producerId, 42);
    assert.equal(batch.producerEpoch, 3);
    assert.equal(batch.baseSequence, 7);
    assert.equal(batch.lastSequence, 9);
    assert.equal(batch.compressionCodec, CompressionCodec.None);
    assert.equal(batch.timestampType, 'create-time');
    assert.equal(batch.isTransactional, false);
    assert.equal(batch.isControl, false);
    assert.equal(batch.isCrcValid(), true);
  });

  it('rewrites baseOffset in place without breaking the CRC', async () => {
    const buffer = await sampleBatch();
    const batch = new RecordBatch(buffer);
    batch.setBaseOffset(2 ** 40 + 17);
    batch.setPartitionLeaderEpoch(5);
    assert.equal(batch.baseOffset, 2 ** 40 + 17);
    assert.equal(batch.lastOffset, 2 ** 40 + 19);
    assert.equal(batch.partitionLeaderEpoch, 5);
    assert.equal(batch.isCrcValid(), true);
  });

  it('stamps log append time and recomputes the CRC', async () => {
    const batch = new RecordBatch(await sampleBatch());
    const crcBefore = batch.crc;
    batch.setLogAppendTime(T0 + 1000);
    assert.equal(batch.timestampType, 'log-append-time');
    assert.equal(batch.maxTimestamp, T0 + 1000);
    assert.notEqual(batch.crc, crcBefore);
    assert.equal(batch.isCrcValid(), true);
    const [first] = await decodeBatchRecords(batch);
    assert.equal(recordTimestamp(batch, first!), T0 + 1000);
  });

  it('detects a single flipped bit anywhere in the CRC range', async () => {
    const buffer = await sampleBatch();
    for (const position of [21, 30, 61, buffer.length - 1]) {
      const copy = Buffer.from(buffer);
      copy[position] = (copy[position] ?? 0) ^ 0x01;
      assert.throws(() => readRecordBatches(copy), corrupt('crc-mismatch'), `bit flipped at byte ${position}`);
    }
  });
});

describe('records blobs', () => {
  it('splits several batches sent back to back', async () => {
    const first = await sampleBatch();
    const second = await sampleBatch(CompressionCodec.Gzip);
    const batches = readRecordBatches(Buffer.concat([first, second]));
    assert.equal(batches.length, 2);
    assert.equal(batches[0]!.sizeInBytes, first.length);
    assert.equal(batches[1]!.compressionCodec, CompressionCodec.Gzip);
    assert.deepEqual(readRecordBatches(Buffer.alloc(0)), []);
  });

  it('refuses a batch cut short, with its position', async () => {
    const first = await sampleBatch();
    const blob = Buffer.concat([first, first.subarray(0, first.length - 3)]);
    assert.throws(
      () => readRecordBatches(blob),
      (error: unknown) => corrupt('truncated')(error) && (error as CorruptRecordError).position === first.length,
    );
    assert.throws(() => readRecordBatches(first.subarray(0, 8)), corrupt('truncated'));
  });

  it('refuses legacy magic 0 and 1 message sets with a clear reason', async () => {
    for (const magic of [0, 1]) {
      const legacy = Buffer.from(await sampleBatch());
      legacy.writeInt8(magic, 16);
      assert.throws(
        () => readRecordBatches(legacy),
        (error: unknown) => {
          return corrupt('unsupported-magic')(error) && /Legacy message set/.test((error as Error).message);
        },
      );
    }
  });

  it('refuses a length below the header size and above the limit', async () => {
    const buffer = Buffer.from(await sampleBatch());
    assert.throws(() => [...iterateRecordBatches(buffer, { maxBatchSize: 20 })], corrupt('too-large'));
    buffer.writeInt32BE(10, 8);
    assert.throws(() => [...iterateRecordBatches(buffer)], corrupt('invalid-length'));
  });
});

describe('record encoding', () => {
  for (const [name, codec] of [
    ['uncompressed', CompressionCodec.None],
    ['gzip', CompressionCodec.Gzip],
  ] as const) {
    it(`round-trips keys, values, nulls and headers (${name})`, async () => {
      const batch = new RecordBatch(await sampleBatch(codec));
      const records = await decodeBatchRecords(batch);
      assert.equal(records.length, 3);
      assert.equal(records[0]!.key?.toString(), 'k1');
      assert.equal(records[0]!.value?.toString(), 'v1');
      assert.deepEqual(
        records[0]!.headers.map((h) => [h.key, h.value?.toString() ?? null]),
        [
          ['trace', 'abc'],
          ['empty', null],
        ],
      );
      assert.equal(records[1]!.key, null);
      assert.equal(records[1]!.timestampDelta, 5);
      assert.equal(records[2]!.value, null);
      assert.deepEqual(
        records.map((r) => r.offsetDelta),
        [0, 1, 2],
      );
    });
  }

  it('re-encodes a batch from its own fields and records to the same bytes', async () => {
    const original = new RecordBatch(await sampleBatch());
    const rebuilt = await encodeRecordBatch(fieldsOf(original), await decodeBatchRecords(original));
    assert.deepEqual(rebuilt, original.buffer);
  });

  it('names the codec it cannot read', async () => {
    const buffer = await sampleBatch();
    const fields = { ...fieldsOf(new RecordBatch(buffer)), compression: CompressionCodec.Zstd };
    await assert.rejects(encodeRecordBatch(fields, []), UnsupportedCompressionError);
    const snappy = Buffer.from(buffer);
    snappy.writeInt16BE(CompressionCodec.Snappy, 21);
    await assert.rejects(decodeBatchRecords(new RecordBatch(snappy)), /snappy/);
  });

  it('reports a malformed record as invalid-record', async () => {
    const batch = new RecordBatch(Buffer.from(await sampleBatch()));
    batch.buffer.writeInt32BE(4, 57);
    await assert.rejects(decodeBatchRecords(batch), corrupt('invalid-record'));
  });
});

describe('control records', () => {
  it('builds commit and abort markers that read back', () => {
    for (const type of [ControlRecordType.Abort, ControlRecordType.Commit]) {
      const batch = new RecordBatch(
        buildControlBatch({ type, producerId: 9, producerEpoch: 1, coordinatorEpoch: 4, timestamp: T0 }),
      );
      assert.equal(batch.isControl, true);
      assert.equal(batch.isTransactional, true);
      assert.equal(batch.producerId, 9);
      assert.equal(batch.isCrcValid(), true);
      assert.deepEqual(readTransactionMarker(batch), { type, coordinatorEpoch: 4 });
    }
  });
});
