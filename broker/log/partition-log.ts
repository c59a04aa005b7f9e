/**
 * PartitionLog: the durable, append-only log of one topic partition, made
 * of segments (see README.md for the files). Appends take whole batches as
 * received; offsets are assigned by rewriting each batch's baseOffset in
 * place. Reads return whole batches. Retention, DeleteRecords and
 * compaction drop data from the front; only the active (last) segment grows.
 *
 * Concurrency: append is synchronous up to the optional fsync, so offsets
 * and file positions never interleave. Reads run concurrently with
 * everything, pinning the segments they touch. Maintenance (cleanup,
 * compact, deleteRecordsBefore, close) runs one task at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  CorruptRecordError,
  decodeBatchRecords,
  isCompressionSupported,
  LOG_OVERHEAD,
  RECORD_BATCH_HEADER_SIZE,
  RecordBatch,
  readRecordBatches,
  recordOffset,
  recordTimestamp,
} from '../records/index.ts';
import { LogClosedError, OffsetOutOfRangeError } from './errors.ts';
import { writeFileAtomic } from './file-io.ts';
import { type LogCheckpoint, writeLogCheckpoint } from './log-checkpoint.ts';
import { type CompactionResult, compactSegments } from './log-cleaner.ts';
import { compacts, deletesByRetention, type LogConfig, validateLogConfig } from './log-config.ts';
import { loadLog, type TruncatedTail } from './log-loader.ts';
import { LogSegment } from './log-segment.ts';
import { writeProducerSnapshot } from './producer-snapshot.ts';
import type { ProducerState, ProducerStateTable, SequenceCheck } from './producer-state.ts';
import { CLEAN_SHUTDOWN_FILE } from './segment-files.ts';
import type { AbortedTransaction } from './transaction-index.ts';

/** Where an append comes from: only the transaction coordinator may write control batches. */
export type AppendOrigin = 'client' | 'coordinator';

export interface AppendOptions {
  origin?: AppendOrigin;
  /** Stamped into each batch's partitionLeaderEpoch (outside the CRC). */
  leaderEpoch?: number;
}

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** The broker time stamped on the batches for LogAppendTime topics; -1 for CreateTime. */
  logAppendTime: number;
  logStartOffset: number;
}

export interface ReadOptions {
  /** Exclusive bound: batches starting at or after it are not returned (high watermark, last stable offset). */
  maxOffset?: number;
  /** Return the first batch even when it is larger than maxBytes (Kafka's fetch rule). Default true. */
  minOneBatch?: boolean;
}

export interface LogReadResult {
  /** Whole batches, back to back; empty when there is nothing to return. */
  records: Buffer;
  /** The offset after the last returned batch (fromOffset when none). */
  nextOffset: number;
}

export interface TimestampOffset {
  offset: number;
  timestamp: number;
}

export interface CleanupResult {
  segmentsDeleted: number;
  bytesDeleted: number;
  compaction: CompactionResult | null;
}

export interface PartitionLogOptions {
  /** Clock for log append time, retention and segment.ms; Date.now by default. */
  now?: () => number;
}

export class PartitionLog {
  readonly dir: string;
  readonly config: LogConfig;
  /** Set when opening cut a torn or corrupt tail (after a crash). */
  readonly recoveredTail: TruncatedTail | null;
  private readonly segments: LogSegment[];
  private readonly producers: ProducerStateTable;
  private readonly checkpoint: LogCheckpoint;
  private readonly now: () => number;
  private closed = false;
  private maintenance: Promise<unknown> = Promise.resolve();
  private checkpointWrite: Promise<void> = Promise.resolve();
  private readonly background = new Set<Promise<void>>();
  private unflushedMessages = 0;
  private flushTimer: NodeJS.Timeout | null = null;

  private constructor(dir: string, config: LogConfig, loaded: Awaited<ReturnType<typeof loadLog>>, now: () => number) {
    this.dir = dir;
    this.config = config;
    this.segments = loaded.segments;
    this.producers = loaded.producers;
    this.checkpoint = loaded.checkpoint;
    this.recoveredTail = loaded.truncated;
    this.now = now;
  }

  /** Opens (creating if needed) the log in `dir`, recovering it after a crash. */
  static async open(
    dir: string,
    config: Partial<LogConfig> = {},
    options: PartitionLogOptions = {},
  ): Promise<PartitionLog> {
    const validated = validateLogConfig(config);
    const now = options.now ?? Date.now;
    const loaded = await loadLog(dir, validated, now());
    const log = new PartitionLog(dir, validated, loaded, now);
    await log.persistCheckpoint();
    return log;
  }

  /** First offset that can be read. */
  get logStartOffset(): number {
    return this.checkpoint.logStartOffset;
  }

  /** The offset the next appended record gets (Kafka's log end offset; the high watermark of a single broker). */
  get logEndOffset(): number {
    return this.activeSegment.nextOffset;
  }

  /** First offset of the oldest open transaction, or the log end offset (read_committed stops here). */
  get lastStableOffset(): number {
    return this.producers.firstUnstableOffset() ?? this.logEndOffset;
  }

  /** Bytes in all segments. */
  get size(): number {
    return this.segments.reduce((total, segment) => total + segment.size, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** Base offsets of the segments, oldest first. */
  segmentBaseOffsets(): number[] {
    return this.segments.map((segment) => segment.baseOffset);
  }

  private get activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  private ensureOpen(): void {
    if (this.closed) throw new LogClosedError(this.dir);
  }

  // ---- producer state -------------------------------------------------------

  producerState(producerId: number): ProducerState | undefined {
    return this.producers.get(producerId);
  }

  producerStates(): ProducerState[] {
    return [...this.producers.values()];
  }

  /** Duplicate / gap / fencing check of an incoming idempotent batch against the stored state. */
  checkSequence(producerId: number, producerEpoch: number, firstSequence: number, lastSequence: number): SequenceCheck {
    return this.producers.checkSequence(producerId, producerEpoch, firstSequence, lastSequence);
  }

  // ---- append ---------------------------------------------------------------

  private validateForAppend(batches: readonly RecordBatch[], origin: AppendOrigin): void {
    for (const batch of batches) {
      const where = `in the batch with baseSequence ${batch.baseSequence} for ${this.dir}`;
      if (batch.recordCount < 1 || batch.lastOffsetDelta !== batch.recordCount - 1) {
        throw new CorruptRecordError(
          'invalid-record',
          `recordCount ${batch.recordCount} does not match lastOffsetDelta ${batch.lastOffsetDelta} ${where}`,
        );
      }
      if (batch.compressionCodec > 4) {
        throw new CorruptRecordError('invalid-record', `Unknown compression codec ${batch.compressionCodec} ${where}`);
      }
      if (batch.isControl && origin !== 'coordinator') {
        throw new CorruptRecordError('invalid-record', `Clients may not write control batches ${where}`);
      }
    }
  }

  private shouldRoll(incomingBytes: number, lastOffset: number, now: number): boolean {
    const active = this.activeSegment;
    if (active.isEmpty) return false;
    return (
      active.size + incomingBytes > this.config.segmentBytes ||
      now - active.rollTimestamp >= this.config.segmentMs ||
      active.indexesFull ||
      lastOffset - active.baseOffset > 0x7fff_ffff
    );
  }

  /** Starts a new active segment at the log end offset. */
  private roll(): void {
    const previous = this.activeSegment;
    previous.seal();
    const next = LogSegment.create(this.dir, this.logEndOffset, this.config);
    this.segments.push(next);
    writeProducerSnapshot(this.dir, next.baseOffset, this.producers);
    // Like Kafka: a closed segment is fsynced in the background, then recovery can skip it.
    this.runInBackground(this.flushUpTo(next.baseOffset));
  }

  /**
   * Appends the batches of a Produce `records` blob (validated: framing,
   * magic 2, CRC, counts), assigning offsets from the log end offset.
   * `blob` is modified in place (baseOffset, leader epoch, log append time)
   * and written as is.
   */
  async append(blob: Buffer, options: AppendOptions = {}): Promise<AppendResult> {
    this.ensureOpen();
    const batches = readRecordBatches(blob, { maxBatchSize: this.config.maxMessageBytes });
    if (batches.length === 0) throw new CorruptRecordError('invalid-record', `Empty records blob for ${this.dir}`);
    this.validateForAppend(batches, options.origin ?? 'client');

    const now = this.now();
    const baseOffset = this.logEndOffset;
    let messages = 0;
    for (const batch of batches) messages += batch.recordCount;
    if (this.shouldRoll(blob.length, baseOffset + messages - 1, now)) this.roll();

    const logAppendTime = this.config.messageTimestampType === 'LogAppendTime' ? now : -1;
    let offset = baseOffset;
    for (const batch of batches) {
      batch.setBaseOffset(offset);
      if (options.leaderEpoch !== undefined) batch.setPartitionLeaderEpoch(options.leaderEpoch);
      if (logAppendTime >= 0) batch.setLogAppendTime(logAppendTime);
      offset = batch.nextOffset;
    }
    const active = this.activeSegment;
    active.append(blob, batches, now);
    for (const batch of batches) {
      const completed = this.producers.update(batch);
      if (completed?.aborted) {
        active.txnIndex.append({
          producerId: completed.producerId,
          firstOffset: completed.firstOffset,
          lastOffset: completed.lastOffset,
          lastStableOffset: this.lastStableOffset,
        });
      }
    }
    await this.applyFlushPolicy(messages);
    return { baseOffset, lastOffset: offset - 1, logAppendTime, logStartOffset: this.logStartOffset };
  }

  private async applyFlushPolicy(messages: number): Promise<void> {
    this.unflushedMessages += messages;
    if (this.unflushedMessages >= this.config.flushMessages) {
      await this.flush();
    } else if (Number.isFinite(this.config.flushMs) && this.flushTimer === null) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        if (!this.closed) this.runInBackground(this.flush());
      }, this.config.flushMs);
      this.flushTimer.unref();
    }
  }

  // ---- read -----------------------------------------------------------------

  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Whole batches from the one containing `fromOffset`, up to `maxBytes`
   * (at least one batch unless minOneBatch is false), from one segment.
   * Throws OffsetOutOfRangeError outside [logStartOffset, logEndOffset].
   */
  async read(fromOffset: number, maxBytes: number, options: ReadOptions = {}): Promise<LogReadResult> {
    this.ensureOpen();
    const endOffset = this.logEndOffset;
    if (fromOffset < this.logStartOffset || fromOffset > endOffset) {
      throw new OffsetOutOfRangeError(this.dir, fromOffset, this.logStartOffset, endOffset);
    }
    const empty = { records: Buffer.alloc(0), nextOffset: fromOffset };
    const maxOffset = Math.min(options.maxOffset ?? endOffset, endOffset);
    if (fromOffset >= maxOffset) return empty;
    const minOneBatch = options.minOneBatch ?? true;

    for (let i = this.segmentIndexFor(fromOffset); i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      // Captured now: bytes below it are written, whatever appends follow.
      const end = segment.size;
      segment.acquire();
      try {
        const first = await segment.findBatch(fromOffset, end);
        if (!first) continue;
        if (first.batch.baseOffset >= maxOffset) return empty;
        const boundary = maxOffset < segment.nextOffset ? await segment.findBatch(maxOffset, end) : null;
        const available = (boundary?.position ?? end) - first.position;
        if (first.size > maxBytes && !minOneBatch) return empty;
        const length = Math.max(Math.min(maxBytes, available), first.size);
        const bytes = await segment.read(first.position, length);
        return wholeBatches(bytes, first.batch.baseOffset);
      } finally {
        segment.release();
      }
    }
    return empty;
  }

  /**
   * The first record whose timestamp is >= `timestamp` (ListOffsets), or
   * null when every record is older. Batches in a codec this build cannot
   * read answer with the batch's first offset (never skipping a record).
   */
  async offsetForTimestamp(timestamp: number): Promise<TimestampOffset | null> {
    this.ensureOpen();
    const startOffset = this.logStartOffset;
    for (const segment of [...this.segments]) {
      if (segment.maxTimestamp < timestamp || segment.nextOffset <= startOffset) continue;
      segment.acquire();
      try {
        const found = await segment.findBatchByTimestamp(timestamp, startOffset);
        if (!found) continue;
        const batchStart = Math.max(found.batch.baseOffset, startOffset);
        if (found.batch.timestampType === 'log-append-time' || !isCompressionSupported(found.batch.compressionCodec)) {
          return { offset: batchStart, timestamp: found.batch.maxTimestamp };
        }
        const whole = await segment.scanBatches(found.position, found.position + found.size).next();
        if (whole.done) continue;
        const stored = whole.value;
        for (const record of await decodeBatchRecords(stored.batch)) {
          const offset = recordOffset(stored.batch, record);
          const recordTime = recordTimestamp(stored.batch, record);
          if (offset >= startOffset && recordTime >= timestamp) return { offset, timestamp: recordTime };
        }
      } finally {
        segment.release();
      }
    }
    return null;
  }

  /**
   * Aborted transactions overlapping [fromOffset, upperBoundOffset), for a
   * read_committed fetch starting at fromOffset, by first offset. The index
   * holds them in abort order, which Kafka returns as is and the Java client
   * sorts; kafkajs walks the list in order, stepping into the head's
   * transaction when a record reaches its first offset, so in abort order it
   * lets through the records of a transaction that began before an earlier
   * aborted one (concurrent transactions aborted together after a restart).
   */
  abortedTransactions(fromOffset: number, upperBoundOffset: number): AbortedTransaction[] {
    this.ensureOpen();
    const found: AbortedTransaction[] = [];
    for (let i = this.segmentIndexFor(fromOffset); i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      if (segment.baseOffset >= upperBoundOffset) break;
      for (const txn of segment.txnIndex.all()) {
        if (txn.lastOffset >= fromOffset && txn.firstOffset < upperBoundOffset) found.push(txn);
      }
    }
    return found.sort((a, b) => a.firstOffset - b.firstOffset);
  }

  // ---- deletion and cleanup ------------------------------------------------

  /** Runs `task` after every earlier maintenance task. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.maintenance.then(task, task);
    this.maintenance = run.catch(() => undefined);
    return run;
  }

  private runInBackground(task: Promise<void>): void {
    const tracked = task.catch(() => undefined).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private persistCheckpoint(): Promise<void> {
    const write = this.checkpointWrite.then(() => writeLogCheckpoint(this.dir, { ...this.checkpoint }));
    this.checkpointWrite = write.catch(() => undefined);
    return write;
  }

  /** Drops segments from the front (never the active one), then advances the log start offset. */
  private async deleteOldestSegments(count: number): Promise<{ segments: number; bytes: number }> {
    const removed = this.segments.splice(0, Math.min(count, this.segments.length - 1));
    let bytes = 0;
    for (const segment of removed) {
      bytes += segment.size;
      segment.deleteFiles();
      segment.close();
    }
    const first = this.segments[0]!.baseOffset;
    if (first > this.checkpoint.logStartOffset) this.checkpoint.logStartOffset = first;
    if (removed.length > 0) {
      this.producers.removeBefore(this.logStartOffset);
      await this.persistCheckpoint();
    }
    return { segments: removed.length, bytes };
  }

  /** Segments entirely below `offset`, rolling the active one first when it is too. */
  private countSegmentsBelow(offset: number): number {
    if (this.logEndOffset <= offset && !this.activeSegment.isEmpty) this.roll();
    let count = 0;
    while (count < this.segments.length - 1 && this.segments[count]!.nextOffset <= offset) count++;
    return count;
  }

  /**
   * DeleteRecords: makes `offset` the log start offset (persisted) and
   * deletes the segments wholly below it. Returns the new log start offset.
   */
  deleteRecordsBefore(offset: number): Promise<number> {
    this.ensureOpen();
    return this.exclusive(async () => {
      if (offset > this.logEndOffset || offset < 0) {
        throw new OffsetOutOfRangeError(this.dir, offset, this.logStartOffset, this.logEndOffset);
      }
      if (offset <= this.logStartOffset) return this.logStartOffset;
      this.checkpoint.logStartOffset = offset;
      this.producers.removeBefore(offset);
      await this.persistCheckpoint();
      await this.deleteOldestSegments(this.countSegmentsBelow(offset));
      return this.logStartOffset;
    });
  }

  /** Newest timestamp of a segment, for retention.ms; the file time when it has none. */
  private largestTimestamp(segment: LogSegment): number {
    if (segment.maxTimestamp >= 0) return segment.maxTimestamp;
    return fs.statSync(segment.paths.log, { throwIfNoEntry: false })?.mtimeMs ?? this.now();
  }

  private segmentsPastRetention(): number {
    const now = this.now();
    let count = 0;
    if (this.config.retentionMs >= 0) {
      const expired = (segment: LogSegment) => now - this.largestTimestamp(segment) > this.config.retentionMs;
      while (count < this.segments.length - 1 && expired(this.segments[count]!)) count++;
      const active = this.activeSegment;
      if (count === this.segments.length - 1 && !active.isEmpty && expired(active)) {
        this.roll();
        count++;
      }
    }
    if (this.config.retentionBytes >= 0) {
      let excess = this.size - this.config.retentionBytes;
      let bySize = 0;
      while (bySize < this.segments.length - 1 && excess - this.segments[bySize]!.size >= 0) {
        excess -= this.segments[bySize]!.size;
        bySize++;
      }
      count = Math.max(count, bySize);
    }
    return count;
  }

  /**
   * The periodic housekeeping the broker runs: retention by time and size
   * (cleanup.policy delete), then compaction when cleanup.policy includes
   * compact and enough of the log is dirty (min.cleanable.dirty.ratio).
   */
  cleanup(): Promise<CleanupResult> {
    this.ensureOpen();
    return this.exclusive(async () => {
      const result: CleanupResult = { segmentsDeleted: 0, bytesDeleted: 0, compaction: null };
      const count = Math.max(
        deletesByRetention(this.config) ? this.segmentsPastRetention() : 0,
        this.countSegmentsBelow(this.logStartOffset),
      );
      const deleted = await this.deleteOldestSegments(count);
      result.segmentsDeleted = deleted.segments;
      result.bytesDeleted = deleted.bytes;
      if (compacts(this.config) && this.dirtyRatio() >= this.config.minCleanableDirtyRatio) {
        result.compaction = await this.compactNow();
      }
      return result;
    });
  }

  /** Closed segments that compaction may rewrite: below the active segment and the last stable offset. */
  private compactableSegments(): LogSegment[] {
    const limit = Math.min(this.activeSegment.baseOffset, this.lastStableOffset);
    return this.segments.slice(0, -1).filter((segment) => segment.nextOffset <= limit);
  }

  private dirtyRatio(): number {
    const closed = this.compactableSegments();
    const total = closed.reduce((n, s) => n + s.size, 0);
    if (total === 0) return 0;
    const dirty = closed.filter((s) => s.baseOffset >= this.checkpoint.cleanerOffset).reduce((n, s) => n + s.size, 0);
    return dirty / total;
  }

  /** Compacts the closed segments now (whatever the cleanup policy or dirty ratio). */
  compact(): Promise<CompactionResult> {
    this.ensureOpen();
    return this.exclusive(() => this.compactNow());
  }

  private async compactNow(): Promise<CompactionResult> {
    const eligible = this.compactableSegments();
    const last = eligible[eligible.length - 1];
    const endOffset = last ? last.nextOffset : this.logStartOffset;
    const aborted = this.abortedTransactions(eligible[0]?.baseOffset ?? endOffset, endOffset);
    const result = await compactSegments(
      {
        dir: this.dir,
        config: this.config,
        now: this.now(),
        segments: eligible,
        endOffset,
        replace: (replaced, replacement) => {
          const at = this.segments.indexOf(replaced[0]!);
          this.segments.splice(at, replaced.length, replacement);
          for (const segment of replaced) segment.close();
        },
      },
      aborted,
    );
    if (result.cleanedUpTo > this.checkpoint.cleanerOffset) {
      this.checkpoint.cleanerOffset = result.cleanedUpTo;
      await this.persistCheckpoint();
    }
    return result;
  }

  // ---- durability and lifecycle --------------------------------------------

  /** fsyncs the segments holding offsets below `offset`, then records the recovery point. */
  private async flushUpTo(offset: number): Promise<void> {
    const dirty = this.segments.filter(
      (segment) => segment.baseOffset < offset && segment.nextOffset > this.checkpoint.recoveryPoint,
    );
    for (const segment of dirty) segment.acquire();
    try {
      await Promise.all(dirty.map((segment) => segment.flush()));
    } finally {
      for (const segment of dirty) segment.release();
    }
    if (offset > this.checkpoint.recoveryPoint) {
      this.checkpoint.recoveryPoint = offset;
      await this.persistCheckpoint();
    }
  }

  /** fsyncs everything appended so far. */
  async flush(): Promise<void> {
    this.ensureOpen();
    this.unflushedMessages = 0;
    await this.flushUpTo(this.logEndOffset);
  }

  /**
   * Flushes, saves the producer snapshot and the clean-shutdown marker, and
   * closes the files. Appends and reads after close throw LogClosedError.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive(async () => undefined);
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await Promise.all(this.background);
    this.activeSegment.seal();
    await this.flushUpTo(this.logEndOffset);
    writeProducerSnapshot(this.dir, this.logEndOffset, this.producers);
    await this.checkpointWrite;
    await writeFileAtomic(path.join(this.dir, CLEAN_SHUTDOWN_FILE), '');
    for (const segment of this.segments) segment.close();
  }

  /** Closes the log and removes its directory (topic deletion). */
  async delete(): Promise<void> {
    if (!this.closed) {
      await this.exclusive(async () => undefined);
      this.closed = true;
      if (this.flushTimer) clearTimeout(this.flushTimer);
      await Promise.all(this.background);
      await this.checkpointWrite;
      for (const segment of this.segments) segment.close();
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Cuts a read at the last complete batch; `bytes` starts at a batch boundary. */
function wholeBatches(bytes: Buffer, firstBaseOffset: number): LogReadResult {
  let position = 0;
  let nextOffset = firstBaseOffset;
  while (position + RECORD_BATCH_HEADER_SIZE <= bytes.length) {
    const batch = new RecordBatch(bytes.subarray(position, position + RECORD_BATCH_HEADER_SIZE));
    const size = LOG_OVERHEAD + batch.batchLength;
    if (position + size > bytes.length) break;
    nextOffset = batch.nextOffset;
    position += size;
  }
  return { records: bytes.subarray(0, position), nextOffset };
}
