/**
 * Append throughput of PartitionLog against a raw fs.writeSync baseline in
 * the same run: batches of 200-byte records, written whole, no fsync.
 *
 *   node --import tsx bench/log-append.ts [totalMiB=256] [recordsPerBatch=100]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PartitionLog } from '../broker/log/index.ts';
import { buildRecordBatch } from '../broker/records/index.ts';

const totalMiB = Number(process.argv[2] ?? 256);
const recordsPerBatch = Number(process.argv[3] ?? 100);

const template = await buildRecordBatch({
  records: Array.from({ length: recordsPerBatch }, (_, i) => ({ key: `key-${i}`, value: Buffer.alloc(200, 97) })),
});
const batches = Math.ceil((totalMiB * 1024 * 1024) / template.length);
const mib = (batches * template.length) / (1024 * 1024);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-'));

function report(name: string, ms: number): void {
  console.log(
    `${name.padEnd(22)} ${(mib / (ms / 1000)).toFixed(0).padStart(6)} MB/s  (${mib.toFixed(0)} MiB in ${ms.toFixed(0)} ms)`,
  );
}

try {
  const rawFile = path.join(dir, 'raw.bin');
  const fd = fs.openSync(rawFile, 'w');
  let position = 0;
  let start = performance.now();
  for (let i = 0; i < batches; i++) {
    const copy = Buffer.from(template);
    position += fs.writeSync(fd, copy, 0, copy.length, position);
  }
  report('raw fs.writeSync', performance.now() - start);
  fs.closeSync(fd);
  fs.rmSync(rawFile);

  const log = await PartitionLog.open(path.join(dir, 'log'), { segmentBytes: 64 * 1024 * 1024 });
  start = performance.now();
  for (let i = 0; i < batches; i++) await log.append(Buffer.from(template));
  report('PartitionLog.append', performance.now() - start);
  console.log(
    `${batches} batches of ${recordsPerBatch} records (${template.length} bytes), ${log.segmentCount} segments`,
  );
  await log.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
