/** Shared by the log tests: temporary directories and batches built with broker/records. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import {
  type BuildRecordBatchOptions,
  buildRecordBatch,
  CompressionCodec,
  readRecordBatches,
} from '../records/index.ts';
import type { LogReadResult } from './partition-log.ts';

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-log-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const T0 = 1_700_000_000_000;

/** A batch of `count` records of `valueBytes` bytes each, keyed k<i>. */
export function batch(
  count: number,
  options: Partial<BuildRecordBatchOptions> & { valueBytes?: number } = {},
): Promise<Buffer> {
  const { valueBytes = 10, ...rest } = options;
  return buildRecordBatch({
    timestamp: T0,
    ...rest,
    records: rest.records ?? Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(valueBytes) })),
  });
}

export function keyed(
  entries: [string, string | null][],
  timestamp = T0,
  compression: CompressionCodec = CompressionCodec.None,
): Promise<Buffer> {
  return buildRecordBatch({ timestamp, compression, records: entries.map(([key, value]) => ({ key, value })) });
}

/** [baseOffset, lastOffset] of each batch a read returned. */
export function offsetsOf(result: LogReadResult): [number, number][] {
  return readRecordBatches(result.records).map((b) => [b.baseOffset, b.lastOffset]);
}
