/**
 * `.index`: sparse map from offset to byte position in the segment's `.log`,
 * one entry every index.interval.bytes of log data.
 *
 * OffsetIndexEntry =>
 *   relativeOffset  uint32   batch baseOffset - segment baseOffset
 *   position        uint32   byte position of that batch in the .log file
 */
import { IndexFile } from './index-file.ts';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export interface IndexedPosition {
  offset: number;
  position: number;
}

export class OffsetIndex {
  readonly baseOffset: number;
  readonly file: IndexFile;
  private readonly entryBuffer = Buffer.allocUnsafe(OFFSET_INDEX_ENTRY_SIZE);

  constructor(path: string, baseOffset: number, maxIndexBytes: number, create: boolean) {
    this.baseOffset = baseOffset;
    this.file = new IndexFile(
      path,
      OFFSET_INDEX_ENTRY_SIZE,
      Math.floor(maxIndexBytes / OFFSET_INDEX_ENTRY_SIZE),
      create,
    );
  }

  append(offset: number, position: number): void {
    this.entryBuffer.writeUInt32BE(offset - this.baseOffset, 0);
    this.entryBuffer.writeUInt32BE(position, 4);
    this.file.append(this.entryBuffer);
  }

  /** The last indexed batch at or before `offset`; the segment start when none is. */
  lookup(offset: number): IndexedPosition {
    const relative = offset - this.baseOffset;
    const i = this.file.floor(relative, (bytes, at) => bytes.readUInt32BE(at));
    const entry = i >= 0 ? this.file.entry(i) : undefined;
    if (!entry) return { offset: this.baseOffset, position: 0 };
    return { offset: this.baseOffset + entry.readUInt32BE(0), position: entry.readUInt32BE(4) };
  }

  /** The last entry, where a scan for the end of the segment can start. */
  last(): IndexedPosition {
    const entry = this.file.lastEntry();
    if (!entry) return { offset: this.baseOffset, position: 0 };
    return { offset: this.baseOffset + entry.readUInt32BE(0), position: entry.readUInt32BE(4) };
  }
}
