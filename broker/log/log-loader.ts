/**
 * Opening a partition directory: finish or discard an interrupted
 * compaction, load the segments, recover what a crash may have torn, and
 * rebuild the producer state table.
 *
 * After a clean close (the clean-shutdown marker exists) nothing is scanned
 * but the tail of the active segment after its last index entry. Otherwise
 * every segment from the one holding the recovery point (the offset below
 * which everything was fsynced) is read batch by batch: framing, magic, CRC
 * and offset order are checked, the first bad batch and everything after it
 * is cut off, and the indexes are rebuilt from what is left.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CorruptRecordError } from '../records/index.ts';
import { type LogCheckpoint, readLogCheckpoint } from './log-checkpoint.ts';
import { finishInterruptedCleaning } from './log-cleaner.ts';
import type { LogConfig } from './log-config.ts';
import { LogSegment } from './log-segment.ts';
import { deleteSnapshotsAfter, loadProducerSnapshot } from './producer-snapshot.ts';
import { ProducerStateTable } from './producer-state.ts';
import { CLEAN_SHUTDOWN_FILE, LOG_SUFFIX, parseOffsetFileName, SEGMENT_SUFFIXES } from './segment-files.ts';

export interface TruncatedTail {
  segmentBaseOffset: number;
  /** Byte position where the log was cut. */
  position: number;
  bytesRemoved: number;
  reason: string;
}

export interface LoadedLog {
  segments: LogSegment[];
  producers: ProducerStateTable;
  checkpoint: LogCheckpoint;
  cleanShutdown: boolean;
  /** Set when recovery cut a torn or corrupt tail. */
  truncated: TruncatedTail | null;
}

function listSegmentBaseOffsets(dir: string): number[] {
  const names = fs.readdirSync(dir);
  const bases = new Set<number>();
  for (const name of names) {
    const base = parseOffsetFileName(name, LOG_SUFFIX);
    if (base !== null) bases.add(base);
  }
  // Index files left behind by a segment deletion cut short by a crash.
  for (const name of names) {
    for (const suffix of SEGMENT_SUFFIXES) {
      const base = parseOffsetFileName(name, suffix);
      if (base !== null && !bases.has(base)) fs.rmSync(path.join(dir, name), { force: true });
    }
    if (name.endsWith('.tmp')) fs.rmSync(path.join(dir, name), { force: true });
  }
  return [...bases].sort((a, b) => a - b);
}

/** Applies the batches in [fromOffset, toOffset) to the producer table, reading headers only. */
async function replayProducerState(
  segments: readonly LogSegment[],
  producers: ProducerStateTable,
  fromOffset: number,
  toOffset: number,
): Promise<void> {
  for (const segment of segments) {
    if (segment.baseOffset >= toOffset || segment.nextOffset <= fromOffset) continue;
    for await (const stored of segment.scanHeaders()) {
      const header = stored.batch;
      if (header.baseOffset >= toOffset) break;
      if (header.baseOffset < fromOffset || header.producerId < 0) continue;
      // A marker's type is in its record: read the (small) control batch whole.
      const batch = header.isControl
        ? (await segment.scanBatches(stored.position, stored.position + stored.size).next()).value?.batch
        : header;
      if (batch) producers.update(batch);
    }
  }
}

/** Replays one segment from its bytes, rebuilding its indexes; cuts it at the first bad batch. */
async function recoverSegment(segment: LogSegment, producers: ProducerStateTable): Promise<TruncatedTail | null> {
  segment.resetForRecovery();
  let validBytes = 0;
  let reason = '';
  try {
    for await (const { position, size, batch } of segment.scanBatches()) {
      batch.verifyCrc(position);
      if (batch.baseOffset < segment.nextOffset || batch.lastOffsetDelta < 0) {
        throw new CorruptRecordError(
          'invalid-record',
          `Batch offsets ${batch.baseOffset}..${batch.lastOffset} do not follow ${segment.nextOffset - 1}`,
          position,
        );
      }
      segment.track(batch, position);
      const completed = producers.update(batch);
      if (completed?.aborted) {
        segment.txnIndex.append({
          producerId: completed.producerId,
          firstOffset: completed.firstOffset,
          lastOffset: completed.lastOffset,
          lastStableOffset: producers.firstUnstableOffset() ?? batch.nextOffset,
        });
      }
      validBytes = position + size;
    }
  } catch (error) {
    if (!(error instanceof CorruptRecordError)) throw error;
    reason = error.message;
  }
  if (validBytes === segment.size) return null;
  const tail = {
    segmentBaseOffset: segment.baseOffset,
    position: validBytes,
    bytesRemoved: segment.size - validBytes,
    reason,
  };
  segment.truncateTo(validBytes);
  return tail;
}

export async function loadLog(dir: string, config: LogConfig, now: number): Promise<LoadedLog> {
  fs.mkdirSync(dir, { recursive: true });
  finishInterruptedCleaning(dir);
  const markerPath = path.join(dir, CLEAN_SHUTDOWN_FILE);
  const cleanShutdown = fs.existsSync(markerPath);
  const saved = readLogCheckpoint(dir);
  const checkpoint: LogCheckpoint = saved ?? { logStartOffset: 0, recoveryPoint: 0, cleanerOffset: 0 };

  const segments = listSegmentBaseOffsets(dir).map((base) => LogSegment.load(dir, base, config));
  if (segments.length === 0) segments.push(LogSegment.create(dir, checkpoint.logStartOffset, config));
  for (let i = 0; i < segments.length - 1; i++) segments[i]!.nextOffset = segments[i + 1]!.baseOffset;

  const producers = new ProducerStateTable();
  let truncated: TruncatedTail | null = null;
  const active = () => segments[segments.length - 1]!;

  if (cleanShutdown) {
    await active().loadTail(now);
    const logEndOffset = active().nextOffset;
    const snapshotOffset = loadProducerSnapshot(dir, logEndOffset, producers) ?? segments[0]!.baseOffset;
    await replayProducerState(segments, producers, snapshotOffset, logEndOffset);
  } else {
    // Segments that may hold unflushed bytes: from the one holding the recovery point on.
    let first = 0;
    while (first < segments.length - 1 && segments[first]!.nextOffset <= checkpoint.recoveryPoint) first++;
    const recoverFrom = segments[first]!.baseOffset;
    const snapshotOffset = loadProducerSnapshot(dir, recoverFrom, producers) ?? segments[0]!.baseOffset;
    await replayProducerState(segments.slice(0, first), producers, snapshotOffset, recoverFrom);
    for (let i = first; i < segments.length; i++) {
      const segment = segments[i]!;
      truncated = await recoverSegment(segment, producers);
      if (truncated) {
        // Nothing after a corrupt batch can be trusted to follow it.
        for (const later of segments.splice(i + 1)) {
          later.close();
          later.deleteFiles();
        }
      }
      if (i < segments.length - 1) {
        segment.nextOffset = segments[i + 1]!.baseOffset;
        segment.seal();
      } else {
        segment.rollTimestamp = segment.isEmpty ? -1 : now;
      }
    }
    deleteSnapshotsAfter(dir, active().nextOffset);
  }
  // The marker goes only now: a crash during loading must recover again.
  fs.rmSync(markerPath, { force: true });
  checkpoint.logStartOffset = Math.min(
    Math.max(checkpoint.logStartOffset, segments[0]!.baseOffset),
    active().nextOffset,
  );
  checkpoint.recoveryPoint = Math.min(checkpoint.recoveryPoint, active().nextOffset);
  producers.removeBefore(checkpoint.logStartOffset);
  return { segments, producers, checkpoint, cleanShutdown, truncated };
}
