import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  buildControlBatch,
  ControlRecordType,
  CorruptRecordError,
  decodeBatchRecords,
  readRecordBatches,
} from '../records/index.ts';
import { OffsetOutOfRangeError } from './errors.ts';
import { PartitionLog } from './partition-log.ts';
import { batch, offsetsOf, T0, tempDir } from './test-helpers.ts';

describe('PartitionLog append and read', () => {
  it('assigns offsets and reads back across segment rolls', async () => {
    const dir = tempDir();
    const log = await PartitionLog.open(dir, { segmentBytes: 1000, indexIntervalBytes: 100 });
    const results = [];
    for (let i = 0; i < 30; i++) results.push(await log.append(await batch(3, { valueBytes: 20 })));
    assert.deepEqual(results[0], { baseOffset: 0, lastOffset: 2, logAppendTime: -1, logStartOffset: 0 });
    assert.equal(results[29]!.baseOffset, 87);
    assert.equal(log.logEndOffset, 90);
    assert.ok(log.segmentCount > 3, `rolled into ${log.segmentCount} segments`);

    const seen: number[] = [];
    let offset = 0;
    while (offset < log.logEndOffset) {
      const result = await log.read(offset, 250);
      assert.ok(result.records.length > 0);
      for (const b of readRecordBatches(result.records)) seen.push(b.baseOffset);
      offset = result.nextOffset;
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 30 }, (_, i) => i * 3),
    );
    assert.deepEqual((await log.read(90, 1000)).records.length, 0);
    await log.close();
  });

  it('returns the whole batch that contains an offset in its middle', async () => {
    const log = await PartitionLog.open(tempDir());
    await log.append(await batch(5));
    await log.append(await batch(5));
    const result = await log.read(7, 1_000_000);
    assert.deepEqual(offsetsOf(result), [[5, 9]]);
    const records = await decodeBatchRecords(readRecordBatches(result.records)[0]!);
    assert.equal(records.length, 5);
    await log.close();
  });

  it('honours maxBytes with whole batches, and returns one oversized batch', async () => {
    const log = await PartitionLog.open(tempDir());
    const size = (await batch(1, { valueBytes: 100 })).length;
    for (let i = 0; i < 4; i++) await log.append(await batch(1, { valueBytes: 100 }));
    assert.deepEqual(offsetsOf(await log.read(0, size * 2 + 10)), [
      [0, 0],
      [1, 1],
    ]);
    assert.deepEqual(offsetsOf(await log.read(1, 10)), [[1, 1]]);
    assert.equal((await log.read(1, 10, { minOneBatch: false })).records.length, 0);
    assert.deepEqual(offsetsOf(await log.read(0, 1_000_000, { maxOffset: 2 })), [
      [0, 0],
      [1, 1],
    ]);
    await assert.rejects(log.read(5, 100), OffsetOutOfRangeError);
    await log.close();
  });

  it('refuses a corrupt batch without writing anything', async () => {
    const log = await PartitionLog.open(tempDir());
    const bad = await batch(2);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0x10;
    await assert.rejects(
      log.append(bad),
      (e: unknown) => e instanceof CorruptRecordError && e.reason === 'crc-mismatch',
    );
    await assert.rejects(
      log.append(buildControlBatch({ type: 1, producerId: 1, producerEpoch: 0, coordinatorEpoch: 0 })),
    );
    assert.equal(log.logEndOffset, 0);
    assert.equal(log.size, 0);
    await log.close();
  });

  it('stamps log append time when the topic asks for it', async () => {
    const log = await PartitionLog.open(tempDir(), { messageTimestampType: 'LogAppendTime' }, { now: () => T0 + 99 });
    const result = await log.append(await batch(2));
    assert.equal(result.logAppendTime, T0 + 99);
    const [stored] = readRecordBatches((await log.read(0, 10_000)).records);
    assert.equal(stored?.timestampType, 'log-append-time');
    assert.equal(stored?.maxTimestamp, T0 + 99);
    await log.close();
  });
});

describe('PartitionLog offsets by time', () => {
  it('finds the first record at or after a timestamp', async () => {
    const log = await PartitionLog.open(tempDir(), { segmentBytes: 400, indexIntervalBytes: 50 });
    for (let i = 0; i < 20; i++) {
      const records = [0, 1].map((j) => ({ key: `k${i}`, value: 'v', timestamp: T0 + i * 100 + j * 10 }));
      await log.append(await batch(0, { records }));
    }
    assert.ok(log.segmentCount > 2);
    assert.deepEqual(await log.offsetForTimestamp(T0), { offset: 0, timestamp: T0 });
    assert.deepEqual(await log.offsetForTimestamp(T0 + 505), { offset: 11, timestamp: T0 + 510 });
    assert.deepEqual(await log.offsetForTimestamp(T0 + 1200), { offset: 24, timestamp: T0 + 1200 });
    assert.equal(await log.offsetForTimestamp(T0 + 5000), null);
    await log.close();
  });
});

describe('PartitionLog retention and DeleteRecords', () => {
  it('deletes the oldest segments beyond retention.bytes', async () => {
    const dir = tempDir();
    const log = await PartitionLog.open(dir, { segmentBytes: 500, retentionBytes: 1000, retentionMs: -1 });
    for (let i = 0; i < 20; i++) await log.append(await batch(2, { valueBytes: 40 }));
    const before = log.size;
    const result = await log.cleanup();
    assert.ok(result.segmentsDeleted > 0);
    assert.ok(log.size <= 1000 + 500, `size ${log.size} after ${before}`);
    assert.equal(log.logStartOffset, log.segmentBaseOffsets()[0]);
    await assert.rejects(log.read(0, 100), OffsetOutOfRangeError);
    assert.ok((await log.read(log.logStartOffset, 100)).records.length > 0);
    await log.close();
  });

  it('deletes segments older than retention.ms, the active one included', async () => {
    let now = T0;
    const log = await PartitionLog.open(tempDir(), { segmentBytes: 300, retentionMs: 1000 }, { now: () => now });
    for (let i = 0; i < 10; i++) await log.append(await batch(1, { timestamp: T0 + i, valueBytes: 50 }));
    now = T0 + 500;
    assert.equal((await log.cleanup()).segmentsDeleted, 0);
    now = T0 + 5000;
    await log.cleanup();
    assert.equal(log.logStartOffset, 10);
    assert.equal(log.logEndOffset, 10);
    assert.equal(log.segmentCount, 1);
    assert.deepEqual((await log.append(await batch(1))).baseOffset, 10);
    await log.close();
  });

  it('advances the log start offset, persists it and drops whole segments', async () => {
    const dir = tempDir();
    const log = await PartitionLog.open(dir, { segmentBytes: 300 });
    for (let i = 0; i < 10; i++) await log.append(await batch(2, { valueBytes: 40 }));
    const segments = log.segmentCount;
    assert.equal(await log.deleteRecordsBefore(9), 9);
    assert.ok(log.segmentCount < segments);
    assert.deepEqual(offsetsOf(await log.read(9, 1000)).slice(0, 1), [[8, 9]]);
    await assert.rejects(log.read(8, 100), OffsetOutOfRangeError);
    await assert.rejects(log.deleteRecordsBefore(100), OffsetOutOfRangeError);
    await log.close();
    const reopened = await PartitionLog.open(dir, { segmentBytes: 300 });
    assert.equal(reopened.logStartOffset, 9);
    assert.equal(reopened.logEndOffset, 20);
    assert.equal(await reopened.deleteRecordsBefore(20), 20);
    assert.equal(reopened.segmentCount, 1);
    assert.equal((await reopened.append(await batch(1))).baseOffset, 20);
    await reopened.close();
  });
});

describe('PartitionLog restart and recovery', () => {
  it('keeps offsets, data and producer state across a clean restart', async () => {
    const dir = tempDir();
    const log = await PartitionLog.open(dir, { segmentBytes: 400 });
    for (let i = 0; i < 8; i++) {
      await log.append(await batch(2, { producerId: 7, producerEpoch: 1, baseSequence: i * 2 }));
    }
    await log.close();
    assert.ok(fs.existsSync(path.join(dir, 'clean-shutdown')));
    const reopened = await PartitionLog.open(dir, { segmentBytes: 400 });
    assert.equal(reopened.recoveredTail, null);
    assert.equal(reopened.logEndOffset, 16);
    assert.equal(reopened.producerState(7)?.lastSequence, 15);
    assert.equal(reopened.producerState(7)?.lastOffset, 15);
    assert.deepEqual(reopened.checkSequence(7, 1, 14, 15), { kind: 'duplicate', firstOffset: 14, lastOffset: 15 });
    assert.deepEqual(reopened.checkSequence(7, 1, 20, 21), { kind: 'out-of-order', expectedSequence: 16 });
    assert.equal((await reopened.append(await batch(1))).baseOffset, 16);
    assert.deepEqual(offsetsOf(await reopened.read(3, 100_000))[0], [2, 3]);
    await reopened.close();
  });

  it('cuts a torn tail after a crash and rebuilds the indexes', async () => {
    const dir = tempDir();
    const log = await PartitionLog.open(dir, { indexIntervalBytes: 50 });
    for (let i = 0; i < 6; i++)
      await log.append(await batch(2, { producerId: 3, producerEpoch: 0, baseSequence: i * 2 }));
    const activeLog = path.join(dir, `${'0'.repeat(20)}.log`);
    const goodSize = fs.statSync(activeLog).size;
    // Crash: no close, half a batch and garbage at the end.
    const extra = await batch(2);
    fs.appendFileSync(activeLog, extra.subarray(0, extra.length - 7));
    const reopened = await PartitionLog.open(dir, { indexIntervalBytes: 50 });
    assert.equal(reopened.recoveredTail?.position, goodSize);
    assert.equal(fs.statSync(activeLog).size, goodSize);
    assert.equal(reopened.logEndOffset, 12);
    assert.equal(reopened.producerState(3)?.lastSequence, 11);
    assert.deepEqual(offsetsOf(await reopened.read(9, 100)), [[8, 9]]);
    assert.equal((await reopened.append(await batch(1))).baseOffset, 12);
    await reopened.close();
  });

  it('detects a corrupted batch by its CRC and truncates from there', async () => {
    const dir = tempDir();
    const log = await PartitionLog.open(dir, { segmentBytes: 10_000 });
    const sizes = [];
    for (let i = 0; i < 5; i++) {
      const b = await batch(3);
      sizes.push(b.length);
      await log.append(b);
    }
    await log.flush();
    const file = path.join(dir, `${'0'.repeat(20)}.log`);
    const bytes = fs.readFileSync(file);
    const thirdBatch = sizes[0]! + sizes[1]!;
    bytes[thirdBatch + 70] = (bytes[thirdBatch + 70] ?? 0) ^ 0x01;
    fs.writeFileSync(file, bytes);
    fs.appendFileSync(file, Buffer.from('garbage garbage garbage garbage garbage garbage garbage garbage'));
    const reopened = await PartitionLog.open(dir, { segmentBytes: 10_000 });
    assert.match(reopened.recoveredTail?.reason ?? '', /CRC/);
    assert.equal(reopened.logEndOffset, 6);
    assert.equal(fs.statSync(file).size, thirdBatch);
    await reopened.close();
  });
});

describe('PartitionLog transactions', () => {
  it('tracks the last stable offset and indexes aborted transactions', async () => {
    const dir = tempDir();
    const log = await PartitionLog.open(dir);
    const txn = { producerId: 11, producerEpoch: 0, transactional: true };
    await log.append(await batch(2, { ...txn, baseSequence: 0 }));
    await log.append(await batch(1));
    assert.equal(log.lastStableOffset, 0);
    const marker = buildControlBatch({
      type: ControlRecordType.Abort,
      producerId: 11,
      producerEpoch: 0,
      coordinatorEpoch: 2,
    });
    await log.append(marker, { origin: 'coordinator' });
    assert.equal(log.lastStableOffset, 4);
    assert.deepEqual(log.abortedTransactions(0, 4), [
      { producerId: 11, firstOffset: 0, lastOffset: 3, lastStableOffset: 4 },
    ]);
    await log.append(await batch(1, { ...txn, baseSequence: 2 }));
    assert.equal(log.lastStableOffset, 4);
    await log.close();
    const reopened = await PartitionLog.open(dir);
    assert.equal(reopened.lastStableOffset, 4);
    assert.equal(reopened.abortedTransactions(0, 5).length, 1);
    await reopened.close();
  });
});
