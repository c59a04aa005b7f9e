/**
 * Log compaction (cleanup.policy=compact): rewrites closed, stable segments
 * keeping only the latest record of each key.
 *
 * One pass: (1) map every key of the eligible segments to its last offset,
 * (2) group consecutive segments so each group fits in one segment, (3) copy
 * each group into `<base>.*.cleaned` files keeping the survivors: batches
 * whose records all survive are copied byte for byte; others are re-encoded
 * with the same header fields, offsets and codec; control batches are kept;
 * batches of aborted transactions are dropped; tombstones go once older than
 * delete.retention.ms (measured from the tombstone's timestamp).
 *
 * Swap protocol, so a crash at any point loses nothing:
 *   1. write and fsync X.log.cleaned, X.index.cleaned, X.timeindex.cleaned, X.txnindex.cleaned
 *   2. write X.swap = {baseOffset: X, endOffset} atomically     <- commit point
 *   3. delete the segments the group replaces (bases in (X, endOffset))
 *   4. rename X.*.cleaned over X.* (indexes first, .log last)
 *   5. delete X.swap
 * On open, `finishInterruptedCleaning` redoes 3-5 for each X.swap and deletes
 * any other *.cleaned file: before the commit point the old segments stand.
 *
 * Memory: the key map holds at most cleanerMaxKeys entries (keys longer than
 * 32 bytes are stored as their MD5); a pass that would exceed it compacts
 * only the segments mapped so far.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  type BatchRecord,
  compressionCodecName,
  decodeBatchRecords,
  encodeRecordBatch,
  fieldsOf,
  isCompressionSupported,
  RecordBatch,
  recordOffset,
  recordTimestamp,
} from '../records/index.ts';
import { writeFileAtomic } from './file-io.ts';
import type { LogConfig } from './log-config.ts';
import { LogSegment } from './log-segment.ts';
import {
  CLEANED_SUFFIX,
  offsetFileName,
  parseOffsetFileName,
  SEGMENT_SUFFIXES,
  SWAP_SUFFIX,
  segmentPaths,
} from './segment-files.ts';
import type { AbortedTransaction } from './transaction-index.ts';

interface SwapMarker {
  baseOffset: number;
  endOffset: number;
}

function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Steps 3-5 of the swap protocol; idempotent, so recovery can run it again. */
function completeSwap(dir: string, marker: SwapMarker): void {
  for (const name of fs.readdirSync(dir)) {
    for (const suffix of SEGMENT_SUFFIXES) {
      const base = parseOffsetFileName(name, suffix);
      if (base !== null && base > marker.baseOffset && base < marker.endOffset) fs.rmSync(path.join(dir, name));
    }
  }
  const finalPaths = segmentPaths(dir, marker.baseOffset);
  const cleanedPaths = segmentPaths(dir, marker.baseOffset, CLEANED_SUFFIX);
  for (const key of ['offsetIndex', 'timeIndex', 'txnIndex', 'log'] as const) {
    if (fs.existsSync(cleanedPaths[key])) fs.renameSync(cleanedPaths[key], finalPaths[key]);
  }
  fsyncDirSync(dir);
  fs.rmSync(path.join(dir, offsetFileName(marker.baseOffset, SWAP_SUFFIX)), { force: true });
}

/** Completes committed swaps and discards uncommitted cleaner output (see the protocol above). */
export function finishInterruptedCleaning(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const base = parseOffsetFileName(name, SWAP_SUFFIX);
    if (base === null) continue;
    const marker = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as SwapMarker;
    completeSwap(dir, marker);
  }
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith(CLEANED_SUFFIX)) fs.rmSync(path.join(dir, name));
  }
}

export interface CompactionResult {
  segmentsBefore: number;
  segmentsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  recordsRemoved: number;
  /** Everything below this offset is now clean (the cleaner checkpoint). */
  cleanedUpTo: number;
  /** Batches kept as they are because their codec cannot be read, and similar notes. */
  warnings: string[];
}

export interface CompactionInput {
  dir: string;
  config: LogConfig;
  now: number;
  /** Closed segments below the last stable offset, oldest first, consecutive. */
  segments: readonly LogSegment[];
  /** The offset after the last eligible segment (the next segment's base). */
  endOffset: number;
  /** Puts `replacement` in place of `replaced` in the live segment list, and retires them. */
  replace: (replaced: readonly LogSegment[], replacement: LogSegment) => void;
}

function keyId(key: Buffer): string {
  return key.length <= 32 ? `k${key.toString('latin1')}` : `h${createHash('md5').update(key).digest('base64')}`;
}

class AbortedRanges {
  private readonly byProducer = new Map<number, AbortedTransaction[]>();
  constructor(transactions: readonly AbortedTransaction[]) {
    for (const txn of transactions) {
      const list = this.byProducer.get(txn.producerId) ?? [];
      list.push(txn);
      this.byProducer.set(txn.producerId, list);
    }
  }
  contains(batch: RecordBatch): boolean {
    if (!batch.isTransactional || batch.isControl) return false;
    const offset = batch.baseOffset;
    return (
      this.byProducer.get(batch.producerId)?.some((t) => t.firstOffset <= offset && offset <= t.lastOffset) ?? false
    );
  }
}

async function withSegment<T>(segment: LogSegment, task: () => Promise<T>): Promise<T> {
  segment.acquire();
  try {
    return await task();
  } finally {
    segment.release();
  }
}

/** Pass 1: key -> last offset. Returns how many leading segments were fully mapped. */
async function buildOffsetMap(
  segments: readonly LogSegment[],
  aborted: AbortedRanges,
  maxKeys: number,
  offsets: Map<string, number>,
  warnings: string[],
): Promise<number> {
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const full = await withSegment(segment, async () => {
      for await (const { batch } of segment.scanBatches()) {
        if (batch.isControl || aborted.contains(batch)) continue;
        if (!isCompressionSupported(batch.compressionCodec)) continue;
        for (const record of await decodeBatchRecords(batch)) {
          if (record.key === null) continue;
          offsets.set(keyId(record.key), recordOffset(batch, record));
        }
        if (offsets.size > maxKeys) return true;
      }
      return false;
    });
    if (full) {
      warnings.push(
        `Compaction stopped mapping keys at segment ${segment.baseOffset}: more than cleanerMaxKeys=${maxKeys} keys`,
      );
      return i;
    }
  }
  return segments.length;
}

/** Pass 2: consecutive segments whose combined size fits one segment and 32-bit relative offsets. */
function groupSegments(segments: readonly LogSegment[], endOffset: number, config: LogConfig): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let current: LogSegment[] = [];
  let size = 0;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const next = segments[i + 1]?.baseOffset ?? endOffset;
    const first = current[0];
    const fits =
      first !== undefined &&
      size + segment.size <= config.segmentBytes &&
      next - first.baseOffset <= 0x7fff_ffff &&
      // Index entries come from batch positions; the input indexes bound the output's.
      current.reduce((n, s) => n + s.offsetIndex.file.entryCount, 0) + segment.offsetIndex.file.entryCount <
        segment.offsetIndex.file.maxEntries;
    if (!fits && current.length > 0) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(segment);
    size += segment.size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Decides which records of a batch survive. */
function survivors(
  batch: RecordBatch,
  records: BatchRecord[],
  offsets: Map<string, number>,
  tombstoneHorizon: number,
): BatchRecord[] {
  return records.filter((record) => {
    if (record.key === null) return true;
    const latest = offsets.get(keyId(record.key));
    if (latest !== undefined && recordOffset(batch, record) < latest) return false;
    return !(record.value === null && recordTimestamp(batch, record) < tombstoneHorizon);
  });
}

/** Pass 3: copies one group into a `.cleaned` segment, then swaps it in. */
async function cleanGroup(
  input: CompactionInput,
  group: readonly LogSegment[],
  groupEnd: number,
  offsets: Map<string, number>,
  aborted: AbortedRanges,
  result: CompactionResult,
): Promise<void> {
  const first = group[0]!;
  const { dir, config, now } = input;
  const cleaned = LogSegment.create(dir, first.baseOffset, config, CLEANED_SUFFIX);
  const tombstoneHorizon = now - config.deleteRetentionMs;
  const warned = new Set<number>();
  try {
    for (const segment of group) {
      await withSegment(segment, async () => {
        for await (const { batch } of segment.scanBatches()) {
          let kept: Buffer | null = batch.buffer;
          if (aborted.contains(batch)) {
            kept = null;
            result.recordsRemoved += batch.recordCount;
          } else if (!batch.isControl) {
            const codec = batch.compressionCodec;
            if (!isCompressionSupported(codec)) {
              if (!warned.has(codec)) {
                warned.add(codec);
                result.warnings.push(
                  `Kept ${compressionCodecName(codec)} batches uncompacted (first at offset ${batch.baseOffset}): ` +
                    'this codec cannot be decompressed here',
                );
              }
            } else {
              const records = await decodeBatchRecords(batch);
              const keep = survivors(batch, records, offsets, tombstoneHorizon);
              result.recordsRemoved += records.length - keep.length;
              if (keep.length === 0) kept = null;
              else if (keep.length < records.length) kept = await encodeRecordBatch(fieldsOf(batch), keep);
            }
          }
          if (kept !== null) cleaned.append(kept, [new RecordBatch(kept)], now);
        }
      });
      for (const txn of segment.txnIndex.all()) cleaned.txnIndex.append(txn);
    }
    cleaned.nextOffset = groupEnd;
    cleaned.seal();
    await cleaned.flush();
  } finally {
    cleaned.close();
  }
  const marker: SwapMarker = { baseOffset: first.baseOffset, endOffset: groupEnd };
  await writeFileAtomic(path.join(dir, offsetFileName(first.baseOffset, SWAP_SUFFIX)), JSON.stringify(marker));
  completeSwap(dir, marker);
  const replacement = LogSegment.load(dir, first.baseOffset, config);
  replacement.nextOffset = groupEnd;
  input.replace(group, replacement);
  result.bytesAfter += replacement.size;
}

/**
 * Compacts `input.segments`. `abortedTransactions` must include aborts whose
 * marker lies past them (a transaction can span segments).
 */
export async function compactSegments(
  input: CompactionInput,
  abortedTransactions: readonly AbortedTransaction[],
): Promise<CompactionResult> {
  const result: CompactionResult = {
    segmentsBefore: input.segments.length,
    segmentsAfter: 0,
    bytesBefore: 0,
    bytesAfter: 0,
    recordsRemoved: 0,
    cleanedUpTo: input.segments[0]?.baseOffset ?? input.endOffset,
    warnings: [],
  };
  const aborted = new AbortedRanges(abortedTransactions);
  const offsets = new Map<string, number>();
  const mapped = await buildOffsetMap(input.segments, aborted, input.config.cleanerMaxKeys, offsets, result.warnings);
  const eligible = input.segments.slice(0, mapped);
  const end = input.segments[mapped]?.baseOffset ?? input.endOffset;
  result.segmentsBefore = eligible.length;
  for (const group of groupSegments(eligible, end, input.config)) {
    const last = group[group.length - 1]!;
    const groupEnd = eligible[eligible.indexOf(last) + 1]?.baseOffset ?? end;
    result.bytesBefore += group.reduce((n, s) => n + s.size, 0);
    await cleanGroup(input, group, groupEnd, offsets, aborted, result);
    result.segmentsAfter++;
    result.cleanedUpTo = groupEnd;
  }
  return result;
}
