import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  buildControlBatch,
  CompressionCodec,
  ControlRecordType,
  decodeBatchRecords,
  readRecordBatches,
  recordOffset,
} from '../records/index.ts';
import type { PartitionLog } from './partition-log.ts';
import { PartitionLog as Log } from './partition-log.ts';
import { batch, keyed, T0, tempDir } from './test-helpers.ts';

/** Every record of the log as [offset, key, value]. */
async function contents(log: PartitionLog): Promise<[number, string, string | null][]> {
  const rows: [number, string, string | null][] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const result = await log.read(offset, 1_000_000);
    if (result.records.length === 0) break;
    for (const b of readRecordBatches(result.records)) {
      if (b.isControl) continue;
      for (const r of await decodeBatchRecords(b)) {
        rows.push([recordOffset(b, r), r.key?.toString() ?? '', r.value?.toString() ?? null]);
      }
    }
    offset = result.nextOffset;
  }
  return rows;
}

const COMPACT = { cleanupPolicy: 'compact', segmentBytes: 300, deleteRetentionMs: 1000 } as const;

describe('LogCleaner', () => {
  it('keeps the last value of each key and keeps offsets', async () => {
    const log = await Log.open(tempDir(), COMPACT, { now: () => T0 });
    for (let round = 0; round < 5; round++) {
      await log.append(
        await keyed([
          ['a', `a${round}`],
          ['b', `b${round}`],
        ]),
      );
      await log.append(await keyed([['c', `c${round}`]], T0, CompressionCodec.Gzip));
    }
    await log.append(await keyed([['z', 'active']]));
    const before = log.size;
    const result = await log.compact();
    assert.ok(result.recordsRemoved > 0);
    assert.ok(log.size < before);
    const rows = await contents(log);
    const latest = new Map<string, string | null>();
    for (const [, key, value] of rows) latest.set(key, value);
    assert.deepEqual(Object.fromEntries(latest), { a: 'a4', b: 'b4', c: 'c4', z: 'active' });
    const keys = rows.map(([, key]) => key);
    assert.ok(keys.filter((k) => k === 'a').length <= 2, 'older values of a are gone except in the active segment');
    // Offsets are preserved and still increase.
    const offsets = rows.map(([o]) => o);
    assert.deepEqual(
      [...offsets].sort((x, y) => x - y),
      offsets,
    );
    assert.equal(log.logEndOffset, 16);
    await log.close();
  });

  it('drops tombstones only after delete.retention.ms', async () => {
    let now = T0;
    const dir = tempDir();
    const log = await Log.open(dir, COMPACT, { now: () => now });
    await log.append(
      await keyed([
        ['gone', 'v1'],
        ['kept', 'v1'],
      ]),
    );
    await log.append(await keyed([['gone', null]]));
    for (let i = 0; i < 6; i++) await log.append(await keyed([['filler', 'x'.repeat(80)]]));
    await log.compact();
    let rows = await contents(log);
    assert.ok(
      rows.some(([, key, value]) => key === 'gone' && value === null),
      'tombstone kept while young',
    );
    assert.ok(!rows.some(([, key, value]) => key === 'gone' && value === 'v1'));
    now = T0 + 5000;
    await log.compact();
    rows = await contents(log);
    assert.ok(!rows.some(([, key]) => key === 'gone'), 'tombstone removed after delete.retention.ms');
    assert.ok(rows.some(([, key]) => key === 'kept'));
    await log.close();
    const reopened = await Log.open(dir, COMPACT, { now: () => now });
    assert.deepEqual(await contents(reopened), rows);
    await reopened.close();
  });

  it('drops aborted records and keeps control batches', async () => {
    const log = await Log.open(tempDir(), COMPACT, { now: () => T0 });
    await log.append(
      await batch(0, {
        records: [{ key: 'k', value: 'aborted' }],
        producerId: 5,
        producerEpoch: 0,
        baseSequence: 0,
        transactional: true,
      }),
    );
    await log.append(
      buildControlBatch({ type: ControlRecordType.Abort, producerId: 5, producerEpoch: 0, coordinatorEpoch: 0 }),
      {
        origin: 'coordinator',
      },
    );
    await log.append(await keyed([['k', 'committed']]));
    for (let i = 0; i < 5; i++) await log.append(await keyed([['filler', 'x'.repeat(80)]]));
    await log.compact();
    const rows = await contents(log);
    assert.ok(!rows.some(([, , value]) => value === 'aborted'));
    assert.ok(rows.some(([, key, value]) => key === 'k' && value === 'committed'));
    const first = await log.read(log.logStartOffset, 1_000_000);
    assert.ok(
      readRecordBatches(first.records).some((b) => b.isControl),
      'the abort marker stays',
    );
    await log.close();
  });

  it('ignores a leftover .cleaned file from a crash before the swap', async () => {
    const dir = tempDir();
    const log = await Log.open(dir, COMPACT);
    for (let i = 0; i < 10; i++) await log.append(await keyed([['a', `v${i}`]]));
    const rows = await contents(log);
    await log.close();
    const stray = path.join(dir, `${'0'.repeat(20)}.log.cleaned`);
    fs.writeFileSync(stray, Buffer.from('half-written cleaner output'));
    fs.writeFileSync(`${path.join(dir, '0'.repeat(20))}.index.cleaned`, Buffer.alloc(16));
    const reopened = await Log.open(dir, COMPACT);
    assert.ok(!fs.existsSync(stray));
    assert.deepEqual(await contents(reopened), rows);
    await reopened.close();
  });

  it('completes a swap that was committed before a crash', async () => {
    const dir = tempDir();
    const log = await Log.open(dir, { ...COMPACT, segmentBytes: 120 });
    for (let i = 0; i < 6; i++) await log.append(await keyed([['a', `v${i}`]]));
    const bases = log.segmentBaseOffsets();
    await log.close();
    assert.ok(bases.length >= 3);
    // Simulate a crash right after the commit point: the cleaned copy of the
    // first two segments (here just segment 0's content) plus the swap marker.
    const first = path.join(dir, '0'.repeat(20));
    fs.copyFileSync(`${first}.log`, `${first}.log.cleaned`);
    fs.copyFileSync(`${first}.index`, `${first}.index.cleaned`);
    fs.writeFileSync(`${first}.swap`, JSON.stringify({ baseOffset: 0, endOffset: bases[2] }));
    const reopened = await Log.open(dir, { ...COMPACT, segmentBytes: 120 });
    assert.deepEqual(reopened.segmentBaseOffsets(), [0, ...bases.slice(2)]);
    assert.ok(!fs.existsSync(`${first}.swap`));
    assert.ok(!fs.readdirSync(dir).some((name) => name.endsWith('.cleaned')));
    const rows = await contents(reopened);
    assert.deepEqual(
      rows.map(([o]) => o),
      [0, ...Array.from({ length: 6 - bases[2]! }, (_, i) => bases[2]! + i)],
    );
    await reopened.close();
  });

  it('compacts from cleanup() once the dirty ratio is reached', async () => {
    const log = await Log.open(tempDir(), { ...COMPACT, minCleanableDirtyRatio: 0.5 }, { now: () => T0 });
    for (let i = 0; i < 12; i++) await log.append(await keyed([['same', `v${i}`.repeat(10)]]));
    const first = await log.cleanup();
    assert.ok(first.compaction && first.compaction.recordsRemoved > 0);
    const second = await log.cleanup();
    assert.equal(second.compaction, null, 'nothing new to clean');
    await log.close();
  });
});
