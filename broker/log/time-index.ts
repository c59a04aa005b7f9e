/**
 * `.timeindex`: sparse map from time to offset, written beside the offset
 * index entries, plus one final entry when the segment closes.
 *
 * TimeIndexEntry =>
 *   timestamp       int64    largest batch maxTimestamp before relativeOffset
 *   relativeOffset  uint32   a batch boundary: offset - segment baseOffset
 *
 * An entry (T, O) promises that every batch before offset O has timestamps
 * <= T. Timestamps strictly increase from entry to entry, so the last entry
 * with T < target is where a search for `target` can safely start, and the
 * final entry of a closed segment holds the segment's largest timestamp.
 */
import { readInt64, writeInt64 } from '../records/index.ts';
import { IndexFile } from './index-file.ts';

export const TIME_INDEX_ENTRY_SIZE = 12;

export class TimeIndex {
  readonly baseOffset: number;
  readonly file: IndexFile;
  private lastTimestampCache: number | undefined;
  private readonly entryBuffer = Buffer.allocUnsafe(TIME_INDEX_ENTRY_SIZE);

  constructor(path: string, baseOffset: number, maxIndexBytes: number, create: boolean) {
    this.baseOffset = baseOffset;
    this.file = new IndexFile(path, TIME_INDEX_ENTRY_SIZE, Math.floor(maxIndexBytes / TIME_INDEX_ENTRY_SIZE), create);
    if (create) this.lastTimestampCache = -1;
  }

  /** Largest timestamp indexed so far, -1 when none. */
  get lastTimestamp(): number {
    if (this.lastTimestampCache === undefined) {
      const entry = this.file.lastEntry();
      this.lastTimestampCache = entry ? readInt64(entry, 0) : -1;
    }
    return this.lastTimestampCache;
  }

  /** Adds (timestamp, offset) when it raises the largest timestamp; skipped otherwise. */
  maybeAppend(timestamp: number, offset: number): void {
    if (timestamp <= this.lastTimestamp) return;
    writeInt64(this.entryBuffer, 0, timestamp);
    this.entryBuffer.writeUInt32BE(offset - this.baseOffset, 8);
    this.file.append(this.entryBuffer);
    this.lastTimestampCache = timestamp;
  }

  /** An offset at or before the first batch that may hold a timestamp >= `timestamp`. */
  lookup(timestamp: number): number {
    const i = this.file.floor(timestamp, (bytes, at) => readInt64(bytes, at), true);
    const entry = i >= 0 ? this.file.entry(i) : undefined;
    return entry ? this.baseOffset + entry.readUInt32BE(8) : this.baseOffset;
  }

  reset(): void {
    this.file.reset();
    this.lastTimestampCache = -1;
  }
}
