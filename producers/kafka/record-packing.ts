/**
 * Records packed into one buffer, to hand them to a worker thread: the
 * buffer is transferred, not copied, and the worker takes keys and values
 * as views of it, so neither thread builds a string or an object per record
 * for the trip. Each record, in order:
 *   partition  int32 (-1: none)
 *   timestamp  float64 (epoch millis)
 *   key        int32 byte length (-1: null), then the UTF-8 bytes
 *   value      int32 byte length, then the bytes
 */
import type { OutgoingRecord } from './record-sink.ts';

/** A record as unpacked: key and value are views of the packed buffer. */
export interface PackedRecord {
  partition: number | undefined;
  timestamp: number;
  key: Buffer | null;
  value: Buffer;
}

const FIXED_BYTES = 4 + 8 + 4 + 4;

export class RecordPacker {
  private buffer: Buffer;
  private offset = 0;
  private records = 0;

  constructor(initialBytes = 64 * 1024) {
    // Not from Node's shared pool: the whole ArrayBuffer is transferred.
    this.buffer = Buffer.allocUnsafeSlow(initialBytes);
  }

  get count(): number {
    return this.records;
  }

  add(record: OutgoingRecord): void {
    const { key, value } = record;
    // At most 3 UTF-8 bytes per UTF-16 unit: room enough whatever the text.
    this.reserve(FIXED_BYTES + (key === null ? 0 : key.length * 3) + value.length * 3);
    const buffer = this.buffer;
    let at = this.offset;
    buffer.writeInt32LE(record.partition ?? -1, at);
    buffer.writeDoubleLE(record.timestamp, at + 4);
    at += 12;
    if (key === null) {
      buffer.writeInt32LE(-1, at);
      at += 4;
    } else {
      const length = buffer.write(key, at + 4);
      buffer.writeInt32LE(length, at);
      at += 4 + length;
    }
    const length = typeof value === 'string' ? buffer.write(value, at + 4) : value.copy(buffer, at + 4);
    buffer.writeInt32LE(length, at);
    this.offset = at + 4 + length;
    this.records++;
  }

  /** The packed bytes so far, as a transferable ArrayBuffer; the packer starts afresh. */
  take(): ArrayBuffer {
    const packed = (this.buffer.buffer as ArrayBuffer).slice(0, this.offset);
    this.offset = 0;
    this.records = 0;
    return packed;
  }

  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(larger, 0, 0, this.offset);
    this.buffer = larger;
  }
}

/** The records packed by a RecordPacker, in order. */
export function unpackRecords(packed: ArrayBuffer): PackedRecord[] {
  const buffer = Buffer.from(packed);
  const records: PackedRecord[] = [];
  let at = 0;
  while (at < buffer.length) {
    const partition = buffer.readInt32LE(at);
    const timestamp = buffer.readDoubleLE(at + 4);
    const keyLength = buffer.readInt32LE(at + 12);
    at += 16;
    const key = keyLength < 0 ? null : buffer.subarray(at, at + keyLength);
    at += Math.max(0, keyLength);
    const valueLength = buffer.readInt32LE(at);
    at += 4;
    const value = buffer.subarray(at, at + valueLength);
    at += valueLength;
    records.push({ partition: partition < 0 ? undefined : partition, timestamp, key, value });
  }
  return records;
}
