/**
 * One segment of a partition log: the `.log` file of batches starting at
 * `baseOffset` and its three indexes. Only the last segment of a log (the
 * active one) is appended to.
 *
 * Descriptors of a segment loaded from disk open on first use. Readers
 * `acquire()` a segment and `release()` it; a deleted or replaced segment
 * closes its descriptors only once its last reader is done, so a fetch never
 * sees a descriptor closed (or reused) under it.
 */
import fs from 'node:fs';
import type { RecordBatch } from '../records/index.ts';
import type { StoredBatch } from './batch-scanner.ts';
import { scanBatches, scanBatchHeaders } from './batch-scanner.ts';
import { fsyncFd, readAt, unlinkIfExists, writeFully } from './file-io.ts';
import { OffsetIndex } from './offset-index.ts';
import { type SegmentPaths, segmentPaths } from './segment-files.ts';
import { TimeIndex } from './time-index.ts';
import { TransactionIndex } from './transaction-index.ts';

export interface SegmentSettings {
  indexIntervalBytes: number;
  segmentIndexBytes: number;
}

export class LogSegment {
  readonly baseOffset: number;
  readonly paths: SegmentPaths;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  readonly txnIndex: TransactionIndex;
  private readonly indexIntervalBytes: number;
  /** Bytes of batches in the .log file. */
  size: number;
  /** The offset after the last batch; for a segment loaded from disk, set by the log. */
  nextOffset: number;
  /** Largest batch maxTimestamp seen; -1 when none. */
  maxTimestamp: number;
  /** Wall-clock (or first batch) time that segment.ms counts from; -1 while empty. */
  rollTimestamp = -1;
  private bytesSinceIndexEntry = 0;
  private logFd: number | null = null;
  private readers = 0;
  private retired = false;

  private constructor(dir: string, baseOffset: number, settings: SegmentSettings, create: boolean, extra: string) {
    this.baseOffset = baseOffset;
    this.paths = segmentPaths(dir, baseOffset, extra);
    this.indexIntervalBytes = settings.indexIntervalBytes;
    if (create) this.logFd = fs.openSync(this.paths.log, 'w+');
    this.size = create ? 0 : fs.statSync(this.paths.log).size;
    this.offsetIndex = new OffsetIndex(this.paths.offsetIndex, baseOffset, settings.segmentIndexBytes, create);
    this.timeIndex = new TimeIndex(this.paths.timeIndex, baseOffset, settings.segmentIndexBytes, create);
    this.txnIndex = new TransactionIndex(this.paths.txnIndex, create);
    this.nextOffset = baseOffset;
    this.maxTimestamp = create ? -1 : this.timeIndex.lastTimestamp;
  }

  /** A new, empty segment; `extra` suffixes every file name (".cleaned" for the cleaner). */
  static create(dir: string, baseOffset: number, settings: SegmentSettings, extra = ''): LogSegment {
    return new LogSegment(dir, baseOffset, settings, true, extra);
  }

  /** A segment already on disk; its indexes are trusted (recovery rebuilds them when not). */
  static load(dir: string, baseOffset: number, settings: SegmentSettings): LogSegment {
    return new LogSegment(dir, baseOffset, settings, false, '');
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  /** True when offset and time indexes can take another entry. */
  get indexesFull(): boolean {
    return this.offsetIndex.file.isFull || this.timeIndex.file.isFull;
  }

  private openLog(): number {
    if (this.logFd === null) this.logFd = fs.openSync(this.paths.log, 'r+');
    return this.logFd;
  }

  /** Pins the segment's files for a reader; every call needs a matching release(). */
  acquire(): void {
    this.readers++;
    // Opened now, not lazily mid-read: a replaced segment's paths may already name new files.
    this.openLog();
    this.offsetIndex.file.open();
    this.timeIndex.file.open();
  }

  release(): void {
    this.readers--;
    if (this.retired && this.readers === 0) this.closeFiles();
  }

  /**
   * Appends a blob of batches whose offsets are already assigned. `batches`
   * are views into `blob`, in order. Index work is per batch, never per record.
   */
  append(blob: Buffer, batches: readonly RecordBatch[], now: number): void {
    writeFully(this.openLog(), blob, this.size);
    if (this.rollTimestamp < 0) this.rollTimestamp = now;
    let position = this.size;
    for (const batch of batches) {
      this.track(batch, position);
      position += batch.sizeInBytes;
    }
    this.size = position;
  }

  /**
   * Index bookkeeping for a batch at `position`, shared by append and by
   * recovery, which replays batches already in the file.
   */
  track(batch: RecordBatch, position: number): void {
    if (this.bytesSinceIndexEntry > this.indexIntervalBytes) {
      const offset = batch.baseOffset;
      this.offsetIndex.append(offset, position);
      this.timeIndex.maybeAppend(this.maxTimestamp, offset);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += batch.sizeInBytes;
    if (batch.maxTimestamp > this.maxTimestamp) this.maxTimestamp = batch.maxTimestamp;
    this.nextOffset = batch.nextOffset;
  }

  /** Reads `length` bytes at `position` of the .log file. */
  read(position: number, length: number): Promise<Buffer> {
    return readAt(this.openLog(), length, position);
  }

  /** Header views of the batches from byte `position` to the end of the segment as it is now. */
  scanHeaders(position = 0, end = this.size): AsyncGenerator<StoredBatch> {
    return scanBatchHeaders(this.openLog(), position, end);
  }

  /** Whole batches from byte `position` to the end of the segment as it is now. */
  scanBatches(position = 0, end = this.size): AsyncGenerator<StoredBatch> {
    return scanBatches(this.openLog(), position, end);
  }

  /** The first batch whose last offset is >= `offset`, or null when none is in this segment. */
  async findBatch(offset: number, end = this.size): Promise<StoredBatch | null> {
    const start = this.offsetIndex.lookup(offset).position;
    for await (const stored of this.scanHeaders(start, end)) {
      if (stored.batch.lastOffset >= offset) return stored;
    }
    return null;
  }

  /** The first batch at or after `offset` whose maxTimestamp is >= `timestamp`. */
  async findBatchByTimestamp(timestamp: number, fromOffset: number): Promise<StoredBatch | null> {
    const startOffset = Math.max(fromOffset, this.timeIndex.lookup(timestamp));
    const start = this.offsetIndex.lookup(startOffset).position;
    for await (const stored of this.scanHeaders(start)) {
      if (stored.batch.lastOffset >= fromOffset && stored.batch.maxTimestamp >= timestamp) return stored;
    }
    return null;
  }

  /**
   * Restores the in-memory state of an active segment loaded after a clean
   * shutdown: end offset, timestamps and bytes since the last index entry.
   */
  async loadTail(now: number): Promise<void> {
    const last = this.offsetIndex.last();
    // The entry at `last` was made when the counter passed the interval; it restarted there.
    this.bytesSinceIndexEntry = 0;
    for await (const stored of this.scanHeaders(last.position)) {
      this.bytesSinceIndexEntry += stored.size;
      if (stored.batch.maxTimestamp > this.maxTimestamp) this.maxTimestamp = stored.batch.maxTimestamp;
      this.nextOffset = stored.batch.nextOffset;
    }
    if (this.size > 0) {
      // segment.ms counts from the first batch's time, like Kafka; never from the future.
      const firstMaxTimestamp = await this.firstBatchMaxTimestamp();
      this.rollTimestamp = firstMaxTimestamp >= 0 ? Math.min(firstMaxTimestamp, now) : now;
    }
  }

  private async firstBatchMaxTimestamp(): Promise<number> {
    for await (const stored of this.scanHeaders(0)) return stored.batch.maxTimestamp;
    return -1;
  }

  /** Drops the indexes and in-memory state before recovery replays the file with track(). */
  resetForRecovery(): void {
    this.offsetIndex.file.reset();
    this.timeIndex.reset();
    this.txnIndex.file.reset();
    this.bytesSinceIndexEntry = 0;
    this.maxTimestamp = -1;
    this.nextOffset = this.baseOffset;
  }

  /** Cuts the .log file to `size` bytes (a torn or corrupt tail). */
  truncateTo(size: number): void {
    fs.ftruncateSync(this.openLog(), size);
    this.size = size;
  }

  /**
   * Called when the segment stops being the active one: writes the final time
   * index entry (its largest timestamp) and the buffered index entries.
   */
  seal(): void {
    this.timeIndex.maybeAppend(this.maxTimestamp, this.nextOffset);
    this.offsetIndex.file.seal();
    this.timeIndex.file.seal();
    this.txnIndex.file.seal();
  }

  async flush(): Promise<void> {
    await Promise.all([
      this.logFd === null ? undefined : fsyncFd(this.logFd),
      this.offsetIndex.file.sync(),
      this.timeIndex.file.sync(),
      this.txnIndex.file.sync(),
    ]);
  }

  private closeFiles(): void {
    if (this.logFd !== null) {
      fs.closeSync(this.logFd);
      this.logFd = null;
    }
    this.offsetIndex.file.close();
    this.timeIndex.file.close();
    this.txnIndex.file.close();
  }

  /** Closes now (log shutdown) or after the last reader (retired). */
  close(): void {
    this.retired = true;
    if (this.readers === 0) this.closeFiles();
  }

  /** Removes the files; open descriptors stay valid until the last reader releases. */
  deleteFiles(): void {
    for (const file of Object.values(this.paths)) unlinkIfExists(file);
  }
}
