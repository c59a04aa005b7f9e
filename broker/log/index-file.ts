/**
 * An append-only file of fixed-size entries sorted by a key: the common part
 * of the offset and time indexes. Entries of the active segment are buffered
 * (at most PENDING_ENTRIES) and written in one go, so the append path does
 * not pay a syscall per index entry; a crash loses only entries that
 * recovery rebuilds anyway. Lookups are binary searches with positional reads:
 * nothing but the counters and the pending buffer lives in memory.
 */
import fs from 'node:fs';
import { fsyncFd, readAtSync, writeFully } from './file-io.ts';

const PENDING_ENTRIES = 512;
/** Below this many candidate entries, one read and an in-memory search beat more reads. */
const LINEAR_READ_ENTRIES = 512;

export class IndexFile {
  readonly path: string;
  readonly entrySize: number;
  readonly maxEntries: number;
  private fd: number | null = null;
  /** Entries on disk (or in the page cache). */
  private fileEntries: number;
  private pending: Buffer;
  private pendingEntries = 0;

  constructor(path: string, entrySize: number, maxEntries: number, create: boolean) {
    this.path = path;
    this.entrySize = entrySize;
    this.maxEntries = Math.max(1, maxEntries);
    this.pending = Buffer.alloc(0);
    if (create) {
      this.fd = fs.openSync(path, 'w+');
      this.fileEntries = 0;
    } else {
      // A partial trailing entry (torn write) is ignored and cut on the next append.
      this.fileEntries = Math.floor((fs.statSync(path, { throwIfNoEntry: false })?.size ?? 0) / entrySize);
    }
  }

  get entryCount(): number {
    return this.fileEntries + this.pendingEntries;
  }

  get isFull(): boolean {
    return this.entryCount >= this.maxEntries;
  }

  /** Opens the descriptor if this index was loaded lazily; creates a missing file. */
  open(): number {
    if (this.fd === null) {
      this.fd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_CREAT);
    }
    return this.fd;
  }

  append(entry: Buffer): void {
    if (this.pending.length === 0) this.pending = Buffer.allocUnsafe(PENDING_ENTRIES * this.entrySize);
    entry.copy(this.pending, this.pendingEntries * this.entrySize);
    this.pendingEntries++;
    if (this.pendingEntries === PENDING_ENTRIES) this.writePending();
  }

  /** Moves buffered entries into the file (page cache). */
  writePending(): void {
    if (this.pendingEntries === 0) return;
    const bytes = this.pending.subarray(0, this.pendingEntries * this.entrySize);
    writeFully(this.open(), bytes, this.fileEntries * this.entrySize);
    this.fileEntries += this.pendingEntries;
    this.pendingEntries = 0;
  }

  /** Entries [start, start + count) as one buffer. */
  readEntries(start: number, count: number): Buffer {
    const size = this.entrySize;
    const end = Math.min(start + count, this.entryCount);
    if (start >= end) return Buffer.alloc(0);
    const fromFile = Math.max(0, Math.min(end, this.fileEntries) - start);
    const filePart = fromFile > 0 ? readAtSync(this.open(), fromFile * size, start * size) : Buffer.alloc(0);
    if (start + fromFile === end) return filePart;
    const pendingStart = Math.max(start, this.fileEntries) - this.fileEntries;
    const pendingPart = this.pending.subarray(pendingStart * size, (end - this.fileEntries) * size);
    return fromFile > 0 ? Buffer.concat([filePart, pendingPart]) : pendingPart;
  }

  entry(i: number): Buffer | undefined {
    const bytes = this.readEntries(i, 1);
    return bytes.length === this.entrySize ? bytes : undefined;
  }

  lastEntry(): Buffer | undefined {
    return this.entryCount > 0 ? this.entry(this.entryCount - 1) : undefined;
  }

  /**
   * Index of the last entry with `keyOf(entry) <= target` (keys ascending),
   * or -1 when every key is larger. `strict` makes it `< target`.
   */
  floor(target: number, keyOf: (bytes: Buffer, at: number) => number, strict = false): number {
    const below = (key: number) => (strict ? key < target : key <= target);
    let lo = 0;
    let hi = this.entryCount - 1;
    let found = -1;
    while (hi - lo >= LINEAR_READ_ENTRIES) {
      const mid = (lo + hi) >>> 1;
      const bytes = this.readEntries(mid, 1);
      if (below(keyOf(bytes, 0))) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (lo > hi) return found;
    const chunk = this.readEntries(lo, hi - lo + 1);
    for (let i = hi - lo; i >= 0; i--) {
      if (below(keyOf(chunk, i * this.entrySize))) return lo + i;
    }
    return found;
  }

  /** Drops every entry (recovery rebuilds the index from the log). */
  reset(): void {
    this.pendingEntries = 0;
    this.fileEntries = 0;
    fs.ftruncateSync(this.open(), 0);
  }

  async sync(): Promise<void> {
    this.writePending();
    if (this.fd !== null) await fsyncFd(this.fd);
  }

  /** Writes pending entries and cuts any torn tail, so the file holds exactly entryCount entries. */
  seal(): void {
    this.writePending();
    const fd = this.open();
    if (fs.fstatSync(fd).size !== this.fileEntries * this.entrySize) {
      fs.ftruncateSync(fd, this.fileEntries * this.entrySize);
    }
  }

  close(): void {
    if (this.fd !== null) {
      this.writePending();
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}
